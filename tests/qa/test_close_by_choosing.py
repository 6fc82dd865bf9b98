"""Closing as a duplicate by choosing the original from a list (similar questions and a search box),
refusing originals that cannot be one, and telling the asker, answerers and followers."""

import pytest

from community.listening.follows import follow
from community.models import Notification
from qa.models import AuditEntry, Question

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def close_page(client, question, **params):
    return client.get(f"/qa/questions/{question.pk}/close/", params).content.decode()


def close(client, question, **data):
    return client.post(f"/qa/questions/{question.pk}/close/", data, follow=True)


def test_it_offers_similar_open_questions_as_choices(client_for, helen, alice, bob, question):
    original = ask(bob, title="VPN will not connect from the office")
    closed = ask(bob, title="VPN will not connect at all")
    closed.close(helen, "off_topic")

    html = close_page(client_for(helen), question)

    assert f'name="duplicate_of" type="radio" value="{original.pk}"' in html
    assert f'value="{closed.pk}"' not in html
    assert f'value="{question.pk}"' not in html


def test_the_search_box_finds_other_questions_by_words_or_number(client_for, helen, bob, question):
    printer = ask(bob, title="Printer on floor 3 jams", tags=("printing",))

    by_words = close_page(client_for(helen), question, q="printer jams")
    by_number = close_page(client_for(helen), question, q=str(printer.pk))

    for html in (by_words, by_number):
        assert f'name="duplicate_of" type="radio" value="{printer.pk}"' in html
    assert 'value="printer jams"' in by_words
    assert "No open question matches “zebra crossing”." in close_page(client_for(helen), question, q="zebra crossing")


def test_choosing_closes_and_tells_the_asker_answerers_and_followers_once(client_for, helen, alice, bob, charlie):
    original = ask(bob, title="VPN will not connect from the office")
    question = ask(alice)
    answer(question, bob)
    follow(charlie, question)

    response = close(client_for(helen), question, reason="duplicate", duplicate_of=str(original.pk))

    assert "The asker, answerers and followers were told." in response.content.decode()
    question.refresh_from_db()
    assert question.duplicate_of == original
    for person in (alice, bob, charlie):
        told = Notification.objects.get(recipient=person, event_type="qa.question_closed")
        assert told.data["original_url"] == original.get_absolute_url()
    assert not Notification.objects.filter(recipient=helen, event_type="qa.question_closed").exists()
    html = client_for(alice).get("/notifications/").content.decode()
    assert f"as a duplicate of {original.title}" in html  # the row is one link, to the closed question


def test_reopening_tells_them_too(client_for, helen, alice, bob, question):
    answer(question, bob)
    question.close(helen, "off_topic")

    client_for(helen).post(f"/qa/questions/{question.pk}/reopen/")

    for person in (alice, bob):
        assert Notification.objects.filter(recipient=person, event_type="qa.question_reopened").count() == 1


@pytest.mark.parametrize("kind", ["self", "hidden", "closed", "duplicate"])
def test_it_refuses_originals_that_cannot_be_one(client_for, helen, mo, bob, alice, question, kind):
    other = ask(bob, title="VPN will not connect from the office")
    if kind == "hidden":
        other.hide(mo)
    elif kind == "closed":
        other.close(helen, "off_topic")
    elif kind == "duplicate":
        other.close(helen, "duplicate", duplicate_of=ask(bob, title="A third VPN question"))
    target = question if kind == "self" else other

    response = close(client_for(helen), question, reason="duplicate", duplicate_of=str(target.pk))

    assert response.status_code == 400
    assert '<p id="duplicate_of-error" class="govuk-error-message">' in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN
    assert not Notification.objects.filter(event_type="qa.question_closed", object_id=question.pk).exists()


def test_a_loop_is_refused(client_for, helen, alice, bob):
    first = ask(alice, title="First VPN question")
    second = ask(bob, title="Second VPN question")
    first.close(helen, "duplicate", duplicate_of=second)

    response = close(client_for(helen), second, reason="duplicate", duplicate_of=str(first.pk))

    assert "is itself a duplicate" in response.content.decode()
    second.refresh_from_db()
    assert second.status == Question.Status.OPEN


def test_closing_and_reopening_are_audited(helen, question):
    original = ask(question.author, title="The original VPN question")
    question.close(helen, "duplicate", duplicate_of=original, note="Same error")
    question.reopen(helen)

    assert [(e.actor, e.action, e.why) for e in AuditEntry.objects.order_by("created_at", "pk")] == [
        (helen, AuditEntry.Action.CLOSED_DUPLICATE, "It is a duplicate of another question: Same error"),
        (helen, AuditEntry.Action.REOPENED, ""),
    ]
