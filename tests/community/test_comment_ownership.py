"""Owning your comment: edit it (its HTML made again, the newly @named told); delete it while nobody
has replied (a confirmation page first); once someone has, withdraw it instead: others see
"Withdrawn by the author" and the replies stay. Only its author may edit, delete or withdraw it;
refusals say why and lose nothing. The same on questions, answers and ideas."""

import django_comments
import pytest

from community.comment_html import CommentHtml
from community.models import Notification
from ideas.models import Idea
from tests.contracts.kinds import comment_data
from tests.ideas.conftest import submit
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


def comments():
    return list(django_comments.get_model().objects.order_by("thread_id", "order"))


def post(client, address, target, text, parent=None):
    return client.post(address, comment_data(target, text, parent), follow=True)


def on_question(client, question, text, parent=None):
    return post(client, f"/qa/questions/{question.pk}/comment/", question, text, parent)


def delete_url(comment):
    return f"/comments/{comment.pk}/delete/"


def withdraw_url(comment):
    return f"/comments/{comment.pk}/withdraw/"


def test_it_asks_first_then_deletes_a_comment_nobody_replied_to(client_for, alice, bob):
    question = ask(alice)
    on_question(client_for(bob), question, "Which VPN client?")
    [comment] = comments()
    client = client_for(bob)

    page = client.get(question.get_absolute_url()).content.decode()
    confirm = client.get(delete_url(comment))
    assert f'href="{delete_url(comment)}">Delete' in page
    assert "Are you sure you want to delete your comment?" in confirm.content.decode()
    assert "Which VPN client?" in confirm.content.decode()
    assert comments() == [comment]

    response = client.post(delete_url(comment), follow=True)

    assert response.redirect_chain == [(question.get_absolute_url(), 302)]
    assert "Your comment has been deleted." in response.content.decode()
    assert comments() == []


def test_only_its_author_may_delete_or_withdraw_a_comment(client_for, alice, bob, mo):
    question = ask(alice)
    on_question(client_for(bob), question, "Which VPN client?")
    [comment] = comments()

    for user in (alice, mo):
        for address, refusal in (
            (delete_url(comment), "Only the person who wrote this comment can delete it."),
            (withdraw_url(comment), "Only the person who wrote this comment can withdraw it."),
        ):
            seen = client_for(user).get(address)
            posted = client_for(user).post(address)
            assert seen.status_code == posted.status_code == 403
            assert refusal in posted.content.decode()
    assert comments() == [comment]
    assert not CommentHtml.objects.filter(withdrawn_at__isnull=False).exists()
    assert delete_url(comment) not in client_for(alice).get(question.get_absolute_url()).content.decode()


def test_after_a_reply_deleting_is_refused_and_withdrawing_shows_others_only_that(client_for, alice, bob):
    question = ask(alice)
    on_question(client_for(bob), question, "Try the *old* client")
    [first] = comments()
    on_question(client_for(alice), question, "Which version is old?", parent=first)

    refused = client_for(bob).post(delete_url(first), follow=True)
    offered = refused.content.decode()
    withdrawn = client_for(bob).post(withdraw_url(first), follow=True)

    assert (
        "Someone has replied to this comment, so it can no longer be deleted. You can withdraw it instead." in offered
    )
    assert f'href="{withdraw_url(first)}">Withdraw' in offered
    assert "Your comment has been withdrawn." in withdrawn.content.decode()
    others = client_for(alice).get(question.get_absolute_url()).content.decode()
    assert "Withdrawn by the author" in others
    assert "<em>old</em>" not in others
    assert "Which version is old?" in others
    own = client_for(bob).get(question.get_absolute_url()).content.decode()
    assert "<em>old</em>" in own
    assert len(comments()) == 2


