"""Up and down votes: one per person per post, changeable and withdrawable, never on your own post."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError

from qa.models import Vote

from .conftest import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply(question, bob):
    return answer(question, bob)


def vote(client, post, value, **headers):
    kind = "questions" if post.kind == "question" else "answers"
    return client.post(f"/qa/{kind}/{post.pk}/vote/", {"value": value}, **headers)


def test_it_lets_a_voter_change_their_mind(client_for, charlie, reply):
    client = client_for(charlie)
    vote(client, reply, "up")

    vote(client, reply, "down")

    reply.refresh_from_db()
    assert reply.score == -1
    assert Vote.objects.filter(user=charlie).count() == 1


def test_it_never_lets_you_vote_on_your_own_post(client_for, alice, bob, question, reply):
    for user, post in ((alice, question), (bob, reply)):
        response = vote(client_for(user), post, "up")

        post.refresh_from_db()
        assert response.status_code == 403
        assert f"You cannot vote on your own {post.kind}." in response.content.decode()
        assert post.score == 0
    assert not Vote.objects.exists()


def test_it_answers_htmx_with_the_updated_vote_buttons(client_for, charlie, question):
    response = vote(client_for(charlie), question, "up", HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="vote-question-{question.pk}"' in html
    assert 'value="withdraw"' in html and 'aria-pressed="true"' in html
    assert "You voted this question up." in html


def test_it_refuses_a_nonsense_value(client_for, charlie, question):
    response = vote(client_for(charlie), question, "sideways", follow=True)

    assert "Choose to vote up or down." in response.content.decode()
    assert not Vote.objects.exists()


def test_it_refuses_withdrawing_a_vote_never_cast(charlie, question):
    with pytest.raises(ValidationError, match="You have not voted"):
        question.vote(charlie, 0)


def test_it_hides_hidden_posts_from_voters(client_for, charlie, mo, question):
    question.hide(mo)

    assert vote(client_for(charlie), question, "up").status_code == 404
    assert not Vote.objects.exists()


def test_the_database_allows_one_vote_per_person_per_post(charlie, question, reply):
    Vote.objects.create(user=charlie, question=question, value=1)
    Vote.objects.create(user=charlie, answer=reply, value=1)

    with pytest.raises(IntegrityError):
        Vote.objects.create(user=charlie, question=question, value=-1)


def test_the_database_refuses_a_vote_on_nothing_or_on_both(charlie, question, reply):
    from django.db import transaction

    for fields in ({}, {"question": question, "answer": reply}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Vote.objects.create(user=charlie, value=1, **fields)


def test_the_model_refuses_own_votes(bob, reply):
    with pytest.raises(PermissionDenied):
        reply.vote(bob, 1)
