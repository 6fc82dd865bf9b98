"""The round trip an organisation relies on to back up and move its community: the demo community
exported, loaded into a freshly migrated database, and exported again, byte for byte the same, and
the site serving it as before.

The demo is seeded and exported once for the module. Between the two halves the database is
emptied and given back the rows migrations made, all inside the test's own transaction, so
everything is rolled back afterwards and no other test sees a flushed database (docs/testing.md).
`make test` runs it on SQLite, `make test-postgres` on PostgreSQL.
"""

import json
from collections import Counter
from io import StringIO
from types import SimpleNamespace

import django_comments as comments
import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from wagtail.models import Page, Site

from community.management import content
from community.workshops.models import WorkshopSignup
from ideas.models import Idea
from qa.models import Answer, Question
from tests.conftest import rolled_back

pytestmark = pytest.mark.django_db


def fresh_database(migrated_rows):
    """Empty every table, then put back ``migrated_rows`` (groups, the page tree's root and home
    page, the default site and workflow, content types, permissions): a newly migrated database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with foreign-key checks still pending in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), connection.introspection.django_table_names(only_existing=True))
        )
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # Content types first: loading a page asks for its content type, and a miss would make a new one.
    rows = json.loads(migrated_rows)
    rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
    connection.creation.deserialize_db_from_string(json.dumps(rows))
    # Rows put back with their ids leave PostgreSQL's sequences behind: move them past, as migrate had.
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def state():
    """What people would notice, read straight from the tables."""
    return {
        "pages": list(Page.objects.order_by("path").values_list("pk", "path", "numchild", "title", "live")),
        "site": list(Site.objects.values_list("hostname", "root_page_id", "is_default_site")),
        "questions": list(Question.objects.order_by("pk").values_list("pk", "title", "author__username",
                                                                       "answer_count", "score")),
        "answers": list(Answer.objects.order_by("pk").values_list("pk", "question_id", "body", "is_accepted")),
        "ideas": list(Idea.objects.order_by("pk").values_list("pk", "title", "status", "vote_count", "merged_into")),
        "signups": list(WorkshopSignup.objects.order_by("pk").values_list("workshop__title", "user__username",
                                                                           "status")),
        "groups": sorted(get_user_model().objects.values_list("username", "groups__name")),
    }  # fmt: skip


def every_row():
    """Every exported table as stored, column by column (password hashes apart: not exported)."""
    user_model = get_user_model()
    tables = {}
    for model, _export in content.plan():
        columns = [field.attname for field in model._meta.concrete_fields]
        if model is user_model:
            columns.remove("password")
        tables[model._meta.label] = list(model._base_manager.order_by("pk").values_list(*columns))
    return tables


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo community seeded and exported once for the module (seeding takes seconds), inside a
    transaction rolled back after it; each test starts from the seeded database (its own changes
    are a savepoint within that transaction) with the export beside it."""
    with django_db_blocker.unblock(), rolled_back():
        migrated_rows = connection.creation.serialize_db_to_string()
        call_command("seed_demo", stdout=StringIO())
        path = tmp_path_factory.mktemp("export") / "first.jsonl"
        call_command("export_content", str(path), stdout=StringIO())
        yield SimpleNamespace(migrated_rows=migrated_rows, path=path, state=state(), rows=every_row())


def test_it_reproduces_the_seeded_community_exactly(exported, tmp_path, client):
    assert state() == exported.state  # the database as the export left it
    before, rows_before = exported.state, exported.rows
    first, second = exported.path, tmp_path / "second.jsonl"

    fresh_database(exported.migrated_rows)
    assert not Question.objects.exists()
    output = StringIO()
    call_command("import_content", str(first), stdout=output)
    call_command("export_content", str(second), stdout=StringIO())

    assert first.read_bytes() == second.read_bytes()
    assert state() == before
    assert every_row() == rows_before
    kinds = Counter(json.loads(line)["model"] for line in first.read_text().splitlines()[1:])
    for model in ("qa.question", "qa.answer", "qa.revision", "qa.vote", "django_comments_xtd.xtdcomment",
                  "ideas.idea", "ideas.vote", "ideas.statuschange", "ideas.ideamerge", "ideas.ideabenefit",
                  "community.profile", "skills.skill", "community.workshoppage", "community.workshopsignup",
                  "wagtailcore.revision"):  # fmt: skip
        assert kinds[model] > 0, model
    assert f"Imported {sum(kinds.values())} rows" in output.getvalue()

    # The site serves the imported community: the home page, a question with its answers.
    question = Question.objects.filter(answers__isnull=False).first()
    answer = question.answers.first()
    client.force_login(get_user_model().objects.get(username="tom"))
    assert client.get("/").status_code == 200
    page = client.get(question.get_absolute_url())
    assert page.status_code == 200
    assert answer.body_html[:40] in page.content.decode()
    assert not get_user_model().objects.get(username="tom").has_usable_password()
    # New rows take new ids (PostgreSQL's sequences were moved past the imported ones).
    newest = Question.objects.order_by("-pk").first().pk
    assert Question.objects.create(author=answer.author, title="After the move", body="Still here?").pk > newest


@pytest.fixture
def _forget_content_types():
    # The test below gives a content type a new id inside its transaction: after the rollback, the
    # cached id would be wrong for the tests that follow.
    yield
    ContentType.objects.clear_cache()


@pytest.mark.usefixtures("_forget_content_types")
def test_it_finds_content_types_by_name_when_their_numbers_differ(exported, tmp_path, client):
    """Two databases number content types in the order things were installed: comments, follows
    and notifications still belong to the right kind of thing after a move."""
    migrated_rows = exported.migrated_rows
    first, second = exported.path, tmp_path / "second.jsonl"
    comment = comments.get_model().objects.filter(content_type=ContentType.objects.get_for_model(Question)).first()
    commented = Question.objects.get(pk=comment.object_pk)

    fresh_database(migrated_rows)
    old = ContentType.objects.get_by_natural_key("qa", "question")
    old.delete()  # with its permissions; made again below under a new number, as another database would
    ContentType.objects.clear_cache()
    new = ContentType.objects.create(app_label="qa", model="question")
    create_permissions(apps.get_app_config("qa"), verbosity=0)
    assert new.pk != old.pk
    call_command("import_content", str(first), "--no-index", stdout=StringIO())
    call_command("export_content", str(second), stdout=StringIO())

    assert first.read_bytes() == second.read_bytes()
    assert comments.get_model().objects.get(pk=comment.pk).content_type_id == new.pk
    client.force_login(get_user_model().objects.get(username="tom"))
    assert comment.comment[:30] in client.get(commented.get_absolute_url()).content.decode()
