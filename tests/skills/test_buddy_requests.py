"""Buddy requests: proposed → chosen → accepted or declined → introduced → done, and every refusal."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import Notification
from skills.models import BuddyProposal, BuddyRequest, HelpOffer

from .conftest import ask_for_buddy, place_in, skills, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def helpers(alice, bob, charlie, person):
    """alice (Audit) asks; charlie is in Audit too; bob shares two topics; dan knows excel best;
    erin is full; alice also volunteers (never proposed to herself)."""
    dan, erin = person("dan", "Dan Dale"), person("erin", "Erin Ellis")
    place_in(alice, "Audit")
    place_in(charlie, "Audit")
    for user in (bob, dan, erin):
        place_in(user, "Finance")
    volunteer(alice, ["excel"])
    volunteer(bob, ["excel", "word"])
    volunteer(charlie, ["excel"])
    volunteer(dan, ["excel"], capacity=3)
    skills(dan, {"excel": "expert"})
    volunteer(erin, ["excel", "word"], capacity=1)
    ask_for_buddy(bob, volunteer=erin).accept(erin)  # erin is now full
    return {"dan": dan, "erin": erin}


def proposed(request):
    return [p.volunteer.username for p in request.proposed()]


def choose(client, request, username):
    return client.post(f"/skills/requests/{request.pk}/choose/", {"volunteer": username})


def test_it_proposes_nearby_volunteers_first_then_most_topics_then_best_fit(alice, helpers):
    request = ask_for_buddy(alice, ("excel", "word"))

    assert request.status == BuddyRequest.Status.PROPOSED
    assert proposed(request) == ["charlie", "bob", "dan"]
    reasons = [p.reason for p in request.proposed()]
    assert reasons[0] == "offers help with excel, in your directorate, 2 places free"
    assert reasons[1].startswith("offers help with excel and word, 2 places free")
    assert "expert in excel" in reasons[2]


def test_it_never_proposes_the_requester_or_a_volunteer_at_capacity(alice, helpers):
    request = ask_for_buddy(alice, ("word",))

    assert proposed(request) == ["bob"]  # erin offers word too, but is full


def test_it_waits_for_a_volunteer_when_nobody_is_free(alice_client, alice, helpers):
    request = ask_for_buddy(alice, ("python",))

    assert request.status == BuddyRequest.Status.REQUESTED
    assert "Nobody who helps with these topics is free just now" in (
        alice_client.get(request.get_absolute_url()).content.decode()
    )


def test_it_creates_a_request_from_the_form_and_shows_the_choice(alice_client, alice, helpers):
    response = alice_client.post("/skills/requests/new/", {"topics": "Excel", "note": "  Pivot tables, please.  "})

    request = BuddyRequest.objects.get(requester=alice)
    assert response.status_code == 302
    assert response["Location"] == f"/skills/requests/{request.pk}/"
    assert request.note == "Pivot tables, please."
    page = alice_client.get(response["Location"]).content.decode()
    assert "Choose who to ask" in page
    assert "Offers help with excel, in your directorate, 2 places free" in page


def test_it_asks_the_chosen_volunteer_and_tells_them(
    alice_client, alice, charlie, helpers, django_capture_on_commit_callbacks
):
    request = ask_for_buddy(alice)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = choose(alice_client, request, "charlie")

    request.refresh_from_db()
    assert response.status_code == 302
    assert (request.status, request.volunteer) == (BuddyRequest.Status.ASKED, charlie)
    assert [m.subject for m in mail.outbox] == ["Alice Archer asked you to be their digital buddy for excel"]
    assert mail.outbox[0].to == ["charlie@example.org"]
    told = Notification.objects.get(recipient=charlie, event_type="skills.buddy_request")
    assert told.emailed_at is not None  # the buddy email said it: no digest repeats it
    assert "Waiting for charlie" in alice_client.get(request.get_absolute_url()).content.decode()


def test_it_asks_one_volunteer_straight_from_their_profile(alice_client, alice, bob, helpers):
    response = alice_client.post(
        "/skills/requests/new/", {"topics": "word", "note": "Mail merge help", "volunteer": "bob"}
    )

    request = BuddyRequest.objects.get(requester=alice)
    assert response.status_code == 302
    assert (request.status, request.volunteer) == (BuddyRequest.Status.ASKED, bob)


def test_it_accepts_and_introduces_both_by_email(
    client_for, alice, charlie, helpers, django_capture_on_commit_callbacks
):
    request = ask_for_buddy(alice, volunteer=charlie)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(charlie).post(f"/skills/requests/{request.pk}/accept/", follow=True)

    request.refresh_from_db()
    assert request.status == BuddyRequest.Status.ACCEPTED and request.matched_at is not None
    assert "We have emailed you and Alice Archer to introduce you" in response.content.decode()
    intros = {m.to[0]: m for m in mail.outbox}
    assert set(intros) == {"alice@example.org", "charlie@example.org"}
    assert intros["alice@example.org"].subject == "Meet charlie, your digital buddy for excel"
    assert intros["alice@example.org"].reply_to == ["charlie@example.org"]
    assert "charlie@example.org" in intros["alice@example.org"].body
    assert intros["charlie@example.org"].subject == "Meet Alice Archer: you are their digital buddy for excel"
    assert "Could someone show me pivot tables?" in intros["charlie@example.org"].body
    assert Notification.objects.filter(recipient=alice, event_type="skills.buddy_accepted").exists()
    assert BuddyProposal.objects.get(request=request, volunteer=charlie).status == "accepted"


def test_it_offers_the_next_volunteer_when_one_declines(
    client_for, alice, charlie, helpers, django_capture_on_commit_callbacks
):
    request = ask_for_buddy(alice)
    request.choose(alice, charlie)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(charlie).post(f"/skills/requests/{request.pk}/decline/")

    request.refresh_from_db()
    assert response.status_code == 302
    assert (request.status, request.volunteer) == (BuddyRequest.Status.PROPOSED, None)
    assert proposed(request) == ["dan", "bob"]  # charlie declined; nobody else is left to add
    assert BuddyProposal.objects.get(request=request, volunteer=charlie).status == "declined"
    assert [m.subject for m in mail.outbox] == ["Choose another volunteer to help with excel"]
    assert Notification.objects.filter(recipient=alice, event_type="skills.buddy_declined").exists()
    # charlie is out of it now, and is never suggested for this request again
    assert client_for(charlie).get(request.get_absolute_url()).status_code == 403
    request.refresh_proposals()
    assert "charlie" not in proposed(request)


def test_it_marks_a_match_done_with_an_outcome_and_a_rating(client_for, alice, charlie, helpers):
    request = ask_for_buddy(alice, volunteer=charlie)
    request.accept(charlie)

    response = client_for(alice).post(
        f"/skills/requests/{request.pk}/done/", {"outcome": "I can make  pivot tables now.", "helpful": "yes"}
    )

    request.refresh_from_db()
    assert response.status_code == 302
    assert (request.status, request.outcome, request.helpful) == ("done", "I can make pivot tables now.", True)
    assert request.finished_by == alice
    assert Notification.objects.get(recipient=charlie, event_type="skills.buddy_done").data["outcome"] == (
        "I can make pivot tables now."
    )
    page = client_for(charlie).get(request.get_absolute_url()).content.decode()
    assert "How it went" in page and "I can make pivot tables now." in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"outcome": "", "helpful": "yes"}, "Say in one line how it went"),
        ({"outcome": "   ", "helpful": "yes"}, "Say in one line how it went"),
        ({"outcome": "x" * 201, "helpful": "yes"}, "The outcome must be 200 characters or fewer"),
        ({"outcome": "Good", "helpful": ""}, "Say whether it was helpful"),
        ({"outcome": "Good", "helpful": "maybe"}, "Select a valid choice"),
    ],
)
def test_it_refuses_an_incomplete_outcome(client_for, alice, charlie, helpers, fields, message):
    request = ask_for_buddy(alice, volunteer=charlie)
    request.accept(charlie)

    response = client_for(charlie).post(f"/skills/requests/{request.pk}/done/", fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    request.refresh_from_db()
    assert request.status == "accepted"


def test_it_says_why_a_match_the_other_person_already_marked_done_cannot_be_marked_again(
    client_for, alice, charlie, helpers
):
    request = ask_for_buddy(alice, volunteer=charlie)
    request.accept(charlie)
    request.mark_done(alice, "Sorted", True)

    response = client_for(charlie).post(f"/skills/requests/{request.pk}/done/", {"outcome": "Great", "helpful": "yes"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "This has already been marked as done." in page
    request.refresh_from_db()
    assert (request.outcome, request.finished_by) == ("Sorted", alice)


def test_it_says_why_a_request_still_waiting_for_a_reply_cannot_be_marked_done(alice_client, alice, charlie, helpers):
    request = ask_for_buddy(alice, volunteer=charlie)

    response = alice_client.post(f"/skills/requests/{request.pk}/done/", {"outcome": "Great", "helpful": "yes"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Only a match the volunteer has accepted can be marked as done." in page
    request.refresh_from_db()
    assert request.status == "asked"


def test_it_lets_the_requester_withdraw_and_tells_the_volunteer_asked(alice_client, alice, charlie, helpers):
    request = ask_for_buddy(alice, volunteer=charlie)

    response = alice_client.post(f"/skills/requests/{request.pk}/withdraw/", follow=True)

    request.refresh_from_db()
    assert "Your request has been withdrawn." in response.content.decode()
    assert request.status == "cancelled"
    assert Notification.objects.filter(recipient=charlie, event_type="skills.buddy_withdrawn").exists()


def test_it_cannot_withdraw_an_accepted_match(alice_client, alice, charlie, helpers):
    request = ask_for_buddy(alice, volunteer=charlie)
    request.accept(charlie)

    response = alice_client.post(f"/skills/requests/{request.pk}/withdraw/", follow=True)

    assert "mark it as done instead" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "accepted"


# --- refusals -----------------------------------------------------------------------------------


def test_it_refuses_asking_yourself_for_help(alice_client, alice, helpers):
    response = alice_client.post("/skills/requests/new/", {"topics": "excel", "note": "Me?", "volunteer": "alice"})

    assert response.status_code == 400
    assert "You cannot ask yourself for help" in response.content.decode()
    assert not BuddyRequest.objects.filter(requester=alice).exists()
    with pytest.raises(ValidationError, match="You cannot ask yourself"):
        ask_for_buddy(alice, volunteer=alice)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"topics": "quantum knitting", "note": "Help"}, "Nobody has used the topic “quantum knitting” yet"),
        ({"topics": "", "note": "Help"}, "Enter at least one topic you would like help with"),
        ({"topics": "excel", "note": "x" * 501}, "The note must be 500 characters or fewer"),
        ({"topics": "excel", "note": "   "}, "Say in a sentence or two what you would like help with"),
        ({"topics": "excel", "note": "Hi", "volunteer": "nobody-here"}, "That colleague cannot be found"),
        ({"topics": "word", "note": "Hi", "volunteer": "erin"}, "Erin Ellis is not taking requests on word just now"),
    ],
)
def test_it_refuses_bad_requests_and_saves_nothing(alice_client, alice, helpers, fields, message):
    response = alice_client.post("/skills/requests/new/", fields)

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert message in response.content.decode()
    assert not BuddyRequest.objects.filter(requester=alice).exists()


def test_it_limits_how_many_requests_are_open_at_once(alice, helpers):
    for topic in ("excel", "word", "excel"):
        ask_for_buddy(alice, (topic,))

    with pytest.raises(ValidationError, match="You already have 3 open requests"):
        ask_for_buddy(alice, ("word",))
    assert BuddyRequest.objects.filter(requester=alice).count() == 3


def test_it_refuses_accepting_a_request_meant_for_someone_else(client_for, alice, bob, charlie, helpers):
    request = ask_for_buddy(alice, volunteer=charlie)

    by_outsider = client_for(bob).post(f"/skills/requests/{request.pk}/accept/")
    by_requester = client_for(alice).post(f"/skills/requests/{request.pk}/accept/")

    assert by_outsider.status_code == by_requester.status_code == 403
    assert "can see this request" in by_outsider.content.decode()
    assert "This request was sent to someone else, so only they can answer it." in by_requester.content.decode()
    request.refresh_from_db()
    assert (request.status, request.volunteer) == ("asked", charlie)
    with pytest.raises(PermissionDenied):
        request.accept(alice)


def test_it_keeps_requests_private_to_the_two_people(client_for, alice, bob, charlie, helpers):
    request = ask_for_buddy(alice, volunteer=charlie)

    for url in ("", "choose/", "decline/", "done/", "withdraw/"):
        method = "get" if not url else "post"
        response = getattr(client_for(bob), method)(f"/skills/requests/{request.pk}/{url}")
        assert response.status_code == 403, url
    assert "Only the colleague who asked for help and the volunteer they asked" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "asked"


def test_it_refuses_choosing_anyone_not_suggested(alice_client, alice, helpers):
    request = ask_for_buddy(alice)

    for username in ("erin", "alice", "nobody"):
        response = choose(alice_client, request, username)
        assert response.status_code == 400
        assert "Choose one of the volunteers" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "proposed"


def test_it_refuses_a_second_choice_while_waiting_for_a_reply(alice_client, alice, helpers):
    request = ask_for_buddy(alice)
    request.choose(alice, helpers["dan"])

    with pytest.raises(ValidationError, match="You have already asked Dan Dale"):
        request.choose(alice, helpers["dan"])


def test_it_refuses_accepting_past_capacity(client_for, alice, bob, person, helpers):
    frank = person("frank", "Frank Fox")
    volunteer(frank, ["excel"], capacity=2)
    first, second = ask_for_buddy(alice, volunteer=frank), ask_for_buddy(bob, volunteer=frank)
    first.accept(frank)
    second.refresh_from_db()
    assert (second.status, second.volunteer) == ("asked", frank)  # a place was still free
    # Then the offer has fewer places, without save_for handing the request back (which it does; see
    # below): the guard in accept itself, which also settles two accepts racing for the last place.
    HelpOffer.objects.filter(user=frank).update(capacity=1)

    response = client_for(frank).post(f"/skills/requests/{second.pk}/accept/", follow=True)

    assert "You are already helping 1 colleague, as many as you offered" in response.content.decode()
    second.refresh_from_db()
    assert (second.status, second.matched_at) == ("asked", None)
    assert BuddyRequest.objects.filter(volunteer=frank, status="accepted").count() == 1


def test_it_hands_other_waiting_requests_back_when_an_accept_fills_the_last_place(
    client_for, alice, bob, person, helpers, django_capture_on_commit_callbacks
):
    frank = person("frank", "Frank Fox")
    volunteer(frank, ["excel"], capacity=1)
    hers, his = ask_for_buddy(alice, volunteer=frank), ask_for_buddy(bob, volunteer=frank)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        client_for(frank).post(f"/skills/requests/{hers.pk}/accept/")

    his.refresh_from_db()
    assert (his.status, his.volunteer, his.asked_at) == (BuddyRequest.Status.PROPOSED, None, None)
    assert proposed(his) == ["dan", "alice", "charlie"]  # the next best volunteers, never frank again
    assert BuddyProposal.objects.get(request=his, volunteer=frank).status == "full"
    told = Notification.objects.get(recipient=bob, event_type="skills.buddy_full")
    assert told.actor == frank and told.data["who"] == "Frank Fox"
    assert not Notification.objects.filter(recipient=alice, event_type="skills.buddy_full").exists()
    assert "Choose another volunteer to help with excel" in [m.subject for m in mail.outbox if m.to == [bob.email]]
    page = client_for(bob).get(his.get_absolute_url()).content.decode()
    assert "Choose who to ask" in page and "Waiting for Frank Fox" not in page
    assert "Frank Fox: became fully booked" in page
    notifications = client_for(bob).get("/notifications/").content.decode()
    assert "Frank Fox is now fully booked, so cannot help with" in notifications
    with pytest.raises(ValidationError, match="went back to Bob Baker to choose someone else"):
        his.accept(frank)
    his.refresh_from_db()
    assert his.status == BuddyRequest.Status.PROPOSED
    assert BuddyRequest.objects.filter(volunteer=frank, status="accepted").count() == 1


def test_it_hands_waiting_requests_back_when_the_volunteer_lowers_capacity_to_their_matches(alice, bob, person):
    frank = person("frank", "Frank Fox")
    volunteer(frank, ["excel"], capacity=2)
    ask_for_buddy(alice, volunteer=frank).accept(frank)
    his = ask_for_buddy(bob, volunteer=frank)

    HelpOffer.save_for(frank, role="buddy", topics=["excel"], capacity=1)

    his.refresh_from_db()
    # Back with bob, waiting for another volunteer (nobody else offers excel here).
    assert (his.status, his.volunteer) == (BuddyRequest.Status.REQUESTED, None)
    assert BuddyProposal.objects.get(request=his, volunteer=frank).status == "full"
    assert Notification.objects.filter(recipient=bob, event_type="skills.buddy_full").count() == 1


def test_it_refuses_choosing_a_volunteer_who_filled_up_meanwhile(alice, bob, person, helpers):
    request = ask_for_buddy(alice, ("word",))
    ask_for_buddy(helpers["dan"], ("word",), volunteer=bob).accept(bob)
    ask_for_buddy(helpers["erin"], ("word",), volunteer=bob).accept(bob)

    with pytest.raises(ValidationError, match="Bob Baker cannot take anyone else just now"):
        request.choose(alice, bob)

    request.refresh_from_db()
    assert request.status == "requested"  # bob was the only one offering word: nobody left to suggest
    assert proposed(request) == []


def test_it_keeps_the_requesters_record_when_the_volunteers_account_is_erased(alice_client, alice, charlie, helpers):
    request = ask_for_buddy(alice, volunteer=charlie)
    request.accept(charlie)
    request.mark_done(alice, "Sorted", True)

    charlie.delete()

    request.refresh_from_db()
    assert (request.status, request.volunteer) == ("done", None)
    page = alice_client.get(request.get_absolute_url()).content.decode()
    assert "Your buddy’s account has since been closed." in page and "Sorted" in page
