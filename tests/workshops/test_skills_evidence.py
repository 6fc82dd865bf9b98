"""Workshops as evidence in "who can help with X": running one counts, and so does attending."""

import pytest
from taggit.models import Tag

from skills.ranking import rank_people

from .test_attendees import start

pytestmark = pytest.mark.django_db


def reasons(tag_name):
    return {match.profile.user.username: match.why for match in rank_people([Tag.objects.get(name=tag_name)])}


def test_it_counts_workshops_run_and_attended_once_they_have_happened(workshop, hana, alice, bob):
    workshop.sign_up(alice)
    workshop.sign_up(bob)
    assert reasons("blogging") == {}  # nothing has happened yet

    start(workshop)
    workshop.record_attendance(hana, [workshop.signups.get(user=alice).pk])

    found = reasons("blogging")
    assert "1 workshop run on blogging" in found["hana"]
    assert "1 workshop attended on blogging" in found["alice"]
    assert "bob" not in found  # signed up but did not come
