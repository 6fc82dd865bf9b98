"""Unanswered questions go to the top three matching volunteers (never the asker), once."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from community.models import Notification
from qa.models import Question
from skills.models import QuestionRoute, route_unanswered_questions
from skills.tasks import route_unanswered_questions as routing_task

from .conftest import answered, skills, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def volunteers(alice, bob, charlie, person, helen):
    """Five excel volunteers of differing strength; alice (the asker) is the strongest; erin knows
    excel best of all but does not volunteer."""
    dan, erin, fay = person("dan", "Dan"), person("erin", "Erin"), person("fay", "Fay")
    asker = person("asker")
    for number in range(2):
        answered(dan, asker, title=f"Dan's excel answer {number}")
    for number in range(5):
        answered(erin, asker, title=f"Erin's excel answer {number}")
    skills(alice, {"excel": "expert"}, can_help=["excel"])
    skills(bob, {"excel": "expert"})
    skills(charlie, {"excel": "practising"})
    for user in (alice, bob, charlie, dan, fay):
        volunteer(user, ["excel"])
    return {"dan": dan, "erin": erin, "fay": fay}


@pytest.fixture
def question(alice, settings):
    settings.SKILLS_ROUTE_AFTER_HOURS = 6
    question = Question.ask(alice, "Why does VLOOKUP give #N/A?", "It used to work.", ["excel"])
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - datetime.timedelta(hours=7))
    return question


def routed_to(question):
    return sorted(Notification.objects.filter(event_type="skills.question_routed").values_list(
        "recipient__username", flat=True))  # fmt: skip


def test_it_tells_the_top_three_matching_volunteers_but_not_the_asker(question, volunteers):
    assert route_unanswered_questions() == 1

    assert routed_to(question) == ["bob", "charlie", "dan"]  # bob 9, dan 10, charlie 7; fay 4
    assert sorted(QuestionRoute.objects.get(question=question).volunteers.values_list("username", flat=True)) == [
        "bob",
        "charlie",
        "dan",
    ]
    told = Notification.objects.filter(event_type="skills.question_routed").first()
    assert (told.url, told.data["topics"]) == (question.get_absolute_url(), "excel")


def test_it_routes_each_question_once(question, volunteers):
    route_unanswered_questions()

    assert route_unanswered_questions() == 0
    assert len(routed_to(question)) == 3


def test_it_waits_the_configured_time(question, volunteers, settings):
    settings.SKILLS_ROUTE_AFTER_HOURS = 8

    assert route_unanswered_questions() == 0
    assert routed_to(question) == []
    assert route_unanswered_questions(timezone.now() + datetime.timedelta(hours=1, minutes=1)) == 1


def test_it_leaves_answered_closed_and_hidden_questions_alone(question, volunteers, bob, mo):
    question.add_answer(bob, "Check for trailing spaces.")
    closed = Question.ask(bob, "Excel licence", "Need one.", ["excel"])
    closed.close(mo, Question.CloseReason.OFF_TOPIC)
    Question.objects.filter(pk=closed.pk).update(created_at=timezone.now() - datetime.timedelta(days=1))

    assert route_unanswered_questions() == 0


def test_it_tries_again_when_nobody_matched(question, person):
    assert route_unanswered_questions() == 0
    assert not QuestionRoute.objects.exists()

    volunteer(person("late"), ["excel"])

    assert route_unanswered_questions() == 1
    assert routed_to(question) == ["late"]


def test_it_runs_as_a_command_and_as_a_task(question, volunteers):
    out = StringIO()

    call_command("route_unanswered_questions", stdout=out)

    assert "Routed 1 unanswered question to volunteers." in out.getvalue()
    assert routing_task.enqueue().return_value == 0
