"""/qa/helpdesk/: the questions waiting for the helpdesk in three tabs, with their age; bulk tag edits.

(The tabs, their counts, filters, assignment and bulk actions: test_helpdesk_workspace.py.)"""

import datetime

import pytest
from django.utils import timezone

from qa.models import Question

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def days_ago(question, days):
    Question.objects.filter(pk=question.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))


@pytest.fixture
def queue(alice, bob, helen, mo):
    old = ask(alice, title="Old unanswered question", tags=["vpn"])
    days_ago(old, 20)  # under the shortest month, so the age reads the same whatever the date
    answered = ask(alice, title="Answered but not verified", tags=["excel"])
    answer(answered, bob)
    days_ago(answered, 10)
    newest = ask(alice, title="Brand new question", tags=["vpn"])
    verified = ask(alice, title="Verified question")
    answer(verified, bob).verify(helen, timezone.localdate() + datetime.timedelta(days=30))
    ask(alice, title="Closed question").close(helen, "off_topic")
    ask(alice, title="Hidden question").hide(mo)
    return {"old": old, "answered": answered, "newest": newest}


def test_it_lists_waiting_questions_oldest_first_with_their_age(client_for, helen, queue):
    client = client_for(helen)
    response = client.get("/qa/helpdesk/")

    assert response.status_code == 200
    assert [q.title for q in response.context["page"].object_list] == [
        "Old unanswered question", "Brand new question",
    ]  # fmt: skip
    html = response.content.decode()
    assert "2\xa0weeks, 6\xa0days" in html  # the age of the oldest
    assert '<strong class="govuk-tag govuk-tag--red">Unanswered</strong>' in html
    unverified = client.get("/qa/helpdesk/", {"tab": "unverified"})
    assert [q.title for q in unverified.context["page"].object_list] == ["Answered but not verified"]
    assert '<strong class="govuk-tag govuk-tag--yellow">Not verified</strong>' in unverified.content.decode()
    for page in (html, unverified.content.decode(), client.get("/qa/helpdesk/", {"tab": "due"}).content.decode()):
        assert "Verified question" not in page and "Closed question" not in page and "Hidden question" not in page


@pytest.mark.parametrize("fixture", ["alice", "mo", "dita"])
def test_it_is_for_the_helpdesk_only(client_for, request, fixture):
    response = client_for(request.getfixturevalue(fixture)).get("/qa/helpdesk/")

    assert response.status_code == 403
    assert b"Only the helpdesk can see the helpdesk queue." in response.content


def bulk(client, questions, **data):
    return client.post("/qa/helpdesk/tags/", {"questions": [q.pk for q in questions], **data}, follow=True)


def test_it_adds_and_removes_tags_in_bulk_and_keeps_revisions(client_for, helen, queue):
    response = bulk(client_for(helen), [queue["old"], queue["newest"]], add_tags="remote working, Networking",
                    remove_tags="vpn")  # fmt: skip

    assert "Tags changed on 2 questions." in response.content.decode()
    for question in (queue["old"], queue["newest"]):
        assert question.tag_names() == ["networking", "remote working"]
        assert question.revisions.last().editor == helen
    assert queue["answered"].tag_names() == ["excel"]


def test_it_changes_nothing_when_a_question_would_get_too_many_tags(client_for, helen, alice, queue):
    full = ask(alice, title="Five tags", tags=["a", "b", "c", "d", "e"])

    response = bulk(client_for(helen), [queue["old"], full], add_tags="networking")

    assert "would have more than 5 tags" in response.content.decode()
    assert queue["old"].tag_names() == ["vpn"]
    assert full.tag_names() == ["a", "b", "c", "d", "e"]


def test_it_keeps_the_ticked_questions_and_typed_tags_when_it_refuses(client_for, helen, alice, queue):
    full = ask(alice, title="Five tags", tags=["a", "b", "c", "d", "e"])

    response = client_for(helen).post(
        "/qa/helpdesk/tags/", {"questions": [queue["old"].pk, full.pk], "add_tags": "networking", "remove_tags": "x"}
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "would have more than 5 tags" in html
    assert f'value="{queue["old"].pk}" checked>' in html
    assert f'value="{full.pk}" checked>' in html
    assert f'value="{queue["newest"].pk}">' in html
    assert 'value="networking"' in html and 'value="x"' in html


def test_it_changes_nothing_when_a_question_would_have_no_tags(client_for, helen, queue):
    response = bulk(client_for(helen), [queue["old"]], remove_tags="vpn")

    assert "would have no tags left" in response.content.decode()
    assert queue["old"].tag_names() == ["vpn"]


@pytest.mark.parametrize(("data", "message"), [
    ({"add_tags": "<script>x</script>"}, "is not a valid tag"),
    ({}, "Enter tags to add or remove"),
])  # fmt: skip
def test_it_refuses_bad_tags_with_a_message(client_for, helen, queue, data, message):
    response = bulk(client_for(helen), [queue["old"]], **data)

    assert message in response.content.decode()
    assert queue["old"].tag_names() == ["vpn"]


def test_it_refuses_bulk_edits_from_outside_the_helpdesk(alice_client, queue):
    response = alice_client.post("/qa/helpdesk/tags/", {"questions": [queue["old"].pk], "add_tags": "x"})

    assert response.status_code == 403
    assert queue["old"].tag_names() == ["vpn"]
