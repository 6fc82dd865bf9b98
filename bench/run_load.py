"""Run the load benchmark (bench/locustfile.py) against gunicorn and write bench/LOAD.md.

    .venv/bin/python bench/run_load.py --var-dir /tmp/bench --label "SQLite, scale 0.2"
    .venv/bin/python bench/run_load.py --database-url postgres://postgres@127.0.0.1:5432/bench \\
        --redis-url redis://127.0.0.1:6379/14 --label "PostgreSQL + Redis, scale 0.2"

The database must be migrated and seeded first (``manage.py seed_bench --scale S``). For each number
of clients (--clients, default 1 and 8) it runs locust headless for --seconds, samples the memory of
every gunicorn worker, and appends a section to the report: requests per second, p50/p95/p99 and
errors per page, the trivial view in the same run, and peak memory per worker.
"""

import argparse
import csv
import datetime
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
READS = {"home", "question page", "ideas trending", "ideas top", "idea page", "people finder", "tag page",
         "search", "notifications", "questions by tag"}  # fmt: skip
WRITES = {"ask", "answer", "vote", "idea vote"}


def env_for(args) -> dict:
    env = {**os.environ, "CONFER_VAR_DIR": args.var_dir, "ALLOWED_HOSTS": "127.0.0.1,localhost", "DEBUG": "0"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    # The benchmark posts far faster than a person may: lift the posting and voting allowances.
    env.update(QA_POST_RATE="1000000/h", IDEAS_POST_RATE="1000000/h", IDEAS_VOTE_RATE="1000000/h")
    env["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"
    return env


def sizes(env) -> dict:
    code = (
        "from qa.models import Question; from ideas.models import Idea; from django.contrib.auth.models import User;"
        "from taggit.models import Tag; from django.db.models import Min, Max, Count;"
        "print(Question.objects.aggregate(m=Max('pk'))['m'] or 1, Idea.objects.aggregate(m=Max('pk'))['m'] or 1,"
        "User.objects.filter(username__startswith='bench').count(), Question.objects.count(),"
        "','.join(Tag.objects.annotate(n=Count('qa_questiontag_items')).order_by('-n')"
        ".values_list('slug', flat=True)[:8]), Question.objects.aggregate(m=Min('pk'))['m'] or 1,"
        "Idea.objects.aggregate(m=Min('pk'))['m'] or 1)"
    )
    out = (
        subprocess.run(
            [PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .splitlines()[-1]
        .split()
    )
    # Ids need not start at 1 (a seeding stopped halfway on PostgreSQL still used up its ids): pick
    # from the range there is, or a share of the question pages would be 404s.
    return {"questions_max": out[0], "ideas_max": out[1], "people": out[2], "questions": int(out[3]), "tags": out[4],
            "questions_min": out[5], "ideas_min": out[6]}  # fmt: skip


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer in {seconds} s")


def sample_memory(master: psutil.Process, peaks: dict, loads: list, stop: threading.Event):
    """Every half second: each worker's resident memory (peak kept) and the machine's 1-minute load average."""
    while not stop.is_set():
        try:
            for child in master.children():
                peaks[child.pid] = max(peaks.get(child.pid, 0), child.memory_info().rss)
        except psutil.Error:
            pass
        loads.append(os.getloadavg()[0])
        stop.wait(0.5)


def run(args, env, size, clients: int) -> tuple[list[dict], dict, list]:
    port = args.port
    loads = [os.getloadavg()[0]]  # the first: before this run's server and clients started
    server = subprocess.Popen(
        [ROOT / ".venv" / "bin" / "gunicorn", "intranet.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        wait_for(f"http://127.0.0.1:{port}/healthz")
        peaks, stop = {}, threading.Event()
        sampler = threading.Thread(
            target=sample_memory, args=(psutil.Process(server.pid), peaks, loads, stop), daemon=True
        )
        sampler.start()
        with tempfile.TemporaryDirectory() as tmp:
            load_env = {
                **env,
                "BENCH_PEOPLE": size["people"],
                "BENCH_QUESTIONS": size["questions_max"],
                "BENCH_QUESTIONS_MIN": size["questions_min"],
                "BENCH_IDEAS": size["ideas_max"],
                "BENCH_IDEAS_MIN": size["ideas_min"],
                "BENCH_TAGS": size["tags"],
                "BENCH_NO_WAIT": "1",
            }
            subprocess.run(
                [ROOT / ".venv" / "bin" / "locust", "-f", ROOT / "bench" / "locustfile.py", "--headless",
                 "-u", str(clients), "-r", str(clients), "-t", f"{args.seconds}s", "-H", f"http://127.0.0.1:{port}",
                 "--csv", f"{tmp}/run", "--only-summary", "--loglevel", "WARNING"],
                cwd=ROOT, env=load_env, check=False, stdout=subprocess.DEVNULL,
            )  # fmt: skip
            with open(f"{tmp}/run_stats.csv") as f:
                rows = list(csv.DictReader(f))
        stop.set()
        return rows, peaks, loads
    finally:
        server.terminate()
        server.wait(30)


def report(args, size, results) -> str:
    lines = [
        f"## {args.label}",
        "",
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {platform.machine()} with "
        f"{os.cpu_count()} CPUs (shared with other work), gunicorn with {args.workers} sync workers, "
        f"{size['questions']:,} questions, {size['people']} bench people; {args.seconds} s per run, "
        "clients with no think time.",
        "",
    ]
    if args.note:
        lines += [f"Conditions: {args.note}", ""]
    for clients, (rows, peaks, loads) in results.items():
        total = next(r for r in rows if r["Name"] == "Aggregated")
        trivial = next((r for r in rows if r["Name"] == "trivial"), None)
        lines += [
            f"### {clients} client{'s' if clients > 1 else ''}: {float(total['Requests/s']):.1f} requests/s in all, "
            f"{int(total['Failure Count'])} errors, peak memory per worker "
            + ", ".join(f"{rss / 2**20:.0f} MB" for rss in sorted(peaks.values(), reverse=True)[: args.workers]),
            "",
            f"Load average (1 minute): {loads[0]:.1f} before the run, {min(loads[1:]):.1f} to {max(loads[1:]):.1f}"
            f" during it (the run itself keeps up to {args.workers + 1} processes busy: the workers and locust)."
            if len(loads) > 1
            else "",
            "",
            "| page | requests | req/s | p50 ms | p95 ms | p99 ms | errors | share of trivial's throughput |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for r in sorted(rows, key=lambda r: r["Name"]):
            if r["Name"] in ("Aggregated", "login form", "sign in"):
                continue
            mean = float(r["Average Response Time"] or 0)
            share = f"{float(trivial['Average Response Time']) / mean:.0%}" if trivial and mean else ""
            lines.append(
                f"| {r['Name']} | {r['Request Count']} | {float(r['Requests/s']):.1f} | {r['50%']} | {r['95%']} | "
                f"{r['99%']} | {r['Failure Count']} | {share} |"
            )
        lines.append("")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--var-dir", default=str(ROOT / "var"))
    parser.add_argument("--database-url", default="")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--label", required=True)
    parser.add_argument("--clients", default="1,8")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8914)
    parser.add_argument("--note", default="", help="What else the machine was doing, for the conditions line.")
    parser.add_argument("--out", default=str(ROOT / "bench" / "LOAD.md"))
    args = parser.parse_args()
    env = env_for(args)
    size = sizes(env)
    results = {int(c): run(args, env, size, int(c)) for c in args.clients.split(",")}
    text = report(args, size, results)
    out = Path(args.out)
    if not out.exists():
        out.write_text("# Load benchmark\n\nMethod and how to run it: bench/README.md.\n\n")
    with out.open("a") as f:
        f.write(text)
    sys.stdout.write(text)


if __name__ == "__main__":
    main()
