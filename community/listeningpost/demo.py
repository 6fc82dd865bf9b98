"""Demo content for the listening post: three sources backed by feed files shipped with Confer
(demo_feeds/, read from disk: no outside calls), two watches and a past listening exercise,
"Autumn Statement day". Idempotent: each piece is looked up before it is made."""

import datetime
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils import timezone

from .fetching import parse_items, save_items
from .forms import tags_named
from .models import ItemShare, ListeningExercise, ListeningItem, ListeningSource, Watch
from .watching import match_recent

FEEDS = Path(__file__).parent / "demo_feeds"

# The addresses end in .invalid, a name reserved never to resolve, and the sources are paused:
# their items come from the files here.
SOURCES = [
    ("Public finance news", "https://news.demo.invalid/feed.xml", "treasury-news.xml", ["budget", "autumn statement"]),
    ("Policy blogs roundup", "https://blogs.demo.invalid/atom.xml", "policy-blogs.xml", ["digital inclusion"]),
    ("Consultation: simpler business rates", "https://consult.demo.invalid/business-rates/feed.xml",
     "consultation.xml", ["business rates", "budget"]),
]  # fmt: skip

WATCHES = [
    ("liz", "Autumn Statement", '"autumn statement" OR (budget* AND NOT sport)'),
    ("priya", "Digital inclusion", "(digital OR online) AND (inclusion OR skills OR buddy)"),
]

NOTES = [
    ("Autumn Statement: what it means for regional transport budgets", "marie", "Worth a reply? Councils are asking for the capital figures."),
    ("Live reaction: small businesses on the Autumn Statement", "priya", "They name our guidance pages: keep them plain."),
    ("Why the Autumn Statement guidance pages got so many visits", "liz", "Good news for the content team: share at the stand-up."),
]  # fmt: skip


def seed_sources(people):
    for name, url, filename, tags in SOURCES:
        source, _ = ListeningSource.objects.get_or_create(
            url=url, defaults={"name": name, "active": False, "added_by": people.get("liz")}
        )
        source.tags.set(tags_named(tags))
        items = parse_items((FEEDS / filename).read_bytes(), {"content-type": "application/xml"}, url)
        save_items(source, items)
        ListeningSource.objects.filter(pk=source.pk).update(
            last_fetched_at=timezone.now(), last_status="Loaded from the demo feed file"
        )


def seed_watches(people):
    for username, name, expression in WATCHES:
        owner = people.get(username)
        if owner is None:
            continue
        watch, created = Watch.objects.get_or_create(owner=owner, name=name, defaults={"expression": expression})
        if created:
            match_recent(watch)


def seed_exercise(people):
    start = datetime.datetime(2025, 11, 26, 9, 0, tzinfo=datetime.UTC)
    exercise, created = ListeningExercise.objects.get_or_create(
        title="Autumn Statement day",
        defaults={
            "description": "Three digital buddies listened to online conversations about the Autumn Statement "
            "and fed what they heard back to the policy teams.",
            "starts_at": start, "ends_at": start + datetime.timedelta(hours=12), "created_by": people.get("liz"),
        },
    )  # fmt: skip
    if not created:
        return
    for title, username, note in NOTES:
        item = ListeningItem.objects.filter(title=title).first()
        if item is None or username not in people:
            continue
        ItemShare.objects.create(item=item, shared_by=people[username], note=note, exercise=exercise,
                                 created_at=start + datetime.timedelta(hours=len(note) % 9 + 1))  # fmt: skip
        item.keep()


def seed(command):
    people = {user.username: user for user in get_user_model().objects.filter(username__in=["liz", "priya", "marie"])}
    seed_sources(people)
    seed_watches(people)
    seed_exercise(people)
    command.stdout.write("  listening post: sources, watches and the Autumn Statement day exercise")
