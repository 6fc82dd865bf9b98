from django.conf import settings
from django.urls import NoReverseMatch, reverse

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


def confer(request):
    return {
        "site_name": "Confer",
        "navigation": _navigation(request.path),
        "oidc_enabled": settings.OIDC_ENABLED,
        "oidc_provider_name": getattr(settings, "OIDC_PROVIDER_NAME", ""),
    }
