"""Search benchmark: the Whoosh backend against Wagtail's database backend (SQLite FTS5).

    .venv/bin/python bench/search_bench.py                     # 10,000 and 50,000 pages
    .venv/bin/python bench/search_bench.py --docs 10000        # one size
    .venv/bin/python bench/search_bench.py --docs 2000 --output /tmp/results.md

For each size it makes a throwaway project directory (SQLite database, search index), migrates it,
seeds that many standard pages (bulk inserts: this measures search, not Wagtail's page creation),
then for each backend reports:

* the time ``manage.py update_index`` takes for the backend and the index size on disk;
* p50/p95 latency of a fixed set of 50 searches, each as the search page runs it: a count plus
  the first page of ten results, loaded from the database;
* p50/p95 latency of "similar content" for 50 titles being typed: ``more_like_this`` on Whoosh,
  and on the database backend what ``community.sitesearch.search.similar`` falls back to (any word).

Each size runs in a subprocess (Django sets up once per process); the results are printed as a
Markdown table and written to ``bench/RESULTS.md``. Nothing here is collected by pytest.
"""

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10_000, 50_000)
SEED = 20240601
BACKENDS = {
    "whoosh": {"BACKEND": "community.search.backend", "AUTO_UPDATE": False},
    "database": {"BACKEND": "community.search.database", "AUTO_UPDATE": False},
}

# Words an intranet is about; pages are written mostly from a long tail of other "words" so the
# vocabulary and its frequencies look like real text (a few very common words, many rare ones).
TOPICS = (
    "vpn expenses printer travel meeting room booking policy laptop password holiday leave payroll "
    "pension training induction security badge parking canteen wellbeing mentoring recruitment "
    "procurement contract invoice budget forecast audit risk compliance accessibility welsh "
    "translation guidance template timesheet overtime sickness flexible hybrid office desk "
    "network wifi email calendar teams sharepoint excel spreadsheet database python analytics "
    "dashboard survey feedback newsletter volunteering charity fire evacuation firstaid "
    "safeguarding diversity inclusion apprenticeship promotion appraisal objectives"
).split()
SYLLABLES = (
    "ba be bi bo bu ca co cu da de di do fa fe fi fo ga ge go ha he hi ka ke ki ko la le li lo lu ma me mi mo mu "
    "na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve vi wa we wi ya yo za zo"
).split()
# Each timing phase stops early (after at least MIN_SAMPLES) once it has run this long, and a
# single database query is interrupted after QUERY_CAP_SECONDS, so a slow backend cannot stretch
# the run past ten minutes; the table shows how many samples were taken.
PHASE_BUDGET_SECONDS = 45
MIN_SAMPLES = 3
QUERY_CAP_SECONDS = 10
QUESTION_STARTS = ("How do I", "Where can I find", "Who approves", "Can I", "What is the process for", "Help with")


# --- the corpus ---------------------------------------------------------------------------------


# As in real English, the most frequent words are function words (about a third of all text).
FUNCTION_WORDS = (
    "the of and to a in is it you that he was for on are with as his they be at one have this from or "
    "had by not but what all were we when your can said there use an each which she do how their if"
).split()


class Corpus:
    """Deterministic pseudo-text with a Zipf-like word distribution: function words first, then
    intranet topics and made-up words spread through the long tail."""

    def __init__(self, seed=SEED, vocabulary=40_000):
        self.random = random.Random(seed)
        words = list(TOPICS)
        seen = set(words) | set(FUNCTION_WORDS)
        while len(words) < vocabulary - len(FUNCTION_WORDS):
            word = "".join(self.random.choice(SYLLABLES) for _ in range(self.random.randint(2, 4)))
            if word not in seen:
                seen.add(word)
                words.append(word)
        # Topics are spread through the ranks so some are common, some rare.
        self.random.shuffle(words)
        self.words = FUNCTION_WORDS + words
        # One weight per word, function words included (they take the top ranks).
        weights, total = [], 0.0
        for rank in range(1, len(self.words) + 1):
            total += 1.0 / rank
            weights.append(total)
        self.cumulative = weights

    def sentence(self, low, high):
        count = self.random.randint(low, high)
        return " ".join(self.random.choices(self.words, cum_weights=self.cumulative, k=count))

    def title(self):
        topic = self.random.choice(TOPICS)
        words = self.sentence(3, 7).split()
        words.insert(self.random.randrange(len(words) + 1), topic)
        return " ".join(words).capitalize()

    def page(self):
        return {
            "title": self.title(),
            "summary": self.sentence(10, 22).capitalize() + ".",
            "body": [self.sentence(30, 70).capitalize() + "." for _ in range(self.random.randint(1, 3))],
        }


