"""The helpdesk queue as a team's workspace: three tabs with counts, filters by tag and age, assign to
me / to a colleague / unassign, and "still correct" in bulk, every decision audited."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from community.listening.models import Notification
from qa.models import Answer, AuditEntry, Question

from ..conftest import make_user
from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def days_ago(question, days):
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


def overdue(reply, days):
    """Make ``reply``'s verification ``days`` past its review-by date (as time passing would)."""
    Answer.objects.filter(pk=reply.pk).update(review_by=today() - datetime.timedelta(days=days))
    Question.objects.filter(pk=reply.question_id).refresh_answer_state()


@pytest.fixture
def work(alice, bob, helen):
    unanswered = ask(alice, title="Printer jams on floor 3", tags=["printers"])
    days_ago(unanswered, 10)
    fresh = ask(alice, title="New laptop will not boot", tags=["laptops"])
    unverified = ask(alice, title="How do I claim mileage?", tags=["expenses"])
    answer(unverified, bob)
    a_little = ask(alice, title="Where is the VPN guide?", tags=["vpn"])
    a_lot = ask(alice, title="How do I reset my password?", tags=["passwords"])
    replies = {}
    for question, days in ((a_little, 2), (a_lot, 40)):
        reply = answer(question, bob)
        reply.verify(helen, today() + datetime.timedelta(days=30))
        overdue(reply, days)
        replies[question.pk] = reply
    return {"unanswered": unanswered, "fresh": fresh, "unverified": unverified, "a_little": a_little,
            "a_lot": a_lot, "replies": replies}  # fmt: skip


def titles(response):
    return [q.title for q in response.context["page"].object_list]


def test_each_tab_has_its_count(client_for, helen, work):
    response = client_for(helen).get("/qa/helpdesk/")

    counts = {tab["key"]: tab["count"] for tab in response.context["tabs"]}
    assert counts == {"unanswered": "2", "unverified": "1", "due": "2"}
    html = response.content.decode()
    assert 'Due for review <span class="govuk-tag govuk-tag--grey">2</span>' in html


def test_due_for_review_is_most_overdue_first_and_says_by_how_much(client_for, helen, work):
    response = client_for(helen).get("/qa/helpdesk/", {"tab": "due"})

    assert titles(response) == ["How do I reset my password?", "Where is the VPN guide?"]
    html = response.content.decode()
    assert "Overdue by 40 days" in html and "Overdue by 2 days" in html


def test_it_filters_by_tag_and_by_age(client_for, helen, work):
    client = client_for(helen)

    assert titles(client.get("/qa/helpdesk/", {"tag": "laptops"})) == ["New laptop will not boot"]
    assert titles(client.get("/qa/helpdesk/", {"age": "7"})) == ["Printer jams on floor 3"]
    assert titles(client.get("/qa/helpdesk/", {"tab": "due", "age": "30"})) == ["How do I reset my password?"]
    assert titles(client.get("/qa/helpdesk/", {"tag": "no-such-tag"})) == []
    # Nonsense falls back to the defaults rather than failing.
    assert client.get("/qa/helpdesk/", {"tab": "bogus", "age": "x"}).status_code == 200


def act(client, questions, tab="unanswered", **data):
    return client.post(
        "/qa/helpdesk/act/", {"questions": [q.pk for q in questions], "next": f"/qa/helpdesk/?tab={tab}", **data}
    )


def test_assign_to_me_from_a_row_shows_the_assignee_and_is_audited(client_for, helen, work):
    client = client_for(helen)

    response = client.post("/qa/helpdesk/act/", {"row": f"assign_me:{work['unanswered'].pk}"}, follow=True)

    work["unanswered"].refresh_from_db()
    assert work["unanswered"].assignee == helen
    assert "Assigned 1 question to you." in response.content.decode()
    entry = AuditEntry.about(work["unanswered"]).get()
    assert (entry.actor, entry.action, entry.why) == (helen, AuditEntry.Action.ASSIGNED, "Assigned to helen")
    card = client.get("/qa/helpdesk/").content.decode().split(f'id="queue-{work["unanswered"].pk}"')[1]
    assert '<dd class="govuk-summary-list__value">You</dd>' in card.split('class="govuk-summary-card"')[0]


