"""Helpdesk and moderators close questions (as duplicates or for other reasons) and reopen them."""

import pytest
from django.db import IntegrityError, transaction

from qa.models import Question

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def original(bob):
    return ask(bob, title="VPN error 809 when working from home")


def close(client, question, **data):
    return client.post(f"/qa/questions/{question.pk}/close/", data)


def test_it_closes_a_duplicate_with_a_banner_linking_the_original(client_for, helen, alice_client, question, original):
    response = close(client_for(helen), question, reason="duplicate", duplicate_of=str(original.pk))

    question.refresh_from_db()
    assert response.status_code == 302
    assert question.status == Question.Status.DUPLICATE
    assert question.duplicate_of == original
    assert question.closed_by == helen
    html = alice_client.get(question.get_absolute_url()).content.decode()
    assert "This question is a duplicate of" in html
    assert f'href="{original.get_absolute_url()}">{original.title}</a>' in html
    assert "cannot take new answers" in html


def test_it_accepts_a_pasted_link_to_the_original(client_for, mo, question, original):
    close(client_for(mo), question, reason="duplicate", duplicate_of=f"http://testserver{original.get_absolute_url()}")

    question.refresh_from_db()
    assert question.duplicate_of == original


def test_it_leaves_duplicates_out_of_lists_and_lists_them_on_the_original(alice_client, helen, question, original):
    question.close(helen, "duplicate", duplicate_of=original)

    titles = [q.title for q in alice_client.get("/qa/").context["page"].object_list]
    assert titles == [original.title]
    assert "Also asked as" in alice_client.get(original.get_absolute_url()).content.decode()


@pytest.mark.parametrize("fixture", ["alice", "bob"])
def test_it_refuses_people_outside_the_helpdesk_and_moderators(client_for, request, question, original, fixture):
    client = client_for(request.getfixturevalue(fixture))

    assert client.get(f"/qa/questions/{question.pk}/close/").status_code == 403
    assert close(client, question, reason="duplicate", duplicate_of=str(original.pk)).status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_it_refuses_a_duplicate_of_itself(client_for, helen, question):
    response = close(client_for(helen), question, reason="duplicate", duplicate_of=str(question.pk))

    assert response.status_code == 400
    assert "A question cannot be a duplicate of itself." in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_it_refuses_a_duplicate_of_a_duplicate(client_for, helen, alice, question, original):
    third = ask(alice, title="Third VPN question")
    original.close(helen, "duplicate", duplicate_of=third)

    response = close(client_for(helen), question, reason="duplicate", duplicate_of=str(original.pk))

    assert "is itself a duplicate" in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Enter the original question’s link or number"), ("nonsense", "Enter a question number"),
     ("99999", "There is no question with that number")],
)  # fmt: skip
def test_it_explains_a_missing_or_unknown_original(client_for, helen, question, value, message):
    response = close(client_for(helen), question, reason="duplicate", duplicate_of=value)

    assert message in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_it_points_earlier_duplicates_at_the_new_original(helen, alice, question, original):
    older = ask(alice, title="Older duplicate")
    older.close(helen, "duplicate", duplicate_of=question)

    question.close(helen, "duplicate", duplicate_of=original)

    older.refresh_from_db()
    assert older.duplicate_of == original


def test_it_closes_for_another_reason_with_a_note(client_for, helen, alice_client, question):
    close(client_for(helen), question, reason="outdated", note="The old VPN was replaced in May.")

    question.refresh_from_db()
    assert question.status == Question.Status.CLOSED
    html = alice_client.get(question.get_absolute_url()).content.decode()
    assert "This question is closed: it is no longer relevant." in html
    assert "The old VPN was replaced in May." in html


def test_it_refuses_an_unknown_reason(client_for, helen, question):
    response = close(client_for(helen), question, reason="because")

    assert "Select a valid choice" in response.content.decode()
    question.refresh_from_db()
    assert question.status == Question.Status.OPEN


def test_it_reopens_a_closed_question(client_for, helen, question, original):
    question.close(helen, "duplicate", duplicate_of=original)

    client_for(helen).post(f"/qa/questions/{question.pk}/reopen/")

    question.refresh_from_db()
    assert question.status == Question.Status.OPEN
    assert question.duplicate_of is None


def test_it_refuses_reopening_to_staff(alice_client, helen, question):
    question.close(helen, "unclear")

    assert alice_client.post(f"/qa/questions/{question.pk}/reopen/").status_code == 403
    question.refresh_from_db()
    assert question.status == Question.Status.CLOSED


def test_it_refuses_new_answers_on_a_closed_question(client_for, helen, bob, question):
    question.close(helen, "off_topic")

    response = client_for(bob).post(f"/qa/questions/{question.pk}/answer/", {"body": "Too late"}, follow=True)

    assert "This question is closed, so it cannot take new answers." in response.content.decode()
    assert not question.answers.exists()


def test_it_suggests_possible_originals_on_the_close_form(client_for, helen, question, original):
    response = client_for(helen).get(f"/qa/questions/{question.pk}/close/")

    assert original.title in response.content.decode()
    assert question not in response.context["similar"]


def test_the_database_refuses_a_question_that_duplicates_itself(question):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(status="duplicate", duplicate_of=question)


def test_the_database_refuses_a_duplicate_without_an_original(question):
    with pytest.raises(IntegrityError), transaction.atomic():
        Question.objects.filter(pk=question.pk).update(status="duplicate")


def test_answers_stay_on_a_closed_question(helen, bob, question, original):
    answer(question, bob)

    question.close(helen, "duplicate", duplicate_of=original)

    assert question.answers.count() == 1


def test_it_refuses_to_close_a_question_that_is_already_closed(client_for, helen, question, original):
    question.close(helen, "duplicate", duplicate_of=original)

    response = close(client_for(helen), question, reason="outdated")

    assert "This question is already closed. Reopen it first." in response.content.decode()
    question.refresh_from_db()
    assert (question.status, question.duplicate_of, question.close_reason) == ("duplicate", original, "duplicate")
