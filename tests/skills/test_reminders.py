"""No reply: the volunteer is reminded once after SKILLS_BUDDY_REMINDER_DAYS, then the requester is
offered the next match; requests nobody could take are offered volunteers who come free."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from community.models import Notification
from skills.models import BuddyProposal, BuddyRequest, send_buddy_reminders
from skills.tasks import send_buddy_reminders as reminders_task

from .conftest import ask_for_buddy, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked(alice, bob, charlie, settings):
    settings.SKILLS_BUDDY_REMINDER_DAYS = 2
    volunteer(bob, ["excel"])
    volunteer(charlie, ["excel"])
    request = ask_for_buddy(alice)
    request.choose(alice, bob)
    return request


def days_later(days):
    return timezone.now() + datetime.timedelta(days=days, minutes=1)


def test_it_waits_the_configured_days_before_reminding(asked):
    assert send_buddy_reminders(days_later(1)) == {"reminded": 0, "rematched": 0, "proposed": 0}
    asked.refresh_from_db()
    assert asked.reminded_at is None


def test_it_reminds_the_volunteer_once(asked, bob, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_buddy_reminders(days_later(2))
        second = send_buddy_reminders(days_later(3))

    asked.refresh_from_db()
    assert first["reminded"] == 1 and second["reminded"] == 0
    assert asked.reminded_at is not None and asked.status == "asked"
    assert [m.subject for m in mail.outbox if m.to == ["bob@example.org"]][-1] == (
        "Reminder: Alice Archer is waiting for your reply about excel"
    )
    assert Notification.objects.filter(recipient=bob, event_type="skills.buddy_reminder").count() == 1


def test_it_offers_the_requester_the_next_match_when_the_reminder_goes_unanswered(
    asked, alice, bob, django_capture_on_commit_callbacks
):
    send_buddy_reminders(days_later(2))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = send_buddy_reminders(days_later(5))

    asked.refresh_from_db()
    assert result["rematched"] == 1
    assert (asked.status, asked.volunteer) == ("proposed", None)
    assert [p.volunteer.username for p in asked.proposed()] == ["charlie"]
    assert BuddyProposal.objects.get(request=asked, volunteer=bob).status == "expired"
    assert [m.subject for m in mail.outbox] == ["Choose another volunteer to help with excel"]
    told = Notification.objects.get(recipient=alice, event_type="skills.buddy_no_reply")
    assert told.data["who"] == "Bob Baker"
    assert send_buddy_reminders(days_later(9))["rematched"] == 0  # once


def test_it_leaves_a_request_alone_once_the_volunteer_has_replied(asked, bob):
    asked.accept(bob)

    assert send_buddy_reminders(days_later(10)) == {"reminded": 0, "rematched": 0, "proposed": 0}
    asked.refresh_from_db()
    assert asked.status == "accepted"


def test_it_suggests_volunteers_to_a_waiting_request_when_one_comes_free(
    alice, bob, charlie, django_capture_on_commit_callbacks
):
    volunteer(bob, ["excel"], capacity=1)
    ask_for_buddy(charlie, volunteer=bob).accept(bob)
    waiting = ask_for_buddy(alice)
    assert waiting.status == "requested"
    BuddyRequest.objects.get(requester=charlie).mark_done(bob, "All sorted", True)

    with django_capture_on_commit_callbacks(execute=True):
        result = send_buddy_reminders()

    waiting.refresh_from_db()
    assert result["proposed"] == 1
    assert waiting.status == "proposed"
    assert [p.volunteer for p in waiting.proposed()] == [bob]
    assert [m.subject for m in mail.outbox if m.to == ["alice@example.org"]] == [
        "Volunteers can now help you with excel"
    ]
    assert Notification.objects.filter(recipient=alice, event_type="skills.buddy_proposed").count() == 1
    assert send_buddy_reminders()["proposed"] == 0


def test_it_runs_as_a_command_and_as_a_task(asked, settings):
    BuddyRequest.objects.filter(pk=asked.pk).update(asked_at=timezone.now() - datetime.timedelta(days=3))
    out = StringIO()

    call_command("send_buddy_reminders", stdout=out)

    assert "Reminded 1" in out.getvalue()
    assert reminders_task.enqueue().return_value == {"reminded": 0, "rematched": 0, "proposed": 0}
