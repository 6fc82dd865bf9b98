"""Daily and weekly digests: grouped, never empty, once per period, retried when mail is down."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from community.listening.emails import send_digests
from community.listening.follows import follow
from community.models import Digest, EmailFrequency, Notification
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(datetime.datetime(2026, 11, 23, 7, 0))


def follow_tags(user, *names):
    for name in names:
        tag, _ = Tag.objects.get_or_create(name=name, defaults={"slug": name})
        follow(user, tag)


@pytest.fixture
def busy_day(alice, bob, charlie):
    """Charlie follows vpn and excel and wants a daily digest; colleagues ask and answer."""
    wants_email(charlie, EmailFrequency.DAILY, auto_follow=False)
    follow_tags(charlie, "vpn", "excel")
    vpn = ask(alice, title="VPN drops every hour", tags=["vpn"])
    ask(bob, title="Pivot tables in Excel", tags=["excel"])
    ask(bob, title="VPN slow on hotel wifi", tags=["vpn"])
    follow(charlie, vpn)
    answer(vpn, bob, "Update the VPN client to version 5.")
    return vpn


def digests_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def test_it_groups_a_digest_by_kind_of_event_then_tag(charlie, busy_day):
    send_digests(now=MONDAY)

    [message] = digests_to(charlie)
    assert message.subject == "Your daily Confer digest: 4 updates"
    text = message.body
    assert text.index("NEW QUESTIONS") < text.index("NEW ANSWERS")
    questions = text[text.index("NEW QUESTIONS") : text.index("NEW ANSWERS")]
    assert questions.index("excel") < questions.index("Pivot tables") < questions.index("vpn")
    assert questions.index("vpn") < questions.index("VPN drops every hour")
    assert "Bob Baker answered VPN drops every hour" in text[text.index("NEW ANSWERS") :]
    html = message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    assert "<h2" in html and "New questions" in html and "Pivot tables in Excel</a>" in html


def test_it_leaves_out_what_was_already_read_in_confer(charlie, busy_day):
    Notification.objects.filter(recipient=charlie, event_type="qa.new_answer").update(read_at=timezone.now())

    send_digests(now=MONDAY)

    [message] = digests_to(charlie)
    assert "3 updates" in message.subject
    assert "NEW ANSWERS" not in message.body


def test_it_never_sends_an_empty_digest(charlie, busy_day):
    Notification.objects.filter(recipient=charlie).update(read_at=timezone.now())

    send_digests(now=MONDAY)

    assert digests_to(charlie) == []
    assert not Digest.objects.filter(user=charlie).exists()


def test_it_sends_once_per_day_even_if_run_twice(alice, charlie, busy_day):
    send_digests(now=MONDAY)
    ask(alice, title="Excel crashes on save", tags=["excel"])
    send_digests(now=MONDAY + datetime.timedelta(hours=5))

    assert len(digests_to(charlie)) == 1
    assert Notification.objects.filter(recipient=charlie, emailed_at__isnull=True).count() == 1

    send_digests(now=MONDAY + datetime.timedelta(days=1))

    later = digests_to(charlie)
    assert len(later) == 2
    assert "Excel crashes on save" in later[1].body
    assert "VPN drops every hour" not in later[1].body  # each item is emailed once


def test_it_sends_a_weekly_digest_once_a_week(charlie, busy_day):
    wants_email(charlie, EmailFrequency.WEEKLY, auto_follow=False)

    send_digests(now=MONDAY)
    Notification.objects.filter(recipient=charlie).update(emailed_at=None)  # as if new items came
    send_digests(now=MONDAY + datetime.timedelta(days=4))

    assert len(digests_to(charlie)) == 1
    assert digests_to(charlie)[0].subject.startswith("Your weekly Confer digest")
    assert Digest.objects.get(user=charlie).period_start == datetime.date(2026, 11, 23)


def test_it_sends_nothing_to_people_who_switched_emails_off(charlie, busy_day):
    wants_email(charlie, EmailFrequency.OFF, auto_follow=False)

    send_digests(now=MONDAY)

    assert digests_to(charlie) == []


def test_it_retries_next_run_when_the_mail_server_is_down(settings, charlie, busy_day):
    settings.EMAIL_BACKEND = "tests.listening.failing_mail.EmailBackend"

    send_digests(now=MONDAY)

    assert not Digest.objects.exists()
    assert not Notification.objects.filter(recipient=charlie, emailed_at__isnull=False).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    send_digests(now=MONDAY + datetime.timedelta(hours=1))

    [message] = digests_to(charlie)
    assert "4 updates" in message.subject
    assert Digest.objects.get(user=charlie).sent_at is not None


def test_it_retries_an_immediate_email_that_failed(settings, alice, bob, django_capture_on_commit_callbacks):
    wants_email(alice, EmailFrequency.IMMEDIATELY)
    question = ask(alice)
    settings.EMAIL_BACKEND = "tests.listening.failing_mail.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        answer(question, bob)
    notification = Notification.objects.get(recipient=alice)
    assert notification.emailed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("send_digests", stdout=io.StringIO())

    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_it_reports_what_the_command_sent(alice, charlie, busy_day, capsys):
    call_command("send_digests")

    # Alice has the default (a daily digest) and hears about the answer to her question.
    assert "2 daily digest(s), 0 weekly digest(s)" in capsys.readouterr().out
    assert len(digests_to(charlie)) == len(digests_to(alice)) == 1
