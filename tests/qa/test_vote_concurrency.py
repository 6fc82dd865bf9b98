"""Votes cast at the same moment by many threads end with exact counts (docs/traps.md).

Runs on whichever database the suite uses: SQLite (a file, immediate transactions) or PostgreSQL
with DATABASE_URL. Each thread has its own connection, as each request would.
"""

import pytest
from django.core.exceptions import ValidationError

from qa.models import Question, Vote
from tests.concurrency import run_together
from tests.conftest import make_user

from .conftest import answer, ask

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

THREADS = 16


@pytest.fixture
def voters(django_user_model):
    return [make_user(django_user_model, f"voter{n}") for n in range(THREADS)]


@pytest.fixture
def post(django_user_model):
    author = make_user(django_user_model, "author")
    question = ask(author)
    return answer(question, author)


def test_it_stays_exact_when_votes_change_and_withdraw_at_once(post, voters):
    question = Question.objects.get(pk=post.question_id)
    for user in voters:
        question.vote(user, 1)

    # A third change their mind to down, a third withdraw, a third vote up again (refused: already up).
    jobs = []
    for number, user in enumerate(voters):
        value = (-1, 0, 1)[number % 3]
        jobs.append(lambda user=user, value=value: Question.objects.get(pk=question.pk).vote(user, value))
    outcomes = run_together(jobs)

    question.refresh_from_db()
    expected = sum(row.value for row in Vote.objects.filter(question=question))
    assert question.score == expected
    downs, withdrawn = len(range(0, THREADS, 3)), len(range(1, THREADS, 3))
    assert question.score == THREADS - 2 * downs - withdrawn
    assert [type(outcome) for outcome in outcomes if outcome] == [ValidationError] * len(range(2, THREADS, 3))
