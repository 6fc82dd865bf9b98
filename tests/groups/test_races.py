"""Communities hold their rules when people act at the same moment (docs/traps.md: races).

Runs on whichever database the suite uses: SQLite (a file, immediate transactions) or PostgreSQL
with DATABASE_URL, where the community's row is locked while its managers change."""

import pytest
from django.core.exceptions import PermissionDenied

from community.models import Community, Membership
from tests.concurrency import run_together
from tests.conftest import make_user
from tests.groups.conftest import start

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

THREADS = 6


def test_two_managers_leaving_at_once_leave_one_behind(django_user_model):
    alice = make_user(django_user_model, "alice")
    bob = make_user(django_user_model, "bob")
    community = start(alice, "Digital buddy network")
    community.join(bob)
    community.set_role(alice, bob, "manager")

    outcomes = run_together([lambda: Community.objects.get(pk=community.pk).leave(alice),
                             lambda: Community.objects.get(pk=community.pk).leave(bob)])  # fmt: skip

    assert Membership.objects.filter(community=community, role="manager").count() == 1
    assert outcomes.count(None) == 1
    [refused] = [outcome for outcome in outcomes if outcome is not None]
    assert isinstance(refused, PermissionDenied) and "last manager" in str(refused)


def test_an_invitation_accepted_many_times_at_once_makes_one_member(django_user_model):
    alice = make_user(django_user_model, "alice")
    bob = make_user(django_user_model, "bob")
    community = start(alice, "Finance leads", Community.Kind.INVITE)
    token = community.invite(alice, bob).token

    outcomes = run_together([lambda: Community.objects.get(pk=community.pk).accept(bob, token)] * THREADS)

    assert outcomes.count(None) == 1
    assert Membership.objects.filter(community=community, user=bob).count() == 1
    assert Community.objects.get(pk=community.pk).member_count == 2


def test_joining_many_times_at_once_counts_one_member(django_user_model):
    alice = make_user(django_user_model, "alice")
    bob = make_user(django_user_model, "bob")
    community = start(alice, "Digital buddy network")

    run_together([lambda: Community.objects.get(pk=community.pk).join(bob)] * THREADS)

    assert Membership.objects.filter(community=community, user=bob).count() == 1
    assert Community.objects.get(pk=community.pk).member_count == 2
