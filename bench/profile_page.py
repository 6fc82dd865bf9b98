"""Profile one page of a seeded benchmark database with pyinstrument: where one request's time goes.

    CONFER_VAR_DIR=/tmp/bench-sqlite .venv/bin/python bench/profile_page.py /qa/1234/
    DATABASE_URL=postgres://... CONFER_VAR_DIR=/tmp/bench-pg .venv/bin/python bench/profile_page.py "/people/?q=vpn"

Signs in as a bench person (``--user``, default bench1) through Django's test client in this process,
warms the page with ``--warm`` requests (connection, caches, templates), then profiles ``--repeat``
requests and prints pyinstrument's tree (frames under ``--cutoff`` percent of the time hidden), the
wall and CPU time per request and the queries per request. Nothing is written but the signed-in
session, and what ``--post`` saves.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--user", default="bench1")
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--post", metavar="FIELDS", help="POST these form fields (a=1&b=2) instead of a GET: it saves, every time."
    )
    parser.add_argument("--follow", action="store_true", help="Follow redirects (/qa/<id>/ to its full address).")
    parser.add_argument("--all", action="store_true", help="Show library frames too (Django, Whoosh...).")
    parser.add_argument("--cutoff", type=float, default=3.0, help="Hide frames under this percent of the time.")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "intranet.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    import django

    django.setup()
    from urllib.parse import parse_qsl

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    client = Client()
    data = dict(parse_qsl(args.post)) if args.post else None

    def request():
        if data is None:
            return client.get(args.url, follow=args.follow).status_code
        return client.post(args.url, data).status_code

    client.force_login(get_user_model().objects.get(username=args.user))
    for _ in range(args.warm):
        status = request()
    profiler = Profiler(interval=0.0005)
    cpu, wall = time.process_time(), time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        profiler.start()
        for _ in range(args.repeat):
            status = request()
        profiler.stop()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    sys.stdout.write(
        f"{args.url}: HTTP {status}; per request {wall / args.repeat * 1000:.0f} ms wall, "
        f"{cpu / args.repeat * 1000:.0f} ms CPU, {len(queries) / args.repeat:.0f} queries "
        f"(load average {os.getloadavg()[0]:.1f})\n"
    )
    sys.stdout.write(profiler.output_text(color=False, show_all=args.all, time="percent_of_total", processor_options={
        "filter_threshold": args.cutoff / 100}))  # fmt: skip


if __name__ == "__main__":
    main()
