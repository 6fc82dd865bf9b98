"""The test database is a copy of the migrated schema (tests/databases/): the copy must be whole."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page, Site

from tests.databases import fingerprint


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
