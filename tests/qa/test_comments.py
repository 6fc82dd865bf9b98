"""Threaded comments on questions (django-comments-xtd), with follow-up emails."""

import django_comments
import pytest
from django.core import mail
from django_comments_xtd import utils as xtd_utils

from .conftest import ask

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _emails_in_the_request(monkeypatch):
    # django-comments-xtd sends from a thread by default; send in line so the outbox can be checked.
    monkeypatch.setattr("django_comments_xtd.views.send_mail", xtd_utils._send_mail)


def comment_data(question, text, parent=None, followup=False):
    data = django_comments.get_form()(question, comment=parent).generate_security_data()
    data.update({"comment": text, "reply_to": parent.pk if parent else 0})
    if followup:
        data["followup"] = "on"
    return data


def post_comment(client, question, text, **kwargs):
    return client.post(f"/qa/questions/{question.pk}/comment/", comment_data(question, text, **kwargs), follow=True)


def comments():
    return list(django_comments.get_model().objects.order_by("thread_id", "order"))


def test_it_threads_replies_under_their_comment(client_for, alice, bob, question):
    post_comment(client_for(bob), question, "Which version?")
    parent = comments()[0]

    response = post_comment(client_for(alice), question, "Version 5.2", parent=parent)

    first, reply = comments()
    assert (reply.parent_id, reply.level, reply.thread_id) == (parent.pk, 1, parent.pk)
    assert f'id="c{reply.pk}" class="govuk-!-margin-left-4' in response.content.decode()


def test_it_refuses_replies_deeper_than_three_levels(client_for, alice, bob, question):
    post_comment(client_for(bob), question, "Level 0")
    for level in range(1, 4):
        post_comment(client_for(alice), question, f"Level {level}", parent=comments()[-1])
    assert [c.level for c in comments()] == [0, 1, 2, 3]

    response = post_comment(client_for(bob), question, "Level 4", parent=comments()[-1])

    assert "You cannot reply to that comment." in response.content.decode()
    assert len(comments()) == 4


def test_it_emails_people_who_asked_to_follow_up(client_for, alice, bob, charlie, question):
    post_comment(client_for(alice), question, "Any news?", followup=True)
    post_comment(client_for(charlie), question, "Not following this one")
    mail.outbox.clear()

    post_comment(client_for(bob), question, "Fixed in the new client.")

    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert "Fixed in the new client." in mail.outbox[0].body


def test_it_does_not_email_the_person_who_commented(client_for, alice, question):
    post_comment(client_for(alice), question, "First", followup=True)
    mail.outbox.clear()

    post_comment(client_for(alice), question, "Second")

    assert mail.outbox == []


def test_it_refuses_a_tampered_form(client_for, bob, question):
    data = comment_data(question, "Hello")
    data["security_hash"] = "0" * 40

    response = client_for(bob).post(f"/qa/questions/{question.pk}/comment/", data)

    assert response.status_code == 400
    assert comments() == []


def test_it_refuses_an_overlong_comment_keeping_what_was_typed(client_for, bob, question):
    response = post_comment(client_for(bob), question, "x" * 3001)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Comments must be 3,000 characters or fewer" in html
    assert ">" + "x" * 3001 + "</textarea>" in html
    assert comments() == []


def test_it_keeps_a_refused_reply_under_its_comment(client_for, alice, bob, question):
    post_comment(client_for(bob), question, "Which version?")
    parent = comments()[0]

    response = post_comment(client_for(alice), question, "y" * 3001, parent=parent)

    assert response.status_code == 400
    html = response.content.decode()
    assert html.index(f'id="c{parent.pk}"') < html.index("y" * 3001 + "</textarea>") < html.index("Add a comment")
    assert len(comments()) == 1


def test_it_escapes_comment_text(client_for, bob, question):
    response = post_comment(client_for(bob), question, "<script>alert(1)</script>")

    assert "<script>alert(1)" not in response.content.decode()
    assert "&lt;script&gt;alert(1)" in response.content.decode()


def test_it_keeps_comments_off_hidden_questions(client_for, bob, mo, question):
    question.hide(mo)

    response = client_for(bob).post(f"/qa/questions/{question.pk}/comment/", comment_data(question, "Hello"))

    assert response.status_code == 404
    assert comments() == []


def test_it_does_not_serve_the_comment_apps_own_post_reply_or_api_urls(client_for, bob, mo, question):
    # Comments go through Confer's own views, which apply each post's visibility and rate limits.
    data = comment_data(question, "Posted straight to django-comments")
    client = client_for(bob)

    assert client.post("/comments/post/", data).status_code == 404
    assert client.get("/comments/reply/1/").status_code == 404
    assert client.get("/comments/api/qa-question/1/").status_code == 404
    assert comments() == []


def test_it_marks_the_question_as_recently_active(client_for, bob, question):
    before = question.last_activity_at

    post_comment(client_for(bob), question, "Bump")

    question.refresh_from_db()
    assert question.last_activity_at > before


def test_a_refused_comment_costs_nothing_and_a_saved_one_costs_one(client_for, alice, bob, mo, question, settings):
    # The allowance is checked and counted in one place (community.comments.post_comment), once,
    # and only when the comment is saved.
    settings.QA_POST_RATE = "2/h"
    hidden = ask(alice, title="Hidden question")
    hidden.hide(mo)
    other = ask(alice, title="Other question")
    post_comment(client_for(alice), question, "From alice")
    post_comment(client_for(alice), other, "Elsewhere")
    mine, elsewhere = comments()
    client = client_for(bob)

    assert client.post(f"/qa/questions/{hidden.pk}/comment/", comment_data(hidden, "Hello")).status_code == 404
    assert post_comment(client, question, "   ").status_code == 400
    assert "You cannot reply" in post_comment(client, question, "Sneaky", parent=elsewhere).content.decode()
    assert post_comment(client, question, "One", parent=mine).status_code == 200
    assert post_comment(client, question, "Two").status_code == 200
    response = post_comment(client, question, "Three")

    assert response.status_code == 429
    assert [c.comment for c in comments() if c.user == bob] == ["One", "Two"]


def test_a_hidden_question_takes_comments_only_from_those_who_can_see_it(alice, bob, mo, question):
    from django.core.exceptions import PermissionDenied

    question.hide(mo)

    with pytest.raises(PermissionDenied, match="hidden"):
        question.check_can_comment(bob)
    question.check_can_comment(alice)  # the author
    question.check_can_comment(mo)


def test_the_author_and_moderators_can_still_comment_on_a_hidden_question(client_for, alice, mo, question):
    question.hide(mo)

    response = post_comment(client_for(mo), question, "Hidden while we check the details.")

    assert "Your comment has been added." in response.content.decode()
    assert [c.comment for c in comments()] == ["Hidden while we check the details."]
