"""Volunteering: a digital buddy or ambassador offer with topics, capacity, availability, an end date, a pause."""

import datetime

import pytest
from django.utils import timezone

from skills.models import HelpOffer, active_volunteers

from .conftest import ask_for_buddy, place_in, skills, volunteer

pytestmark = pytest.mark.django_db


def offer(client, **fields):
    data = {"role": "buddy", "topics": "excel, word", "capacity": "2", "availability": "Tuesday mornings"}
    data["ends_on"] = ""
    data.update(fields)
    return client.post("/skills/volunteer/", data)


def test_it_lets_a_colleague_volunteer(alice_client, alice):
    response = offer(alice_client, ends_on=(timezone.localdate() + datetime.timedelta(days=90)).isoformat())

    assert response.status_code == 302
    saved = HelpOffer.objects.get(user=alice)
    assert (saved.role, saved.capacity, saved.availability) == ("buddy", 2, "Tuesday mornings")
    assert saved.topic_names() == ["excel", "word"]
    assert saved.is_active
    page = alice_client.get("/skills/").content.decode()
    assert "Thank you for volunteering" in page
    assert "Helping 0 of 2 colleagues now" in page


def test_it_starts_from_what_you_said_you_can_help_with(alice_client, alice):
    skills(alice, can_help=["rss", "blogging"])

    page = alice_client.get("/skills/volunteer/").content.decode()

    assert 'value="blogging, rss"' in page


def test_it_changes_an_offer_in_place(alice_client, alice):
    volunteer(alice, ["excel"], capacity=1)

    offer(alice_client, role="ambassador", topics="twitter", capacity="3")

    saved = HelpOffer.objects.get(user=alice)
    assert (saved.role, saved.capacity, saved.topic_names()) == ("ambassador", 3, ["twitter"])
    assert HelpOffer.objects.count() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"role": "overlord"}, "Select a valid choice"),
        ({"topics": ""}, "Add at least one topic you can help with"),
        ({"topics": ", ".join(f"t{n}" for n in range(11))}, "Use 10 tags or fewer"),
        ({"capacity": "0"}, "You need room for at least 1 colleague"),
        ({"capacity": "11"}, "Capacity must be 10 or fewer"),
        ({"capacity": "two"}, "Enter a whole number, like 2"),
        ({"availability": "x" * 201}, "Availability must be 200 characters or fewer"),
        ({"ends_on": "2020-01-01"}, "The end date must be today or in the future"),
        ({"ends_on": "31/02/2027"}, "Enter a real date"),
    ],
)
def test_it_refuses_bad_offers_with_a_message_and_changes_nothing(alice_client, alice, fields, message):
    response = offer(alice_client, **fields)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert not HelpOffer.objects.filter(user=alice).exists()


def test_it_refuses_a_capacity_below_the_colleagues_being_helped(alice_client, alice, bob, charlie):
    volunteer(alice, ["excel"], capacity=2)
    for requester in (bob, charlie):
        ask_for_buddy(requester, volunteer=alice).accept(alice)

    response = offer(alice_client, topics="excel", capacity="1")

    assert response.status_code == 400
    assert "You are helping 2 colleagues at the moment, so your capacity cannot be less than 2" in (
        response.content.decode()
    )
    assert HelpOffer.objects.get(user=alice).capacity == 2


def test_it_pauses_and_resumes_an_offer(alice_client, alice):
    volunteer(alice)

    told = alice_client.post("/skills/volunteer/pause/", {"action": "pause"}, follow=True)
    paused = HelpOffer.objects.get(user=alice)
    again = alice_client.post("/skills/volunteer/pause/", {"action": "pause"}, follow=True)

    assert paused.is_paused and not paused.is_active
    assert "Your offer is paused: nobody new will be suggested to you until you resume it." in told.content.decode()
    assert "Your offer is already paused." in again.content.decode()
    assert not HelpOffer.objects.active().filter(user=alice).exists()
    alice_client.post("/skills/volunteer/pause/", {"action": "resume"})
    assert HelpOffer.objects.active().filter(user=alice).exists()


def test_it_cannot_pause_someone_elses_offer(alice_client, bob):
    volunteer(bob)

    response = alice_client.post("/skills/volunteer/pause/", {"action": "pause"})

    assert response.status_code == 404  # alice has no offer; bob's is not hers to touch
    assert not HelpOffer.objects.get(user=bob).is_paused


def test_it_stops_listing_an_offer_after_its_end_date(alice, bob):
    volunteer(alice, ends_on=timezone.localdate())
    volunteer(bob)
    HelpOffer.objects.filter(user=bob).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))

    assert list(HelpOffer.objects.active().values_list("user__username", flat=True)) == ["alice"]


def test_it_lists_active_volunteers_for_the_buddy_network_pages(alice, bob, charlie):
    audit = place_in(alice, "Audit")
    place_in(bob, "Audit")
    volunteer(alice, ["excel"])
    volunteer(bob, ["blogging"], role="ambassador")
    volunteer(charlie, ["excel"]).pause(charlie)

    everyone = active_volunteers()
    excel_in_audit = active_volunteers(directorate=audit, topic="Excel")

    assert [p.display_name for p in everyone] == ["Alice Archer", "Bob Baker"]
    assert [(p.display_name, p.volunteer_role, p.volunteer_capacity, p.volunteer_matched) for p in excel_in_audit] == [
        ("Alice Archer", "buddy", 2, 0)
    ]
    assert list(active_volunteers(directorate="audit", topic="blogging")) == [bob.profile]


def test_it_keeps_the_end_date_when_the_offer_is_edited(alice_client, alice):
    volunteer(alice, ends_on=datetime.date(2099, 3, 31))

    page = alice_client.get("/skills/volunteer/").content.decode()

    assert 'value="2099-03-31"' in page  # what a date input can show, so saving again keeps it
