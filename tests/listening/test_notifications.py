"""Who hears about what: each follower once, never the person who acted; the in-app list."""

import datetime
import re

import django_comments
import pytest
from django.core import mail
from django.utils import timezone
from taggit.models import Tag

from community.listening.follows import follow
from community.listening.notifications import notify
from community.models import EmailFrequency, Notification
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask
from tests.qa.test_comments import post_comment

pytestmark = pytest.mark.django_db


def recipients(event_type):
    return sorted(Notification.objects.filter(event_type=event_type).values_list("recipient__username", flat=True))


def test_it_tells_followers_of_a_tag_about_a_new_question(alice, bob, charlie, helen):
    vpn = Tag.objects.create(name="vpn", slug="vpn")
    follow(bob, vpn)
    follow(charlie, vpn)

    ask(alice, tags=["vpn"])

    assert recipients("qa.new_question") == ["bob", "charlie"]


def test_it_tells_each_follower_once_however_many_ways_they_follow(alice, bob):
    vpn, wifi = Tag.objects.create(name="vpn", slug="vpn"), Tag.objects.create(name="wifi", slug="wifi")
    for thing in (vpn, wifi, alice):
        follow(bob, thing)

    ask(alice, tags=["vpn", "wifi"])

    assert recipients("qa.new_question") == ["bob"]


def test_it_never_tells_the_person_who_acted(alice, bob):
    vpn = Tag.objects.create(name="vpn", slug="vpn")
    follow(alice, vpn)
    follow(alice, alice)

    question = ask(alice, tags=["vpn"])
    answer(question, alice, "Solved it myself: restart the router.")

    assert not Notification.objects.filter(recipient=alice).exists()


def test_it_tells_the_asker_and_followers_about_a_new_answer(alice, bob, charlie, helen):
    question = ask(alice)
    follow(charlie, question)

    answer(question, bob)

    assert recipients("qa.new_answer") == ["alice", "charlie"]
    notification = Notification.objects.get(recipient=alice)
    assert notification.title == question.title
    assert notification.url.startswith(question.get_absolute_url())
    assert notification.tag_names == ["vpn"]


def test_it_tells_the_answerer_when_their_answer_is_accepted_or_verified(alice, bob, helen):
    question = ask(alice)
    reply = answer(question, bob)

    question.accept(reply, alice)
    reply.verify(helen)

    assert recipients("qa.answer_accepted") == ["bob"]
    assert recipients("qa.answer_verified") == ["alice", "bob"]


def test_it_leaves_out_people_who_have_left(alice, bob):
    vpn = Tag.objects.create(name="vpn", slug="vpn")
    follow(bob, vpn)
    bob.is_active = False
    bob.save()

    ask(alice, tags=["vpn"])

    assert not Notification.objects.exists()


def test_it_refuses_an_unregistered_event_type(alice, bob):
    with pytest.raises(LookupError, match="Unknown notification event type"):
        notify("qa.no_such_event", actor=alice, target=bob, recipients=[bob])
    assert not Notification.objects.exists()


def test_it_emails_straight_away_only_those_who_asked_for_it(alice, bob, charlie, django_capture_on_commit_callbacks):
    question = ask(alice)
    follow(charlie, question)
    wants_email(alice, EmailFrequency.IMMEDIATELY)
    wants_email(charlie, EmailFrequency.DAILY)

    with django_capture_on_commit_callbacks(execute=True):
        answer(question, bob)

    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    message = mail.outbox[0]
    assert message.subject == f"Bob Baker answered {question.title}"
    assert "http://" in message.body and "Unsubscribe" in message.body
    html = message.alternatives[0][0]
    assert f'href="http://127.0.0.1:8000{question.get_absolute_url()}' in html
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(recipient=alice).emailed_at is not None
    assert Notification.objects.get(recipient=charlie).emailed_at is None


def test_it_shows_the_unread_count_in_the_header(client_for, alice, bob):
    question = ask(alice)
    answer(question, bob)

    html = client_for(alice).get("/qa/").content.decode()

    assert 'id="notifications-link">Notifications <span class="confer-header__count">1</span>' in html


def test_it_lists_notifications_and_marks_them_read(client_for, alice, bob):
    question = ask(alice)
    reply = answer(question, bob)
    notification = Notification.objects.get(recipient=alice)
    client = client_for(alice)

    html = client.get("/notifications/").content.decode()
    assert "Bob Baker answered" in html and question.title in html

    response = client.get(notification.get_absolute_url())  # the link on the list and in emails
    assert response.status_code == 302 and response["Location"] == f"{question.get_absolute_url()}#answer-{reply.pk}"
    notification.refresh_from_db()
    assert notification.is_read


def test_a_bare_get_planted_in_a_post_does_not_mark_a_notification_read(client_for, alice, bob):
    # An image or link in a post pointing at /notifications/<pk>/ made readers' browsers mark theirs read.
    question = ask(alice)
    answer(question, bob)
    notification = Notification.objects.get(recipient=alice)
    client = client_for(alice)

    for address in (f"/notifications/{notification.pk}/", f"/notifications/{notification.pk}/?t=guess"):
        assert client.get(address).status_code == 302  # still leads to the answer
    notification.refresh_from_db()
    assert not notification.is_read