def fixed_queries(corpus, count=50):
    """The same 50 searches for every backend: single words common and rare, two words (all must
    match), any-of-two, a phrase-like pair from a real title, and a filtered search."""
    rng = random.Random(SEED + 1)
    common = corpus.words[len(FUNCTION_WORDS) : 300]
    rare = corpus.words[2_000:20_000]
    queries = []
    for number in range(count):
        kind = number % 5
        if kind == 0:
            queries.append({"text": rng.choice(TOPICS), "operator": "and"})
        elif kind == 1:
            queries.append({"text": rng.choice(rare), "operator": "and"})
        elif kind == 2:
            queries.append({"text": f"{rng.choice(TOPICS)} {rng.choice(common)}", "operator": "and"})
        elif kind == 3:
            queries.append({"text": f"{rng.choice(TOPICS)} {rng.choice(TOPICS)}", "operator": "or"})
        else:
            queries.append({"text": f"{rng.choice(common)} {rng.choice(rare)}", "operator": "or"})
    return queries


# --- one size, in its own process ------------------------------------------------------------------


def setup_django(workdir):
    # A throwaway checkout state: its own SQLite database and index, nothing from the environment.
    os.environ["CONFER_VAR_DIR"] = str(workdir)
    for name in ("DATABASE_URL", "REDIS_URL", "SEARCH_BACKEND", "SEARCH_INDEX_DIR", "TASKS_BACKEND"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "intranet.settings"
    os.environ["LOG_LEVEL"] = "WARNING"
    sys.path.insert(0, str(BASE_DIR))

    import django
    from django.conf import settings

    django.setup()
    backends = {name: dict(config) for name, config in BACKENDS.items()}
    backends["whoosh"]["PATH"] = str(workdir / "search")
    # "default" is whoosh too, so nothing falls back to an unconfigured database backend.
    settings.WAGTAILSEARCH_BACKENDS = {"default": backends["whoosh"], **backends}


def seed_pages(corpus, count):
    """Insert ``count`` live standard pages (and a few drafts) under the home page, in bulk."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from taggit.models import Tag
    from wagtail.models import Page

    from community.models import HomePage, StandardPage, StandardPageTag

    home = HomePage.objects.get()
    content_type = ContentType.objects.get_for_model(StandardPage)
    tags = [Tag.objects.create(name=topic, slug=topic) for topic in TOPICS[:40]]
    start = datetime(2020, 1, 1, tzinfo=UTC)
    rng = random.Random(SEED + 2)
    batch = 2_000
    with transaction.atomic():
        for offset in range(0, count, batch):
            contents = [corpus.page() for _ in range(min(batch, count - offset))]
            pages = []
            for number, content in enumerate(contents, start=offset + 1):
                live = number % 20 != 0  # one page in twenty is a draft
                pages.append(
                    Page(
                        title=content["title"],
                        draft_title=content["title"],
                        slug=f"page-{number}",
                        content_type=content_type,
                        path=Page._get_path(home.path, home.depth + 1, number),
                        depth=home.depth + 1,
                        numchild=0,
                        url_path=f"{home.url_path}page-{number}/",
                        live=live,
                        has_unpublished_changes=not live,
                        first_published_at=start + timedelta(hours=number) if live else None,
                        last_published_at=start + timedelta(hours=number) if live else None,
                        locale_id=home.locale_id,
                        translation_key=uuid.uuid4(),
                    )
                )
            Page.objects.bulk_create(pages)
            rows = [
                (
                    page.pk,
                    content["summary"],
                    json.dumps(
                        [
                            {"type": "paragraph", "value": f"<p>{paragraph}</p>", "id": str(uuid.uuid4())}
                            for paragraph in content["body"]
                        ]
                    ),
                )
                for page, content in zip(pages, contents, strict=True)
            ]
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {StandardPage._meta.db_table} (page_ptr_id, summary, body) VALUES (%s, %s, %s)",
                    rows,
                )
            StandardPageTag.objects.bulk_create(
                StandardPageTag(content_object_id=page.pk, tag=tag)
                for page in pages
                for tag in rng.sample(tags, rng.randint(0, 2))
            )
        Page.objects.filter(pk=home.pk).update(numchild=count)


def index_size(name, workdir):
    from django.db import DatabaseError, connection

    if name == "whoosh":
        root = workdir / "search"
        return sum(path.stat().st_size for path in root.rglob("*") if path.is_file())
    with connection.cursor() as cursor:
        try:
            cursor.execute("SELECT SUM(pgsize) FROM dbstat WHERE name LIKE 'wagtailsearch_indexentry%'")
            return cursor.fetchone()[0] or 0
        except DatabaseError:  # SQLite built without the dbstat table: the caller measures the file
            return None


def percentiles(samples):
    cuts = statistics.quantiles(sorted(samples), n=100, method="inclusive")
    return {"p50": cuts[49] * 1000, "p95": cuts[94] * 1000}


def milliseconds(value):
    if value >= QUERY_CAP_SECONDS * 1000 * 0.999:
        return f"> {QUERY_CAP_SECONDS} s"
    return f"{value:.1f} ms"


def progress(message):
    sys.stderr.write(f"  {message}\n")
    sys.stderr.flush()


def capped_call(function, item):
    """Seconds ``function(item)`` took, or QUERY_CAP_SECONDS if SQLite had to be interrupted."""
    from django.db import OperationalError, connection

    connection.ensure_connection()
    timer = threading.Timer(QUERY_CAP_SECONDS, connection.connection.interrupt)
    started = time.perf_counter()
    timer.start()
    try:
        function(item)
    except OperationalError as error:
        if "interrupt" not in str(error):
            raise
        return QUERY_CAP_SECONDS
    finally:
        timer.cancel()
    return time.perf_counter() - started


def timed(function, inputs, budget=PHASE_BUDGET_SECONDS):
    """Time ``function`` on each input until the inputs or the budget run out."""
    samples = []
    deadline = time.monotonic() + budget
    for item in inputs:
        samples.append(capped_call(function, item))
        if time.monotonic() > deadline and len(samples) >= MIN_SAMPLES:
            break
    return samples


def measure(docs, workdir, backend_names):
    setup_django(workdir)
    from django.core.management import call_command
    from modelsearch.backends import get_search_backend
    from modelsearch.query import PlainText

    from community.models import StandardPage

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    corpus = Corpus()
    seed_pages(corpus, docs)
    seeding = time.perf_counter() - started
    progress(f"seeded {docs:,} pages in {seeding:.0f} s")

    database_file = workdir / "confer.sqlite3"
    queries = fixed_queries(corpus)
    titles = list(StandardPage.objects.live().order_by("?").values_list("title", flat=True)[:50])
    rng = random.Random(SEED + 3)
    typed = [f"{rng.choice(QUESTION_STARTS)} {' '.join(title.split()[: rng.randint(2, 5)])}" for title in titles]

    results = {"docs": docs, "seconds_to_seed": round(seeding, 1), "backends": {}}
    for name in backend_names:
        before = database_file.stat().st_size
        started = time.perf_counter()
        call_command("update_index", backend_name=name, chunk_size=1000, verbosity=0, stdout=StringIO())
        indexing = time.perf_counter() - started
        progress(f"{name}: indexed in {indexing:.0f} s")
        size = index_size(name, workdir)
        if size is None:
            size = database_file.stat().st_size - before
        backend = get_search_backend(name)
        live = StandardPage.objects.live()
        hit_counts = []

        def search(query, backend=backend, live=live, hit_counts=hit_counts):
            hits = backend.search(query["text"], live, operator=query["operator"])
            hit_counts.append(hits.count())
            return [page.pk for page in hits[:10]]

        if name == "whoosh":

            def similar(text, backend=backend, live=live):
                return backend.more_like_this(live, text, limit=5)

        else:

            def similar(text, backend=backend, live=live):
                words = " ".join(word for word in text.split() if word.isalnum())
                return list(backend.search(PlainText(words, operator="or"), live)[:5])

        # Warm caches (Whoosh's searcher, SQLite's page cache) before timing.
        timed(search, queries[:1], budget=0)
        timed(similar, typed[:1], budget=0)
        search_times = timed(search, queries + queries)
        progress(f"{name}: {len(search_times)} searches timed")
        similar_times = timed(similar, typed)
        progress(f"{name}: {len(similar_times)} similar-content lookups timed")

        results["backends"][name] = {
            "seconds_to_index": round(indexing, 1),
            "index_bytes": size,
            "search_ms": percentiles(search_times),
            "similar_ms": percentiles(similar_times),
            "search_samples": len(search_times),
            "similar_samples": len(similar_times),
            "median_hits": statistics.median(hit_counts),
        }
    return results


# --- orchestration ------------------------------------------------------------------------------------


def run_size(docs, keep, backends=None):
    workdir = Path(tempfile.mkdtemp(prefix=f"confer-bench-{docs}-"))
    try:
        # The child's progress goes straight to this terminal; its result comes back on stdout.
        completed = subprocess.run(
            [sys.executable, __file__, "--child", str(docs), "--workdir", str(workdir)]
            + [argument for name in backends or () for argument in ("--backend", name)],
            check=True,
            stdout=subprocess.PIPE,
            text=True,
        )
    finally:
        if not keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return json.loads(completed.stdout.strip().splitlines()[-1])


def megabytes(size):
    return f"{size / 1_000_000:.1f} MB"


def markdown(all_results, total_seconds):
    lines = [
        "# Search benchmark",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} with {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, SQLite database (`bench/search_bench.py`, {total_seconds:.0f} s).",
        "",
        "Documents are standard pages (title, summary, one to three paragraphs, zero to two tags) of "
        "synthetic text with a Zipf-like vocabulary; one in twenty is a draft. *Search* is a count plus "
        "the first ten results of 50 fixed queries on live pages (two passes, after a warm-up); *similar* "
        "is 50 titles being typed (`more_like_this` on Whoosh; any-word search on the database backend, "
        "as `community.sitesearch.search.similar` does without it).",
        "",
        "| Pages | Backend | Index time | Index size | Search p50 | Search p95 | Similar p50 | Similar p95 "
        "| Samples |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for results in all_results:
        for name, figures in results["backends"].items():
            lines.append(
                f"| {results['docs']:,} | {name} | {figures['seconds_to_index']} s | "
                f"{megabytes(figures['index_bytes'])} | {milliseconds(figures['search_ms']['p50'])} | "
                f"{milliseconds(figures['search_ms']['p95'])} | {milliseconds(figures['similar_ms']['p50'])} | "
                f"{milliseconds(figures['similar_ms']['p95'])} | "
                f"{figures['search_samples']} / {figures['similar_samples']} |"
            )
    lines.append("")
    lines.append(
        "Index time is `manage.py update_index --backend <name>` for all indexed models. The database "
        "backend's size is its index tables (SQLite `dbstat`); Whoosh's is its index directory. Samples "
        f"are searches / similar-content lookups timed: each phase stops after {PHASE_BUDGET_SECONDS} s "
        f"(once it has {MIN_SAMPLES} samples) and a query still running after {QUERY_CAP_SECONDS} s is "
        "interrupted and counted as that long, so a slow backend is measured on fewer queries."
    )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, action="append", help="pages to index (repeatable)")
    parser.add_argument("--output", type=Path, default=BASE_DIR / "bench" / "RESULTS.md")
    parser.add_argument("--backend", action="append", choices=sorted(BACKENDS), help="only this backend (repeatable)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary project directories")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    options = parser.parse_args()

    if options.child:
        result = measure(options.child, options.workdir, options.backend or list(BACKENDS))
        print(json.dumps(result))  # noqa: T201 - read by the parent
        return

    started = time.perf_counter()
    all_results = []
    for docs in options.docs or DEFAULT_SIZES:
        print(f"Benchmarking {docs:,} pages...", flush=True)  # noqa: T201
        all_results.append(run_size(docs, options.keep, options.backend))
    report = markdown(all_results, time.perf_counter() - started)
    options.output.write_text(report)
    print(report)  # noqa: T201
    print(f"Written to {options.output}")  # noqa: T201


if __name__ == "__main__":
    main()
