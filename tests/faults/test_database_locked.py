"""The database held by a long writer: another connection keeps the write lock for longer than a
request will wait for it (SQLite: ``BEGIN IMMEDIATE`` past the busy timeout; PostgreSQL: the table
locked against writes past ``lock_timeout``).

People posting get a plain "busy, try again" page (503 with ``Retry-After``) that shows back what
they typed, in a form that sends it again; nothing is half-saved; reading carries on meanwhile.
The wait is cut to 0.3 s here (20 s on the site) so the test stays quick.
"""

import contextlib
import time

import pytest
from django.db import connection
from django.urls import reverse

from community.listening.models import ListeningPreferences
from qa.models import Answer, Question, QuestionTag, Revision
from tests.qa.conftest import ask

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

WAIT = 0.3  # seconds a request waits for the lock


@contextlib.contextmanager
def short_lock_wait():
    """This process's connection waits WAIT seconds for a lock, as it would 20 s on the site."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA busy_timeout = {int(WAIT * 1000)}")  # what the timeout option sets
        else:
            cursor.execute(f"SET lock_timeout = {int(WAIT * 1000)}")
    try:
        yield
    finally:
        connection.close()  # the next connection has the site's own wait


@contextlib.contextmanager
def long_writer():
    """Another connection that takes the write lock and keeps it until the block ends."""
    if connection.vendor == "sqlite":
        import sqlite3

        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE qa_question SET score = score")
    else:
        import psycopg

        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        other = psycopg.connect(**params)
        for table in (Question, Answer, QuestionTag, Revision):
            other.execute(f"LOCK TABLE {table._meta.db_table} IN EXCLUSIVE MODE")  # reads still allowed
    try:
        yield
    finally:
        other.rollback()
        other.close()


def counts():
    return (Question.objects.count(), Answer.objects.count(), QuestionTag.objects.count(), Revision.objects.count())


def test_a_post_while_a_long_writer_holds_the_lock_is_refused_plainly_and_loses_nothing(
    alice, bob, client_for, figure
):
    question = ask(bob, title="Which printer takes A3 paper?", tags=["printing"])
    client = client_for(alice)
    # Not her first visit: her feed address (made, and so written, on her first visit to a list
    # with feeds) exists already. A first visit while the lock is held gets the busy page too.
    ListeningPreferences.for_user(alice)
    posts = {
        "ask": (
            reverse("qa:ask"),
            {"title": "Can I print in colour on floor 2?", "body": "For a poster.", "tags": "printing"},
        ),
        "answer": (reverse("qa:answer", args=[question.pk]), {"body": "The one on floor 3 takes A3, tray 2."}),
    }
    before = counts()

    with short_lock_wait():
        with long_writer():
            started = time.monotonic()
            refused = {name: client.post(url, data) for name, (url, data) in posts.items()}
            took = (time.monotonic() - started) / len(posts)
            # Not the home page: an earlier thread test's flush may have taken the migrated page tree.
            reads = [
                client.get(reverse("qa:index")),
                client.get(question.get_absolute_url()),
                client.get(reverse("ideas:index")),
            ]

    for name, response in refused.items():
        page = response.content.decode()
        assert response.status_code == 503, name
        assert response["Retry-After"] == "5"
        assert "Confer is busy: try again in a few seconds" in page
        assert "Nothing was saved this time." in page
        url, data = posts[name]
        assert f'action="{url}"' in page
        for value in data.values():
            assert f">{value}</textarea>" in page  # what was typed, ready to send again
        assert "csrfmiddlewaretoken" in page
    assert [response.status_code for response in reads] == [200, 200, 200]
    assert counts() == before  # nothing half-saved

    # The lock gone, sending again saves each once.
    resent = {name: client.post(url, data) for name, (url, data) in posts.items()}
    assert [response.status_code for response in resent.values()] == [302, 302]
    assert Question.objects.filter(title="Can I print in colour on floor 2?").count() == 1
    assert Answer.objects.filter(body="The one on floor 3 takes A3, tray 2.").count() == 1
    figure(
        f"database-locked ({connection.vendor})",
        f"a writer held the lock past the {WAIT:.1f} s wait: {len(refused)} posts answered 503 with Retry-After "
        f"in {took:.2f} s each, their text shown back; {len(reads)} reads 200 meanwhile; 0 rows half-saved; "
        f"sent again after: {len(resent)} saved once each",
    )
