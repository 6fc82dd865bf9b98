"""Wagtail admin views: the helpdesk finds and edits questions and answers; the groups get the permissions."""

import pytest
from django.contrib.auth.models import Group

from qa.models import Question

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def test_it_grants_the_helpdesk_and_moderators_the_permissions_their_admin_views_need():
    helpdesk = set(Group.objects.get(name="Helpdesk").permissions.values_list("codename", flat=True))
    moderators = set(Group.objects.get(name="Moderators").permissions.values_list("codename", flat=True))
    staff = set(Group.objects.get(name="Staff").permissions.values_list("codename", flat=True))

    assert {"view_question", "change_question", "view_answer", "change_answer"} <= helpdesk
    assert "moderate_content" in moderators  # flags are decided in the site's queue (/moderation/)
    assert not {"add_question", "delete_question", "add_answer", "delete_answer"} & (helpdesk | moderators)
    assert "moderate_content" not in helpdesk
    assert not {"view_question", "change_question", "moderate_content"} & staff


def test_it_lets_the_helpdesk_find_questions_in_the_admin(client_for, helen, alice):
    ask(alice, title="VPN will not connect")
    ask(alice, title="Excel pivot tables", body="Totals", tags=["excel"])

    response = client_for(helen).get("/admin/qa_questions/", {"q": "vpn"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "VPN will not connect" in html
    assert "Excel pivot tables" not in html


def test_it_lets_the_helpdesk_edit_a_question_in_the_admin_keeping_a_revision(client_for, helen, question):
    response = client_for(helen).post(
        f"/admin/qa_questions/edit/{question.pk}/",
        {"title": "VPN error 809 from home", "body": "Updated body", "tags": "vpn, remote working"},
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    question = Question.objects.get()
    assert question.title == "VPN error 809 from home"
    assert question.body_html == "<p>Updated body</p>\n"
    assert question.tag_names() == ["remote working", "vpn"]
    latest = question.revisions.last()
    assert (latest.editor, latest.summary) == (helen, "Edited in the admin")


def test_it_refuses_bad_tags_in_the_admin(client_for, helen, question):
    response = client_for(helen).post(
        f"/admin/qa_questions/edit/{question.pk}/", {"title": "x", "body": "y", "tags": "a, b, c, d, e, f"}
    )

    assert response.status_code == 200
    assert "Use 5 tags or fewer." in response.content.decode()
    assert Question.objects.get().title == "VPN will not connect from home"


def test_it_lets_the_helpdesk_edit_an_answer_in_the_admin(client_for, helen, bob, question):
    reply = answer(question, bob)

    response = client_for(helen).post(f"/admin/qa_answers/edit/{reply.pk}/", {"body": "Checked and corrected"})

    assert response.status_code == 302
    reply.refresh_from_db()
    assert reply.body == "Checked and corrected"
    assert reply.revisions.last().editor == helen


@pytest.mark.parametrize("fixture", ["alice", "dita"])
def test_it_keeps_others_out_of_the_question_admin(client_for, request, question, fixture):
    client = client_for(request.getfixturevalue(fixture))

    assert client.get("/admin/qa_questions/").status_code in (302, 403)
    client.post(f"/admin/qa_questions/edit/{question.pk}/", {"title": "Hacked", "body": "x", "tags": "vpn"})

    assert Question.objects.get().title == "VPN will not connect from home"


def test_it_lets_moderators_look_but_not_edit(client_for, mo, question):
    client = client_for(mo)

    assert client.get("/admin/qa_questions/").status_code == 200
    client.post(f"/admin/qa_questions/edit/{question.pk}/", {"title": "Changed", "body": "x", "tags": "vpn"})

    assert Question.objects.get().title == "VPN will not connect from home"


def test_it_offers_no_add_or_delete_to_the_helpdesk(client_for, helen, question):
    client = client_for(helen)

    assert client.get("/admin/qa_questions/new/").status_code in (302, 403, 404)
    client.post(f"/admin/qa_questions/delete/{question.pk}/")

    assert Question.objects.filter(pk=question.pk).exists()


def test_it_shows_the_qa_menu_to_the_helpdesk(client_for, helen):
    helpdesk_menu = client_for(helen).get("/admin/").content.decode()

    assert "/admin/qa_questions/" in helpdesk_menu


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("carl", "carl@example.org", "pw")


@pytest.mark.parametrize("viewset", ["qa_questions", "qa_answers"])
def test_it_offers_no_add_even_to_a_superuser(client_for, admin_user, question, viewset):
    client = client_for(admin_user)

    listing = client.get(f"/admin/{viewset}/")
    assert listing.status_code == 200
    assert f"/admin/{viewset}/new/" not in listing.content.decode()
    assert client.get(f"/admin/{viewset}/new/").status_code == 404
    assert client.post(f"/admin/{viewset}/new/", {"title": "x", "body": "y", "tags": "vpn"}).status_code == 404


def test_it_keeps_the_answer_count_right_when_an_answer_is_deleted_in_the_admin(client_for, admin_user, bob, question):
    answer(question, bob)
    second = answer(question, bob, "Or reinstall the client.")

    response = client_for(admin_user).post(f"/admin/qa_answers/delete/{second.pk}/")

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.answer_count == 1


def test_it_does_not_count_a_hidden_answer_twice_when_it_is_deleted(admin_user, bob, mo, question):
    answer(question, bob)
    second = answer(question, bob, "Buy cheap watches")
    second.hide(mo)

    second.delete()

    question.refresh_from_db()
    assert question.answer_count == 1


# --- the admin shows the helpdesk only what the site lets it see -----------------------------------


@pytest.fixture
def hidden_posts(alice, bob, mo):
    hidden_question = ask(alice, title="Hidden question about redundancies")
    answer(hidden_question, bob, "Answer on the hidden question")
    hidden_question.hide(mo)
    visible = ask(alice, title="Visible question about printers")
    hidden_answer = answer(visible, bob, "Hidden answer selling watches")
    hidden_answer.hide(mo)
    return hidden_question, hidden_answer


def test_the_helpdesk_does_not_list_hidden_posts_in_the_admin(client_for, helen, hidden_posts):
    client = client_for(helen)

    questions = client.get("/admin/qa_questions/").content.decode()
    answers = client.get("/admin/qa_answers/").content.decode()

    assert "Visible question about printers" in questions
    assert "redundancies" not in questions
    assert "selling watches" not in answers
    assert "redundancies" not in answers  # nor the answers on a hidden question


@pytest.mark.parametrize("action", ["edit", "inspect", "history"])
def test_the_helpdesk_cannot_open_hidden_posts_in_the_admin(client_for, helen, hidden_posts, action):
    hidden_question, hidden_answer = hidden_posts
    client = client_for(helen)

    assert client.get(f"/admin/qa_questions/{action}/{hidden_question.pk}/").status_code == 404
    assert client.get(f"/admin/qa_answers/{action}/{hidden_answer.pk}/").status_code == 404


def test_the_helpdesk_cannot_edit_a_hidden_question_in_the_admin(client_for, helen, hidden_posts):
    hidden_question, _ = hidden_posts

    response = client_for(helen).post(
        f"/admin/qa_questions/edit/{hidden_question.pk}/", {"title": "Changed", "body": "Changed", "tags": "vpn"}
    )

    assert response.status_code == 404
    hidden_question.refresh_from_db()
    assert hidden_question.title == "Hidden question about redundancies"


def test_moderators_still_see_hidden_posts_in_the_admin(client_for, mo, hidden_posts):
    hidden_question, _ = hidden_posts
    mo.groups.add(*Group.objects.filter(name="Helpdesk"))  # the admin's question views need its permissions

    assert "redundancies" in client_for(mo).get("/admin/qa_questions/").content.decode()
    assert client_for(mo).get(f"/admin/qa_questions/edit/{hidden_question.pk}/").status_code == 200