def test_it_marks_one_read_with_htmx_and_updates_the_header_count(client_for, alice, bob, charlie):
    question = ask(alice)
    answer(question, bob)
    answer(question, charlie, "Try the other VPN profile.")
    notification = Notification.objects.filter(recipient=alice).first()

    response = client_for(alice).post(f"/notifications/{notification.pk}/read/", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert (
        'id="notifications-link" hx-swap-oob="true">Notifications <span class="confer-header__count">1</span>' in html
    )
    notification.refresh_from_db()
    assert notification.is_read


def test_it_marks_all_read(client_for, alice, bob, charlie):
    question = ask(alice)
    answer(question, bob)
    answer(question, charlie, "Try the other VPN profile.")
    client = client_for(alice)

    response = client.post("/notifications/read-all/", follow=True)

    assert "Marked 2 notifications as read." in response.content.decode()
    assert not Notification.objects.filter(recipient=alice).unread().exists()


def test_it_keeps_notifications_private(client_for, alice, bob, charlie):
    question = ask(alice)
    answer(question, bob)
    notification = Notification.objects.get(recipient=alice)
    client = client_for(charlie)

    assert client.get(f"/notifications/{notification.pk}/").status_code == 404
    assert client.post(f"/notifications/{notification.pk}/read/").status_code == 404
    notification.refresh_from_db()
    assert not notification.is_read


def test_it_tells_followers_about_comments(client_for, alice, bob):
    question = ask(alice)

    response = post_comment(client_for(bob), question, "Which VPN client version is it?")

    assert response.status_code == 200
    assert recipients("qa.new_comment") == ["alice"]
    assert "Which VPN client version" in Notification.objects.get(recipient=alice).data["comment"]


def test_it_tells_nobody_who_cannot_see_a_hidden_question_about_it(
    client_for, alice, bob, charlie, mo, django_capture_on_commit_callbacks
):
    question = ask(alice)
    follow(bob, question)
    follow(mo, question)
    wants_email(bob, EmailFrequency.IMMEDIATELY)
    question.hide(mo)

    with django_capture_on_commit_callbacks(execute=True):
        answer(question, alice, "Found it: the certificate had expired.")
        post_comment(client_for(alice), question, "Also check the clock on your laptop.")

    assert recipients("qa.new_answer") == ["mo"]
    assert recipients("qa.new_comment") == ["mo"]
    assert not Notification.objects.filter(recipient=bob).exists()
    assert mail.outbox == []


def test_it_tells_followers_once_that_an_answer_was_accepted_however_often_the_asker_changes_their_mind(
    alice, bob, charlie, dita
):
    question = ask(alice)
    first, second = answer(question, bob), answer(question, charlie, "Try the other VPN profile.")
    follow(dita, question)

    question.accept(first, alice)
    question.accept(second, alice)
    question.accept(first, alice)

    for person in (dita, bob, charlie):
        told = Notification.objects.filter(event_type="qa.answer_accepted", recipient=person)
        assert sorted(told.values_list("object_id", flat=True)) == [first.pk, second.pk]


def test_it_does_not_tell_followers_again_when_the_helpdesk_renews_a_verification(alice, bob, helen):
    question = ask(alice)
    reply = answer(question, bob)

    reply.verify(helen, timezone.localdate() + datetime.timedelta(days=30))
    reply.verify(helen, timezone.localdate() + datetime.timedelta(days=300))

    assert recipients("qa.answer_verified") == ["alice", "bob"]


def test_it_links_a_comment_notification_to_the_comment(client_for, alice, bob):
    question = ask(alice)

    post_comment(client_for(bob), question, "Which VPN client version is it?")

    comment = django_comments.get_model().objects.get()
    notification = Notification.objects.get(recipient=alice, event_type="qa.new_comment")
    assert notification.data["comment_id"] == comment.pk
    assert notification.url == f"{question.get_absolute_url()}#c{comment.pk}"
    assert client_for(alice).get(f"/notifications/{notification.pk}/")["Location"].endswith(f"#c{comment.pk}")


def test_it_reads_back_what_it_wrote_through_the_events_index_not_the_whole_table(alice, bob):
    """``notify`` returns the rows it wrote, found by their event: an index lookup, whatever the
    number of notifications ever sent (with the recipient first in the index it walked all of it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.scale import query_plan

    question = ask(alice)
    with CaptureQueriesContext(connection) as queries:
        [told] = notify("qa.new_answer", actor=alice, target=question, recipients=[bob])
    [read_back] = [
        query["sql"] for query in queries if query["sql"].startswith("SELECT") and "event_id" in query["sql"]
    ]

    assert told.recipient == bob
    if connection.vendor == "sqlite":
        assert re.search(
            r"SEARCH community_notification USING (COVERING )?INDEX \S+ \(event_id=", query_plan(read_back)
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'community_notification_once_per_event'")
            [(definition,)] = cursor.fetchall()
        assert "(event_id, recipient_id)" in definition
