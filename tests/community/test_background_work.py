"""The production shape: a request enqueues its emails on the database queue and returns; the worker
sends them. The scheduler enqueues each periodic job at its time."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from community.management.commands.run_scheduler import Job, configured_jobs, enqueue_due
from community.models import EmailFrequency
from qa.models import Question
from tests.listening.conftest import wants_email
from tests.qa.conftest import ask

pytestmark = pytest.mark.django_db

LONDON = zoneinfo.ZoneInfo("Europe/London")


@pytest.fixture
def database_queue(settings):
    """TASKS as ``make serve`` sets it (django-tasks forgets its backends when TASKS changes)."""
    import django_tasks.signals  # noqa: F401  (connects that receiver; the app itself is not installed)

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """What ``make serve``'s task worker does, once: every task in the queue, then stop."""
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


# Committed for real: the worker, like the real one, reads the queue outside any test transaction.
# Marked threads so it runs in the file-database session: its flush would otherwise wipe the migrated
# rows (groups, home page) that later tests in the same in-memory worker need (docs/testing.md).
@pytest.mark.threads
@pytest.mark.django_db(transaction=True)
def test_answering_enqueues_the_email_and_the_worker_sends_it(database_queue, alice, bob, client_for):
    question = ask(alice)
    wants_email(alice, EmailFrequency.IMMEDIATELY)

    response = client_for(bob).post(f"/qa/questions/{question.pk}/answer/", {"body": "Restart the client."})

    assert response.status_code == 302
    assert mail.outbox == []  # the person answering did not wait for it
    queued = DBTaskResult.objects.filter(task_path="community.listening.tasks.send_immediate_emails")
    assert queued.get().status == "READY"

    run_worker()

    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert queued.get().status == "SUCCESSFUL"
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}


@pytest.mark.threads
@pytest.mark.django_db(transaction=True)
def test_asking_leaves_telling_the_tags_followers_to_the_worker(database_queue, alice, bob, charlie, client_for):
    from taggit.models import Tag

    from community.listening.follows import follow
    from community.models import Notification

    for follower in (bob, charlie):
        follow(follower, Tag.objects.get_or_create(name="vpn", slug="vpn")[0])

    response = client_for(alice).post("/qa/ask/", {"title": "VPN drops at noon", "body": "Every day.", "tags": "vpn"})

    assert response.status_code == 302
    assert not Notification.objects.filter(event_type="qa.new_question").exists()  # alice did not wait
    queued = DBTaskResult.objects.filter(task_path="community.listening.tasks.fan_out")
    assert queued.get().status == "READY"

    run_worker()

    told = Notification.objects.filter(event_type="qa.new_question", title="VPN drops at noon")
    assert sorted(told.values_list("recipient__username", flat=True)) == ["bob", "charlie"]
    assert queued.get().status == "SUCCESSFUL"


@pytest.mark.threads
@pytest.mark.django_db(transaction=True)
def test_a_post_hidden_before_the_worker_runs_reaches_only_who_may_still_see_it(database_queue, alice, bob):
    from taggit.models import Tag

    from community.listening.follows import follow
    from community.models import Notification
    from ideas.models import Idea

    follow(bob, Tag.objects.get_or_create(name="vpn", slug="vpn")[0])
    idea = Idea.submit(alice, "Always-on VPN", "Connect before sign-in.", ["vpn"])
    # A moderator hides it before the worker comes to it. (Set on the row: a transactional test's
    # flush has taken the migrated groups, so nobody here is a moderator.)
    Idea.objects.filter(pk=idea.pk).update(is_hidden=True)

    run_worker()

    assert not Notification.objects.filter(event_type="ideas.new_idea", recipient=bob).exists()
    assert DBTaskResult.objects.get(task_path="community.listening.tasks.fan_out").status == "SUCCESSFUL"


def test_each_configured_job_names_a_task():
    paths = {job.task_path for job in configured_jobs()}

    assert paths == {
        "community.listening.tasks.send_digests",
        "community.workshops.announcements.send_workshop_reminders",
        "skills.tasks.send_buddy_reminders",
        "skills.tasks.route_unanswered_questions",
        "skills.tasks.refresh_topic_scores",
        "qa.tasks.send_review_reminders",
        "community.listeningpost.tasks.fetch_sources",
        "community.listeningpost.tasks.purge_old_items",
    }