def test_a_withdrawn_comment_takes_no_replies(client_for, alice, bob, charlie):
    question = ask(alice)
    on_question(client_for(bob), question, "Try the old client")
    [first] = comments()
    on_question(client_for(alice), question, "Which one?", parent=first)
    client_for(bob).post(withdraw_url(first))

    response = on_question(client_for(charlie), question, "Version 4", parent=first)

    assert "You cannot reply to that comment." in response.content.decode()
    assert len(comments()) == 2


def test_comments_on_answers_are_deleted_the_same_way(client_for, alice, bob, charlie):
    question = ask(alice)
    reply = answer(question, bob)
    post(client_for(charlie), f"/qa/answers/{reply.pk}/comment/", reply, "Did it work for you?")
    [comment] = comments()

    page = client_for(charlie).get(question.get_absolute_url()).content.decode()
    response = client_for(charlie).post(delete_url(comment), follow=True)

    assert f'href="{delete_url(comment)}">Delete' in page
    assert response.redirect_chain == [(reply.get_absolute_url(), 302)]
    assert comments() == []


def test_deleting_a_comment_on_an_idea_counts_it_off(client_for, alice, bob):
    idea = submit(alice)
    post(client_for(bob), f"/ideas/ideas/{idea.pk}/comment/", idea, "Hot desks too?")
    [comment] = comments()
    assert Idea.objects.get(pk=idea.pk).comment_count == 1

    client_for(bob).post(delete_url(comment))

    assert comments() == []
    assert Idea.objects.get(pk=idea.pk).comment_count == 0


def edit_url(comment):
    return f"/comments/{comment.pk}/edit/"


def mentions_of(user):
    return Notification.objects.filter(recipient=user, event_type="community.mention").count()


def test_the_author_edits_a_comment_its_html_is_made_again_and_only_the_newly_named_hear(
    client_for, alice, bob, charlie
):
    question = ask(alice)
    on_question(client_for(bob), question, "Ask @alice about it")
    [comment] = comments()
    page = client_for(bob).get(question.get_absolute_url()).content.decode()
    form = client_for(bob).get(edit_url(comment))

    response = client_for(bob).post(edit_url(comment), {"comment": "Ask @alice or @charlie about **it**"}, follow=True)

    assert f'href="{edit_url(comment)}">Edit' in page
    assert "Ask @alice about it" in form.content.decode()
    html = response.content.decode()
    assert "Your changes have been saved." in html
    assert "<strong>it</strong>" in CommentHtml.objects.get(comment=comment).body_html
    assert "<strong>it</strong>" in html
    assert mentions_of(alice) == 1
    assert mentions_of(charlie) == 1


def test_editing_a_comment_refuses_bad_input_and_keeps_the_text(client_for, alice, bob):
    question = ask(alice)
    on_question(client_for(bob), question, "Which VPN client?")
    [comment] = comments()

    empty = client_for(bob).post(edit_url(comment), {"comment": "  "})
    long = client_for(bob).post(edit_url(comment), {"comment": "x" * 3001})

    assert empty.status_code == long.status_code == 400
    assert "Enter a comment" in empty.content.decode()
    assert "Comments must be 3,000 characters or fewer" in long.content.decode()
    assert "x" * 3001 in long.content.decode()
    assert comments()[0].comment == "Which VPN client?"


def test_only_its_author_may_edit_a_comment_and_not_once_withdrawn(client_for, alice, bob, mo):
    question = ask(alice)
    on_question(client_for(bob), question, "Which VPN client?")
    [comment] = comments()

    for user in (alice, mo):
        response = client_for(user).post(edit_url(comment), {"comment": "Not mine"})
        assert response.status_code == 403
        assert "Only the person who wrote this comment can edit it." in response.content.decode()
    client_for(bob).post(withdraw_url(comment))
    late = client_for(bob).post(edit_url(comment), {"comment": "Changed"})

    assert late.status_code == 403
    assert "You withdrew this comment, so it can no longer be edited." in late.content.decode()
    assert comments()[0].comment == "Which VPN client?"
