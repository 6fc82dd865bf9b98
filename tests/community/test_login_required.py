import pytest
from django.urls import URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Every address LoginRequiredMiddleware lets through, as README.md lists them under "Everything
# behind login". A new public view must be added to both, with how it is protected.
PUBLIC_ROUTES = {
    "accounts/login/",
    "accounts/logout/",  # sends anyone signed out to sign in
    "accounts/oidc/authenticate/",  # 404 unless single sign-on is configured
    "accounts/oidc/callback/",
    "accounts/password/reset/",  # rate-limited; the same answer for every address
    "accounts/password/reset/sent/",
    "accounts/password/reset/<uidb64>/<token>/",  # Django's signed, single-use token
    "accounts/password/reset/done/",
    "admin/login/",  # redirects to accounts/login/
    "_util/login/",  # redirects to accounts/login/
    "healthz",
    "robots.txt",
    "notifications/unsubscribe/<str:token>/",  # signed token
    "feeds/<str:token>/tags/<str:value>/rss/",  # each person's secret feed token
    "feeds/<str:token>/tags/<str:value>/atom/",
    "feeds/<str:token>/search/rss/",
    "feeds/<str:token>/search/atom/",
    "feeds/<str:token>/<str:value>/rss/",
    "feeds/<str:token>/<str:value>/atom/",
    "workshops/calendar/<str:token>.ics",  # each person's secret calendar token
}
# Wagtail's admin API (Django REST framework views, which opt out of the middleware) checks admin
# access itself.
ADMIN_API = "admin/api/"


def exempt_routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from exempt_routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif not getattr(pattern.callback, "login_required", True):
            yield prefix + str(pattern.pattern)


def test_it_keeps_public_only_the_addresses_the_readme_lists():
    routes = set(exempt_routes(get_resolver().url_patterns))

    assert {route for route in routes if not route.startswith(ADMIN_API)} == PUBLIC_ROUTES


@pytest.mark.parametrize("url", ["/admin/api/main/pages/", "/admin/api/main/documents/", "/admin/api/main/images/"])
def test_it_keeps_the_admin_api_from_people_without_admin_access(client, client_for, alice, url):
    assert client.get(url)["Location"].startswith("/accounts/login/?next=")
    assert client_for(alice).get(url, follow=True).status_code == 403


PRIVATE_URLS = [
    "/",
    "/people/",
    "/people/alice/",
    "/profile/edit/",
    "/tags/",
    "/search/?q=vpn",
    "/admin/",
    "/no-such-page/",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_it_sends_anonymous_visitors_to_sign_in(client, alice, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_it_lets_anyone_reach_the_sign_in_page(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert b"Sign in to Confer" in response.content


def test_it_answers_health_checks_without_login(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_it_shows_the_home_page_once_signed_in(alice_client):
    response = alice_client.get("/")

    assert response.status_code == 200
    assert b"Welcome to Confer" in response.content
    assert b'class="govuk-skip-link"' in response.content
