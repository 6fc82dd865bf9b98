"""A volunteer's capacity holds when accepts race for the last places (docs/traps.md).

Runs on whichever database the suite uses: SQLite (a file, immediate transactions) or PostgreSQL
with DATABASE_URL, where the volunteer's offer row is locked while the matches are counted.
"""

import pytest
from django.core.exceptions import ValidationError

from skills.models import BuddyProposal, BuddyRequest, HelpOffer
from tests.concurrency import run_together
from tests.conftest import make_user

from .conftest import ask_for_buddy, volunteer

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

THREADS = 8


@pytest.fixture
def requests_waiting(django_user_model):
    """Eight colleagues have each asked the same volunteer, who has room for two."""
    helper = make_user(django_user_model, "helper")
    volunteer(helper, ["excel"], capacity=2)
    requesters = [make_user(django_user_model, f"colleague{n}") for n in range(THREADS)]
    return helper, [ask_for_buddy(requester, volunteer=helper) for requester in requesters]


def accept(pk, helper):
    return lambda: BuddyRequest.objects.get(pk=pk).accept(helper)


def test_it_never_matches_more_colleagues_than_the_capacity(requests_waiting):
    helper, waiting = requests_waiting

    outcomes = run_together([accept(request.pk, helper) for request in waiting])

    assert BuddyRequest.objects.filter(volunteer=helper, status="accepted").count() == 2
    assert outcomes.count(None) == 2
    refused = [outcome for outcome in outcomes if outcome is not None]
    assert all(isinstance(outcome, ValidationError) for outcome in refused), refused
    # Refused for being full, or handed back to the requester by the accept that filled the last place
    assert all("as many" in str(outcome) and "as you offered" in str(outcome) for outcome in refused), refused
    assert not BuddyRequest.objects.filter(volunteer=helper, status="asked").exists()
    assert BuddyProposal.objects.filter(volunteer=helper, status="full").count() == THREADS - 2


def test_it_accepts_a_request_once_however_often_it_is_accepted_at_once(requests_waiting):
    helper, waiting = requests_waiting
    request = waiting[0]

    outcomes = run_together([accept(request.pk, helper) for _ in range(THREADS)])

    assert outcomes.count(None) == 1
    assert BuddyRequest.objects.filter(volunteer=helper, status="accepted").count() == 1


def test_it_keeps_the_capacity_above_the_matches_when_it_is_lowered_during_accepts(requests_waiting):
    helper, waiting = requests_waiting
    lower = lambda: HelpOffer.save_for(helper, role="buddy", topics=["excel"], capacity=1)  # noqa: E731

    outcomes = run_together([accept(waiting[0].pk, helper), accept(waiting[1].pk, helper), lower])

    matched = BuddyRequest.objects.filter(volunteer=helper, status="accepted").count()
    assert matched <= HelpOffer.objects.get(user=helper).capacity
    assert matched >= 1
    assert outcomes.count(None) == 2  # whichever order: one of the three is refused
