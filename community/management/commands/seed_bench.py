"""``manage.py seed_bench --scale S``: an organisation's worth of content, for benchmarks (bench/).

Each part keeps its rows in ``<app>/bench.py`` (community/bench.py says what scale 1 holds); this
command runs them in INSTALLED_APPS order, then each part's ``finish``, then rebuilds the search
index once. Run it on an empty database (``manage.py migrate`` first): it adds to whatever is there.

The index is the lexical one only: the sentence embeddings of semantic search (``update_index``'s
second half) run the model on every item, about 20 items a second on a loaded 2-core machine, so
the 430,000 items of scale 1 would take some six hours. ``--embed`` computes them anyway; or run
``manage.py update_index`` afterwards.
"""

import random
import time
from importlib import import_module

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from modelsearch.management.commands.rebuild_modelsearch_index import Command as RebuildIndex

from community.bench import BENCH_PASSWORD, Bench, analyze


class Command(BaseCommand):
    help = "Add benchmark content at a scale (1 = 20,000 people, 100,000 questions, 1,000,000 votes...)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 is a department of 20,000 (default 1).")
        parser.add_argument("--seed", type=int, default=14, help="Random seed, so a run can be repeated.")
        parser.add_argument("--no-index", action="store_true", help="Skip rebuilding the search index.")
        parser.add_argument(
            "--embed", action="store_true", help="Also embed every item for semantic search (hours at scale 1)."
        )

    def handle(self, *args, scale, seed, no_index, embed, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        started = time.monotonic()
        bench = Bench(scale=scale, rng=random.Random(seed), log=self.stdout.write)
        self.stdout.write(f"Seeding at scale {scale:g}")
        modules = list(self.bench_modules())
        with transaction.atomic():
            for module in modules:
                module.seed(bench)
            for module in modules:
                if hasattr(module, "finish"):
                    module.finish(bench)
        analyze()  # PostgreSQL: statistics of the rows as they now are, not as autovacuum will find them later
        self.stdout.write(f"Rows made in {time.monotonic() - started:.0f} s")
        self.stdout.flush()
        if not no_index:
            indexing = time.monotonic()
            # update_index is this rebuild followed by the embeddings; without --embed, the rebuild alone.
            call_command("update_index" if embed else RebuildIndex(), verbosity=0)
            indexed, total = time.monotonic() - indexing, time.monotonic() - started
            self.stdout.write(
                f"Search index rebuilt in {indexed:.0f} s; {total:.0f} s in all"
                + ("" if embed else " (no embeddings for semantic search: manage.py update_index makes them)")
            )
        self.stdout.write(self.style.SUCCESS(f"Benchmark content loaded (sign in as bench0 … with {BENCH_PASSWORD})."))

    def bench_modules(self):
        for app_config in apps.get_app_configs():
            try:
                yield import_module(f"{app_config.name}.bench")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.bench":
                    raise
