"""Q&A demo content: realistic, covering every state, and idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from qa.models import Answer, Flag, Question, Revision, SolvedFeedback, Vote

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=StringIO())


def counts():
    return [model.objects.count() for model in (Question, Answer, Vote, SolvedFeedback, Revision, Flag)]


def test_it_loads_questions_in_every_state(demo):

    assert Question.objects.filter(title__startswith="VPN will not connect").exists()
    assert Question.objects.filter(tags__name="excel").exists()
    assert Question.objects.unanswered().exists()
    assert Question.objects.with_accepted_answer().exists()
    assert Question.objects.with_verified_answer().exists()
    assert Question.objects.filter(status="duplicate").exists()
    assert Question.objects.filter(status="closed").exists()
    assert Answer.objects.due_for_review().exists()
    assert Question.objects.needs_helpdesk().exists()
    assert SolvedFeedback.objects.calls_avoided() > 0
    # Scores on the rows match the votes cast.
    for question in Question.objects.all():
        assert question.score == sum(question.votes.values_list("value", flat=True))


def test_it_is_idempotent(demo):
    first = counts()

    seed()

    assert counts() == first
