"""Submitting an idea: title, Markdown description, tags, optional campaign; clear errors; rate limits."""

import pytest

from community.listening.follows import follow, is_following
from community.models import Notification
from ideas.models import Idea

from .conftest import submit

pytestmark = pytest.mark.django_db

GOOD = {"title": "Book meeting rooms from the calendar", "description": "It would save **emails**.",
        "tags": "meetings, Outlook"}  # fmt: skip


def test_it_posts_an_idea_and_shows_it(alice_client, alice):
    response = alice_client.post("/ideas/new/", GOOD, follow=True)

    idea = Idea.objects.get()
    html = response.content.decode()
    assert response.redirect_chain == [(idea.get_absolute_url(), 302)]
    assert (idea.author, idea.status, idea.vote_count) == (alice, "new", 0)
    assert idea.tag_names() == ["meetings", "outlook"]
    assert "<strong>emails</strong>" in html
    assert "Your idea has been posted." in html
    assert is_following(alice, idea)


def test_it_shows_every_problem_at_once_and_keeps_what_was_typed(alice_client):
    response = alice_client.post("/ideas/new/", {"title": "  ", "description": "Keep me", "tags": ""})

    html = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in html
    assert "Enter your idea in one sentence" in html
    assert "Add at least one tag" in html
    assert "Keep me" in html
    assert not Idea.objects.exists()


def test_it_refuses_overlong_fields(alice_client):
    data = {"title": "x" * 151, "description": "y" * 10_001, "tags": "a, b, c, d, e, f"}

    html = alice_client.post("/ideas/new/", data).content.decode()

    assert "Your idea must be 150 characters or fewer" in html
    assert "The description must be 10,000 characters or fewer" in html
    assert "Use 5 tags or fewer." in html
    assert not Idea.objects.exists()


def test_it_previews_markdown_without_posting(alice_client):
    response = alice_client.post("/ideas/new/", {**GOOD, "preview": "1"})

    assert "<strong>emails</strong>" in response.content.decode()
    assert not Idea.objects.exists()


def test_it_tells_followers_of_its_tags_and_of_the_author(alice, bob, charlie, dita):
    from taggit.models import Tag

    tag = Tag.objects.create(name="meetings", slug="meetings")
    follow(bob, tag)
    follow(charlie, alice)

    submit(alice)

    told = set(Notification.objects.filter(event_type="ideas.new_idea").values_list("recipient__username", flat=True))
    assert told == {"bob", "charlie"}


def test_the_title_field_asks_for_similar_ideas_while_typing(alice_client):
    html = alice_client.get("/ideas/new/").content.decode()

    assert 'hx-get="/ideas/similar/"' in html
    assert 'id="similar-ideas"' in html


def test_similar_ideas_appear_for_a_typed_title(alice_client, alice, bob, mo):
    original = submit(bob, title="Book meeting rooms from the calendar")
    merged = submit(bob, title="Book meeting rooms in Outlook")
    merged.merge_into(original, mo)
    submit(bob, title="Free fruit on Fridays", tags=["wellbeing"])

    response = alice_client.get("/ideas/similar/", {"title": "meeting rooms"}, HTTP_HX_REQUEST="true")

    html = response.content.decode()
    assert "<html" not in html
    assert "Already suggested?" in html
    assert "Book meeting rooms from the calendar" in html
    assert "Book meeting rooms in Outlook" not in html  # merged ideas lead nowhere new
    assert "Free fruit" not in html


def test_similar_ideas_is_empty_for_nothing_typed(alice_client):
    response = alice_client.get("/ideas/similar/", {"title": ""}, HTTP_HX_REQUEST="true")

    assert response.content.decode().strip() == ""


def test_the_form_offers_open_campaigns_only(alice_client, mo):
    from .conftest import open_campaign
    from .test_campaigns import shift

    open_campaign(mo, title="Open one")
    shift(open_campaign(mo, title="Closed one"), -10, -1)

    html = alice_client.get("/ideas/new/").content.decode()

    assert "Open one" in html
    assert "Closed one" not in html
