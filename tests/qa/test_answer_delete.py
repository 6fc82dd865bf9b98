"""Owning your answer: delete it while nobody has commented on it (a confirmation page first), and
once someone has, withdraw it instead: others see "Withdrawn by the author", the comments and the
history stay. Only its author may do either; refusals say why and lose nothing."""

import django_comments
import pytest
from django.test import Client

from qa.models import Answer, Question

from ..contracts.kinds import comment_data
from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def delete_url(reply):
    return f"/qa/answers/{reply.pk}/delete/"


def withdraw_url(reply):
    return f"/qa/answers/{reply.pk}/withdraw/"


def comment_on(client, reply, text="Which client version?"):
    return client.post(f"/qa/answers/{reply.pk}/comment/", comment_data(reply, text), follow=True)


def under(html, reply):
    return html.split(f'id="answer-{reply.pk}"')[1].split("</article>")[0]


def test_it_asks_first_and_deletes_only_when_confirmed(client_for, alice, bob):
    question = ask(alice)
    reply = answer(question, bob)
    client = client_for(bob)

    page = client.get(question.get_absolute_url()).content.decode()
    confirm = client.get(delete_url(reply))

    assert f'href="{delete_url(reply)}">Delete' in page
    assert f'href="{withdraw_url(reply)}"' not in page
    assert confirm.status_code == 200
    assert "Are you sure you want to delete your answer?" in confirm.content.decode()
    assert Answer.objects.filter(pk=reply.pk).exists()


def test_it_deletes_the_answer_with_the_forms_token_and_the_question_counts_it_no_more(alice, bob):
    question = ask(alice)
    reply = answer(question, bob)
    question.accept(reply, alice)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bob)
    html = browser.get(delete_url(reply)).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = browser.post(delete_url(reply), {"csrfmiddlewaretoken": token}, follow=True)

    assert response.redirect_chain == [(question.get_absolute_url(), 302)]
    assert "Your answer has been deleted." in response.content.decode()
    assert not Answer.objects.filter(pk=reply.pk).exists()
    question.refresh_from_db()
    assert (question.answer_count, question.has_accepted_answer) == (0, False)


def test_votes_are_not_replies(client_for, alice, bob):
    reply = answer(ask(alice), bob)
    reply.vote(alice, 1)

    client_for(bob).post(delete_url(reply))

    assert not Answer.objects.filter(pk=reply.pk).exists()


def test_only_its_author_may_delete_or_withdraw_it(client_for, alice, bob, helen, mo):
    question = ask(alice)
    reply = answer(question, bob)

    for user in (alice, helen, mo):
        for address, refusal in (
            (delete_url(reply), "Only the person who answered can delete this answer."),
            (withdraw_url(reply), "Only the person who answered can withdraw this answer."),
        ):
            seen = client_for(user).get(address)
            posted = client_for(user).post(address)
            assert seen.status_code == posted.status_code == 403
            assert refusal in posted.content.decode()
    reply.refresh_from_db()
    assert reply.withdrawn_at is None
    page = client_for(alice).get(question.get_absolute_url()).content.decode()
    assert delete_url(reply) not in page and withdraw_url(reply) not in page


def test_once_someone_has_commented_deleting_is_refused_and_withdrawing_offered(client_for, alice, bob):
    question = ask(alice)
    reply = answer(question, bob)
    comment_on(client_for(alice), reply)

    response = client_for(bob).post(delete_url(reply), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(reply.get_absolute_url(), 302)]
    assert "Someone has commented on this answer, so it can no longer be deleted. You can withdraw it instead." in html
    assert Answer.objects.filter(pk=reply.pk, withdrawn_at__isnull=True).exists()
    assert f'href="{withdraw_url(reply)}">Withdraw' in html
    assert f'href="{delete_url(reply)}"' not in html


def test_a_withdrawn_answer_shows_others_only_that_and_keeps_its_comments_and_history(client_for, alice, bob, mo):
    question = ask(alice)
    reply = answer(question, bob, "Restart the router behind the sofa.")
    reply.edit(bob, "Restart the router behind the sofa, then wait a minute.")
    comment_on(client_for(alice), reply, "That did it, thank you")
    confirm = client_for(bob).get(withdraw_url(reply))

    response = client_for(bob).post(withdraw_url(reply), follow=True)

    assert "Are you sure you want to withdraw your answer?" in confirm.content.decode()
    assert "Your answer has been withdrawn." in response.content.decode()
    others = under(client_for(alice).get(question.get_absolute_url()).content.decode(), reply)
    assert "Withdrawn by the author" in others
    assert "router behind the sofa" not in others
    assert "That did it, thank you" in others
    assert "Comment on this answer" not in others
    assert client_for(alice).get(f"/qa/answers/{reply.pk}/history/").status_code == 404
    for insider in (bob, mo):
        own = under(client_for(insider).get(question.get_absolute_url()).content.decode(), reply)
        assert "router behind the sofa" in own and "Withdrawn by the author" in own
        assert client_for(insider).get(f"/qa/answers/{reply.pk}/history/").status_code == 200
    assert reply.revisions.count() == 2
    assert Question.objects.get(pk=question.pk).answer_count == 0


def test_a_withdrawn_answer_takes_no_more_comments_edits_nor_acceptance(client_for, alice, bob):
    question = ask(alice)
    reply = answer(question, bob, "Restart the router behind the sofa.")
    comment_on(client_for(alice), reply)
    client_for(bob).post(withdraw_url(reply))

    commented = comment_on(client_for(alice), reply, "One more thing")
    edited = client_for(bob).post(f"/qa/answers/{reply.pk}/edit/", {"body": "Something else"})
    accepted = client_for(alice).post(f"/qa/answers/{reply.pk}/accept/", {"action": "accept"}, follow=True)
    again = client_for(bob).post(withdraw_url(reply), follow=True)

    assert "This answer was withdrawn by its author, so it takes no comments." in commented.content.decode()
    assert django_comments.get_model().objects.count() == 1
    assert edited.status_code == 403
    assert "This answer was withdrawn by its author, so it can no longer be edited." in edited.content.decode()
    assert "Its author withdrew this answer, so it cannot be accepted." in accepted.content.decode()
    assert "You have withdrawn this answer already." in again.content.decode()
    reply.refresh_from_db()
    assert reply.body == "Restart the router behind the sofa." and not reply.is_accepted


def test_withdrawing_an_accepted_answer_takes_the_mark_off_the_question(client_for, alice, bob):
    question = ask(alice)
    reply = answer(question, bob)
    question.accept(reply, alice)

    client_for(bob).post(withdraw_url(reply))

    question.refresh_from_db()
    assert (question.answer_count, question.has_accepted_answer) == (0, False)


def test_search_leaves_a_withdrawn_answer_out(client_for, alice, bob):
    question = ask(alice, title="Printer on floor two", body="It jams", tags=["printers"])
    reply = answer(question, bob, "Lift the green lever inside the drawer")
    comment_on(client_for(alice), reply)

    def found():
        response = client_for(alice).get("/search/", {"q": "green lever", "type": "answers"})
        return [hit["object"].title for hit in response.context["hits"]]

    before = found()
    client_for(bob).post(withdraw_url(reply))

    assert before == ["Printer on floor two"]
    assert found() == []