def test_a_daily_job_runs_next_at_its_hour_and_an_hourly_one_at_its_minute(settings):
    settings.TIME_ZONE = "Europe/London"
    daily = Job("community.listening.tasks.send_digests", hour=7, minute=0)
    hourly = Job("skills.tasks.send_buddy_reminders", hour=None, minute=5)
    before_seven = datetime.datetime(2026, 12, 6, 6, 30, tzinfo=LONDON)
    at_seven = datetime.datetime(2026, 12, 6, 7, 0, tzinfo=LONDON)

    assert daily.next_run(before_seven) == datetime.datetime(2026, 12, 6, 7, 0, tzinfo=LONDON)
    assert daily.next_run(at_seven) == datetime.datetime(2026, 12, 7, 7, 0, tzinfo=LONDON)
    assert hourly.next_run(before_seven) == datetime.datetime(2026, 12, 6, 7, 5, tzinfo=LONDON)
    # Across the change to summer time, 07:00 is still 07:00 on the wall clock.
    saturday = datetime.datetime(2027, 3, 27, 8, 0, tzinfo=LONDON)
    assert daily.next_run(saturday) == datetime.datetime(2027, 3, 28, 7, 0, tzinfo=LONDON)
    assert daily.next_run(saturday).utcoffset() == datetime.timedelta(hours=1)


def test_the_scheduler_enqueues_only_what_is_due_then_moves_it_on(database_queue, settings):
    settings.TIME_ZONE = "Europe/London"
    digests = Job("community.listening.tasks.send_digests", hour=7, minute=0)
    routing = Job("skills.tasks.route_unanswered_questions", hour=None, minute=10)
    now = datetime.datetime(2026, 12, 6, 7, 0, 30, tzinfo=LONDON)
    next_runs = {digests: now.replace(second=0), routing: now.replace(minute=10, second=0)}

    enqueued = enqueue_due([digests, routing], next_runs, now)

    assert enqueued == [digests]
    assert list(DBTaskResult.objects.values_list("task_path", flat=True)) == ["community.listening.tasks.send_digests"]
    assert next_runs[digests] == datetime.datetime(2026, 12, 7, 7, 0, tzinfo=LONDON)
    assert enqueue_due([digests, routing], next_runs, now) == []


def test_a_wrong_schedule_stops_the_scheduler_with_a_message(settings):
    settings.PERIODIC_TASKS = [{"task": "skills.tasks.send_buddy_reminders", "at": "7am"}]
    with pytest.raises(CommandError, match="not HH:MM"):
        call_command("run_scheduler", "--list")
    settings.PERIODIC_TASKS = [{"task": "skills.tasks.no_such_task", "at": ":05"}]
    with pytest.raises(CommandError, match="cannot find the task"):
        call_command("run_scheduler", "--list")


@pytest.mark.threads
@pytest.mark.django_db(transaction=True)
def test_the_worker_writes_a_large_audience_a_batch_at_a_time_and_tells_each_once(
    database_queue, alice, django_user_model, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from taggit.models import Tag

    from community.listening.follows import follow
    from community.models import Notification

    monkeypatch.setattr("community.listening.notifications.NOTIFICATION_BATCH", 2)
    vpn = Tag.objects.get_or_create(name="vpn", slug="vpn")[0]
    followers = [django_user_model.objects.create_user(f"follower{number}") for number in range(5)]
    for follower in followers:
        follow(follower, vpn)
    Question.ask(alice, "VPN drops at noon", "Every day.", ["vpn"])

    with CaptureQueriesContext(connection) as queries:
        run_worker()

    inserts = [
        query for query in queries.captured_queries
        if query["sql"].startswith("INSERT") and '"community_notification"' in query["sql"]
    ]  # fmt: skip
    assert len(inserts) == 3  # 2 + 2 + 1
    told = Notification.objects.filter(event_type="qa.new_question").values_list("recipient__username", flat=True)
    assert sorted(told) == sorted(follower.username for follower in followers)
