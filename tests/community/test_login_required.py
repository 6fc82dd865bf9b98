import pytest

pytestmark = pytest.mark.django_db

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
