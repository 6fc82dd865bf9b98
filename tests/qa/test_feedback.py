"""“Did this solve your problem?”: one answer per person per question, counted as helpdesk calls avoided."""

import datetime

import pytest
from django.utils import timezone

from qa.models import SolvedFeedback

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(question, bob):
    answer(question, bob)
    question.refresh_from_db()
    return question


def tell(client, question, solved, follow=True):
    return client.post(f"/qa/questions/{question.pk}/solved/", {"solved": solved}, follow=follow)


def test_it_records_yes_and_thanks_the_person(client_for, charlie, answered):
    response = tell(client_for(charlie), answered, "yes")

    assert SolvedFeedback.objects.get().solved is True
    assert "Thank you for telling us." in response.content.decode()
    assert "You told us it solved your problem." in response.content.decode()


def test_it_records_no(client_for, charlie, answered):
    tell(client_for(charlie), answered, "no")

    assert SolvedFeedback.objects.get().solved is False


def test_it_takes_one_answer_per_person(client_for, charlie, answered):
    client = client_for(charlie)
    tell(client, answered, "yes")

    response = tell(client, answered, "no")

    assert "You have already told us whether this solved your problem." in response.content.decode()
    assert list(SolvedFeedback.objects.values_list("solved", flat=True)) == [True]


def test_it_refuses_feedback_on_an_unanswered_question(client_for, charlie, question):
    response = tell(client_for(charlie), question, "yes")

    assert "This question has no answers yet." in response.content.decode()
    assert not SolvedFeedback.objects.exists()


def test_it_refuses_a_nonsense_answer(client_for, charlie, answered):
    tell(client_for(charlie), answered, "maybe")

    assert not SolvedFeedback.objects.exists()


def test_it_counts_helpdesk_calls_avoided_in_a_period(alice, bob, charlie, helen, mo, answered):
    other = ask(bob, title="Another")
    answer(other, alice)
    other.refresh_from_db()
    answered.record_feedback(charlie, True)
    answered.record_feedback(helen, True)
    answered.record_feedback(mo, False)
    other.record_feedback(charlie, True)
    SolvedFeedback.objects.filter(question=other).update(created_at=timezone.now() - datetime.timedelta(days=40))
    today = timezone.localdate()

    assert SolvedFeedback.objects.calls_avoided() == 3
    assert SolvedFeedback.objects.calls_avoided(today - datetime.timedelta(days=7), today) == 2
    assert (
        SolvedFeedback.objects.calls_avoided(today - datetime.timedelta(days=60), today - datetime.timedelta(days=30))
        == 1
    )
    assert SolvedFeedback.objects.calls_avoided(timezone.now() - datetime.timedelta(hours=1), timezone.now()) == 2


def test_the_asker_is_not_asked_accepting_is_their_solved(alice_client, answered):
    html = alice_client.get(answered.get_absolute_url()).content.decode()

    assert "Did this solve your problem?" not in html
    assert "If an answer solved your problem, accept it" in html


def test_the_asker_is_not_asked_again_once_they_accepted(alice, alice_client, answered):
    answered.accept(answered.answers.get(), alice)

    html = alice_client.get(answered.get_absolute_url()).content.decode()

    assert "Did this solve your problem?" not in html and "accept it" not in html


def test_the_answerer_is_not_asked(client_for, bob, answered):
    assert b"Did this solve your problem?" not in client_for(bob).get(answered.get_absolute_url()).content


@pytest.mark.parametrize(("who", "message"), [
    ("alice", "You asked this question: accept the answer that solved your problem instead."),
    ("bob", "You answered this question, so you are not asked whether it solved your problem."),
])  # fmt: skip
def test_the_asker_and_answerer_cannot_count_a_call_avoided(client_for, request, answered, who, message):
    response = tell(client_for(request.getfixturevalue(who)), answered, "yes")

    assert message in response.content.decode()
    assert SolvedFeedback.objects.calls_avoided() == 0


def test_others_still_count_as_calls_avoided(client_for, charlie, helen, answered):
    tell(client_for(charlie), answered, "yes")
    tell(client_for(helen), answered, "yes")

    assert SolvedFeedback.objects.calls_avoided() == 2
