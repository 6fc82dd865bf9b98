"""The workshop walk: sign up for the last place, a colleague joins the waiting list, the first
cancels, and the colleague sees (and is emailed) that the place is now theirs."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from community.models import WorkshopIndexPage, WorkshopPage

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def workshop(demo):
    """A one-place workshop next week, published like the digital team would."""
    start = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate() + datetime.timedelta(days=7), datetime.time(14))
    )
    page = WorkshopPage(
        title="Write for the web",
        summary="Plain words, short sentences and headings that help people scan.",
        start_at=start,
        end_at=start + datetime.timedelta(hours=2),
        place="Room 2.03, 1 Victoria Street",
        capacity=1,
        host=get_user_model().objects.get(username="sam"),
    )
    WorkshopIndexPage.objects.get(slug="workshops").add_child(instance=page)
    page.tags.add("writing")
    page.save_revision().publish()
    return page


def test_it_walks_a_place_from_sign_up_through_the_waiting_list_to_promotion(as_user, workshop):
    tom = as_user("tom")
    tom.goto("/workshops/")
    assert_accessible(tom, "the workshop index")
    tom.get_by_role("link", name="Write for the web").click()
    tom.get_by_text("1 of 1 place left").first.wait_for()
    assert_accessible(tom, "a workshop page")
    tom.get_by_role("button", name="Sign up").click()
    tom.get_by_text("You have a place at Write for the web.").wait_for()
    save_screenshot(tom, "30-workshop-signed-up")

    owen = as_user("owen")
    owen.goto(workshop.url)
    owen.get_by_role("button", name="Join the waiting list").click()
    owen.locator("#workshop-signup").get_by_text("You are number 1 on the waiting list").wait_for()
    assert_accessible(owen, "a workshop page with a waiting list")
    save_screenshot(owen, "31-workshop-waiting-list")

    tom.reload()
    tom.get_by_role("button", name="Cancel my place").click()
    tom.get_by_role("heading", name="Are you sure you want to cancel your place?").wait_for()
    assert_accessible(tom, "the cancel confirmation page")
    tom.get_by_role("button", name="Yes, cancel my place").click()
    tom.get_by_text("You have cancelled your place.").wait_for()
    assert tom.get_by_role("button", name="Join the waiting list").is_visible()

    owen.reload()
    owen.locator("#workshop-signup").get_by_text("You have a place").wait_for()
    assert owen.get_by_role("button", name="Cancel my place").is_visible()
    save_screenshot(owen, "32-workshop-promoted")
    assert [message.to for message in mail.outbox if "You have a place" in message.subject] == [
        ["owen@confer.example"]
    ]

    owen.goto("/workshops/calendar/")
    owen.get_by_text("Write for the web").wait_for()
    assert_accessible(owen, "the personal workshop calendar")


def test_it_shows_the_digital_team_who_is_coming(as_user, demo):
    liz = as_user("liz")
    liz.goto("/workshops/boost-your-blog/")
    liz.get_by_role("link", name="Attendees").click()
    liz.get_by_role("heading", name="Waiting list").wait_for()
    assert liz.get_by_text("Hannah Patel").is_visible()
    assert_accessible(liz, "a workshop's attendee list")

    liz.goto("/digital-buddies/")
    liz.get_by_label("Directorate").select_option(label="Audit")
    liz.get_by_role("button", name="Find volunteers").click()
    liz.get_by_role("link", name="Marie Dubois").wait_for()
    assert_accessible(liz, "the digital buddies page")
