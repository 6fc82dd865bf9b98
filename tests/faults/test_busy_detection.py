"""Which database errors get the "busy, try again" page: only a lock waited for too long. Any other
database error stays a server error (it is a fault to fix, not a moment to wait out)."""

import sqlite3

import psycopg.errors
from django.db import OperationalError

from community.middleware import is_database_busy


def wrapped(cause):
    error = OperationalError(*cause.args)
    error.__cause__ = cause
    return error


def test_a_lock_waited_for_too_long_is_busy_on_sqlite_and_postgresql():
    assert is_database_busy(wrapped(sqlite3.OperationalError("database is locked")))
    assert is_database_busy(wrapped(psycopg.errors.LockNotAvailable("canceling statement due to lock timeout")))


def test_other_database_errors_are_not_busy():
    assert not is_database_busy(wrapped(sqlite3.OperationalError("no such table: qa_question")))
    assert not is_database_busy(wrapped(psycopg.errors.QueryCanceled("canceling statement due to statement timeout")))
    assert not is_database_busy(ValueError("database is locked"))
