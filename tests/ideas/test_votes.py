"""Votes: one per person per idea, withdrawable, counted on the row; none on closed ideas."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from community.listening.follows import is_following
from ideas.models import Idea, Vote

pytestmark = pytest.mark.django_db


def vote(client, idea, action="vote", **headers):
    return client.post(f"/ideas/ideas/{idea.pk}/vote/", {"action": action}, **headers)


def test_it_refuses_withdrawing_a_vote_never_cast(client_for, bob, idea):
    response = vote(client_for(bob), idea, "withdraw", follow=True)

    idea.refresh_from_db()
    assert idea.vote_count == 0
    assert "You have not voted for this idea." in response.content.decode()


def test_it_lets_authors_vote_for_their_own_idea(alice, idea):
    idea.vote(alice)

    assert idea.vote_count == 1


def test_the_database_refuses_a_second_vote_row(bob, idea):
    Vote.objects.create(idea=idea, user=bob)

    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(idea=idea, user=bob)


@pytest.mark.parametrize("status", ["implemented", "declined"])
def test_it_refuses_votes_on_closed_ideas_and_keeps_those_cast(client_for, bob, charlie, mo, idea, status):
    idea.vote(bob)
    idea.change_status(mo, status, "Decided.")

    response = vote(client_for(charlie), idea, follow=True)
    withdraw = vote(client_for(bob), idea, "withdraw", follow=True)

    idea.refresh_from_db()
    assert idea.vote_count == 1
    assert list(Vote.objects.values_list("user__username", flat=True)) == ["bob"]
    label = Idea.Status(status).label.lower()
    assert f"This idea is {label}, so it is no longer taking votes." in response.content.decode()
    assert "The votes already cast still count." in withdraw.content.decode()


def test_it_shows_closed_ideas_with_their_votes_and_no_vote_button(client_for, bob, charlie, mo, idea):
    idea.vote(bob)
    idea.change_status(mo, "declined", "Not this year.")

    html = client_for(charlie).get(idea.get_absolute_url()).content.decode()

    assert "1</strong> vote" in html
    assert "Vote for this idea" not in html
    assert "no longer taking votes" in html


def test_it_refuses_a_nonsense_action(client_for, bob, idea):
    response = vote(client_for(bob), idea, "twice", follow=True)

    assert "Choose to vote for the idea or to withdraw your vote." in response.content.decode()
    assert not Vote.objects.exists()


def test_voting_follows_the_idea(bob, idea):
    idea.vote(bob)

    assert is_following(bob, idea)


def test_model_refuses_a_vote_on_a_closed_idea(bob, mo, idea):
    idea.change_status(mo, "implemented", "Done.")

    with pytest.raises(ValidationError, match="no longer taking votes"):
        idea.vote(bob)
