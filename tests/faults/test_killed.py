"""A process killed with SIGKILL (no clean-up of any kind) mid-rebuild of the search index, and
mid-write of a question: the site keeps serving what it had, and nothing is left half-done.

The process is real (``python -m tests.faults.killable``, on this test's database and index), paused
at the chosen moment by a hook in it, then killed; see tests/faults/killable.py.
"""

import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from modelsearch.backends import get_search_backend
from modelsearch.query import MATCH_ALL

from community.listening.emails import STALE_CLAIM, pending_immediate_ids, send_digests, send_immediate
from community.listening.follows import follow
from community.listening.models import EmailFrequency, Follow, Notification
from community.search.storage import CURRENT, release_searchers, wait_for_pending_writes
from qa.models import Question, QuestionTag, Revision
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads, pytest.mark.whoosh]

ROOT = Path(__file__).resolve().parents[2]


_started = []


@pytest.fixture(autouse=True)
def _no_process_left():
    yield
    while _started:
        process = _started.pop()
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def start_killable(scenario, tmp_path, **env):
    database = {key: connection.settings_dict[key] for key in ("NAME", "USER", "PASSWORD", "HOST", "PORT")}
    ready = tmp_path / f"{scenario}.ready"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.faults.killable", scenario],
        cwd=ROOT,
        env={
            **os.environ,
            "FAULT_DATABASE": json.dumps({key: str(value) for key, value in database.items()}),
            "FAULT_SEARCH": json.dumps(settings.WAGTAILSEARCH_BACKENDS, default=str),
            "FAULT_READY": str(ready),
            **env,
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    _started.append(process)
    deadline = time.monotonic() + 60
    while not ready.exists():
        if process.poll() is not None:
            pytest.fail(f"{scenario} ended before its pause: {process.stdout.read().decode()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"{scenario} never reached its pause")
        time.sleep(0.05)
    process.paused_at = ready.read_text()  # the index family a rebuild was building when it paused
    return process


def kill(process):
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=10) == -signal.SIGKILL


def generations(index_dir):
    return {
        family.name: (family / CURRENT).read_text() for family in index_dir.iterdir() if (family / CURRENT).exists()
    }


def generation_dirs(index_dir):
    return {
        path.name for family in index_dir.iterdir() if family.is_dir() for path in family.iterdir() if path.is_dir()
    }


def search_titles(client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    return sorted(hit["object"].title for hit in response.context["hits"]), response


@pytest.fixture
def printing_questions(alice, bob):
    titles = [f"Printer {floor} jams on A3 paper" for floor in ("first", "second", "third", "fourth", "fifth")]
    for number, title in enumerate(titles):
        ask(alice if number % 2 else bob, title=title, body="The tray clicks, then nothing.", tags=["printing"])
    call_command("update_index", stdout=StringIO(), stderr=StringIO())
    return sorted(titles)


def test_a_rebuild_killed_part_way_leaves_the_old_index_serving(
    printing_questions, client_for, alice, tmp_path, figure
):
    index_dir = Path(settings.WAGTAILSEARCH_BACKENDS["default"]["PATH"])
    before = generations(index_dir)
    client = client_for(alice)
    assert search_titles(client, "printer")[0] == printing_questions

    rebuild = start_killable("update_index", tmp_path)  # paused with a half-built generation on disk
    half_built = generation_dirs(index_dir)
    kill(rebuild)
    release_searchers()

    # The family being built when it was killed keeps its old generation (families with too few
    # documents to pause in, finished before it, were swapped in whole, as a completed rebuild would).
    assert rebuild.paused_at in before
    live_after_kill = generations(index_dir)
    assert live_after_kill[rebuild.paused_at] == before[rebuild.paused_at]
    # Serving continues from the old index: every question found, no "unavailable" notice.
    found, response = search_titles(client, "printer")
    assert found == printing_questions
    assert not response.context["unavailable"]
    assert len(half_built) > len(before)  # the killed rebuild did leave its generation behind

    started = time.monotonic()
    call_command("update_index", stdout=StringIO(), stderr=StringIO())  # the rerun completes
    rerun = time.monotonic() - started
    release_searchers()
    assert generations(index_dir) != before
    assert search_titles(client, "printer")[0] == printing_questions
    abandoned = half_built - set(before.values()) - set(live_after_kill.values())
    assert abandoned and not abandoned & generation_dirs(index_dir)  # the killed rebuild's files are tidied away
    figure(
        "killed-mid-rebuild",
        f"update_index SIGKILLed with a half-built generation: {len(found)}/{len(printing_questions)} questions "
        f"still found from the old index, 0 'unavailable' notices; rerun completed in {rerun:.1f} s and "
        f"removed {len(abandoned)} abandoned generation(s)",
    )


def indexed_questions():
    assert wait_for_pending_writes()
    release_searchers()
    return get_search_backend().search(MATCH_ALL, Question).count()  # counted in the index, not the database


def test_a_question_killed_mid_save_is_all_there_or_not_there(printing_questions, alice, client_for, tmp_path, figure):
    title = "Killed while the printer question was saved"
    questions_before = Question.objects.count()
    assert indexed_questions() == questions_before

    saving = start_killable("ask", tmp_path, FAULT_AUTHOR=alice.username, FAULT_TITLE=title)
    kill(saving)  # inside the transaction: question, tags, revision, follow written, not committed

    questions_after = Question.objects.count()
    assert questions_after == questions_before
    assert not Question.objects.filter(title=title).exists()
    tagged = QuestionTag.objects.values_list("content_object_id", flat=True)
    assert set(tagged) == set(Question.objects.values_list("pk", flat=True))  # no tags for a lost question
    assert Revision.objects.filter(question__isnull=False).count() == questions_before
    assert Follow.objects.filter(user=alice).count() == len(printing_questions) // 2
    orphans = indexed_questions() - questions_after
    assert orphans == 0
    found, _ = search_titles(client_for(alice), "killed")
    assert found == []

    # The database is writable again at once: the lock died with the process.
    started = time.monotonic()
    again = ask(alice, title=title, body="Asked again after the crash.", tags=["printing"])
    wait = time.monotonic() - started
    assert indexed_questions() == questions_before + 1
    assert search_titles(client_for(alice), "killed")[0] == [again.title]
    figure(
        "killed-mid-write",
        f"Question.ask SIGKILLed inside its transaction: {questions_after - questions_before} questions, "
        f"0 tags, 0 follows kept; {orphans} orphans in the index; the next save waited {wait:.2f} s",
    )


def test_an_email_worker_killed_mid_send_does_not_lose_the_email(alice, bob, charlie, mailoutbox, tmp_path, figure):
    question = ask(alice, title="Where is the A3 printer?", tags=["printing"])
    follow(bob, question)
    answer(question, charlie, "Floor 3, by the lifts.")  # bob's notification, waiting for his digest...
    wants_email(bob, EmailFrequency.IMMEDIATELY)  # ...until he asks for emails straight away
    [waiting] = Notification.objects.filter(recipient=bob)
    assert list(pending_immediate_ids()) == [waiting.pk]

    worker = start_killable("send_immediate", tmp_path)  # claimed it, handing it to the mail server
    kill(worker)
    waiting.refresh_from_db()
    assert waiting.email_claimed_at is not None and waiting.emailed_at is None

    # A run straight after leaves it to the worker that claimed it (it may be alive and sending)...
    assert send_immediate(list(pending_immediate_ids())) == 0
    # ...and an hour later takes it over: sent once, late rather than never.
    Notification.objects.filter(pk=waiting.pk).update(email_claimed_at=F("email_claimed_at") - STALE_CLAIM)
    runs = [send_digests(), send_digests()]
    assert [run["immediate"] for run in runs] == [1, 0]
    to_bob = [message for message in mailoutbox if message.to == [bob.email]]  # alice gets her digest
    assert len(to_bob) == 1
    assert "Where is the A3 printer?" in to_bob[0].subject
    waiting.refresh_from_db()
    assert waiting.emailed_at is not None
    figure(
        "killed-mid-send",
        f"email worker SIGKILLed while sending: the email was not lost (before the fix, the claim marked it sent); "
        f"taken over after {STALE_CLAIM.seconds // 3600} h, {len(to_bob)} delivered, 0 duplicates",
    )
