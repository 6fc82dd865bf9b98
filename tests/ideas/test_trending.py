"""Trending: each vote weighs 0.5 ^ (its age / 3 days), summed per idea in one query."""

import datetime

import pytest

from ideas.models import TRENDING_HALF_LIFE, Idea, Vote
from tests.conftest import make_user

from .conftest import submit

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC)


def days_ago(days):
    return NOW - datetime.timedelta(days=days)


@pytest.fixture
def people(django_user_model):
    return [make_user(django_user_model, f"person{n}") for n in range(12)]


def idea_with_votes(author, title, created_days_ago, vote_days_ago, people):
    idea = submit(author, title=title)
    Idea.objects.filter(pk=idea.pk).update(created_at=days_ago(created_days_ago))
    Vote.objects.bulk_create(
        [
            Vote(idea=idea, user=person, created_at=days_ago(age))
            for person, age in zip(people, vote_days_ago, strict=False)
        ]
    )
    Idea.objects.filter(pk=idea.pk).update(vote_count=len(vote_days_ago))
    # Votes made in bulk, as a data import would: the kept trending key is worked out again.
    Idea.objects.filter(pk=idea.pk).refresh_trending()
    return idea


def scores(now=NOW):
    return {idea.title: idea.trending_score for idea in Idea.objects.with_trending_score(now)}


def test_it_weighs_each_vote_by_its_own_age(alice, people):
    idea_with_votes(alice, "Fresh", 0, [0], people)
    idea_with_votes(alice, "One half-life", 0, [TRENDING_HALF_LIFE.days], people)
    idea_with_votes(alice, "Two half-lives", 0, [2 * TRENDING_HALF_LIFE.days, 2 * TRENDING_HALF_LIFE.days], people)
    idea_with_votes(alice, "No votes", 0, [], people)

    result = scores()

    assert result["Fresh"] == pytest.approx(1.0)
    assert result["One half-life"] == pytest.approx(0.5)
    assert result["Two half-lives"] == pytest.approx(0.5)  # 2 × 0.25
    assert result["No votes"] == 0


def test_an_old_idea_with_a_fresh_burst_rises_above_newer_ideas_with_stale_votes(alice, people):
    idea_with_votes(alice, "New idea, votes from last month", 35, [30] * 10, people)
    idea_with_votes(alice, "Old idea, burst this week", 400, [1, 1, 2], people)
    idea_with_votes(alice, "Middling", 10, [6, 7, 8, 9], people)

    ranking = [idea.title for idea in Idea.objects.trending(NOW)]
    top = [idea.title for idea in Idea.objects.top()]

    assert ranking == ["Old idea, burst this week", "Middling", "New idea, votes from last month"]
    assert top[0] == "New idea, votes from last month"


def test_it_ignores_votes_cast_after_the_moment_asked_about(alice, people):
    idea_with_votes(alice, "Voted tomorrow", 1, [-1], people)

    assert scores()["Voted tomorrow"] == 0


def test_it_ranks_in_one_query_whatever_the_number_of_ideas(alice, people, django_assert_num_queries):
    for n in range(15):
        idea_with_votes(alice, f"Idea {n}", n, [n % 5, n % 7], people)

    with django_assert_num_queries(1):
        ranking = list(Idea.objects.trending(NOW))

    assert len(ranking) == 15
    assert ranking == sorted(ranking, key=lambda idea: (-idea.trending_score, -idea.created_at.timestamp()))


def test_ties_go_to_the_newest_idea(alice, people):
    idea_with_votes(alice, "Older", 5, [], people)
    idea_with_votes(alice, "Newer", 2, [], people)

    assert [idea.title for idea in Idea.objects.trending(NOW)] == ["Newer", "Older"]


def test_voting_and_withdrawing_keep_the_trending_order_without_recounting(alice, bob, people):
    older = submit(alice, title="Older")
    newer = submit(alice, title="Newer")
    older.vote(people[0])
    older.vote(people[1])

    assert [idea.title for idea in Idea.objects.trending()] == ["Older", "Newer"]

    newer.vote(people[2])
    newer.vote(people[3])
    newer.vote(people[4])
    older.withdraw_vote(people[0])
    kept = {idea.title: idea.trending_key for idea in Idea.objects.all()}
    Idea.objects.all().refresh_trending()

    assert [idea.title for idea in Idea.objects.trending()] == ["Newer", "Older"]
    for idea in Idea.objects.all():
        assert kept[idea.title] == pytest.approx(idea.trending_key)
