"""Workshops in the rest of Confer: follows, notifications when one is published or moves, feeds,
search and tag pages."""

import feedparser
import pytest
from django.test import Client
from taggit.models import Tag

from community.listening.follows import follow, is_following, unfollow
from community.listening.notifications import render_notification
from community.models import ListeningPreferences, Notification

from .conftest import days, republish

pytestmark = pytest.mark.django_db


def notified(event_type):
    return set(Notification.objects.filter(event_type=event_type).values_list("recipient__username", flat=True))


# --- announcements --------------------------------------------------------------------------------


def test_it_tells_followers_of_a_workshops_tags_when_it_is_first_published(make_workshop, alice, bob, charlie, dita):
    blogging, _ = Tag.objects.get_or_create(name="blogging", slug="blogging")
    excel, _ = Tag.objects.get_or_create(name="excel", slug="excel")
    follow(alice, blogging)
    follow(bob, excel)
    follow(dita, blogging)

    workshop = make_workshop(tags=["blogging"], publisher=dita)

    assert notified("workshops.announced") == {"alice"}  # not bob (other tag), not dita (published it)
    [notification] = Notification.objects.filter(event_type="workshops.announced")
    phrase = render_notification(notification)
    assert "published a new workshop" in phrase and workshop.url in phrase and workshop.when in phrase


def test_it_announces_a_workshop_only_once(make_workshop, alice, dita):
    follow(alice, Tag.objects.create(name="blogging", slug="blogging"))
    workshop = make_workshop(tags=["blogging"], publisher=dita)

    republish(workshop, dita, summary="Now with pictures.")
    workshop.unpublish()
    republish(workshop, dita)

    assert Notification.objects.filter(event_type="workshops.announced").count() == 1


def test_it_does_not_announce_a_workshop_that_is_already_over(make_workshop, alice, dita):
    follow(alice, Tag.objects.create(name="blogging", slug="blogging"))

    make_workshop(tags=["blogging"], publisher=dita, start_at=days(-5), end_at=days(-5, 12))

    assert not Notification.objects.filter(event_type="workshops.announced").exists()


# --- a workshop moves -----------------------------------------------------------------------------


def test_it_tells_attendees_and_followers_when_a_workshop_moves(
    workshop, alice, bob, charlie, dita, django_user_model
):
    from tests.conftest import make_user

    workshop.sign_up(alice)
    workshop.sign_up(bob)
    waiting = make_user(django_user_model, "dave")
    ListeningPreferences.objects.create(user=waiting, auto_follow=False)
    workshop.sign_up(waiting)  # full: dave waits, without following it
    follow(charlie, workshop)  # charlie only follows

    moved = republish(workshop, dita, start_at=days(9, 14), end_at=days(9, 16))

    assert notified("workshops.time_changed") == {"alice", "bob", "dave", "charlie"}
    notification = Notification.objects.filter(event_type="workshops.time_changed").first()
    assert notification.data["when"] == moved.when
    assert "has moved to" in render_notification(notification)


def test_it_says_nothing_when_an_edit_leaves_the_times_alone(workshop, alice, dita):
    workshop.sign_up(alice)

    republish(workshop, dita, title="Boost your blog: the sequel", capacity=30)

    assert not Notification.objects.filter(event_type="workshops.time_changed").exists()


def test_it_does_not_tell_people_who_cancelled_and_stopped_following(workshop, alice, dita):
    workshop.sign_up(alice).cancel(alice)
    unfollow(alice, workshop)

    republish(workshop, dita, start_at=days(9, 14), end_at=days(9, 16))

    assert "alice" not in notified("workshops.time_changed")


# --- follows --------------------------------------------------------------------------------------


def test_it_lets_people_follow_a_workshop(workshop, client_for, alice):
    response = client_for(alice).post(f"/follow/workshop/{workshop.pk}/", {"action": "follow"})

    assert response.status_code == 302
    assert is_following(alice, workshop)


def test_it_does_not_let_people_follow_an_unpublished_workshop(workshop, client_for, alice):
    workshop.unpublish()

    response = client_for(alice).post(f"/follow/workshop/{workshop.pk}/", {"action": "follow"})

    assert response.status_code == 404
    assert not is_following(alice, workshop)


# --- feeds, search and tag pages -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_it_offers_new_workshops_as_a_feed(make_workshop, alice, kind):
    make_workshop("Boost your blog")
    make_workshop("Excel for auditors", tags=["excel"])
    token = ListeningPreferences.for_user(alice).feed_token

    everything = feedparser.parse(Client().get(f"/feeds/{token}/workshops/{kind}/").content)
    tagged = feedparser.parse(Client().get(f"/feeds/{token}/tags/excel/{kind}/").content)

    assert not everything.bozo
    assert [entry.title for entry in everything.entries] == ["Excel for auditors", "Boost your blog"]
    assert "Room 4.12" in everything.entries[0].summary
    assert "Excel for auditors" in [entry.title for entry in tagged.entries]
    assert "Boost your blog" not in [entry.title for entry in tagged.entries]


def test_it_finds_workshops_in_site_search(make_workshop, client_for, alice):
    make_workshop("Boost your blog", summary="Write posts colleagues want to read.")
    make_workshop("Excel for auditors", summary="Pivot tables", tags=["excel"])

    response = client_for(alice).get("/search/", {"q": "colleagues", "type": "workshops"})

    counts = {facet["key"]: facet["count"] for facet in response.context["facets"]}
    assert counts["workshops"] == 1
    assert [hit["object"].title for hit in response.context["hits"]] == ["Boost your blog"]
    assert "Workshop ·" in response.content.decode()


def test_it_lists_workshops_on_their_tag_page(make_workshop, client_for, alice):
    make_workshop("Boost your blog", tags=["blogging"])
    make_workshop("Last year's blogging clinic", tags=["blogging"], start_at=days(-300), end_at=days(-300, 12))
    make_workshop("Excel for auditors", tags=["excel"])

    response = client_for(alice).get("/tags/blogging/")

    section = response.content.decode().split('id="section-workshops"')[1].split("</section>")[0]
    assert "Boost your blog" in section and "Last year" in section
    assert "Excel for auditors" not in section
    assert section.index("Boost your blog") < section.index("Last year")
