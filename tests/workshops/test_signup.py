"""Signing up: a place while there is room, the waiting list when full, and clear refusals."""

import pytest
from django.contrib.messages import get_messages

from community.listening.follows import is_following
from community.models import WorkshopSignup
from tests.conftest import make_user

from .conftest import days

pytestmark = pytest.mark.django_db


def sign_up(client, workshop):
    return client.post(workshop.route_url("sign_up"), follow=True)


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_it_gives_a_place_and_shows_how_many_are_left(make_workshop, client_for, alice, bob):
    workshop = make_workshop(capacity=20)
    for number in range(7):
        workshop.sign_up(make_user(alice.__class__, f"early{number}"))

    response = sign_up(client_for(alice), workshop)

    assert response.redirect_chain == [(workshop.url, 302)]
    assert "You have a place at Boost your blog." in messages_of(response)
    assert WorkshopSignup.objects.get(workshop=workshop, user=alice).status == "confirmed"
    assert "12 of 20 places left" in client_for(bob).get(workshop.url).content.decode()


def test_it_puts_people_on_the_waiting_list_when_full_and_shows_their_place_in_it(
    workshop, client_for, alice, bob, charlie, django_user_model
):
    workshop.sign_up(alice)
    workshop.sign_up(bob)
    dave = make_user(django_user_model, "dave")

    first = sign_up(client_for(charlie), workshop)
    second = sign_up(client_for(dave), workshop)

    assert "Boost your blog is full, so you are number 1 on the waiting list." in messages_of(first)[0]
    assert "You are number 2 on the waiting list" in second.content.decode()
    statuses = dict(WorkshopSignup.objects.filter(workshop=workshop).values_list("user__username", "status"))
    assert statuses == {"alice": "confirmed", "bob": "confirmed", "charlie": "waitlisted", "dave": "waitlisted"}
    assert (
        "Join the waiting list" in client_for(make_user(django_user_model, "erin")).get(workshop.url).content.decode()
    )


def test_it_refuses_a_second_sign_up_and_changes_nothing(workshop, client_for, alice):
    client = client_for(alice)
    sign_up(client, workshop)

    response = sign_up(client, workshop)

    assert messages_of(response) == ["You already have a place at this workshop."]
    assert WorkshopSignup.objects.filter(workshop=workshop, user=alice).count() == 1


def test_it_refuses_a_second_place_on_the_waiting_list(workshop, client_for, alice, bob, charlie):
    workshop.sign_up(alice)
    workshop.sign_up(bob)
    workshop.sign_up(charlie)

    response = sign_up(client_for(charlie), workshop)

    assert messages_of(response) == ["You are already on the waiting list for this workshop."]
    assert WorkshopSignup.objects.get(workshop=workshop, user=charlie).waitlist_position() == 1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"start_at": days(-3, 10), "end_at": days(-3, 12)}, "This workshop has already taken place."),
        (
            {"start_at": days(-1, 10), "end_at": days(2, 12)},
            "This workshop has already started, so sign-up has closed.",
        ),
        ({"signup_closes_at": days(-1, 9)}, "Sign-up closed on"),
        ({"signup_opens_at": days(3, 9)}, "Sign-up opens on"),
    ],
    ids=["past", "started", "closed", "not-yet-open"],
)
def test_it_refuses_sign_up_outside_the_window(make_workshop, client_for, alice, fields, message):
    workshop = make_workshop(**fields)

    response = sign_up(client_for(alice), workshop)

    [said] = messages_of(response)
    assert said.startswith(message)
    assert not WorkshopSignup.objects.filter(workshop=workshop).exists()
    assert message in response.content.decode()  # the page says so too, instead of a button


def test_it_sends_people_who_are_not_signed_in_to_sign_in_first(workshop, client):
    response = client.post(workshop.route_url("sign_up"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not WorkshopSignup.objects.exists()


def test_it_does_not_give_the_host_a_place(workshop, client_for, hana):
    response = sign_up(client_for(hana), workshop)

    assert messages_of(response) == ["You are hosting this workshop, so you do not need a place."]
    assert not WorkshopSignup.objects.exists()


def test_it_refuses_sign_up_to_an_unpublished_workshop(workshop, client_for, alice):
    workshop.unpublish()

    response = client_for(alice).post(workshop.route_url("sign_up"))

    assert response.status_code == 404
    assert not WorkshopSignup.objects.exists()


def test_it_only_signs_up_with_a_post(workshop, client_for, alice):
    response = client_for(alice).get(workshop.route_url("sign_up"))

    assert response.status_code == 405
    assert not WorkshopSignup.objects.exists()


def test_it_follows_the_workshop_for_whoever_signs_up(workshop, alice):
    workshop.sign_up(alice)

    assert is_following(alice, workshop)


def test_it_respects_people_who_do_not_want_to_follow_what_they_take_part_in(workshop, alice):
    from community.models import ListeningPreferences

    ListeningPreferences.objects.create(user=alice, auto_follow=False)

    workshop.sign_up(alice)

    assert not is_following(alice, workshop)


def test_it_lets_someone_who_cancelled_sign_up_again_at_the_back_of_the_queue(workshop, alice, bob, charlie):
    workshop.sign_up(alice)
    workshop.sign_up(bob)
    waiting = workshop.sign_up(charlie)
    WorkshopSignup.objects.get(pk=waiting.pk).cancel(charlie)

    again = workshop.sign_up(charlie)

    assert again.pk == waiting.pk
    assert again.is_waitlisted and again.waitlist_position() == 1
    assert WorkshopSignup.objects.filter(workshop=workshop, user=charlie).count() == 1
