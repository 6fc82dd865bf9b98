"""Reminder emails the day before: one per person with a place, however often the job runs."""

import smtplib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from community.models import WorkshopSignup
from community.workshops.announcements import send_reminders, send_workshop_reminders

from .conftest import days, republish

pytestmark = pytest.mark.django_db


@pytest.fixture
def tomorrow(make_workshop, alice, bob, charlie):
    """alice has the one place at tomorrow's workshop; bob waits; charlie cancelled."""
    workshop = make_workshop("Boost your blog", capacity=1, start_at=days(1, 10), end_at=days(1, 12))
    workshop.sign_up(alice)
    workshop.sign_up(bob)
    return workshop


def test_it_reminds_people_with_a_place_the_day_before(tomorrow):
    sent = send_reminders()

    assert sent == 1
    [email] = mail.outbox
    assert email.to == ["alice@example.org"]
    assert email.subject == "Reminder: Boost your blog is tomorrow"
    assert "Room 4.12" in email.body and tomorrow.when in email.body
    assert "meet.example.org/boost" in email.body  # people with a place get the joining link
    assert email.attachments[0][0] == "boost-your-blog.ics"


def test_it_sends_each_reminder_exactly_once(tomorrow):
    send_reminders()
    send_reminders()
    call_command("send_workshop_reminders", stdout=StringIO())

    assert len(mail.outbox) == 1
    assert WorkshopSignup.objects.get(user__username="alice").reminder_sent_at is not None


def test_it_does_not_remind_too_early_or_people_without_a_place(make_workshop, alice, bob, charlie):
    later = make_workshop("Next week", start_at=days(7, 10), end_at=days(7, 12))
    later.sign_up(alice)
    soon = make_workshop("Tomorrow", start_at=days(1, 10), end_at=days(1, 12), capacity=1)
    soon.sign_up(bob)
    soon.sign_up(charlie)  # waiting list
    soon.signups.get(user=bob).cancel(bob)  # charlie is promoted; bob cancelled
    WorkshopSignup.objects.filter(user=charlie).update(reminder_sent_at=None)

    send_reminders()

    assert [email.to for email in mail.outbox] == [["charlie@example.org"]]


def test_it_retries_a_reminder_the_mail_server_refused(tomorrow, monkeypatch):
    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.EmailMessage.send", refuse)
        assert send_reminders() == 0

    assert WorkshopSignup.objects.get(user__username="alice").reminder_sent_at is None
    assert send_reminders() == 1
    assert len(mail.outbox) == 1


def test_it_reminds_again_when_the_workshop_moves(tomorrow, dita):
    send_reminders()

    republish(tomorrow, dita, start_at=days(1, 14), end_at=days(1, 16))
    send_reminders()

    assert len(mail.outbox) == 2
    assert "2pm" in mail.outbox[1].body


def test_it_runs_as_a_background_task_and_from_the_command_line(tomorrow):
    result = send_workshop_reminders.enqueue()

    assert result.return_value == 1
    out = StringIO()
    call_command("send_workshop_reminders", stdout=out)
    assert out.getvalue().strip() == "Sent 0 workshop reminders."
