from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

# The header's sections, in order. A section shows once its part of Confer serves its URL.
NAVIGATION = [
    ("Questions", "qa:index"),
    ("Ideas", "ideas:index"),
    ("People", "people:index"),
    ("Workshops", "workshops"),
    ("Search", "search"),
]


def _navigation(path: str) -> list[dict]:
    items = []
    for label, url_name in NAVIGATION:
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": path.startswith(url)})
    return items


def _unread_count(user) -> int:
    from .models import Notification

    return Notification.objects.filter(recipient=user).unread().count() if user.is_authenticated else 0


def confer(request):
    user = getattr(request, "user", None)
    return {
        "unread_notifications": SimpleLazyObject(lambda: _unread_count(user)) if user is not None else 0,
        "site_name": "Confer",
        "navigation": _navigation(request.path),
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": getattr(settings, "OIDC_PROVIDER_NAME", ""),
    }
