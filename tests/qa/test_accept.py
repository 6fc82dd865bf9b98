"""The asker accepts one answer, and can change or withdraw it; nobody else can."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from qa.models import Answer

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(question, bob, charlie):
    return answer(question, bob, "First answer"), answer(question, charlie, "Second answer")


def accept(client, reply, action="accept", **headers):
    return client.post(f"/qa/answers/{reply.pk}/accept/", {"action": action}, **headers)


def accepted_pks():
    return list(Answer.objects.filter(is_accepted=True).values_list("pk", flat=True))


def test_it_lets_the_asker_accept_an_answer(alice_client, answers):
    response = accept(alice_client, answers[0], follow=True)

    assert accepted_pks() == [answers[0].pk]
    assert "Accepted by the asker" in response.content.decode()
    assert "You accepted an answer." in response.content.decode()


def test_it_moves_the_acceptance_when_the_asker_changes_their_mind(alice_client, answers):
    accept(alice_client, answers[0])

    accept(alice_client, answers[1])

    assert accepted_pks() == [answers[1].pk]


def test_it_lets_the_asker_withdraw_the_acceptance(alice_client, answers):
    accept(alice_client, answers[0])

    accept(alice_client, answers[0], action="unaccept")

    assert accepted_pks() == []


def test_it_refuses_anyone_but_the_asker(client_for, bob, helen, answers):
    for user in (bob, helen):
        response = accept(client_for(user), answers[0])

        assert response.status_code == 403
        assert "Only the person who asked can accept an answer." in response.content.decode()
    assert accepted_pks() == []


def test_it_leaves_an_accepted_answer_alone_when_someone_else_tries(alice_client, client_for, bob, answers):
    accept(alice_client, answers[0])

    accept(client_for(bob), answers[1])
    accept(client_for(bob), answers[0], action="unaccept")

    assert accepted_pks() == [answers[0].pk]


def test_it_answers_htmx_with_the_refreshed_answers(alice_client, answers):
    response = accept(alice_client, answers[1], HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.startswith('<section id="answers"')
    assert html.index("Second answer") < html.index("First answer")  # the accepted answer moves up
    assert "Accepted by the asker" in html


def test_it_says_so_when_the_answer_is_already_accepted(alice_client, answers):
    accept(alice_client, answers[0])

    response = accept(alice_client, answers[0], follow=True)

    assert "You have already accepted this answer." in response.content.decode()
    assert accepted_pks() == [answers[0].pk]


def test_it_refuses_a_hidden_answer(alice_client, alice, mo, answers):
    answers[0].hide(mo)

    with pytest.raises(ValidationError, match="hidden"):
        answers[0].question.accept(answers[0], alice)
    assert accepted_pks() == []


def test_it_refuses_an_answer_to_another_question(alice, bob, answers):
    other = ask(alice, title="Another question")

    with pytest.raises(ValidationError, match="another question"):
        other.accept(answers[0], alice)


def test_the_model_refuses_a_stranger(bob, answers):
    with pytest.raises(PermissionDenied):
        answers[0].question.accept(answers[0], bob)


def test_the_database_allows_one_accepted_answer_per_question(answers):
    Answer.objects.filter(pk=answers[0].pk).update(is_accepted=True)

    with pytest.raises(IntegrityError), transaction.atomic():
        Answer.objects.filter(pk=answers[1].pk).update(is_accepted=True)
