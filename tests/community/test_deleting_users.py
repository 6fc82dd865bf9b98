"""Deleting an account in the Wagtail admin never takes colleagues' content with it, and says
what will happen first."""

import pytest
from django.contrib.auth import get_user_model

from qa.models import Answer, Question
from tests.ideas.conftest import submit
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client_for, django_user_model):
    return client_for(django_user_model.objects.create_superuser("root", "root@example.org", "x"))


def test_deleting_someone_who_asked_is_refused_and_keeps_colleagues_answers(admin_client, alice, bob, helen):
    question = ask(alice)
    answer(question, bob)
    answer(question, helen, "The helpdesk's word: reinstall the client.")

    page = admin_client.get(f"/admin/users/delete/{alice.pk}/")
    response = admin_client.post(f"/admin/users/delete/{alice.pk}/")

    assert response.status_code == 409
    html = page.content.decode()
    assert "cannot be deleted" in html
    assert "1 questions" in html
    assert "deactivate their account instead" in html
    assert get_user_model().objects.filter(pk=alice.pk).exists()
    assert Question.objects.filter(pk=question.pk).exists()
    assert Answer.objects.filter(question=question).count() == 2


def test_deleting_someone_who_proposed_an_idea_is_refused(admin_client, alice):
    submit(alice)

    assert admin_client.post(f"/admin/users/delete/{alice.pk}/").status_code == 409
    assert get_user_model().objects.filter(pk=alice.pk).exists()


def test_deleting_someone_who_wrote_nothing_says_what_goes_then_deletes(admin_client, charlie):
    page = admin_client.get(f"/admin/users/delete/{charlie.pk}/")

    assert page.status_code == 200
    assert "loses nothing colleagues wrote" in page.content.decode()
    assert admin_client.post(f"/admin/users/delete/{charlie.pk}/").status_code == 302
    assert not get_user_model().objects.filter(pk=charlie.pk).exists()


def test_the_database_itself_refuses_to_cascade_an_authors_posts(alice, bob):
    from django.db.models import ProtectedError

    answer(ask(alice), bob)

    with pytest.raises(ProtectedError):
        alice.delete()
    assert Answer.objects.filter(author=bob).count() == 1


def test_erasing_someone_keeps_their_posts_as_a_former_colleagues(client_for, alice, bob):
    import io

    import django_comments
    from django.core.management import call_command

    from community.listening.follows import follow
    from community.models import Profile
    from tests.qa.test_comments import post_comment

    question = ask(alice, title="Printer on floor 3 jams")
    answer(question, bob)
    post_comment(client_for(alice), question, "Still jams after the fix")
    follow(alice, bob)

    call_command("erase_user", "alice", "--yes", stdout=io.StringIO())

    alice.refresh_from_db()
    assert (alice.is_active, alice.email, alice.first_name, alice.has_usable_password()) == (False, "", "", False)
    assert Profile.objects.get(user=alice).display_name == "A former colleague"
    assert alice.follows.count() == 0
    [comment] = django_comments.get_model().objects.all()
    assert (comment.user_name, comment.user_email) == ("A former colleague", "")
    html = client_for(bob).get(question.get_absolute_url()).content.decode()
    assert "Printer on floor 3 jams" in html
    assert "A former colleague" in html
    assert "Alice Archer" not in html


# --- erasing from the Wagtail admin ------------------------------------------------------------------


def test_the_refusal_to_delete_offers_erasure_to_whoever_may_erase(admin_client, alice):
    ask(alice)

    html = admin_client.get(f"/admin/users/delete/{alice.pk}/").content.decode()

    assert f'href="/admin/people/{alice.pk}/erase/"' in html


def test_the_admin_says_what_erasing_keeps_and_removes_then_erases(admin_client, alice, bob):
    from community.listening.follows import follow
    from community.models import Profile

    question = ask(alice, title="Printer on floor 3 jams")
    answer(question, bob)
    follow(alice, bob)
    listing = admin_client.get("/admin/users/").content.decode()

    page = admin_client.get(f"/admin/people/{alice.pk}/erase/")

    assert f"/admin/people/{alice.pk}/erase/" in listing
    html = page.content.decode()
    assert page.status_code == 200
    assert "1 questions" in html  # kept
    assert "2 follows" in html  # removed: bob, and the question she followed by asking
    assert "This cannot be undone." in html
    assert get_user_model().objects.get(pk=alice.pk).is_active  # a visit changes nothing

    response = admin_client.post(f"/admin/people/{alice.pk}/erase/", follow=True)

    alice.refresh_from_db()
    assert (alice.username, alice.is_active, alice.email, alice.has_usable_password()) == (
        f"former-colleague-{alice.pk}", False, "", False
    )  # fmt: skip
    assert Profile.objects.get(user=alice).display_name == "A former colleague"
    assert alice.follows.count() == 0
    assert Answer.objects.filter(question=question, author=bob).count() == 1
    assert "personal data was erased" in response.content.decode()


def test_only_those_allowed_to_erase_may(client_for, alice, bob, dita, django_user_model):
    from django.contrib.auth.models import Permission

    ask(alice)
    editor = django_user_model.objects.create_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    url = f"/admin/people/{alice.pk}/erase/"

    assert client_for(editor).get(url).status_code == 403
    assert client_for(editor).post(url).status_code == 403
    assert client_for(dita).post(url).status_code in (302, 403)  # no admin access, or no permission
    assert client_for(bob).post(url).status_code in (302, 403)
    assert get_user_model().objects.get(pk=alice.pk).username == "alice"

    editor.user_permissions.add(Permission.objects.get(codename="erase_personal_data"))
    editor = django_user_model.objects.get(pk=editor.pk)  # permissions are cached per instance
    assert client_for(editor).post(url).status_code == 302
    assert get_user_model().objects.get(pk=alice.pk).username == f"former-colleague-{alice.pk}"


def test_nobody_erases_their_own_account(admin_client, django_user_model):
    root = django_user_model.objects.get(username="root")

    response = admin_client.post(f"/admin/people/{root.pk}/erase/")

    assert response.status_code == 403
    assert "You cannot erase your own account" in response.content.decode()
    assert django_user_model.objects.get(pk=root.pk).is_active
