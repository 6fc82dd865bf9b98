"""The votable contract: questions, answers and ideas take one vote per person, counted on the row,
withdrawable, refused twice with a message, answered in place for htmx, and exact under a rush.

What differs stays with each kind (up and down on Q&A, no votes on a closed idea, voting for your own
idea): tests/qa/test_votes.py and tests/ideas/test_votes.py.
"""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.concurrency import run_together
from tests.conftest import make_user

from .kinds import VOTABLE

pytestmark = pytest.mark.django_db

kinds = pytest.mark.parametrize("kind", VOTABLE, ids=str)


@pytest.fixture
def post_of(bob, charlie):
    """A post of the given kind by bob (an answer goes on charlie's question)."""
    return lambda kind: kind.make(bob, charlie)


@kinds
def test_a_vote_is_counted_on_the_row(kind, post_of, client_for, alice):
    post = post_of(kind)

    response = client_for(alice).post(kind.url(post), kind.up)

    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert kind.count(post) == 1
    assert list(kind.rows(post).values_list("user__username", flat=True)) == ["alice"]


@kinds
def test_a_voter_can_withdraw(kind, post_of, client_for, alice):
    post = post_of(kind)
    client = client_for(alice)
    client.post(kind.url(post), kind.up)

    response = client.post(kind.url(post), kind.withdraw, follow=True)

    assert kind.withdrawn in response.content.decode()
    assert kind.count(post) == 0
    assert not kind.rows(post).exists()


@kinds
def test_a_second_identical_vote_is_refused_with_a_message(kind, post_of, client_for, alice):
    post = post_of(kind)
    client = client_for(alice)
    client.post(kind.url(post), kind.up)

    response = client.post(kind.url(post), kind.up, follow=True)

    assert kind.already in response.content.decode()
    assert kind.count(post) == 1
    assert kind.rows(post).count() == 1


@kinds
def test_htmx_gets_the_updated_vote_buttons_alone(kind, post_of, client_for, alice):
    post = post_of(kind)

    response = client_for(alice).post(kind.url(post), kind.up, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'id="vote-{kind.name}-{post.pk}"' in html
    assert kind.voted in html
    assert 'value="withdraw"' in html


@kinds
def test_a_refusal_shows_inside_the_htmx_partial(kind, post_of, client_for, alice):
    post = post_of(kind)
    client = client_for(alice)
    client.post(kind.url(post), kind.up)

    response = client.post(kind.url(post), kind.up, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert kind.already in response.content.decode()
    assert kind.count(post) == 1


@kinds
def test_get_requests_are_refused(kind, post_of, client_for, alice):
    post = post_of(kind)

    assert client_for(alice).get(kind.url(post)).status_code == 405
    assert not kind.rows(post).exists()


@kinds
def test_a_forged_vote_without_a_csrf_token_is_refused(kind, post_of, alice):
    post = post_of(kind)
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert client.post(kind.url(post), kind.up).status_code == 403
    assert not kind.rows(post).exists()


@kinds
def test_people_who_are_not_signed_in_are_sent_to_sign_in(kind, post_of, client):
    post = post_of(kind)

    response = client.post(kind.url(post), kind.up)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not kind.rows(post).exists()


THREADS = 16


@pytest.mark.threads
@pytest.mark.django_db(transaction=True)
@kinds
def test_every_vote_cast_at_once_is_counted(kind, django_user_model):
    """docs/traps.md (races): each thread has its own connection, as each request would."""
    post = kind.make(make_user(django_user_model, "author"), make_user(django_user_model, "asker"))
    voters = [make_user(django_user_model, f"voter{n}") for n in range(THREADS)]
    model = type(post)

    outcomes = run_together([lambda user=user: kind.cast(model.objects.get(pk=post.pk), user) for user in voters])

    assert outcomes == [None] * THREADS
    assert kind.count(post) == THREADS == kind.rows(post).count()


@pytest.mark.threads
@pytest.mark.django_db(transaction=True)
@kinds
def test_one_person_voting_many_times_at_once_keeps_one_vote(kind, django_user_model):
    post = kind.make(make_user(django_user_model, "author"), make_user(django_user_model, "asker"))
    voter = make_user(django_user_model, "voter")
    model = type(post)

    outcomes = run_together([lambda: kind.cast(model.objects.get(pk=post.pk), voter) for _ in range(THREADS)])

    assert kind.count(post) == 1 == kind.rows(post).count()
    assert outcomes.count(None) == 1
    assert all(isinstance(outcome, ValidationError) for outcome in outcomes if outcome is not None)
