"""The helpdesk member who verified an answer is reminded when it falls due for review: one
notification (and email, as they chose) per person per batch, exactly once."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community.listening.models import EmailFrequency, Notification
from qa.models import Answer, Question, send_review_reminders
from qa.tasks import send_review_reminders as reminder_task

from ..conftest import make_user
from ..listening.conftest import wants_email
from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def verified_by(verifier, author, answerer, title, days_overdue):
    reply = answer(ask(author, title=title), answerer)
    reply.verify(verifier, today() + datetime.timedelta(days=30))
    Answer.objects.filter(pk=reply.pk).update(review_by=today() - datetime.timedelta(days=days_overdue))
    Question.objects.filter(pk=reply.question_id).refresh_answer_state()
    return reply


@pytest.fixture
def hana(django_user_model):
    return make_user(django_user_model, "hana", "Helpdesk")


def reminders(user=None):
    notifications = Notification.objects.filter(event_type="qa.reviews_due")
    return notifications.filter(recipient=user) if user else notifications


def test_each_owner_hears_once_about_all_of_theirs_that_fell_due(helen, hana, alice, bob):
    verified_by(helen, alice, bob, "Printer jams", 1)
    verified_by(helen, alice, bob, "VPN drops", 3)
    verified_by(hana, alice, bob, "Expenses form", 2)
    not_yet = answer(ask(alice, title="Not due yet"), bob)
    not_yet.verify(helen, today() + datetime.timedelta(days=5))

    assert send_review_reminders() == 2

    mine = reminders(helen).get()
    assert mine.title == "2 answers you verified are due for review"
    assert mine.url == "/qa/helpdesk/?tab=due"
    assert reminders(hana).get().title == "1 answer you verified is due for review"
    assert reminders().count() == 2


def test_running_again_tells_nobody_twice(helen, alice, bob):
    verified_by(helen, alice, bob, "Printer jams", 1)
    send_review_reminders()

    assert send_review_reminders() == 0
    call_command("send_review_reminders", verbosity=0)
    reminder_task.enqueue()

    assert reminders(helen).count() == 1


def test_a_new_verification_that_falls_due_brings_a_new_reminder(helen, alice, bob):
    reply = verified_by(helen, alice, bob, "Printer jams", 1)
    send_review_reminders()

    reply.verify(helen, today() + datetime.timedelta(days=10))
    # Time passes and the new date passes too: the answer is due again, for another date.
    Answer.objects.filter(pk=reply.pk).update(review_by=today() - datetime.timedelta(days=2))

    assert send_review_reminders() == 1
    assert reminders(helen).count() == 2


def test_later_answers_falling_due_are_the_next_batch(helen, alice, bob):
    verified_by(helen, alice, bob, "Printer jams", 1)
    send_review_reminders()
    verified_by(helen, alice, bob, "VPN drops", 1)

    send_review_reminders()

    assert list(reminders(helen).order_by("created_at").values_list("title", flat=True)) == [
        "1 answer you verified is due for review", "1 answer you verified is due for review",
    ]  # fmt: skip


def test_it_emails_straight_away_only_those_who_chose_it(helen, hana, alice, bob, django_capture_on_commit_callbacks):
    wants_email(helen, EmailFrequency.IMMEDIATELY)
    wants_email(hana, EmailFrequency.DAILY)
    verified_by(helen, alice, bob, "Printer jams", 1)
    verified_by(hana, alice, bob, "VPN drops", 1)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        send_review_reminders()

    assert [message.to for message in mail.outbox] == [["helen@example.org"]]
    assert "due for review" in mail.outbox[0].subject + mail.outbox[0].body
    assert reminders(hana).get().emailed_at is None  # in tomorrow's digest


def test_hidden_and_unverified_answers_remind_nobody(helen, mo, alice, bob):
    verified_by(helen, alice, bob, "Printer jams", 1).hide(mo)
    reply = verified_by(helen, alice, bob, "VPN drops", 1)
    reply.unverify(helen)

    assert send_review_reminders() == 0


def test_the_reminder_reads_well_in_the_notification_list(client_for, helen, alice, bob):
    verified_by(helen, alice, bob, "Printer jams", 1)
    send_review_reminders()

    html = client_for(helen).get("/notifications/").content.decode()

    assert "1 answer you verified is due for review" in html
