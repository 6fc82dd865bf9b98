"""Campaigns: moderators or the digital team start them; ideas and votes only while they are open."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from ideas.models import Campaign, Idea, Vote

from .conftest import open_campaign, submit

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    today = timezone.localdate()
    data = {
        "title": "What should we change after the Autumn Statement?",
        "description": "Ideas to **save money**.",
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=14)).isoformat(),
    }
    data.update(overrides)
    return data


def shift(campaign, opens_days, closes_days):
    now = timezone.now()
    Campaign.objects.filter(pk=campaign.pk).update(
        opens_at=now + datetime.timedelta(days=opens_days), closes_at=now + datetime.timedelta(days=closes_days)
    )
    campaign.refresh_from_db()


@pytest.mark.parametrize("starter", ["mo", "dita"])
def test_moderators_and_the_digital_team_start_campaigns(client_for, request, starter):
    user = request.getfixturevalue(starter)

    response = client_for(user).post("/ideas/campaigns/new/", form_data())

    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.created_by == user
    assert campaign.is_open()
    assert timezone.localtime(campaign.closes_at).date() == timezone.localdate() + datetime.timedelta(days=15)
    assert "<strong>save money</strong>" in campaign.description_html


def test_staff_cannot_start_campaigns(client_for, alice, helen):
    for user in (alice, helen):
        assert client_for(user).get("/ideas/campaigns/new/").status_code == 403
        assert client_for(user).post("/ideas/campaigns/new/", form_data()).status_code == 403
    assert not Campaign.objects.exists()
    with pytest.raises(PermissionDenied):
        open_campaign(alice)


def test_it_refuses_a_window_that_closes_before_it_opens(client_for, mo):
    today = timezone.localdate()
    data = form_data(opens_on=(today + datetime.timedelta(days=5)).isoformat(), closes_on=today.isoformat())

    response = client_for(mo).post("/ideas/campaigns/new/", data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "The closing date must be the same as or after the opening date" in html
    assert "What should we change after the Autumn Statement?" in html  # nothing typed is lost
    assert not Campaign.objects.exists()


def test_it_refuses_nonsense_dates_and_overlong_questions(client_for, mo):
    response = client_for(mo).post("/ideas/campaigns/new/", form_data(opens_on="31 Feb", title="x" * 151))

    html = response.content.decode()
    assert "Enter a real opening date" in html
    assert "The question must be 150 characters or fewer" in html
    assert not Campaign.objects.exists()


def test_the_campaign_page_lists_its_ideas(client_for, alice, bob, mo):
    campaign = open_campaign(mo)
    submit(alice, title="Share taxis to the station", campaign=campaign)
    submit(alice, title="Not in the campaign")

    html = client_for(bob).get(campaign.get_absolute_url()).content.decode()

    assert "Share taxis to the station" in html
    assert "Not in the campaign" not in html
    assert "Suggest an idea for this campaign" in html


def test_ideas_are_submitted_to_an_open_campaign(client_for, alice, mo):
    campaign = open_campaign(mo)
    data = {"title": "Share taxis", "description": "Fewer taxis.", "tags": "travel", "campaign": campaign.pk}

    response = client_for(alice).post("/ideas/new/", data)

    idea = Idea.objects.get()
    assert response.status_code == 302
    assert idea.campaign == campaign


@pytest.mark.parametrize(("opens", "closes", "message"), [(-10, -1, "closed on"), (2, 10, "opens on")])
def test_it_refuses_ideas_for_a_campaign_that_is_not_open(client_for, alice, mo, opens, closes, message):
    campaign = open_campaign(mo)
    shift(campaign, opens, closes)
    data = {"title": "Share taxis", "description": "Fewer taxis.", "tags": "travel", "campaign": campaign.pk}

    response = client_for(alice).post("/ideas/new/", data)

    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Fewer taxis." in html
    assert not Idea.objects.exists()
    with pytest.raises(ValidationError, match=message):
        submit(alice, campaign=campaign)


def test_votes_are_taken_only_while_the_campaign_is_open(alice, bob, charlie, mo):
    campaign = open_campaign(mo)
    idea = submit(alice, campaign=campaign)
    idea.vote(bob)
    shift(campaign, -10, -1)

    with pytest.raises(ValidationError, match="no longer taking votes"):
        Idea.objects.get(pk=idea.pk).vote(charlie)
    with pytest.raises(ValidationError, match="no longer taking votes"):
        Idea.objects.get(pk=idea.pk).withdraw_vote(bob)
    assert Vote.objects.filter(idea=idea).count() == 1


def test_closing_a_campaign_now_stops_ideas_and_votes(client_for, alice, bob, mo):
    campaign = open_campaign(mo)
    idea = submit(alice, campaign=campaign)

    response = client_for(mo).post(f"/ideas/campaigns/{campaign.pk}/close/", follow=True)

    campaign.refresh_from_db()
    assert "The campaign is closed" in response.content.decode()
    assert not campaign.is_open()
    assert client_for(bob).post(f"/ideas/ideas/{idea.pk}/vote/", {"action": "vote"}).status_code == 302
    assert not Vote.objects.exists()
    assert client_for(bob).post(f"/ideas/campaigns/{campaign.pk}/close/").status_code == 403


def test_a_campaign_can_be_changed(client_for, mo, dita):
    campaign = open_campaign(mo)
    data = form_data(title="What should we stop doing?")

    response = client_for(dita).post(f"/ideas/campaigns/{campaign.pk}/edit/", data)

    campaign.refresh_from_db()
    assert response.status_code == 302
    assert campaign.title == "What should we stop doing?"


def test_the_campaign_list_groups_open_upcoming_and_closed(client_for, alice, mo):
    current = open_campaign(mo, title="Current")
    later = open_campaign(mo, title="Later")
    shift(later, 5, 10)
    past = open_campaign(mo, title="Past")
    shift(past, -10, -5)

    html = client_for(alice).get("/ideas/campaigns/").content.decode()

    assert html.index("Open now") < html.index("Current") < html.index("Coming up") < html.index("Later")
    assert html.index("Closed") < html.index("Past")
    assert current.is_open() and not later.is_open() and not past.is_open()


def test_the_wrong_slug_redirects_to_the_campaign(client_for, alice, mo):
    campaign = open_campaign(mo)

    response = client_for(alice).get(f"/ideas/campaigns/{campaign.pk}/wrong/")

    assert response.status_code == 301
    assert response["Location"] == campaign.get_absolute_url()
