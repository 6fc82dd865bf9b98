"""Cancelling: a freed place goes to the first person waiting, who is emailed; nobody else's place
can be cancelled, and nothing changes once the workshop has started."""

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.utils import timezone

from community.models import WorkshopSignup

from .conftest import days, republish

pytestmark = pytest.mark.django_db


@pytest.fixture
def full(workshop, alice, bob, charlie, django_user_model):
    """alice and bob have the two places; charlie then dave wait."""
    from tests.conftest import make_user

    dave = make_user(django_user_model, "dave")
    return {user.username: workshop.sign_up(user) for user in (alice, bob, charlie, dave)}


def status(workshop, username):
    return WorkshopSignup.objects.get(workshop=workshop, user__username=username).status


def cancel(client, signup):
    return client.post(signup.workshop.route_url("cancel", signup.pk), follow=True)


def test_it_gives_a_cancelled_place_to_the_first_person_waiting_and_emails_only_them(
    workshop, full, client_for, alice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = cancel(client_for(alice), full["alice"])

    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "You have cancelled your place. Thank you for letting us know."
    ]
    assert status(workshop, "alice") == "cancelled"
    assert status(workshop, "charlie") == "confirmed"
    assert status(workshop, "dave") == "waitlisted"
    assert WorkshopSignup.objects.get(pk=full["dave"].pk).waitlist_position() == 1
    [email] = mail.outbox
    assert email.to == ["charlie@example.org"]
    assert email.subject == "You have a place at Boost your blog"
    assert "it is yours" in email.body
    assert email.attachments[0][0] == f"{workshop.slug}.ics"


def test_it_shows_the_promoted_person_their_place(workshop, full, client_for, alice, charlie):
    full["alice"].cancel(alice)

    page = client_for(charlie).get(workshop.url).content.decode()

    panel = page.split('id="workshop-signup"')[1].split("</section>")[0]
    assert "You have a place" in panel
    assert "Cancel my place" in panel
    assert "on the waiting list</p>" not in panel


def test_it_promotes_nobody_when_someone_leaves_the_waiting_list(
    workshop, full, client_for, charlie, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = cancel(client_for(charlie), full["charlie"])

    assert "You have left the waiting list." in response.content.decode()
    assert status(workshop, "dave") == "waitlisted"
    assert WorkshopSignup.objects.get(pk=full["dave"].pk).waitlist_position() == 1
    assert mail.outbox == []


def test_it_refuses_to_cancel_someone_elses_place(workshop, full, client_for, bob):
    response = client_for(bob).post(workshop.route_url("cancel", full["alice"].pk))

    assert response.status_code == 403
    assert "You can only cancel your own place." in response.content.decode()
    assert status(workshop, "alice") == "confirmed"
    assert status(workshop, "charlie") == "waitlisted"


def test_it_refuses_to_cancel_twice(workshop, full, client_for, alice):
    client = client_for(alice)
    cancel(client, full["alice"])

    response = cancel(client, full["alice"])

    assert "You have already cancelled this place." in response.content.decode()
    assert status(workshop, "charlie") == "confirmed"
    assert status(workshop, "dave") == "waitlisted"


def test_it_refuses_to_cancel_once_the_workshop_has_started(make_workshop, alice, bob, client_for):
    workshop = make_workshop(capacity=1)
    place = workshop.sign_up(alice)
    workshop.sign_up(bob)
    # Time passes: the workshop is under way.
    type(workshop).objects.filter(pk=workshop.pk).update(start_at=days(-1), end_at=days(1))

    response = cancel(client_for(alice), place)

    assert "This workshop has already started, so you can no longer cancel." in response.content.decode()
    assert status(workshop, "alice") == "confirmed"
    assert status(workshop, "bob") == "waitlisted"


def test_it_gives_new_places_to_people_waiting_when_the_capacity_grows(
    workshop, full, dita, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        republish(workshop, dita, capacity=3)

    assert status(workshop, "charlie") == "confirmed"
    assert status(workshop, "dave") == "waitlisted"
    assert [email.to for email in mail.outbox] == [["charlie@example.org"]]


def test_it_keeps_everyone_with_a_place_when_the_capacity_shrinks(workshop, full, dita, django_user_model):
    from tests.conftest import make_user

    republish(workshop, dita, capacity=1)
    late = workshop.sign_up(make_user(django_user_model, "erin"))

    assert status(workshop, "alice") == status(workshop, "bob") == "confirmed"
    assert late.is_waitlisted and late.waitlist_position() == 3


def test_it_serves_the_waiting_list_in_the_order_people_joined(workshop, full, alice, bob):
    full["alice"].cancel(alice)
    full["bob"].cancel(bob)

    assert status(workshop, "charlie") == status(workshop, "dave") == "confirmed"
    promoted = WorkshopSignup.objects.get(pk=full["charlie"].pk)
    assert promoted.promoted_at is not None and promoted.promoted_at <= timezone.now()
