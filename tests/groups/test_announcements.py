"""Announcements: managers tell every member in Confer and by email as each member chose, and the
announcement keeps who received it."""

import pytest
from django.core import mail
from django.core.management import call_command

from community.models import Announcement, EmailFrequency, Notification
from tests.listening.conftest import wants_email

pytestmark = pytest.mark.django_db

SENT = {"subject": "Buddy lunch on Friday", "body": "Meet in the **atrium** at noon."}


@pytest.fixture
def members(open_community, bob, charlie, dita):
    for person in (bob, charlie, dita):
        open_community.join(person)
    wants_email(bob, EmailFrequency.IMMEDIATELY)
    wants_email(charlie, EmailFrequency.OFF)
    wants_email(dita, EmailFrequency.DAILY)
    return bob, charlie, dita


def _emails_to(username):
    return [m for m in mail.outbox if f"{username}@example.org" in m.to]


def test_it_tells_every_member_in_confer_and_keeps_who_received_it(client_for, open_community, alice, members,
                                                                   django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(f"{open_community.get_absolute_url()}announce/", SENT)

    announcement = Announcement.objects.get()
    assert response.status_code == 302 and response["Location"] == announcement.get_absolute_url()
    assert sorted(u.username for u in announcement.recipients.all()) == ["bob", "charlie", "dita"]
    told = Notification.objects.filter(event_type="communities.announcement")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["bob", "charlie", "dita"]
    page = client_for(alice).get(announcement.get_absolute_url()).content.decode()
    assert "3 members were told" in page and "<strong>atrium</strong>" in page


def test_it_emails_as_each_member_chose(client_for, open_community, alice, members,
                                        django_capture_on_commit_callbacks):  # fmt: skip
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice).post(f"{open_community.get_absolute_url()}announce/", SENT)

    assert any(SENT["subject"] in m.subject + m.body for m in _emails_to("bob")), "straight away"
    assert not _emails_to("charlie"), "emails off"
    assert not _emails_to("dita"), "not yet: in the daily digest"
    assert not _emails_to("alice"), "never the sender"

    call_command("send_digests", verbosity=0)
    assert any(SENT["subject"] in m.body for m in _emails_to("dita"))
    assert not _emails_to("charlie")


def test_it_refuses_announcements_from_members_who_are_not_managers(client_for, open_community, members):
    bob = members[0]

    response = client_for(bob).post(f"{open_community.get_absolute_url()}announce/", SENT)

    assert response.status_code == 403
    assert not Announcement.objects.exists()
    assert not Notification.objects.filter(event_type="communities.announcement").exists()


def test_it_refuses_an_empty_announcement(client_for, open_community, alice, members):
    response = client_for(alice).post(f"{open_community.get_absolute_url()}announce/", {"subject": "", "body": ""})

    assert response.status_code == 400
    assert "Enter a subject for the announcement" in response.content.decode()
    assert not Announcement.objects.exists()


def test_an_announcement_is_for_members_only(client_for, open_community, alice, members, django_user_model):
    announcement = open_community.announce(alice, SENT["subject"], SENT["body"])
    outsider = django_user_model.objects.create_user("outsider")

    assert client_for(outsider).get(announcement.get_absolute_url()).status_code == 403
    member_page = client_for(members[0]).get(announcement.get_absolute_url()).content.decode()
    assert SENT["subject"] in member_page and "Who received it" not in member_page