def test_a_colleague_sees_who_has_it_and_can_take_it_over_or_unassign(client_for, helen, work, django_user_model):
    hana = make_user(django_user_model, "hana", "Helpdesk")
    work["unanswered"].assign(helen, helen)

    page = client_for(hana).get("/qa/helpdesk/").content.decode()
    assert '<dd class="govuk-summary-list__value">helen</dd>' in page

    act(client_for(hana), [work["unanswered"]], action="unassign")
    work["unanswered"].refresh_from_db()
    assert work["unanswered"].assignee is None
    assert list(AuditEntry.about(work["unanswered"]).values_list("action", flat=True)) == [
        AuditEntry.Action.UNASSIGNED, AuditEntry.Action.ASSIGNED,
    ]  # fmt: skip


def test_it_assigns_several_to_a_colleague_in_the_helpdesk(client_for, helen, work, django_user_model):
    hana = make_user(django_user_model, "hana", "Helpdesk")

    response = act(client_for(helen), [work["unanswered"], work["fresh"]], action="assign", assignee="hana")

    assert response.status_code == 302
    # Hana hears of each question given to her, once; nobody hears of taking one themselves.
    told = Notification.objects.filter(event_type="qa.question_assigned")
    assert sorted(told.values_list("recipient__username", "title")) == [
        ("hana", "New laptop will not boot"), ("hana", "Printer jams on floor 3"),
    ]  # fmt: skip
    act(client_for(helen), [work["unanswered"]], action="assign", assignee="hana")
    act(client_for(hana), [work["fresh"]], action="assign_me")
    assert told.count() == 2
    assert set(Question.objects.filter(assignee=hana).values_list("pk", flat=True)) == {
        work["unanswered"].pk, work["fresh"].pk,
    }  # fmt: skip


@pytest.mark.parametrize(("data", "message"), [
    ({"action": "assign", "assignee": "alice"}, "Only people in the helpdesk can be assigned questions"),
    ({"action": "assign", "assignee": "nobody-by-that-name"}, "Only people in the helpdesk can be assigned questions"),
    ({"action": "assign", "assignee": ""}, "Choose who to assign the selected questions to"),
    ({"action": "promote"}, "Choose what to do with the selected questions"),
    ({}, "Choose what to do with the selected questions"),
])  # fmt: skip
def test_bad_input_gets_a_clear_message_and_changes_nothing(client_for, helen, work, data, message):
    response = act(client_for(helen), [work["unanswered"]], **data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'value="{work["unanswered"].pk}" checked>' in html  # the ticks are kept
    assert not Question.objects.filter(assignee__isnull=False).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ASSIGNED).exists()


def test_it_asks_for_a_question_to_be_ticked(client_for, helen, work):
    response = act(client_for(helen), [], action="assign_me")

    assert response.status_code == 400
    assert "Select at least one question" in response.content.decode()


def test_still_correct_in_bulk_verifies_the_due_answers_again(client_for, helen, work):
    response = act(client_for(helen), [work["a_little"], work["a_lot"]], tab="due", action="verify_6")

    assert response.status_code == 302
    assert response["Location"] == "/qa/helpdesk/?tab=due"
    for reply in work["replies"].values():
        reply.refresh_from_db()
        assert reply.review_by > today() + datetime.timedelta(days=180)
        assert AuditEntry.about(reply).filter(action=AuditEntry.Action.REVERIFIED, actor=helen).exists()
    assert not Question.objects.helpdesk_due().exists()


def test_still_correct_in_bulk_changes_nothing_when_a_question_has_nothing_due(client_for, helen, work):
    response = act(client_for(helen), [work["a_lot"], work["unverified"]], tab="due", action="verify_3")

    assert response.status_code == 400
    assert "“How do I claim mileage?” has no verified answer due for review" in response.content.decode()
    reply = work["replies"][work["a_lot"].pk]
    reply.refresh_from_db()
    assert reply.review_by == today() - datetime.timedelta(days=40)


@pytest.mark.parametrize("fixture", ["alice", "mo", "dita"])
def test_only_the_helpdesk_works_the_queue(client_for, request, work, fixture):
    response = act(client_for(request.getfixturevalue(fixture)), [work["unanswered"]], action="assign_me")

    assert response.status_code == 403
    assert not Question.objects.filter(assignee__isnull=False).exists()


def test_the_model_refuses_to_assign_someone_outside_the_helpdesk(helen, alice, work):
    with pytest.raises(ValidationError, match="is not in the helpdesk"):
        work["unanswered"].assign(helen, alice)
