"""``manage.py run_scheduler``: enqueue the periodic jobs (settings.PERIODIC_TASKS) when they are due.

The scheduler only enqueues; the task worker (``manage.py db_worker``) runs the jobs, so a slow digest
run never delays a reminder's schedule. Run exactly one scheduler per site: two would enqueue every job
twice (the jobs are safe to run twice, since digests, reminders and routing each record what they sent,
but it is wasted work). A job missed while the scheduler was stopped runs at its next time.
"""

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("confer.scheduler")

# However far away the next job is, wake at least this often, so a clock change is noticed.
MAX_SLEEP = 60.0


@dataclass(frozen=True)
class Job:
    """One periodic task: daily at ``hour:minute``, or hourly at ``minute`` when ``hour`` is None."""

    task_path: str
    hour: int | None
    minute: int

    @classmethod
    def from_setting(cls, entry: dict) -> "Job":
        path, at = entry.get("task", ""), str(entry.get("at", ""))
        try:
            hour_text, minute_text = at.split(":")
            hour = int(hour_text) if hour_text else None
            minute = int(minute_text)
        except ValueError:
            raise CommandError(f"PERIODIC_TASKS: “{at}” for {path} is not HH:MM (daily) or :MM (hourly).") from None
        if not 0 <= minute < 60 or (hour is not None and not 0 <= hour < 24):
            raise CommandError(f"PERIODIC_TASKS: “{at}” for {path} is not a time of day.")
        try:
            import_string(path)
        except ImportError as error:
            raise CommandError(f"PERIODIC_TASKS: cannot find the task {path} ({error}).") from None
        return cls(path, hour, minute)

    @property
    def task(self):
        return import_string(self.task_path)

    def describe(self) -> str:
        return (
            f"daily at {self.hour:02d}:{self.minute:02d}" if self.hour is not None else f"hourly at :{self.minute:02d}"
        )

    def next_run(self, after: datetime.datetime) -> datetime.datetime:
        """The first time strictly after ``after`` that this job is due (local time)."""
        local = timezone.localtime(after)
        if self.hour is None:
            due = local.replace(minute=self.minute, second=0, microsecond=0)
            step = datetime.timedelta(hours=1)
        else:
            due = local.replace(hour=self.hour, minute=self.minute, second=0, microsecond=0)
            step = datetime.timedelta(days=1)
        while due <= local:
            due = timezone.make_aware(due.replace(tzinfo=None) + step)
        return due


def configured_jobs() -> list[Job]:
    return [Job.from_setting(entry) for entry in getattr(settings, "PERIODIC_TASKS", [])]


def enqueue_due(jobs: list[Job], next_runs: dict, now: datetime.datetime) -> list[Job]:
    """Enqueue every job whose time has come, and move it on to its next time. Returns those enqueued."""
    enqueued = []
    for job in jobs:
        if next_runs[job] <= now:
            job.task.enqueue()
            logger.info("Enqueued %s (%s)", job.task_path, job.describe())
            next_runs[job] = job.next_run(now)
            enqueued.append(job)
    return enqueued


class Command(BaseCommand):
    help = "Enqueue the periodic jobs in settings.PERIODIC_TASKS at their times (run one per site)."

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="Show each job and when it next runs, then stop.")

    def handle(self, *args, list=False, **options):
        jobs = configured_jobs()
        now = timezone.now()
        next_runs = {job: job.next_run(now) for job in jobs}
        for job in jobs:
            self.stdout.write(
                f"{job.task_path}: {job.describe()}, next at {timezone.localtime(next_runs[job]):%Y-%m-%d %H:%M %Z}"
            )
        if list or not jobs:
            return
        self.stdout.write("Scheduler running (Ctrl+C stops it).")
        self.stdout.flush()
        try:
            while True:
                enqueue_due(jobs, next_runs, timezone.now())
                wait = (min(next_runs.values()) - timezone.now()).total_seconds()
                time.sleep(min(max(wait, 0.5), MAX_SLEEP))
        except KeyboardInterrupt:
            self.stdout.write("Scheduler stopped.")
