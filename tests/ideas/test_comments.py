"""Threaded comments on ideas (django-comments-xtd): counted on the idea, followers told."""

import django_comments
import pytest

from community.listening.follows import follow, is_following
from community.models import Notification
from ideas.models import Idea

pytestmark = pytest.mark.django_db


def comment_data(idea, text, parent=None):
    data = django_comments.get_form()(idea, comment=parent).generate_security_data()
    data.update({"comment": text, "reply_to": parent.pk if parent else 0})
    return data


def post_comment(client, idea, text, **kwargs):
    return client.post(f"/ideas/ideas/{idea.pk}/comment/", comment_data(idea, text, **kwargs), follow=True)


def comments():
    return list(django_comments.get_model().objects.order_by("thread_id", "order"))


def test_it_adds_a_comment_and_counts_it(client_for, bob, idea):
    response = post_comment(client_for(bob), idea, "Would this work for hot desks too?")

    html = response.content.decode()
    idea.refresh_from_db()
    assert "Your comment has been added." in html
    assert "Would this work for hot desks too?" in html
    assert idea.comment_count == 1
    assert is_following(bob, idea)


def test_it_threads_replies(client_for, alice, bob, idea):
    post_comment(client_for(bob), idea, "Hot desks too?")
    parent = comments()[0]

    response = post_comment(client_for(alice), idea, "Yes, those too.", parent=parent)

    _, reply = comments()
    assert (reply.parent_id, reply.level) == (parent.pk, 1)
    assert f'id="c{reply.pk}" class="govuk-!-margin-left-4' in response.content.decode()
    assert Idea.objects.get(pk=idea.pk).comment_count == 2


def test_it_tells_followers_but_not_the_commenter(client_for, alice, bob, charlie, idea):
    follow(charlie, idea)

    post_comment(client_for(bob), idea, "Good idea")

    told = set(Notification.objects.filter(event_type="ideas.new_comment").values_list("recipient__username",
                                                                                           flat=True))  # fmt: skip
    assert told == {"alice", "charlie"}


def test_the_notification_links_to_the_comment_itself(client_for, bob, idea):
    post_comment(client_for(bob), idea, "Good idea")

    [comment] = comments()
    notification = Notification.objects.get(event_type="ideas.new_comment", recipient__username="alice")
    assert notification.data["comment_id"] == comment.pk
    assert notification.url == f"{idea.get_absolute_url()}#c{comment.pk}"


def test_a_refused_comment_comes_back_with_what_was_typed(client_for, bob, idea):
    text = "Long thoughts. " * 250  # over 3,000 characters

    response = post_comment(client_for(bob), idea, text)

    assert response.status_code == 400
    html = response.content.decode()
    assert "Comments must be 3,000 characters or fewer" in html
    assert text.strip()[:200] in html
    assert not comments()


def test_a_comment_on_a_merged_idea_is_refused_and_costs_nothing(client_for, settings, alice, bob, mo, idea):
    from .conftest import submit

    settings.IDEAS_POST_RATE = "1/h"
    duplicate = submit(alice, title="Calendar booking for rooms")
    duplicate.merge_into(idea, mo)
    client = client_for(bob)

    refused = post_comment(client, Idea.objects.get(pk=duplicate.pk), "Late")
    saved = post_comment(client, idea, "On the original")
    over = post_comment(client, idea, "One too many")

    assert "Comment there instead." in refused.content.decode()
    assert "Your comment has been added." in saved.content.decode()
    assert over.status_code == 429
    assert [c.comment for c in comments()] == ["On the original"]
    assert Idea.objects.get(pk=idea.pk).comment_count == 1
