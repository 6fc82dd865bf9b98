"""Two fetches of the same feed at once keep each item once, and tell each person once: the
database's unique constraints decide (docs/traps.md: races). Runs on SQLite (a file) and, with
DATABASE_URL, on PostgreSQL."""

import pytest

from community.listeningpost.fetching import save_items
from community.listeningpost.models import ListeningItem, ListeningSource, Watch
from community.listeningpost.watching import match_new_items
from community.models import Notification
from tests.concurrency import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

THREADS = 6
ITEMS = [
    {"guid": f"g{n}", "link": f"https://news.example.org/{n}", "title": f"Autumn Statement item {n}",
     "summary_html": "", "summary_text": "Budget", "author": ""}
    for n in range(5)
]  # fmt: skip


def test_concurrent_fetches_keep_each_item_once_and_tell_each_person_once(alice):
    source = ListeningSource.objects.create(name="News", url="https://news.example.org/feed")
    Watch.objects.create(owner=alice, name="Statement", expression='"autumn statement"')

    def fetch():
        new = save_items(ListeningSource.objects.get(pk=source.pk), [dict(item) for item in ITEMS])
        match_new_items(new)

    outcomes = run_together([fetch] * THREADS)

    assert outcomes == [None] * THREADS
    assert ListeningItem.objects.count() == 5
    assert Notification.objects.filter(recipient=alice, event_type="listening.match").count() == 5
