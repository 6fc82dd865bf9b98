import pytest

from community.models import Profile

pytestmark = pytest.mark.django_db


def test_it_shows_a_styled_not_found_page(alice_client):
    response = alice_client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"govuk-header" in response.content or b"govuk-generic-header" in response.content


def test_it_shows_a_styled_error_page_that_leaks_nothing(alice_client, monkeypatch):
    def explode(user):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(Profile, "for_user", explode)
    alice_client.raise_request_exception = False

    response = alice_client.get("/profile/edit/")

    assert response.status_code == 500
    assert b"Sorry, there is a problem with Confer" in response.content
    assert b"hunter2" not in response.content
    assert b"Traceback" not in response.content
    assert b"RuntimeError" not in response.content


def test_it_asks_search_engines_to_stay_away(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert b"Disallow: /" in response.content
