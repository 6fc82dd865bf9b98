"""Rate limits hold when one person sends many posts at the same moment (reserve, then act).

Checking the allowance before saving and counting it after let 30 parallel questions through a
limit of 10 on the running site. Each request here runs on its own thread and database connection,
as concurrent requests would; the allowance lives in Django's cache (Redis in production).
"""

import pytest
from django.test import Client

from ideas.models import Idea
from qa.models import Answer, Question
from tests.concurrency import run_together
from tests.qa.conftest import ask

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

PARALLEL = 30
LIMIT = 10


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def send_together(user, path, data_for):
    clients = [signed_in(user) for _ in range(PARALLEL)]
    statuses = [None] * PARALLEL

    def job(number):
        statuses[number] = clients[number].post(path, data_for(number)).status_code

    outcomes = run_together([lambda number=number: job(number) for number in range(PARALLEL)])
    assert outcomes == [None] * PARALLEL
    return statuses


def test_thirty_questions_at_once_save_exactly_the_allowance(alice, settings):
    settings.QA_POST_RATE = f"{LIMIT}/h"

    statuses = send_together(
        alice, "/qa/ask/", lambda n: {"title": f"Parallel question {n}", "body": "Body.", "tags": "race"}
    )

    assert Question.objects.filter(author=alice).count() == LIMIT
    assert sorted(statuses) == [302] * LIMIT + [429] * (PARALLEL - LIMIT)


def test_thirty_answers_at_once_save_exactly_the_allowance(alice, bob, settings):
    settings.QA_POST_RATE = f"{LIMIT}/h"
    question = ask(alice)

    statuses = send_together(bob, f"/qa/questions/{question.pk}/answer/", lambda n: {"body": f"Answer {n}"})

    assert Answer.objects.filter(author=bob).count() == LIMIT
    assert statuses.count(429) == PARALLEL - LIMIT


def test_thirty_ideas_at_once_save_exactly_the_allowance(alice, settings):
    settings.IDEAS_POST_RATE = f"{LIMIT}/h"

    statuses = send_together(
        alice, "/ideas/new/", lambda n: {"title": f"Parallel idea {n}", "description": "Why.", "tags": "race"}
    )

    assert Idea.objects.filter(author=alice).count() == LIMIT
    assert statuses.count(429) == PARALLEL - LIMIT


def test_a_refusal_says_when_to_come_back(alice_client, settings):
    settings.QA_POST_RATE = "1/h"
    alice_client.post("/qa/ask/", {"title": "First question here", "body": "Body.", "tags": "race"})

    response = alice_client.post("/qa/ask/", {"title": "Second question here", "body": "Body.", "tags": "race"})

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert "Nothing was saved" in response.content.decode()
