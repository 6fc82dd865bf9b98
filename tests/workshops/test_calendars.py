"""Calendars: an .ics per workshop and a personal feed at a secret, revocable address; both valid
iCalendar as the `icalendar` package reads it, with stable UIDs and a SEQUENCE that moves with the times."""

import datetime

import pytest
from icalendar import Calendar

from community.models import CalendarFeed

from .conftest import days, republish

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    calendar.validate()  # PRODID, VERSION and at least one component (RFC 5545)
    return calendar


def events(calendar):
    return calendar.walk("VEVENT")


def feed_url(user):
    return f"/workshops/calendar/{CalendarFeed.for_user(user).token}.ics"


def test_it_offers_a_valid_ics_for_a_workshop(workshop, client_for, alice):
    response = client_for(alice).get(workshop.route_url("ics"))

    calendar = parse(response)
    [event] = events(calendar)
    assert response["Content-Disposition"] == 'attachment; filename="boost-your-blog.ics"'
    for required in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE"):
        assert required in event, required
    assert event["SUMMARY"] == "Boost your blog"
    assert event.decoded("DTSTART") == workshop.start_at
    assert event.decoded("DTEND") == workshop.end_at
    assert event.decoded("DTSTART").tzinfo is not None
    assert calendar.walk("VTIMEZONE")  # the TZID the times use is defined in the file
    assert event["URL"].endswith(workshop.url)


def test_it_keeps_the_uid_and_raises_the_sequence_when_the_times_change(workshop, client_for, alice, dita):
    client = client_for(alice)
    [before] = events(parse(client.get(workshop.route_url("ics"))))

    republish(workshop, dita, title="Boost your blog (new title)")
    [renamed] = events(parse(client.get(workshop.route_url("ics"))))
    moved_workshop = republish(workshop, dita, start_at=days(8, 14), end_at=days(8, 16))
    [moved] = events(parse(client.get(workshop.route_url("ics"))))

    assert before["UID"] == renamed["UID"] == moved["UID"]
    assert (before["SEQUENCE"], renamed["SEQUENCE"], moved["SEQUENCE"]) == (0, 0, 1)
    assert moved.decoded("DTSTART") == moved_workshop.start_at == days(8, 14)


def test_it_shows_the_online_link_only_to_people_with_a_place(workshop, client_for, alice, bob):
    workshop.sign_up(alice)

    with_place = client_for(alice).get(workshop.route_url("ics")).content.decode()
    without = client_for(bob).get(workshop.route_url("ics")).content.decode()

    assert "meet.example.org" in with_place.replace("\r\n ", "")
    assert "meet.example.org" not in without.replace("\r\n ", "")
    assert "LOCATION:Room 4.12 · Online" in without


def test_it_lists_a_persons_workshops_in_their_feed_without_signing_in(make_workshop, client, alice, bob, charlie):
    full = make_workshop("Boost your blog", capacity=1)
    other = make_workshop("Listening online", capacity=5)
    untouched = make_workshop("Twitter for beginners")
    full.sign_up(bob)
    full.sign_up(alice)  # waiting list
    other.sign_up(alice)
    cancelled = untouched.sign_up(alice)
    cancelled.cancel(alice)

    calendar = parse(client.get(feed_url(alice)))

    by_title = {str(event["SUMMARY"]): event for event in events(calendar)}
    assert set(by_title) == {"Waiting list: Boost your blog", "Listening online"}
    assert by_title["Waiting list: Boost your blog"]["STATUS"] == "TENTATIVE"
    assert by_title["Listening online"]["STATUS"] == "CONFIRMED"


def test_it_keeps_an_empty_feed_a_valid_calendar(client, alice):
    calendar = parse(client.get(feed_url(alice)))

    assert events(calendar) == []


@pytest.mark.parametrize("token", ["not-a-token", "x" * 43, ""])
def test_it_answers_a_wrong_token_with_a_plain_404(client, alice, workshop, token):
    workshop.sign_up(alice)
    CalendarFeed.for_user(alice)

    response = client.get(f"/workshops/calendar/{token}.ics")

    assert response.status_code == 404
    assert b"Boost your blog" not in response.content
    assert b"BEGIN:VCALENDAR" not in response.content


def test_it_stops_the_old_address_working_when_a_new_one_is_asked_for(client_for, client, alice, workshop, index):
    workshop.sign_up(alice)
    old = feed_url(alice)

    response = client_for(alice).post(index.route_url("calendar_revoke"), follow=True)

    assert "The old one no longer works" in response.content.decode()
    assert client.get(old).status_code == 404
    assert client.get(feed_url(alice)).status_code == 200
    assert feed_url(alice) != old


def test_it_refuses_the_feed_of_a_deactivated_account(client, alice):
    url = feed_url(alice)
    alice.is_active = False
    alice.save(update_fields=["is_active"])

    assert client.get(url).status_code == 404


def test_it_shows_people_their_own_calendar_address(client_for, alice, bob, index):
    response = client_for(alice).get(index.route_url("calendar"))

    token = CalendarFeed.objects.get(user=alice).token
    assert token in response.content.decode()
    assert CalendarFeed.for_user(bob).token not in response.content.decode()


def test_it_keeps_recent_past_workshops_in_the_feed(make_workshop, client, alice):
    recent = make_workshop("Recent", start_at=days(3, 10), end_at=days(3, 12))
    recent.sign_up(alice)
    type(recent).objects.filter(pk=recent.pk).update(start_at=days(-30, 10), end_at=days(-30, 12))

    [event] = events(parse(client.get(feed_url(alice))))

    assert event.decoded("DTSTART") < datetime.datetime.now(datetime.UTC)


@pytest.mark.parametrize("field", ["title", "place"])
def test_a_line_break_in_a_workshop_title_or_place_keeps_its_calendar_valid(make_workshop, client_for, alice, field):
    values = {"title": "Boost\r\nyour blog", "place": "Room 4.12"} if field == "title" else {"place": "Room\r4.12\n"}
    workshop = make_workshop(**values)

    response = client_for(alice).get(workshop.route_url("ics"))

    assert response.status_code == 200
    [event] = Calendar.from_ical(response.content).walk("VEVENT")
    if field == "title":
        assert event["SUMMARY"] == "Boost your blog"
    else:
        assert event["LOCATION"].startswith("Room 4.12")
