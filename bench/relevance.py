"""Relevance benchmark of /search/: MRR and recall@5 per kind of query, for lexical search alone,
with the helpdesk's synonym groups, and hybrid (synonyms + semantic), with latency.

    .venv/bin/python bench/relevance.py                 # the evaluation set alone
    .venv/bin/python bench/relevance.py --filler 4000   # plus 4,000 other questions (demo size)

It makes a throwaway project directory (SQLite database, Whoosh index), migrates it, posts the
questions of bench/relevance_set.py through the same model methods the site uses (answers,
accepted and verified), builds the index with ``update_index``, and then for each mode sends every
query of the set to ``/search/`` as a signed-in colleague would. A query scores 1/rank of the
question that answers it in the "All" list (0 past 60), and counts for recall@5 when that
question is in the first five. Latency is the whole page (search, ranking, rendering) and the
similar-questions partial, per query. Results are printed as Markdown and written to
bench/RELEVANCE.md. Nothing here is collected by pytest.
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
KINDS = [("exact", "exact words"), ("forms", "other word forms"), ("synonym", "synonyms and paraphrases"),
         ("typo", "one typo"), ("word", "one word"), ("long", "long natural questions")]  # fmt: skip
MODES = ["lexical", "+ synonyms", "hybrid"]


def setup_django(workdir: Path):
    os.environ["CONFER_VAR_DIR"] = str(workdir)
    for name in ("DATABASE_URL", "REDIS_URL", "SEARCH_BACKEND", "SEARCH_INDEX_DIR", "TASKS_BACKEND"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "intranet.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(BASE_DIR))
    import django
    from django.conf import settings

    django.setup()
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": "community.search.backend", "PATH": str(workdir / "search")}
    }
    settings.ALLOWED_HOSTS = ["*"]
    from django.test.utils import setup_test_environment

    setup_test_environment()  # so responses carry their context


def semantic(on: bool):
    from django.conf import settings

    from community.sitesearch import encoder, semantic

    settings.CONFER_SEMANTIC_SEARCH = {"ENABLED": on, "ENCODER": "community.sitesearch.encoder.default_encoder"}
    encoder.reset()
    semantic.STORE.reset()
    semantic._query_vector.cache_clear()


def seed(filler: int):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from relevance_set import QUESTIONS

    from qa.models import Question

    User = get_user_model()
    asker = User.objects.create_user("asker", first_name="Ann", last_name="Asker")
    helper = User.objects.create_user("helper", first_name="Hal", last_name="Helper")
    helpdesk = User.objects.create_user("desk", first_name="Dee", last_name="Desk")
    helpdesk.groups.add(Group.objects.get(name="Helpdesk"))
    ids = {}
    review = datetime.date.today() + datetime.timedelta(days=180)
    for key, (title, body, answer_text, state, tags) in QUESTIONS.items():
        question = Question.ask(asker, title, body, tags)
        ids[question.pk] = key
        if answer_text:
            answer = question.add_answer(helper, answer_text)
            if state == "accepted":
                question.accept(answer, asker)
            elif state == "verified":
                question.accept(answer, asker)
                answer.refresh_from_db()
                answer.verify(User.objects.get(pk=helpdesk.pk), review)
    if filler:
        make_filler(asker, filler)
    return asker, ids


def make_filler(author, count):
    """Other questions, written from the same office vocabulary, so the set's questions compete
    with thousands of plausible ones (bulk inserts: this measures search, not posting)."""
    from community.markdown import render_markdown
    from qa.models import Question

    rng = random.Random(20261206)
    subjects = ("the printer", "my laptop", "the VPN", "Teams", "Excel", "the car park", "my calendar", "the intranet",
                "my phone", "the shared drive", "expenses", "the rota", "my pension", "the canteen card", "a form",
                "the scanner", "Outlook", "my keyboard", "the projector", "SharePoint")  # fmt: skip
    problems = ("is not working", "keeps asking me to sign in", "is slow today", "shows an error",
                "will not open", "needs updating", "lost my settings", "is missing", "crashes at lunchtime",
                "has the wrong date")  # fmt: skip
    extras = ("since Monday", "after the update", "on floor three", "for the whole team", "when I work from home",
              "every other day", "in the afternoon", "for new starters")  # fmt: skip
    rows = []
    for number in range(count):
        title = f"{rng.choice(subjects).capitalize()} {rng.choice(problems)} {rng.choice(extras)} ({number})"
        body = f"{title}. {rng.choice(extras).capitalize()}, {rng.choice(subjects)} {rng.choice(problems)}."
        rows.append(
            Question(
                author=author, title=title[:150], slug=f"filler-{number}", body=body, body_html=render_markdown(body)
            )
        )
    Question.objects.bulk_create(rows, batch_size=500)


def say(*parts):
    sys.stdout.write(" ".join(str(part) for part in parts) + "\n")
    sys.stdout.flush()


def percentile(samples, share):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] * 1000


def evaluate(client, ids):
    from relevance_set import QUERIES

    scores = defaultdict(list)
    page_times, similar_times = [], []
    for kind, query, key in QUERIES:
        started = time.perf_counter()
        response = client.get("/search/", {"q": query})
        page_times.append(time.perf_counter() - started)
        assert response.status_code == 200, (query, response.status_code)
        results = response.context["page"].paginator.object_list if response.context.get("page") else []
        rank = next(
            (place for place, result in enumerate(results, start=1)
             if result.search_type.key == "questions" and ids.get(result.obj.pk) == key),
            None,
        )  # fmt: skip
        scores[kind].append((1.0 / rank if rank else 0.0, 1.0 if rank and rank <= 5 else 0.0))
        started = time.perf_counter()
        client.get("/search/similar/", {"type": "questions", "q": query}, HTTP_HX_REQUEST="true")
        similar_times.append(time.perf_counter() - started)
    return scores, page_times, similar_times


def summarise(scores):
    row = {}
    for kind, _ in KINDS:
        pairs = scores[kind]
        row[kind] = (statistics.mean(p[0] for p in pairs), statistics.mean(p[1] for p in pairs), len(pairs))
    everything = [pair for kind, _ in KINDS for pair in scores[kind]]
    row["all"] = (
        statistics.mean(p[0] for p in everything),
        statistics.mean(p[1] for p in everything),
        len(everything),
    )
    return row


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--filler", type=int, default=0, help="other questions to add (4000: the demo size)")
    parser.add_argument("--output", default=str(BASE_DIR / "bench" / "RELEVANCE.md"))
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))

    workdir = Path(tempfile.mkdtemp(prefix="confer-relevance-"))
    setup_django(workdir)
    from django.core.management import call_command
    from django.test import Client
    from relevance_set import QUERIES, QUESTIONS, SYNONYM_GROUPS

    from community.models import SynonymGroup
    from community.sitesearch import semantic as semantic_search

    call_command("migrate", verbosity=0)
    semantic(False)
    started = time.perf_counter()
    asker, ids = seed(args.filler)
    say(f"seeded {len(QUESTIONS)} questions + {args.filler} filler in {time.perf_counter() - started:.0f}s")
    call_command("update_index", stdout=StringIO())
    client = Client()
    client.force_login(asker)

    table, latency = {}, {}
    for mode in MODES:
        if mode == "+ synonyms":
            for terms in SYNONYM_GROUPS:
                SynonymGroup.objects.create(terms="\n".join(terms))
        if mode == "hybrid":
            semantic(True)
            started = time.perf_counter()
            embedded = semantic_search.embed_all()
            seconds = time.perf_counter() - started
            say(f"embedded {embedded} items in {seconds:.0f}s ({embedded / max(seconds, 1e-9):.0f}/s)")
        evaluate(client, ids)  # warm-up: model loaded, caches filled, as in a running server
        scores, page_times, similar_times = evaluate(client, ids)
        table[mode] = summarise(scores)
        latency[mode] = (percentile(page_times, 0.5), percentile(page_times, 0.95),
                         percentile(similar_times, 0.5), percentile(similar_times, 0.95))  # fmt: skip
        say(mode, {k: round(v[0], 3) for k, v in table[mode].items()})

    lines = [
        f"Evaluation set: {len(QUESTIONS)} questions (with near-miss distractors), {len(QUERIES)} queries; "
        f"{args.filler} other questions; {os.cpu_count()} CPUs; "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d}.",
        "",
        "| queries | n | " + " | ".join(f"{mode} MRR | {mode} R@5" for mode in MODES) + " |",
        "|---|---:|" + "---:|---:|" * len(MODES),
    ]
    for kind, label in [*KINDS, ("all", "**all**")]:
        n = table[MODES[0]][kind][2]
        cells = " | ".join(f"{table[m][kind][0]:.2f} | {table[m][kind][1]:.2f}" for m in MODES)
        lines.append(f"| {label} | {n} | {cells} |")
    lines += [
        "",
        "| latency (ms) | /search/ p50 | /search/ p95 | similar p50 | similar p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    for mode in MODES:
        lines.append(f"| {mode} | " + " | ".join(f"{value:.0f}" for value in latency[mode]) + " |")
    text = "\n".join(lines)
    say(text)
    Path(args.output).write_text(text + "\n")


if __name__ == "__main__":
    main()
