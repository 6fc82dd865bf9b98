"""Invalid input is answered with a 400 and a clear message, and nothing saved changes (finding 11)."""

from urllib.parse import urlencode

import pytest

from community.models import Profile
from qa.models import Question
from tests.qa.conftest import ask

pytestmark = pytest.mark.django_db

FORM = "application/x-www-form-urlencoded"


def test_an_invalid_question_is_a_400_that_keeps_what_was_typed(alice_client):
    response = alice_client.post("/qa/ask/", {"title": "", "body": "Keep this body", "tags": ""})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "Keep this body" in response.content.decode()
    assert not Question.objects.exists()


def test_an_invalid_profile_is_a_400_and_the_saved_one_stays(alice_client, alice):
    response = alice_client.post("/profile/edit/", {"display_name": "  ", "job_title": "x" * 101})

    assert response.status_code == 400
    assert Profile.objects.get(user=alice).display_name == "Alice Archer"


def test_invalid_edits_closes_and_flags_are_400s(client_for, alice, bob, helen):
    question = ask(alice)

    assert client_for(alice).post(f"/qa/questions/{question.pk}/edit/", {"title": ""}).status_code == 400
    assert client_for(helen).post(f"/qa/questions/{question.pk}/close/", {"reason": "nonsense"}).status_code == 400
    assert client_for(bob).post(f"/qa/questions/{question.pk}/flag/", {"reason": "nonsense"}).status_code == 400


def test_text_that_is_not_utf8_is_refused_not_saved_with_replacement_characters(alice_client):
    body = b"title=Caf%E9+opening+hours+please&body=Is+the+caf%E9+open%3F&tags=food"  # Latin-1 é

    response = alice_client.post("/qa/ask/", body, content_type=FORM)

    assert response.status_code == 400
    assert "not valid UTF-8" in response.content.decode()
    assert not Question.objects.exists()


def test_valid_utf8_is_saved_as_typed(alice_client):
    encoded = urlencode({"title": "Café opening hours please", "body": "Is the café open?", "tags": "food"})

    response = alice_client.post("/qa/ask/", encoded, content_type=FORM)

    assert response.status_code == 302
    assert Question.objects.get().title == "Café opening hours please"


def test_a_query_string_that_is_not_utf8_is_refused(alice_client):
    assert alice_client.get("/search/?q=caf%E9").status_code == 400
