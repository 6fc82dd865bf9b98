"""The listening walk: follow a tag → a colleague asks → the unread count shows → open the notification."""

import pytest

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Which RSS reader works on the office laptops?"


def test_it_tells_a_follower_about_a_new_question_on_their_tag(as_user, demo):
    priya = as_user("priya")
    priya.goto("/notifications/")
    # Her first sign-in started her at zero unread: nothing to mark read.
    assert priya.locator("#notifications-link .confer-header__count").count() == 0
    priya.goto("/tags/rss/")
    priya.get_by_role("button", name="Follow rss").click()  # htmx swaps the button in place
    priya.get_by_role("button", name="Following rss: select to stop following").wait_for()
    assert priya.url.endswith("/tags/rss/")
    save_screenshot(priya, "30-follow-tag")

    owen = as_user("owen")
    owen.goto("/qa/ask/")
    owen.get_by_label("Title").fill(TITLE)
    owen.get_by_label("Details").fill("I want to follow the digital team's blogs without email.")
    owen.get_by_label("Tags").fill("rss")
    owen.get_by_role("button", name="Post your question").click()
    assert owen.get_by_role("heading", level=1).inner_text() == TITLE

    priya.goto("/qa/")
    assert priya.locator("#notifications-link .confer-header__count").inner_text() == "1"
    priya.locator("#notifications-link").click()
    priya.get_by_role("navigation", name="Notification lists").get_by_role(
        "link", name="Following", exact=True
    ).click()
    assert_accessible(priya, "the notifications page")
    save_screenshot(priya, "31-notifications")
    item = priya.locator(".confer-notification--unread").first
    assert "Owen" in item.inner_text() and TITLE in item.inner_text()
    item.get_by_role("link", name=TITLE).click()
    assert priya.get_by_role("heading", level=1).inner_text() == TITLE
    assert priya.locator("#notifications-link .confer-header__count").count() == 0

    priya.goto("/notifications/settings/")
    assert_accessible(priya, "the notification settings page")
    priya.get_by_label("A weekly digest").check()
    priya.get_by_role("button", name="Save settings").click()
    priya.get_by_text("Your notification settings have been saved.").wait_for()
    assert priya.get_by_label("A weekly digest").is_checked()
    save_screenshot(priya, "32-notification-settings")
