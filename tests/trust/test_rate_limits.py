"""Every voting and flagging path has a per-person allowance, with a clear message and Retry-After;
a refused or failed action costs nothing."""

import pytest

from qa.models import Flag, Vote
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


def test_votes_on_questions_and_answers_are_limited(client_for, alice, bob, settings):
    settings.QA_VOTE_RATE = "2/h"
    question = ask(alice)
    reply = answer(question, alice)
    others = [ask(alice, title=f"Another question {n}") for n in range(2)]
    client = client_for(bob)
    client.post(f"/qa/questions/{question.pk}/vote/", {"value": "up"})
    client.post(f"/qa/answers/{reply.pk}/vote/", {"value": "up"})

    response = client.post(f"/qa/questions/{others[0].pk}/vote/", {"value": "up"}, HTTP_HX_REQUEST="true")

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "You have voted a lot" in response.content.decode()
    assert Vote.objects.filter(user=bob).count() == 2


def test_a_refused_vote_costs_nothing(client_for, alice, bob, settings):
    settings.QA_VOTE_RATE = "1/h"
    question = ask(alice)
    client = client_for(bob)

    client.post(f"/qa/questions/{question.pk}/vote/", {"value": "sideways"})  # not a vote
    client.post(f"/qa/questions/{question.pk}/vote/", {"value": "up"})

    assert Vote.objects.filter(user=bob).count() == 1


def test_flags_are_limited(client_for, alice, bob, settings):
    settings.QA_FLAG_RATE = "1/h"
    first, second = ask(alice, title="First question here"), ask(alice, title="Second question here")
    client = client_for(bob)
    client.post(f"/qa/questions/{first.pk}/flag/", {"reason": "spam"})

    response = client.post(f"/qa/questions/{second.pk}/flag/", {"reason": "spam"})

    assert response.status_code == 429
    assert "Retry-After" in response
    assert "You have flagged a lot" in response.content.decode()
    assert Flag.objects.filter(user=bob).count() == 1
