"""Ideas plug into the rest of Confer: search, tag pages, the home page, follows, feeds, the header."""

import pytest
from taggit.models import Tag

from community.listening.follows import get_followable
from community.listening.notifications import get_event_type, render_notification
from community.models import ListeningPreferences
from ideas.models import Idea

from .conftest import submit

pytestmark = pytest.mark.django_db


def test_site_search_finds_ideas_but_not_merged_ones(alice_client, alice, mo):
    original = submit(alice, title="Book meeting rooms from the calendar")
    merged = submit(alice, title="Book meeting rooms by phone")
    merged.merge_into(original, mo)

    response = alice_client.get("/search/", {"q": "meeting rooms", "type": "ideas"})

    html = response.content.decode()
    assert "Book meeting rooms from the calendar" in html
    assert "by phone" not in html
    assert "Idea · new · 0 votes" in html


def test_tag_pages_list_ideas_with_that_tag(alice_client, alice):
    submit(alice, title="Share taxis to the station", tags=["travel"])
    submit(alice, title="Free fruit", tags=["wellbeing"])

    html = alice_client.get("/tags/travel/").content.decode()

    assert 'id="section-ideas"' in html
    assert "Share taxis to the station" in html
    assert "Free fruit" not in html


def test_the_home_page_shows_trending_ideas_still_taking_votes(alice_client, alice, bob, mo):
    hot = submit(alice, title="Hot idea")
    hot.vote(bob)
    done = submit(alice, title="Done idea")
    done.change_status(mo, "implemented", "Done.")

    html = alice_client.get("/").content.decode()

    assert "Trending ideas" in html
    assert "Hot idea" in html
    assert "Done idea" not in html


def test_ideas_are_followable(alice, idea):
    followable = get_followable("idea")

    assert followable.model is Idea
    assert list(followable.visible(alice)) == [idea]


def test_every_event_type_renders_a_phrase(alice, bob, mo, idea):
    idea.vote(bob)
    idea.change_status(mo, "planned", "Soon.")

    notification = bob.notifications.get(event_type="ideas.status_changed")
    html = render_notification(notification)

    assert get_event_type("ideas.new_idea") and get_event_type("ideas.new_comment") and get_event_type("ideas.merged")
    assert "changed the status of" in html
    assert "to Planned" in html
    assert idea.get_absolute_url() in html


def test_the_ideas_feed_lists_new_ideas(client, alice):
    submit(alice, title="Share taxis to the station", tags=["travel"])
    token = ListeningPreferences.for_user(alice).feed_token

    response = client.get(f"/feeds/{token}/ideas/rss/")
    tagged = client.get(f"/feeds/{token}/tags/{Tag.objects.get(name='travel').slug}/rss/")

    assert response.status_code == 200
    assert b"Share taxis to the station" in response.content
    assert b"Share taxis to the station" in tagged.content


def test_the_header_links_to_ideas(alice_client):
    html = alice_client.get("/qa/").content.decode()

    assert 'href="/ideas/"' in html
