"""Benchmark data at an organisation's size: ``manage.py seed_bench --scale S``.

Each part of Confer keeps its own benchmark rows in ``<app>/bench.py`` with a ``seed(bench)``
function (as ``<app>/demo.py`` does for the demo); the command runs them in INSTALLED_APPS order,
community first, because every other part needs its people and tags. Rows are made with
``bulk_create`` in batches: no signals, no notifications, no search index per row (the command
rebuilds the index once at the end), so scale 1 takes minutes, not hours.

At scale 1: 20,000 people with profiles, 3,000 tags in a long tail (a few tags on most posts, most
tags on few), 100,000 questions, 250,000 answers, 1,000,000 votes on them, 20,000 ideas with
200,000 votes and 60,000 comments, 1,000 workshops (two thirds of them past) with about 20,000
sign-ups, 100,000 skills, 60,000 follows and 200,000 notifications.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
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


def analyze(*models) -> None:
    """Fresh planner statistics for tables just filled in bulk, before the updates that read them.

    PostgreSQL has none for rows made in the open transaction, so it planned "the latest answer of
    each question" as a walk of an index in date order per question, thinking a match was near: at
    scale 1 that one UPDATE ran for minutes without ending (with statistics: seconds). ANALYZE in a
    transaction counts the transaction's own rows. SQLite plans these well without statistics, and
    its statistics would change the plans the site's own queries are tested with, so it is left alone.
    seed_bench analyses every table again once the counters are in: statistics taken before them
    said no question had an answer, and the home page's "answers to your questions" walked an index
    of 90,000 answered questions (260 ms) until autovacuum caught up.
    """
    if connection.vendor != "postgresql":
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")  # no models: every table


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
    seed_workshops(bench)


def seed_workshops(bench: Bench) -> None:
    """Workshops under one index page, two thirds of them past, each with sign-ups: full ones with a
    waiting list, some cancellations, and attendance recorded for the past ones.

    Pages go through treebeard one by one (``add_child``: a page is two tables and a place in the
    tree, which bulk_create cannot make), at 1,000 pages a few seconds; the sign-ups are bulk."""
    from .pages import HomePage
    from .workshops.models import WorkshopIndexPage, WorkshopPage, WorkshopPageTag, WorkshopSignup

    rng = bench.rng
    home = HomePage.objects.first()
    if home is None:
        bench.log("  no home page: no workshops (run manage.py migrate first)")
        return
    index = WorkshopIndexPage.objects.child_of(home).filter(slug="bench-workshops").first()
    if index is None:
        index = home.add_child(instance=WorkshopIndexPage(title="Benchmark workshops", slug="bench-workshops"))
    first = WorkshopPage.objects.child_of(index).count()
    workshops = []
    for n in range(first, first + bench.count(1_000)):
        # Two thirds in the past three years, a third in the next three months.
        if rng.random() < 2 / 3:
            start = bench.moment()
        else:
            start = bench.now + datetime.timedelta(days=rng.uniform(1, 90))
        start = start.replace(minute=0, second=0, microsecond=0)
        online = rng.random() < 0.5
        workshop = WorkshopPage(
            title=f"{bench.sentence(rng.randint(2, 5)).capitalize()} ({n})",
            slug=f"bench-workshop-{n}",
            summary=bench.sentence(rng.randint(8, 20)).capitalize() + ".",
            start_at=start,
            end_at=start + datetime.timedelta(hours=rng.choice([1, 1, 2, 3])),
            place="" if online else f"Room {rng.randint(1, 9)}.{rng.randint(1, 30)}",
            online_link=f"https://meet.example.org/bench-{n}" if online else "",
            host_id=bench.some_user(),
            capacity=rng.choice([8, 12, 15, 20, 20, 30, 40]),
        )
        index.add_child(instance=workshop)
        workshops.append(workshop)
    bulk(
        WorkshopPageTag,
        (WorkshopPageTag(content_object_id=w.pk, tag_id=tag) for w in workshops for tag in bench.some_tags(2)),
    )

    def signups():
        for workshop in workshops:
            past = workshop.start_at < bench.now
            # Popular workshops fill up and queue; most fill between a third and all of their places.
            wanted = round(workshop.capacity * rng.choice([0.3, 0.5, 0.7, 0.9, 1.0, 1.2, 1.5]))
            people = rng.sample(bench.user_ids, min(wanted, len(bench.user_ids)))
            for place, user in enumerate(people):
                signed = bench.moment(after=workshop.start_at - datetime.timedelta(days=30))
                signed = min(signed, workshop.start_at)
                status = WorkshopSignup.Status.CONFIRMED
                if place >= workshop.capacity:
                    status = WorkshopSignup.Status.WAITLISTED
                elif rng.random() < 0.08:
                    status = WorkshopSignup.Status.CANCELLED
                confirmed = status == WorkshopSignup.Status.CONFIRMED
                yield WorkshopSignup(
                    workshop_id=workshop.pk,
                    user_id=user,
                    status=status,
                    created_at=signed,
                    queued_at=signed,
                    confirmed_at=signed if confirmed else None,
                    cancelled_at=signed if status == WorkshopSignup.Status.CANCELLED else None,
                    attended=(rng.random() < 0.85) if past and confirmed else None,
                    attendance_recorded_at=workshop.end_at if past and confirmed else None,
                )

    made = bulk(WorkshopSignup, signups(), ignore_conflicts=True)
    bench.log(f"  {len(workshops):,} workshops, {made:,} sign-ups")


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
