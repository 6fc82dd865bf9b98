"""The embedded SQLite database keeps its connection between requests, and sets its pragmas once."""

import pytest
from django.db.utils import ConnectionHandler

from intranet.settings import sqlite_database


@pytest.fixture
def kept(tmp_path, django_db_blocker):
    """A connection to a database of its own, outside the test database (so pytest-django lets it be)."""
    connection = ConnectionHandler({"default": sqlite_database(tmp_path / "kept.sqlite3")})["default"]
    with django_db_blocker.unblock():
        yield connection
        connection.close()


def test_a_sqlite_connection_is_kept_between_requests_with_its_pragmas(kept):
    kept.ensure_connection()
    raw = kept.connection

    # What Django does when a request finishes (close_old_connections).
    kept.close_if_unusable_or_obsolete()

    assert kept.connection is raw
    with kept.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
