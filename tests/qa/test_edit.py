"""Authors and the helpdesk edit questions and answers; every edit keeps a revision, shown as a diff."""

import pytest

from qa.models import Question, Revision

from .conftest import answer

pytestmark = pytest.mark.django_db


def edit_question(client, question, follow=False, **changes):
    data = {"title": question.title, "body": question.body, "tags": "vpn", "summary": "", **changes}
    return client.post(f"/qa/questions/{question.pk}/edit/", data, follow=follow)


def test_it_lets_the_author_edit_and_keeps_a_revision(alice_client, alice, question):
    response = edit_question(alice_client, question, body="It says error 809.\n\nI am on BT broadband.",
                             tags="vpn, remote working", summary="Added my broadband")  # fmt: skip

    question.refresh_from_db()
    assert response.status_code == 302
    assert "BT broadband" in question.body_html
    assert question.tag_names() == ["remote working", "vpn"]
    assert question.edited_at is not None
    latest = question.revisions.last()
    assert (latest.editor, latest.summary) == (alice, "Added my broadband")
    assert question.revisions.count() == 2


def test_it_shows_what_changed_as_a_diff(alice_client, question):
    edit_question(alice_client, question, title="VPN error 809 from home", body="New first line")

    html = alice_client.get(f"/qa/questions/{question.pk}/history/").content.decode()

    assert "Revision 2" in html and "Original" in html
    assert "Title changed" in html and "Body changed" in html
    assert '<del><span class="govuk-visually-hidden">Removed: </span>− VPN will not connect from home</del>' in html
    assert '<ins><span class="govuk-visually-hidden">Added: </span>+ VPN error 809 from home</ins>' in html


def test_it_lets_the_helpdesk_edit_anyones_question(client_for, helen, question):
    edit_question(client_for(helen), question, tags="vpn, networking")

    question.refresh_from_db()
    assert question.tag_names() == ["networking", "vpn"]
    assert question.revisions.last().editor == helen


@pytest.mark.parametrize("fixture", ["bob", "mo"])
def test_it_refuses_other_people(client_for, request, question, fixture):
    client = client_for(request.getfixturevalue(fixture))

    assert client.get(f"/qa/questions/{question.pk}/edit/").status_code == 403
    response = edit_question(client, question, title="Vandalised")

    assert response.status_code == 403
    question.refresh_from_db()
    assert question.title == "VPN will not connect from home"
    assert question.revisions.count() == 1


def test_it_records_nothing_when_nothing_changed(alice_client, question):
    response = edit_question(alice_client, question, follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert question.revisions.count() == 1


@pytest.mark.parametrize(
    "changes", [{"title": ""}, {"body": "x" * 30_001}, {"tags": "a,b,c,d,e,f"}, {"tags": "<i>x</i>"}]
)
def test_it_refuses_bad_edits_and_changes_nothing(alice_client, question, changes):
    response = edit_question(alice_client, question, **changes)

    assert response.status_code == 400
    assert b"There is a problem" in response.content
    question.refresh_from_db()
    assert question.title == "VPN will not connect from home"
    assert question.tag_names() == ["vpn"]
    assert question.revisions.count() == 1


def test_it_moves_the_address_when_the_title_changes(alice_client, question):
    old_url = question.get_absolute_url()
    edit_question(alice_client, question, title="VPN error 809")

    response = alice_client.get(old_url)

    assert response.status_code == 301
    assert response["Location"] == Question.objects.get().get_absolute_url() == f"/qa/{question.pk}/vpn-error-809/"


def test_it_lets_the_author_and_helpdesk_edit_an_answer(client_for, bob, helen, question):
    reply = answer(question, bob, "Restart it.")

    client_for(bob).post(f"/qa/answers/{reply.pk}/edit/", {"body": "Restart it twice."})
    client_for(helen).post(
        f"/qa/answers/{reply.pk}/edit/", {"body": "Restart it twice, then call us.", "summary": "Tidied"}
    )

    reply.refresh_from_db()
    assert reply.body == "Restart it twice, then call us."
    assert [r.editor for r in reply.revisions.all()] == [bob, bob, helen]
    html = client_for(bob).get(f"/qa/answers/{reply.pk}/history/").content.decode()
    assert "Revision 3" in html and "“Tidied”" in html


def test_it_refuses_to_let_others_edit_an_answer(alice_client, bob, question):
    reply = answer(question, bob, "Restart it.")

    response = alice_client.post(f"/qa/answers/{reply.pk}/edit/", {"body": "Mine now"})

    assert response.status_code == 403
    reply.refresh_from_db()
    assert reply.body == "Restart it."


def test_it_previews_an_edit_without_saving(alice_client, question):
    response = edit_question(alice_client, question, body="**Bold** new text", preview="1")

    assert "<strong>Bold</strong>" in response.content.decode()
    question.refresh_from_db()
    assert "Bold" not in question.body


def test_a_revision_is_needed_for_every_post(question):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Revision.objects.create(body="orphan")


def test_it_treats_tags_that_differ_only_in_case_as_unchanged(alice_client, alice):
    from .conftest import ask

    question = ask(alice, title="Mixed case", tags=["VPN", "Excel"])

    response = edit_question(alice_client, question, tags="vpn, excel", follow=True)

    assert "Nothing was changed." in response.content.decode()
    assert question.revisions.count() == 1


def test_it_words_an_overlong_edit_summary_the_site_way(client_for, bob, question):
    reply = answer(question, bob)

    response = client_for(bob).post(f"/qa/answers/{reply.pk}/edit/", {"body": "New words", "summary": "x" * 201})

    html = response.content.decode()
    assert "What you changed must be 200 characters or fewer" in html
    assert "Ensure this value" not in html
    reply.refresh_from_db()
    assert reply.body == "Restart the VPN client, then sign in again."
