"""seed_demo's listening post: sources backed by the feed files shipped with Confer (no outside
calls), watches with their matches, and the past "Autumn Statement day" exercise; idempotent."""

from io import StringIO

import pytest
from django.core.management import call_command

from community.listeningpost.models import (
    ItemShare,
    ListeningExercise,
    ListeningItem,
    ListeningSource,
    Watch,
    WatchMatch,
)

pytestmark = pytest.mark.django_db


def counts():
    return tuple(model.objects.count() for model in (ListeningSource, ListeningItem, Watch, WatchMatch,
                                                      ListeningExercise, ItemShare))  # fmt: skip


def test_the_demo_listens_to_shipped_feeds_and_holds_a_past_exercise(demo):
    assert ListeningSource.objects.count() == 3
    assert not ListeningSource.objects.filter(active=True).exists()  # never fetched from outside
    assert ListeningItem.objects.count() == 7
    pixel = ListeningItem.objects.get(title__startswith="Autumn Statement: what it means")
    assert "tracker" not in pixel.summary_html and "<img" not in pixel.summary_html
    assert "<script" not in ListeningItem.objects.get(title__startswith="Live reaction").summary_html
    assert WatchMatch.objects.filter(watch__name="Autumn Statement").count() == 4
    exercise = ListeningExercise.objects.get(title="Autumn Statement day")
    assert exercise.shares.count() == 3 and exercise.ends_at < exercise.created_at


def test_seeding_again_changes_nothing(demo):
    first = counts()

    call_command("seed_demo", stdout=StringIO())

    assert counts() == first
