"""The buddy walk: a colleague volunteers → another finds who can help and asks → the volunteer
accepts (both are introduced by email) → the match is marked done with an outcome."""

import pytest
from django.core import mail

from skills.models import BuddyRequest

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

NOTE = "Our team wants a community for sharing audit tips. Could someone show me how to start one?"
OUTCOME = "Grace showed me how to start a community; ours has twelve members already."


def test_it_matches_a_colleague_with_a_volunteer_from_request_to_outcome(as_user, demo):
    grace = as_user("grace")
    grace.goto("/skills/")
    grace.get_by_role("link", name="Volunteer to help").click()
    assert_accessible(grace, "the volunteering form")
    grace.get_by_label("As a digital buddy").check()
    grace.get_by_label("Topics you can help with").fill("communities, yammer")
    grace.get_by_label("How many colleagues can you help at the same time?").fill("1")
    grace.get_by_label("When are you available?").fill("Wednesday afternoons")
    grace.get_by_role("button", name="Volunteer").click()
    grace.get_by_text("Thank you for volunteering.").wait_for()
    assert_accessible(grace, "your skills and help")
    save_screenshot(grace, "50-skills-volunteered")

    tom = as_user("tom")
    tom.goto("/people/")
    tom.get_by_label("Name, role or team, or a topic").fill("communities")
    tom.get_by_role("button", name="Find people").click()
    assert tom.get_by_role("heading", level=1).inner_text() == "Who can help with communities"
    card = tom.locator(".confer-card", has_text="Grace Lee")
    assert "digital buddy for communities (1 place free)" in card.inner_text()
    assert_accessible(tom, "who can help with a topic")
    save_screenshot(tom, "51-who-can-help")

    tom.get_by_role("link", name="Ask for a digital buddy").click()
    assert tom.get_by_label("What would you like help with?").input_value() == "communities"
    tom.get_by_role("button", name="Find me a buddy").click()  # no note yet
    assert tom.locator(".govuk-error-summary").is_visible()
    assert_accessible(tom, "the buddy request form with an error")
    tom.get_by_label("Tell your buddy a little more").fill(NOTE)
    tom.get_by_role("button", name="Find me a buddy").click()
    tom.get_by_role("heading", name="Choose who to ask").wait_for()
    assert_accessible(tom, "choosing a volunteer")
    save_screenshot(tom, "52-choose-a-volunteer")
    tom.get_by_label("Grace Lee, Engagement manager (People and HR)").check()
    tom.get_by_role("button", name="Ask this volunteer").click()
    tom.get_by_role("heading", name="Waiting for Grace Lee").wait_for()

    grace.goto("/skills/")
    grace.get_by_role("region", name="Colleagues who asked you").get_by_role(
        "link", name="Help with communities"
    ).click()
    assert NOTE in grace.locator(".govuk-inset-text").inner_text()
    assert_accessible(grace, "a request waiting for the volunteer")
    save_screenshot(grace, "53-asked-to-help")
    grace.get_by_role("button", name="Accept").click()
    grace.get_by_text("We have emailed you and Tom Okafor to introduce you.").wait_for()
    subjects = {message.to[0]: message.subject for message in mail.outbox if message.subject.startswith("Meet")}
    assert subjects == {
        "tom@confer.example": "Meet Grace Lee, your digital buddy for communities",
        "grace@confer.example": "Meet Tom Okafor: you are their digital buddy for communities",
    }

    tom.reload()
    assert "grace@confer.example" in tom.locator(".govuk-summary-list").first.inner_text()
    tom.get_by_role("button", name="Mark as done").click()  # nothing filled in
    assert tom.locator(".govuk-error-summary").is_visible()
    tom.get_by_label("How did it go?").fill(OUTCOME)
    tom.get_by_label("Yes, it helped").check()
    tom.get_by_role("button", name="Mark as done").click()
    tom.get_by_text("Marked as done. Thank you for telling us how it went.").wait_for()
    assert OUTCOME in tom.locator(".govuk-summary-list").last.inner_text()
    assert_accessible(tom, "a finished buddy request")
    save_screenshot(tom, "54-buddy-done")

    request = BuddyRequest.objects.get(requester__username="tom", note=NOTE)
    assert (request.status, request.volunteer.username, request.helpful) == ("done", "grace", True)
