"""Inputs that used to answer 500 now get a clear answer (finding 9; the calendar case is in
tests/workshops/test_calendars.py)."""

import pytest

from ideas.models import Campaign
from tests.ideas.test_campaigns import form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("volunteer", ["alice", "nobody-by-this-name"])
def test_asking_yourself_or_an_unknown_colleague_for_help_is_explained(alice_client, volunteer):
    response = alice_client.get("/skills/requests/new/", {"volunteer": volunteer})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "cannot ask yourself" in html if volunteer == "alice" else "cannot be found" in html


def test_a_campaign_closing_at_the_end_of_time_is_refused(client_for, mo):
    response = client_for(mo).post("/ideas/campaigns/new/", form_data(closes_on="9999-12-31"))

    assert response.status_code == 400
    assert "A campaign can run for at most 5 years" in response.content.decode()
    assert not Campaign.objects.exists()


def test_a_campaign_opening_in_the_far_future_is_refused(client_for, mo):
    response = client_for(mo).post("/ideas/campaigns/new/", form_data(opens_on="9999-12-30", closes_on="9999-12-31"))

    assert response.status_code == 400
    assert not Campaign.objects.exists()
