"""@mentions: the person named is told once per post, by their email preference, only if they can
see the post; unknown and deactivated names tell nobody and the author is told so; the
autocomplete lists only active colleagues and is rate-limited."""

import pytest
from django.core import mail

from community.models import EmailFrequency, Notification
from ideas.models import Idea
from qa.models import Question
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask
from tests.qa.test_comments import comment_data

pytestmark = pytest.mark.django_db


def mentions_of(user):
    return list(Notification.objects.filter(recipient=user, event_type="community.mention"))


def test_a_question_tells_the_person_it_mentions_once_however_often_it_is_edited(alice, bob, charlie):
    question = ask(alice, body="@bob can you look? Thanks @alice")

    told = mentions_of(bob)
    assert len(told) == 1
    assert told[0].url == question.get_absolute_url()
    assert told[0].data["excerpt"] == "@bob can you look? Thanks @alice"
    assert mentions_of(alice) == []  # not told of their own name
    question.edit(alice, question.title, "@bob can you look again? And @charlie too", [])
    assert len(mentions_of(bob)) == 1
    assert len(mentions_of(charlie)) == 1


def test_the_notification_reads_as_a_mention(client_for, alice, bob):
    ask(alice, title="Printer on floor 3", body="@bob knows printers")

    html = client_for(bob).get("/notifications/").content.decode()

    assert "Alice Archer mentioned you in" in html
    assert "Printer on floor 3" in html


def test_a_mention_follows_the_persons_email_preference(alice, bob, charlie, django_capture_on_commit_callbacks):
    wants_email(bob, EmailFrequency.IMMEDIATELY)
    wants_email(charlie, EmailFrequency.OFF)

    with django_capture_on_commit_callbacks(execute=True):
        ask(alice, body="@bob and @charlie, any ideas?")

    assert [message.to for message in mail.outbox] == [["bob@example.org"]]
    assert "mentioned you" in mail.outbox[0].subject
    assert len(mentions_of(charlie)) == 1  # still told in Confer


def test_nobody_who_cannot_see_a_hidden_question_is_told(alice, bob, mo):
    question = ask(alice, body="Nothing yet")
    question.hide(mo)

    question.edit(alice, question.title, "Still stuck, @bob and @mo", [])

    assert mentions_of(bob) == []
    assert len(mentions_of(mo)) == 1


def test_answers_and_comments_tell_the_people_they_mention(alice, bob, charlie, client_for):
    question = ask(alice)
    reply = answer(question, bob, body="@charlie fixed this last week")
    assert mentions_of(charlie)[0].url == reply.get_absolute_url()

    data = comment_data(question, "See @alice's note")
    response = client_for(bob).post(f"/qa/questions/{question.pk}/comment/", data)

    assert response.status_code == 302
    told = mentions_of(alice)
    assert len(told) == 1 and "#c" in told[0].url
    assert told[0].title == question.title


def test_ideas_and_their_comments_tell_the_people_they_mention(alice, bob, charlie, client_for):
    idea = Idea.submit(alice, "Quiet room", "@bob suggested it first", [])
    assert len(mentions_of(bob)) == 1

    client_for(bob).post(f"/ideas/ideas/{idea.pk}/comment/", comment_data(idea, "Good one @charlie"))

    assert mentions_of(charlie)[0].url.startswith(f"{idea.get_absolute_url()}#c")


def test_unknown_and_deactivated_names_tell_nobody_and_the_author_hears_so(alice_client, bob):
    bob.is_active = False
    bob.save()

    response = alice_client.post(
        "/qa/ask/", {"title": "Who runs payroll?", "body": "Asking @bob and @ghost", "tags": ""}, follow=True
    )

    html = response.content.decode()
    assert "Your question has been posted." in html
    assert "Nobody was told about @bob, @ghost" in html
    assert not Notification.objects.filter(event_type="community.mention").exists()
    question = Question.objects.get()
    assert "/people/bob/" not in question.body_html and "@ghost" in question.body_html


def test_the_autocomplete_lists_only_active_colleagues(alice_client, bob, charlie, django_user_model):
    bob.profile.display_name = "Chris Baker"
    bob.profile.save()
    django_user_model.objects.create_user("chris.gone", is_active=False)

    people = alice_client.get("/mentions/people/", {"q": "@ch"}).json()["people"]

    assert people == [{"username": "charlie", "name": "charlie"}, {"username": "bob", "name": "Chris Baker"}]
    assert alice_client.get("/mentions/people/", {"q": ""}).json() == {"people": []}


def test_the_autocomplete_costs_the_same_few_queries(alice_client, django_assert_max_num_queries, django_user_model):
    for number in range(30):
        django_user_model.objects.create_user(f"sam{number}")

    with django_assert_max_num_queries(6):
        people = alice_client.get("/mentions/people/", {"q": "sam"}).json()["people"]

    assert len(people) == 8


def test_the_autocomplete_is_rate_limited_and_needs_signing_in(alice_client, client, settings):
    settings.CONFER_MENTION_LOOKUP_RATE = "2/h"

    statuses = [alice_client.get("/mentions/people/", {"q": "a"}).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    client.logout()
    assert client.get("/mentions/people/", {"q": "a"}).status_code == 302
