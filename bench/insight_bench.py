"""Insight benchmark: how long ``/insight/`` takes to render at 100,000 questions.

    .venv/bin/python bench/insight_bench.py                        # 100,000 questions, SQLite
    .venv/bin/python bench/insight_bench.py --questions 20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/i15_bench .venv/bin/python bench/insight_bench.py

It makes a throwaway SQLite database (or uses ``DATABASE_URL``, which it migrates and fills: give
it a database of its own), seeds a site two years old with bulk inserts (questions, answers, tags,
"solved" feedback, search records and clicks, ideas with status changes and votes, buddy requests,
volunteers), then times the whole request as a browser makes it (Django's test client, signed in as
the digital team): the default range (last 30 days), the last 12 months, a three-year custom range, and
one CSV. Each is run once to warm up and then ``--runs`` times; p50 and max are reported and written
to ``bench/INSIGHT.md``. Nothing here is collected by pytest.
"""

import argparse
import os
import platform
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SEED = 15


def setup_django(workdir):
    os.environ["CONFER_VAR_DIR"] = str(workdir)
    for name in ("REDIS_URL", "SEARCH_BACKEND", "SEARCH_INDEX_DIR", "TASKS_BACKEND"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "intranet.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(BASE_DIR))
    import django

    django.setup()


def seed(questions: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from taggit.models import Tag

    from community.profiles.models import Directorate, Profile
    from ideas.models import Idea, StatusChange
    from ideas.models import Vote as IdeaVote
    from insight.models import SearchClick, SearchEvent
    from qa.models import Answer, Question, QuestionTag, SolvedFeedback
    from skills.models import BuddyRequest, HelpOffer

    rng = random.Random(SEED)
    now = datetime.now(UTC)
    span = timedelta(days=730)

    def when():
        # Spread evenly over the two years: about 4,100 questions and 12,300 searches a month.
        return now - span * rng.random()

    User = get_user_model()
    directorates = [Directorate.objects.create(name=f"Directorate {n}") for n in range(8)]
    users = User.objects.bulk_create([User(username=f"person{n}", password="!") for n in range(500)])
    Profile.objects.bulk_create(
        [Profile(user=u, display_name=u.username, directorate=rng.choice(directorates)) for u in users]
    )
    viewer = User.objects.create_user(username="viewer", password="x")
    viewer.groups.add(Group.objects.get(name="Digital team"))
    tags = Tag.objects.bulk_create([Tag(name=f"topic{n}", slug=f"topic{n}") for n in range(60)])

    made = []
    for start in range(0, questions, 5000):
        batch = [
            Question(
                author=rng.choice(users), title=f"Question {n}", slug=f"question-{n}", body="Body", created_at=when()
            )
            for n in range(start, min(start + 5000, questions))
        ]
        made += Question.objects.bulk_create(batch)
    answers, tagged, feedback = [], [], []
    for question in made:
        tagged.append(QuestionTag(content_object=question, tag=rng.choice(tags)))
        if rng.random() < 0.8:
            answered = question.created_at + timedelta(hours=rng.expovariate(1 / 12))
            verified = rng.random() < 0.15
            answers.append(
                Answer(
                    question=question,
                    author=rng.choice(users),
                    body="Answer",
                    created_at=answered,
                    is_accepted=rng.random() < 0.4,
                    verified_at=answered if verified else None,
                    review_by=(answered + timedelta(days=182)).date() if verified else None,
                )
            )
            if rng.random() < 0.3:
                feedback.append(
                    SolvedFeedback(
                        user=rng.choice(users), question=question, solved=rng.random() < 0.8, created_at=answered
                    )
                )
    Answer.objects.bulk_create(answers, batch_size=5000)
    QuestionTag.objects.bulk_create(tagged, batch_size=5000)
    SolvedFeedback.objects.bulk_create(feedback, batch_size=5000, ignore_conflicts=True)
    answered_ids = set(Answer.objects.values_list("question_id", flat=True))
    Question.objects.filter(pk__in=answered_ids).update(answer_count=1)

    events = SearchEvent.objects.bulk_create(
        [
            SearchEvent(
                user=rng.choice(users),
                query=f"query {rng.randint(0, 3000)}",
                results=rng.choice([0, 1, 3, 10]),
                created_at=when(),
            )
            for _ in range(questions * 3)
        ],
        batch_size=5000,
    )
    SearchClick.objects.bulk_create(
        [
            SearchClick(
                search=event, question=rng.choice(made), good_answer=rng.random() < 0.5, created_at=event.created_at
            )
            for event in events
            if rng.random() < 0.3
        ],
        batch_size=5000,
    )

    ideas = Idea.objects.bulk_create(
        [
            Idea(author=rng.choice(users), title=f"Idea {n}", slug=f"idea-{n}", description="D", created_at=when(),
                 status=rng.choice(["new", "under_review", "planned", "implemented", "declined"]))
            for n in range(questions // 20)
        ],
        batch_size=5000,
    )  # fmt: skip
    StatusChange.objects.bulk_create(
        [
            StatusChange(idea=idea, previous_status="new", status=idea.status, response="R",
                         created_at=idea.created_at + timedelta(days=rng.random() * 20))
            for idea in ideas if idea.status != "new"
        ],
        batch_size=5000,
    )  # fmt: skip
    votes = {(rng.choice(users).pk, rng.choice(ideas).pk) for _ in range(questions // 2)}
    IdeaVote.objects.bulk_create(
        [IdeaVote(user_id=u, idea_id=i, created_at=when()) for u, i in votes], batch_size=5000
    )
    HelpOffer.objects.bulk_create([HelpOffer(user=u, capacity=3) for u in users[:80]])
    BuddyRequest.objects.bulk_create(
        [BuddyRequest(requester=rng.choice(users[80:]), note="n", created_at=when()) for _ in range(questions // 50)]
    )
    return viewer


def timed(client, url, params, runs):
    client.get(url, params)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, params)
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times) * 1000, max(times) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--output", default=str(BASE_DIR / "bench" / "INSIGHT.md"))
    parser.add_argument("--keep", action="store_true", help="keep the seeded database (path on stderr)")
    parser.add_argument("--slowest", type=int, default=0, help="also list the N slowest queries of the default page")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="confer-insight-bench-"))
    setup_django(workdir)
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    viewer = seed(args.questions)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    seeded = time.perf_counter() - started

    client = Client()
    client.force_login(viewer)
    three_years = str(datetime.now(UTC).date() - timedelta(days=1094))
    cases = [
        ("/insight/ (last 30 days)", reverse("insight:dashboard"), {}),
        ("/insight/?preset=12m", reverse("insight:dashboard"), {"preset": "12m"}),
        ("/insight/ (3-year custom range)", reverse("insight:dashboard"), {"start": three_years}),
        ("CSV of top searches with no good result (30 days)", reverse("insight:csv", args=["unfound_queries"]), {}),
    ]  # fmt: skip
    rows = [(label, *timed(client, url, params, args.runs)) for label, url, params in cases]
    if args.slowest:
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("insight:dashboard"))
        for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[: args.slowest]:
            sys.stderr.write(f"{float(query['time']) * 1000:8.1f} ms  {query['sql'][:300]}\n")

    database = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    lines = [
        "# Insight benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} with {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {database} (`bench/insight_bench.py`; seeding took {seeded:.0f} s).",
        "",
        f"{args.questions:,} questions spread evenly over two years (80% answered), "
        f"{args.questions * 3:,} search records "
        f"(30% with a click), {args.questions // 20:,} ideas, 500 people in 8 directorates. Whole requests "
        f"through Django's test client, signed in; one warm-up, then {args.runs} runs.",
        "",
        "| Request | p50 | max |",
        "|---|---:|---:|",
        *[f"| {label} | {p50:.0f} ms | {worst:.0f} ms |" for label, p50, worst in rows],
        "",
    ]
    text = "\n".join(lines)
    if args.keep:
        sys.stderr.write(f"Database kept in {workdir}\n")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    sys.stdout.write(text + "\n")
    Path(args.output).write_text(text)


if __name__ == "__main__":
    main()
