"""export_content / import_content: what they carry, and every way an import is refused with
nothing changed. The full round trip over the demo community is in test_export_import_round_trip.py."""

import json
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.models import Page, Site

from community.management import content
from qa.models import Question

pytestmark = pytest.mark.django_db

HEADER = json.dumps({"format": "confer-content", "version": 1})


def user_row(pk=900, username="zoe"):
    return json.dumps({
        "model": "auth.user", "pk": pk,
        "fields": {"username": username, "first_name": "Zoe", "last_name": "", "email": f"{username}@example.org",
                   "is_active": True, "is_staff": False, "is_superuser": False, "last_login": None,
                   "date_joined": "2026-01-05T09:00:00Z", "groups": [["Staff"]], "user_permissions": []},
    })  # fmt: skip


def write(tmp_path, *lines):
    path = tmp_path / "export.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def import_file(path):
    call_command("import_content", str(path), "--no-index", stdout=StringIO())


def snapshot():
    """What an import must leave alone when it is refused."""
    return (
        get_user_model().objects.count(),
        list(Page.objects.values_list("pk", "path", "title", "numchild").order_by("path")),
        list(Site.objects.values_list("pk", "hostname", "root_page_id")),
    )


def test_it_declares_every_model_it_keeps_or_why_not():
    exported = {model._meta.label for model, _export in content.plan()}
    every_model = {
        model._meta.label
        for model in apps.get_models()
        if not model._meta.proxy and not model._meta.app_config.name.startswith("modelsearch.test")
    }

    assert every_model - exported - set(content.left_out()) == set()
    assert exported & set(content.left_out()) == set()
    assert {"qa.Question", "qa.Answer", "qa.Revision", "django_comments_xtd.XtdComment", "qa.Vote", "ideas.Idea",
            "ideas.StatusChange", "ideas.IdeaMerge", "ideas.IdeaBenefit", "community.Profile", "skills.Skill",
            "community.WorkshopPage", "community.WorkshopSignup", "wagtailcore.Page"} <= exported  # fmt: skip


def test_it_imports_an_account_with_its_groups_and_no_password(tmp_path):
    import_file(write(tmp_path, HEADER, user_row()))

    zoe = get_user_model().objects.get(pk=900)
    assert zoe.username == "zoe"
    assert list(zoe.groups.values_list("name", flat=True)) == ["Staff"]
    assert not zoe.has_usable_password()


def test_it_leaves_out_password_hashes_unless_asked(alice, tmp_path):
    without = tmp_path / "without.jsonl"
    with_hashes = tmp_path / "with.jsonl"
    call_command("export_content", str(without), stdout=StringIO())
    call_command("export_content", str(with_hashes), "--with-passwords", stdout=StringIO())

    def alice_fields(path):
        rows = [json.loads(line) for line in path.read_text().splitlines()[1:]]
        return next(row["fields"] for row in rows if row["model"] == "auth.user" and row["pk"] == alice.pk)

    assert "password" not in alice_fields(without)
    assert alice_fields(with_hashes)["password"] == alice.password
    assert alice_fields(without)["groups"] == [["Staff"]]  # groups by name, not number


def test_it_keeps_a_password_hash_it_was_given(alice, tmp_path):
    from tests.conftest import PASSWORD

    path = tmp_path / "with.jsonl"
    call_command("export_content", str(path), "--with-passwords", stdout=StringIO())
    alice.delete()  # the database is empty again: what migrations made, and nothing else

    import_file(path)

    assert get_user_model().objects.get(username="alice").check_password(PASSWORD)


def test_it_refuses_a_database_that_holds_content(alice, tmp_path):
    before = snapshot()

    with pytest.raises(CommandError, match=r"already holds content \(auth.User"):
        import_file(write(tmp_path, HEADER, user_row()))

    assert snapshot() == before
    assert not get_user_model().objects.filter(username="zoe").exists()


@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ('{"model": "auth.user", "pk": 901, "fields": {', r"Line 3: not valid JSON \(Expecting"),
        ('["auth.user", 901]', r'Line 3: expected an object with "model" and "fields"'),
        ('{"model": "qa.nothing", "pk": 1, "fields": {}}', r"Line 3: 'qa.nothing' is not a kind of content"),
        ('{"model": "sessions.session", "pk": "x", "fields": {}}', r"Line 3: 'sessions.session' is not a kind"),
        ('{"model": "qa.question", "pk": 1, "fields": {"colour": "red"}}', r"Line 3 \(qa.question\)"),
    ],
)
def test_it_names_the_line_it_cannot_load_and_imports_nothing(tmp_path, bad_line, message):
    before = snapshot()

    with pytest.raises(CommandError, match=message):
        import_file(write(tmp_path, HEADER, user_row(), bad_line, user_row(902, "yan")))

    assert snapshot() == before
    assert Group.objects.filter(name="Staff").exists()


def test_it_refuses_bytes_that_are_not_utf8(tmp_path):
    path = tmp_path / "export.jsonl"
    path.write_bytes(HEADER.encode() + b"\n" + user_row().encode() + b"\n" + b'{"model": "\xff"}\n')

    with pytest.raises(CommandError, match="Line 3: not UTF-8"):
        import_file(path)

    assert get_user_model().objects.count() == 0


def test_it_refuses_a_file_that_is_not_an_export(tmp_path):
    with pytest.raises(CommandError, match="Line 1: this is not a Confer content export"):
        import_file(write(tmp_path, user_row()))

    assert get_user_model().objects.count() == 0


def test_it_refuses_rows_that_point_at_rows_the_file_lacks(tmp_path):
    answer = json.dumps({
        "model": "qa.answer", "pk": 5,
        "fields": {"author": 900, "question": 77, "body": "Restart it.", "body_html": "<p>Restart it.</p>",
                   "created_at": "2026-01-05T09:00:00Z", "updated_at": "2026-01-05T09:00:00Z"},
    })  # fmt: skip

    with pytest.raises(CommandError, match="(refers to rows it does not hold|Line 3)"):
        import_file(write(tmp_path, HEADER, user_row(), answer))

    assert get_user_model().objects.count() == 0
    assert not Question.objects.exists()
