"""The round trip an organisation relies on to back up and move its community: the demo community
exported, loaded into a freshly migrated database, and exported again, byte for byte the same, and
the site serving it as before.

It empties the database between the two halves (a flush, then the rows migrations made put back),
so it runs as a transactional test in the ``threads`` session, on a file or on PostgreSQL, where
flushes are expected (docs/testing.md); `make test-postgres` runs it on PostgreSQL.
"""

import json
from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection
from wagtail.models import Page, Site

from community.management import content
from community.workshops.models import WorkshopSignup
from ideas.models import Idea
from qa.models import Answer, Question

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.threads]


def fresh_database():
    """Empty every table, then put back what the migrations made (groups, the page tree's root and
    home page, the default site and workflow): the state of a newly migrated database."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    connection.creation.deserialize_db_from_string(connection._test_serialized_contents)
    # Rows put back with their ids leave PostgreSQL's sequences at 1: move them past, as migrate had.
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


def test_it_reproduces_the_seeded_community_exactly(tmp_path, client):
    fresh_database()
    call_command("seed_demo", stdout=StringIO())
    before, rows_before = state(), every_row()
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    call_command("export_content", str(first), stdout=StringIO())

    fresh_database()
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
