from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

# The header's sections, in order. A section shows once its part of Confer serves its URL.
NAVIGATION = [
    ("Questions", "qa:index"),
    ("Ideas", "ideas:index"),
    ("Communities", "communities:directory"),
    ("People", "people:index"),
    ("Workshops", "workshops"),
    ("Listening", "listening:index"),
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


def _role_links(user) -> list[dict]:
    """The header's workspaces this person works in, each with what waits there (bounded counts)."""
    from .hooks import ROLE_COUNT_CAP, ROLE_LINKS, registered

    if user is None or not user.is_authenticated:
        return []
    links = []
    for link in registered(ROLE_LINKS):
        if user.has_perm(link.permission):
            count = link.count()
            shown = f"{ROLE_COUNT_CAP - 1}+" if count >= ROLE_COUNT_CAP else str(count)
            links.append({"key": link.key, "label": link.label, "url": reverse(link.url_name), "count": count,
                          "shown": shown})  # fmt: skip
    return links


def confer(request):
    user = getattr(request, "user", None)
    return {
        "unread_notifications": SimpleLazyObject(lambda: _unread_count(user)) if user is not None else 0,
        # Lazy: pages that never render the header (feeds, htmx partials) pay nothing.
        "role_links": SimpleLazyObject(lambda: _role_links(user)),
        "site_name": settings.WAGTAIL_SITE_NAME,
        "navigation": _navigation(request.path),
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": getattr(settings, "OIDC_PROVIDER_NAME", ""),
    }
