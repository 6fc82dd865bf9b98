"""The commentable contract: questions, answers and ideas take threaded comments through one path
(community.comments.post_comment), which checks the form and a reply's parent, keeps what was typed
when it refuses, and spends the poster's allowance only on a saved comment.

What differs stays with each kind: follow-up emails and hidden questions (tests/qa/test_comments.py),
counts, followers and merged ideas (tests/ideas/test_comments.py).
"""

import pytest

from .kinds import COMMENTABLE, comment_data, comments

pytestmark = pytest.mark.django_db

kinds = pytest.mark.parametrize("kind", COMMENTABLE, ids=str)


def post_comment(client, kind, post, text, parent=None):
    return client.post(kind.url(post), comment_data(post, text, parent), follow=True)


@kinds
def test_a_comment_is_added_under_the_post(kind, client_for, alice, bob):
    post = kind.make(alice)

    response = post_comment(client_for(bob), kind, post, "Would this work from home too?")

    html = response.content.decode()
    assert "Your comment has been added." in html
    assert "Would this work from home too?" in html
    [comment] = comments()
    assert (comment.user, comment.content_object) == (bob, post)
    assert kind.count(post) == 1


@kinds
def test_a_reply_is_threaded_under_its_comment(kind, client_for, alice, bob):
    post = kind.make(alice)
    post_comment(client_for(bob), kind, post, "Which version?")
    parent = comments()[0]

    response = post_comment(client_for(alice), kind, post, "Version 5.2", parent=parent)

    _, reply = comments()
    assert (reply.parent_id, reply.level, reply.thread_id) == (parent.pk, 1, parent.pk)
    assert f'id="c{reply.pk}" class="govuk-!-margin-left-4' in response.content.decode()
    assert kind.count(post) == 2


@kinds
def test_an_empty_comment_is_refused(kind, client_for, alice, bob):
    post = kind.make(alice)

    response = post_comment(client_for(bob), kind, post, "   ")

    assert response.status_code == 400
    assert "Enter a comment" in response.content.decode()
    assert comments() == []


@kinds
def test_an_overlong_comment_comes_back_with_what_was_typed(kind, client_for, alice, bob):
    post = kind.make(alice)
    text = "Long thoughts. " * 250  # over 3,000 characters

    response = post_comment(client_for(bob), kind, post, text)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Comments must be 3,000 characters or fewer" in html
    assert text.strip()[:200] in html
    assert comments() == []


@kinds
def test_a_reply_to_a_comment_on_another_post_is_refused(kind, client_for, alice, bob):
    post, other = kind.make(alice), kind.make(alice, "Another one entirely")
    post_comment(client_for(bob), kind, other, "Elsewhere")

    response = post_comment(client_for(bob), kind, post, "Sneaky reply", parent=comments()[0])

    assert "You cannot reply to that comment." in response.content.decode()
    assert [c.comment for c in comments()] == ["Elsewhere"]


@kinds
def test_comments_are_rate_limited_keeping_what_was_typed(kind, client_for, settings, alice, bob):
    setattr(settings, kind.rate_setting, "2/h")
    post = kind.make(alice)
    client = client_for(bob)
    post_comment(client, kind, post, "   ")  # refused: costs nothing
    for n in range(2):
        post_comment(client, kind, post, f"Comment {n}")

    response = post_comment(client, kind, post, "One too many, with a long explanation")

    html = response.content.decode()
    assert response.status_code == 429
    assert kind.rate_message in html
    assert ">One too many, with a long explanation</textarea>" in html
    assert [c.comment for c in comments()] == ["Comment 0", "Comment 1"]
    # Someone else still has their own allowance.
    assert "Your comment has been added." in post_comment(client_for(alice), kind, post, "Mine").content.decode()


@kinds
def test_a_comment_is_markdown_rendered_once_and_sanitised(kind, client_for, alice, bob):
    post = kind.make(alice)

    response = post_comment(
        client_for(bob), kind, post, "**Try** https://intranet.example/vpn, ask @alice <script>x()</script>"
    )

    html = response.content.decode()
    stored = comments()[0].html.body_html
    assert "<strong>Try</strong>" in stored
    assert '<a href="https://intranet.example/vpn" rel="nofollow noopener">' in stored
    assert '<a class="confer-mention" href="/people/alice/"' in stored
    assert "<script>" not in stored and "&lt;script&gt;" in stored
    assert stored in html
