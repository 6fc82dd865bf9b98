"""The test database is a copy of the migrated schema (tests/databases/): the copy must be whole."""

import sqlite3

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page, Site

from tests.databases import fingerprint
from tests.databases.sqlite.script import SCRIPT, load, script_fingerprint


@pytest.mark.django_db
def test_the_copied_database_has_every_migration_applied():
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []


@pytest.mark.django_db
def test_the_copied_database_has_what_the_data_migrations_made():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Helpdesk", "Moderators", "Digital team"}
    assert Site.objects.get(is_default_site=True).root_page.specific_class is not Page


def test_another_django_gives_a_new_schema(monkeypatch):
    before = fingerprint()
    assert fingerprint() == before
    monkeypatch.setattr("django.get_version", lambda: "9.9")
    assert fingerprint() != before


def test_the_schema_script_is_for_the_migrations_as_they_are():
    """A fresh checkout loads tests/databases/sqlite/schema.sql instead of migrating: after a change
    to a migration or to the settings, ``make test-schema`` writes it again."""
    assert script_fingerprint() == fingerprint(), "the schema script is stale: run `make test-schema` and commit it"


def test_the_schema_script_makes_full_text_tables_that_work(tmp_path):
    database = sqlite3.connect(tmp_path / "copy.sqlite3")
    load(SCRIPT, database)
    database.execute(
        "INSERT INTO wagtailsearch_indexentry_fts(rowid, title, body, autocomplete) VALUES (1, 'vpn', '', '')"
    )
    assert database.execute(
        "SELECT rowid FROM wagtailsearch_indexentry_fts WHERE wagtailsearch_indexentry_fts MATCH 'vpn'"
    ).fetchall() == [(1,)]
