"""Skills demo content: the thirty digital buddies, skills, and buddy requests in every state."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from skills.models import BuddyProposal, BuddyRequest, HelpOffer, Skill

pytestmark = pytest.mark.django_db


def seed():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


# This test seeds inside its own transaction, to see what is sent on commit, so it cannot share the
# seeded demo of tests/test_demo.py (which also checks that seeding again adds no skills).
def test_it_loads_thirty_volunteers_and_requests_in_every_state(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()

    assert HelpOffer.objects.count() == 30
    assert HelpOffer.objects.filter(role="ambassador").exists()
    assert HelpOffer.objects.filter(paused_at__isnull=False).exists()
    assert set(BuddyRequest.objects.values_list("status", flat=True)) == set(BuddyRequest.Status.values)
    assert BuddyRequest.objects.filter(reminded_at__isnull=False).exists()
    assert BuddyProposal.objects.filter(status="declined").exists()
    assert BuddyRequest.objects.filter(status="done", helpful=False).exists()
    assert Skill.objects.filter(user__username="tom", level="learning", tag__name="excel").exists()
    assert "skills, 29 volunteers" in output
    buddy_emails = ("asked you to be their", "Meet ", "Reminder: ", "Choose another volunteer", "Volunteers can now")
    assert not [m.subject for m in mail.outbox if any(words in m.subject for words in buddy_emails)]
