"""seed_demo loads the digital buddy network and the Boost your blog alumni as communities."""

from io import StringIO

import pytest
from django.core.management import call_command

from community.models import Community, Membership, Pin
from ideas.models import Idea
from qa.models import Question

pytestmark = pytest.mark.django_db


def test_it_loads_both_communities_with_managers_members_posts_and_a_pin(demo, client_for):
    buddies = Community.objects.get(name="Digital buddy network")
    alumni = Community.objects.get(name="Boost your blog alumni")

    assert buddies.kind == "open" and alumni.kind == "request"
    assert buddies.is_manager(buddies.memberships.get(user__username="liz").user)
    assert alumni.memberships.filter(role="member").count() >= 3
    assert Idea.objects.filter(community=buddies).exists()
    assert Question.objects.filter(community=alumni).exists()
    assert Pin.objects.filter(community=alumni).exists()
    page = client_for(alumni.memberships.get(user__username="marie").user).get(alumni.get_absolute_url())
    assert "Pinned by the managers" in page.content.decode()
    assert "How do I book a place on the Boost your blog workshop?" in page.content.decode()


def test_seeding_again_adds_no_community_or_member(demo):
    before = (Community.objects.count(), Membership.objects.count(), Pin.objects.count())

    call_command("seed_demo", stdout=StringIO())

    assert (Community.objects.count(), Membership.objects.count(), Pin.objects.count()) == before
