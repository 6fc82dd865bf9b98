"""Ideas demo content: several statuses, votes spread over time, a campaign, a merge, benefits; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from ideas.models import Campaign, Idea, IdeaBenefit, IdeaMerge, StatusChange, Vote

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=StringIO())


def counts():
    return [model.objects.count() for model in (Idea, Vote, Campaign, IdeaMerge, IdeaBenefit, StatusChange)]


def test_it_loads_ideas_in_every_state(demo):

    statuses = set(Idea.objects.values_list("status", flat=True))
    assert {"new", "under_review", "planned", "in_progress", "implemented", "declined", "duplicate"} <= statuses
    assert Campaign.objects.open().exists()
    assert Idea.objects.filter(campaign__isnull=False).exists()
    assert IdeaMerge.objects.active().exists()
    assert Idea.objects.benefit_totals()["with_benefit"] >= 2
    # Votes are spread over time, and the counts on the rows match the votes cast.
    ages = Vote.objects.values_list("created_at", flat=True)
    assert (max(ages) - min(ages)).days > 30
    for idea in Idea.objects.all():
        assert idea.vote_count == idea.votes.count()
    # Trending and top disagree: an old idea has had a fresh burst.
    assert Idea.objects.listed().trending().first() != Idea.objects.listed().top().first()


def test_it_is_idempotent(demo):
    first = counts()

    seed()

    assert counts() == first
