"""Votes cast at the same moment by many threads end with exact counts (docs/traps.md).

Runs on whichever database the suite uses: SQLite (a file, immediate transactions) or PostgreSQL
with DATABASE_URL. Each thread has its own connection, as each request would.
"""

import pytest
from django.core.exceptions import ValidationError

from ideas.models import Idea, Vote
from tests.concurrency import run_together
from tests.conftest import make_user

from .conftest import submit

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

THREADS = 16


@pytest.fixture
def voters(django_user_model):
    return [make_user(django_user_model, f"voter{n}") for n in range(THREADS)]


@pytest.fixture
def idea(django_user_model):
    return submit(make_user(django_user_model, "author"))


def test_it_stays_exact_when_votes_and_withdrawals_race(idea, voters):
    half = THREADS // 2
    for user in voters[:half]:
        idea.vote(user)

    # The first half withdraw while the second half vote, all at once.
    jobs = [lambda user=user: Idea.objects.get(pk=idea.pk).withdraw_vote(user) for user in voters[:half]]
    jobs += [lambda user=user: Idea.objects.get(pk=idea.pk).vote(user) for user in voters[half:]]
    outcomes = run_together(jobs)

    idea.refresh_from_db()
    assert outcomes == [None] * THREADS
    assert idea.vote_count == Vote.objects.filter(idea=idea).count() == THREADS - half
    assert set(Vote.objects.values_list("user_id", flat=True)) == {user.pk for user in voters[half:]}


def test_votes_racing_a_merge_all_end_up_counted_once(idea, voters, django_user_model):
    """People vote for B while a moderator merges B into A: every vote lands on A or is refused, the
    counts match the rows, and undoing gives B exactly the votes it had."""
    from ideas.models import IdeaMerge

    # A superuser counts as a moderator (transactional tests lose the groups the migrations made).
    moderator = make_user(django_user_model, "moderator", is_superuser=True)
    duplicate = submit(make_user(django_user_model, "other"), title="The same idea again")
    for user in voters[:4]:
        idea.vote(user)  # some already voted for A

    jobs = [lambda user=user: Idea.objects.get(pk=duplicate.pk).vote(user) for user in voters]
    jobs.append(lambda: Idea.objects.get(pk=duplicate.pk).merge_into(Idea.objects.get(pk=idea.pk), moderator))
    outcomes = run_together(jobs)

    idea.refresh_from_db()
    duplicate.refresh_from_db()
    assert outcomes[-1] is None  # the merge went through
    refused = [outcome for outcome in outcomes[:-1] if outcome is not None]
    assert all(isinstance(outcome, ValidationError) and "merged into" in str(outcome) for outcome in refused), refused
    assert duplicate.vote_count == Vote.objects.filter(idea=duplicate).count() == 0
    assert idea.vote_count == Vote.objects.filter(idea=idea).count()
    accepted = {voters[n].pk for n, outcome in enumerate(outcomes[:-1]) if outcome is None}
    assert set(Vote.objects.filter(idea=idea).values_list("user_id", flat=True)) == accepted | {
        user.pk for user in voters[:4]
    }

    IdeaMerge.objects.get().undo(moderator)

    assert set(Vote.objects.filter(idea=duplicate).values_list("user_id", flat=True)) == accepted
    assert set(Vote.objects.filter(idea=idea).values_list("user_id", flat=True)) == {user.pk for user in voters[:4]}
    assert Idea.objects.get(pk=duplicate.pk).vote_count == len(accepted)
    assert Idea.objects.get(pk=idea.pk).vote_count == 4
