"""Notifications in two lists: "For you" (about your own content, or addressed to you) and
"Following"; filterable by kind; each row one link, which opens it only with its token; and a new
account's first visit starts at zero."""

import re

import pytest
from django.test import Client
from taggit.models import Tag

from community.listening.follows import follow
from community.listening.models import Notification
from community.listening.notifications import notify
from tests.conftest import PASSWORD
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


def rows(html: str) -> list[str]:
    return re.findall(r'<li class="confer-notification.*?</li>', html, re.S)


def test_it_puts_an_answer_to_your_question_under_for_you_and_news_you_follow_under_following(
    client_for, alice, bob, charlie
):
    follow(alice, Tag.objects.create(name="excel", slug="excel"))
    mine = ask(alice, title="How do I claim travel expenses?", tags=["expenses"])
    answer(mine, bob)
    ask(charlie, title="Pivot tables keep breaking", tags=["excel"])
    client = client_for(alice)

    for_you = client.get("/notifications/").content.decode()
    following = client.get("/notifications/?tab=following").content.decode()

    assert "How do I claim travel expenses?" in for_you and "Pivot tables keep breaking" not in for_you
    assert "Pivot tables keep breaking" in following and "How do I claim travel expenses?" not in following
    assert Notification.objects.get(recipient=alice, event_type="qa.new_answer").for_you
    assert not Notification.objects.get(recipient=alice, event_type="qa.new_question").for_you


def test_it_tells_a_follower_of_someone_elses_question_under_following(client_for, alice, bob, charlie):
    question = ask(alice)
    follow(charlie, question)
    answer(question, bob)

    assert not Notification.objects.get(recipient=charlie, event_type="qa.new_answer").for_you


def test_it_filters_by_kind(client_for, alice, bob, mo):
    question = ask(alice, title="How do I claim travel expenses?", tags=["expenses"])
    answer(question, bob)
    notify("qa.question_closed", actor=mo, target=question, recipients=[alice], data={"reason": "Off topic"})
    client = client_for(alice)

    answers = client.get("/notifications/?kind=qa.new_answer").content.decode()
    unknown = client.get("/notifications/?kind=no.such.kind")

    assert len(rows(answers)) == 1 and "answered" in rows(answers)[0]
    assert '<option value="qa.new_answer" selected>' in answers
    assert unknown.status_code == 200 and len(rows(unknown.content.decode())) == 2


def test_each_row_is_one_link_that_opens_the_notification(client_for, alice, bob):
    question = ask(alice)
    answer(question, bob)
    notification = Notification.objects.get(recipient=alice)

    [row] = rows(client_for(alice).get("/notifications/").content.decode())

    links = re.findall(r'<a [^>]*href="([^"]+)"', row)
    assert links == [notification.get_absolute_url().replace("&", "&amp;")]
    assert "Mark as read" in row  # a button, not a link


def test_opening_without_the_token_does_not_mark_it_read(client_for, alice, bob):
    answer(ask(alice), bob)
    notification = Notification.objects.get(recipient=alice)

    client_for(alice).get(f"/notifications/{notification.pk}/")
    notification.refresh_from_db()

    assert notification.read_at is None


def test_a_new_accounts_first_visit_starts_at_zero(alice, bob):
    follow(alice, Tag.objects.create(name="vpn", slug="vpn"))
    for number in range(3):
        ask(bob, title=f"VPN question {number}", tags=["vpn"])
    browser = Client()

    browser.post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    html = browser.get("/notifications/?tab=following").content.decode()

    assert Notification.objects.filter(recipient=alice).count() == 3  # kept, not deleted
    assert not Notification.objects.filter(recipient=alice, read_at__isnull=True).exists()
    assert 'id="notifications-link">Notifications</a>' in html  # no unread count
    assert len(rows(html)) == 3


def test_a_later_sign_in_keeps_what_is_unread(alice, bob):
    follow(alice, Tag.objects.create(name="vpn", slug="vpn"))
    Client().post("/accounts/login/", {"username": "alice", "password": PASSWORD})
    ask(bob, title="VPN question", tags=["vpn"])

    Client().post("/accounts/login/", {"username": "alice", "password": PASSWORD})

    assert Notification.objects.filter(recipient=alice, read_at__isnull=True).count() == 1
