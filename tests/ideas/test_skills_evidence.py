"""Implemented ideas as evidence in "who can help with X"."""

import pytest
from taggit.models import Tag

from skills.ranking import rank_people

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_it_counts_an_implemented_idea_for_its_author(alice, bob, mo):
    implemented = submit(alice, title="Put the room list on the lift screens", tags=("meetings",))
    submit(bob, title="Book rooms from the calendar", tags=("meetings",))
    implemented.change_status(mo, "implemented", "Live on every floor since Monday.")

    found = {match.profile.user.username: match.why for match in rank_people([Tag.objects.get(name="meetings")])}

    assert found == {"alice": "1 implemented idea on meetings"}
