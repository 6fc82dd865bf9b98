"""Benchmark data at an organisation's size: ``manage.py seed_bench --scale S``.

Each part of Confer keeps its own benchmark rows in ``<app>/bench.py`` with a ``seed(bench)``
function (as ``<app>/demo.py`` does for the demo); the command runs them in INSTALLED_APPS order,
community first, because every other part needs its people and tags. Rows are made with
``bulk_create`` in batches: no signals, no notifications, no search index per row (the command
rebuilds the index once at the end), so scale 1 takes minutes, not hours.

At scale 1: 20,000 people with profiles, 3,000 tags in a long tail (a few tags on most posts, most
tags on few), 100,000 questions, 250,000 answers, 1,000,000 votes on them, 20,000 ideas with
200,000 votes, 100,000 skills, 60,000 follows and 200,000 notifications.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from .listening.models import EmailFrequency, Follow, ListeningPreferences, Notification
from .profiles.models import Directorate, Profile

BENCH_PASSWORD = "confer-bench"
BATCH = 5_000
YEARS = 3

WORDS = (
    "vpn excel expenses laptop printer password teams sharepoint outlook payroll leave travel "
    "procurement contract invoice budget forecast policy guidance template report dashboard data "
    "python sql accessibility training onboarding recruitment induction wellbeing hybrid office "
    "desk booking parking security phishing backup archive records retention foi complaints "
    "casework planning housing licensing waste transport roads parks library council audit risk "
    "governance board minutes agenda consultation survey feedback service design research content "
    "blog intranet website forms email calendar meeting video microphone headset monitor docking"
).split()

DIRECTORATES = [
    "Finance", "People and Culture", "Digital and Technology", "Housing", "Planning", "Environment",
    "Legal", "Communications", "Audit", "Customer Services", "Transport", "Policy",
]  # fmt: skip


@dataclass
class Bench:
    """What the parts share while seeding: the scale, one random source, and the rows made so far."""

    scale: float
    rng: random.Random
    now: datetime.datetime = field(default_factory=timezone.now)
    user_ids: list[int] = field(default_factory=list)
    tag_ids: list[int] = field(default_factory=list)
    log: object = print

    def count(self, at_scale_one: int) -> int:
        return max(1, round(at_scale_one * self.scale))

    def some_user(self) -> int:
        # A long tail: a few people post much more than most.
        rank = min(int(self.rng.paretovariate(1.2)) - 1, len(self.user_ids) - 1)
        return self.user_ids[rank * 7919 % len(self.user_ids)]

    def some_tags(self, most: int = 3) -> list[int]:
        """One to ``most`` tags, Zipf-like: tag n is picked about 1/n as often as the first."""
        picked = set()
        for _ in range(self.rng.randint(1, most)):
            rank = min(int(self.rng.paretovariate(0.9)), len(self.tag_ids))
            picked.add(self.tag_ids[rank - 1])
        return list(picked)

    def moment(self, after: datetime.datetime | None = None) -> datetime.datetime:
        """A time in the last three years (or between ``after`` and now), more of them recent."""
        start = after or self.now - datetime.timedelta(days=365 * YEARS)
        span = (self.now - start).total_seconds()
        return start + datetime.timedelta(seconds=span * (self.rng.random() ** 0.6))

    def sentence(self, words: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(words))


def batched(rows, size=BATCH):
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def bulk(model, rows, **kwargs) -> int:
    made = 0
    for batch in batched(rows):
        model.objects.bulk_create(batch, **kwargs)
        made += len(batch)
    return made


def seed(bench: Bench) -> None:
    User = get_user_model()
    rng = bench.rng
    directorates = [Directorate.objects.get_or_create(name=name)[0] for name in DIRECTORATES]
    password = make_password(BENCH_PASSWORD)
    first = User.objects.filter(username__startswith="bench").count()
    people = bench.count(20_000)
    bulk(
        User,
        (
            User(
                username=f"bench{n}",
                email=f"bench{n}@example.org",
                first_name=rng.choice(WORDS).title(),
                last_name=rng.choice(WORDS).title(),
                password=password,
                date_joined=bench.moment(),
            )
            for n in range(first, first + people)
        ),
    )
    users = list(User.objects.filter(username__startswith="bench").values_list("pk", "first_name", "last_name"))
    bench.user_ids = [pk for pk, _, _ in users]
    staff = Group.objects.filter(name="Staff").first()
    if staff:
        through = User.groups.through
        bulk(through, (through(user_id=pk, group_id=staff.pk) for pk in bench.user_ids), ignore_conflicts=True)
    bulk(
        Profile,
        (
            Profile(
                user_id=pk,
                display_name=f"{first_name} {last_name}",
                job_title=bench.sentence(2).title(),
                directorate=rng.choice(directorates),
                team=bench.sentence(1).title(),
            )
            for pk, first_name, last_name in users
        ),
        ignore_conflicts=True,
    )
    # Most people take the daily digest (the default); some want email straight away or none.
    frequencies = [EmailFrequency.DAILY] * 6 + [EmailFrequency.WEEKLY, EmailFrequency.IMMEDIATELY, EmailFrequency.OFF]
    bulk(
        ListeningPreferences,
        (ListeningPreferences(user_id=pk, email_frequency=rng.choice(frequencies)) for pk in bench.user_ids),
        ignore_conflicts=True,
    )
    bench.log(f"  {people:,} people with profiles")

    tags = bench.count(3_000)
    existing = set(Tag.objects.values_list("name", flat=True))
    names = []
    for n in range(tags * 3):
        name = WORDS[n] if n < len(WORDS) else f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}"
        if name not in existing:
            names.append(name)
            existing.add(name)
        if len(names) >= tags:
            break
    bulk(Tag, (Tag(name=name, slug=slugify(name)) for name in names), ignore_conflicts=True)
    # Ranked by how often the parts will use them: the plain words first.
    bench.tag_ids = list(Tag.objects.order_by("pk").values_list("pk", flat=True))
    bench.log(f"  {len(names):,} tags")


def finish(bench: Bench) -> None:
    """Follows of tags and a history of notifications, once every part has its posts."""
    from django.apps import apps

    rng = bench.rng
    tag_type = ContentType.objects.get_for_model(Tag)
    follows = set()
    for _ in range(bench.count(60_000)):
        follows.add((rng.choice(bench.user_ids), bench.some_tags(1)[0]))
    bulk(
        Follow,
        (Follow(user_id=user, content_type=tag_type, object_id=tag) for user, tag in follows),
        ignore_conflicts=True,
    )
    Question = apps.get_model("qa", "Question") if apps.is_installed("qa") else None
    if Question is not None:
        question_type = ContentType.objects.get_for_model(Question)
        recent = list(Question.objects.order_by("-created_at").values_list("pk", "title", "created_at")[:2_000])
        import uuid

        def notifications():
            for _ in range(bench.count(200_000)):
                pk, title, created_at = rng.choice(recent)
                moment = bench.moment(after=created_at)
                yield Notification(
                    recipient_id=bench.some_user(),
                    event_id=uuid.uuid4(),
                    event_type="qa.new_answer",
                    actor_id=bench.some_user(),
                    content_type=question_type,
                    object_id=pk,
                    title=title,
                    url=f"/qa/{pk}/",
                    created_at=moment,
                    read_at=moment if rng.random() < 0.7 else None,
                    emailed_at=moment,
                )

        made = bulk(Notification, notifications())
        bench.log(f"  {len(follows):,} follows, {made:,} notifications")
