"""A notification shows its post as the post stands now: its current title, and nothing at all
once the post is hidden from the person it was made for (lists, emails and digests alike)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from taggit.models import Tag

from community.listening.emails import send_digests
from community.listening.follows import follow
from community.models import EmailFrequency
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(datetime.datetime(2026, 11, 23, 7, 0))


@pytest.fixture
def followed_question(alice, bob):
    """Bob follows vpn and hears of alice's question, then of charlie's answer on it."""
    follow(bob, Tag.objects.create(name="vpn", slug="vpn"))
    return ask(alice, title="Salary of the new director", tags=["vpn"])


def test_a_hidden_question_leaves_colleagues_notification_lists(client_for, bob, mo, charlie, followed_question):
    follow(bob, followed_question)
    answer(followed_question, charlie)
    followed_question.hide(mo)

    html = client_for(bob).get("/notifications/?tab=following").content.decode()

    assert "Salary of the new director" not in html


def test_a_hidden_question_still_shows_to_its_author_and_moderators(client_for, alice, bob, mo, followed_question):
    answer(followed_question, bob)
    followed_question.hide(mo)

    assert "Salary of the new director" in client_for(alice).get("/notifications/").content.decode()


def test_a_notification_follows_an_edited_title(client_for, alice, bob, followed_question):
    followed_question.edit(alice, "VPN drops every hour", followed_question.body, ["vpn"])

    html = client_for(bob).get("/notifications/?tab=following").content.decode()

    assert "VPN drops every hour" in html
    assert "Salary of the new director" not in html


def test_a_hidden_question_goes_out_in_no_later_digest(bob, mo, followed_question):
    wants_email(bob, EmailFrequency.DAILY, auto_follow=False)
    followed_question.hide(mo)

    send_digests(now=MONDAY)

    assert not [message for message in mail.outbox if "Salary" in message.body]


def test_a_digest_carries_the_current_title(alice, bob, followed_question):
    wants_email(bob, EmailFrequency.DAILY, auto_follow=False)
    followed_question.edit(alice, "VPN drops every hour", followed_question.body, ["vpn"])

    send_digests(now=MONDAY)

    [message] = [message for message in mail.outbox if message.to == [bob.email]]
    assert "VPN drops every hour" in message.body
    assert "Salary" not in message.body


def test_the_list_costs_the_same_for_many(client_for, alice, bob, charlie, django_assert_max_num_queries):
    follow(bob, Tag.objects.get_or_create(name="vpn", slug="vpn")[0])
    for number in range(20):
        question = ask(alice, title=f"Question number {number}", tags=["vpn"])
        follow(bob, question)
        answer(question, charlie)
    client = client_for(bob)

    with django_assert_max_num_queries(14):
        response = client.get("/notifications/?tab=following")
    assert response.content.decode().count('class="govuk-link confer-notification__link"') == 25
