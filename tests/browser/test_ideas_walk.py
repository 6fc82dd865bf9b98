"""The ideas walk: submit (similar ideas shown) → a colleague votes → a moderator changes the status →
the voter and the author see the notification, and a merge is made and undone."""

import pytest

from ideas.models import Idea

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Show free meeting rooms on the screens by the lifts"


def test_it_walks_an_idea_from_submission_to_a_status_change_that_voters_hear_about(as_user, demo):
    tom = as_user("tom")
    tom.goto("/ideas/")
    assert_accessible(tom, "the ideas list")
    save_screenshot(tom, "40-ideas-list")
    tom.get_by_role("link", name="Suggest an idea").first.click()
    assert_accessible(tom, "the idea form")
    tom.get_by_label("Your idea in one sentence").press_sequentially("Book meeting rooms", delay=20)
    suggestion = tom.locator("#similar-ideas a", has_text="Book meeting rooms from the Outlook calendar")
    suggestion.wait_for()
    save_screenshot(tom, "41-idea-similar")

    tom.get_by_label("Your idea in one sentence").fill(TITLE)
    tom.get_by_label("Describe your idea").fill("Rooms sit empty while people search for one. **Show them**.")
    tom.get_by_label("Tags").fill("meetings, facilities")
    tom.get_by_role("button", name="Post your idea").click()
    assert tom.get_by_role("heading", level=1).inner_text() == TITLE
    idea_url = tom.url

    priya = as_user("priya")
    priya.goto("/notifications/")
    if priya.get_by_role("button", name="Mark all as read").count():
        priya.get_by_role("button", name="Mark all as read").click()
    priya.goto(idea_url)
    priya.get_by_role("button", name="Vote for this idea").click()  # htmx swaps the vote box in place
    priya.get_by_text("1 vote, including yours").wait_for()
    priya.get_by_role("button", name="Withdraw your vote for this idea").wait_for()
    assert_accessible(priya, "an idea after voting")
    save_screenshot(priya, "42-idea-voted")

    carl = as_user("carl")
    carl.goto(idea_url)
    carl.get_by_role("link", name="Change status of this idea").click()
    assert_accessible(carl, "the status form")
    carl.get_by_label("Planned").check()
    carl.get_by_label("Official response").fill("Facilities will put the room list on the screens in **June**.")
    carl.get_by_role("button", name="Change status").click()
    carl.get_by_text("The idea is now “Planned”.").wait_for()
    assert carl.locator("#official-response").get_by_text("Facilities will put the room list").is_visible()
    save_screenshot(carl, "43-idea-planned")

    idea = Idea.objects.get(title=TITLE)
    assert idea.status == "planned"
    assert idea.vote_count == 1

    for person, name in ((priya, "priya"), (tom, "tom")):
        person.goto("/ideas/")
        assert int(person.locator("#notifications-link .confer-header__count").inner_text()) >= 1, name
        person.locator("#notifications-link").click()
        item = person.locator(".confer-notification--unread", has_text=TITLE).first
        assert "Carl" in item.inner_text() and "to Planned" in item.inner_text()
        if name == "priya":
            assert_accessible(priya, "the notifications page with an idea notification")
            save_screenshot(priya, "44-idea-notification")
        item.get_by_role("link", name=TITLE).click()
        assert person.get_by_role("heading", level=1).inner_text() == TITLE
        assert person.locator("#official-response").is_visible()


def test_a_moderator_merges_a_duplicate_and_undoes_it(as_user, demo):
    original = Idea.objects.get(title="Stop printing board papers")
    carl = as_user("carl")
    carl.goto(Idea.objects.get(title="Share taxis to the station after late meetings").get_absolute_url())
    carl.get_by_role("link", name="Merge into another idea").click()
    assert_accessible(carl, "the merge form")
    # The original is chosen from what the search box finds, not typed as a number.
    carl.get_by_label("Search for the original idea (words, its number or its link)").fill("board papers")
    carl.locator("#original").get_by_role("button", name="Search").click()  # not the header's search
    carl.get_by_label(original.title).check()
    carl.get_by_role("button", name="Merge", exact=True).click()
    carl.get_by_text("has been merged into this idea").wait_for()
    assert carl.get_by_role("heading", level=1).inner_text() == original.title
    save_screenshot(carl, "45-idea-merged")

    carl.get_by_role("button", name="Undo the merge of “Share taxis to the station after late meetings”").click()
    carl.get_by_text("The merge has been undone").wait_for()
    assert carl.get_by_role("heading", level=1).inner_text() == "Share taxis to the station after late meetings"
    assert carl.get_by_role("button", name="Vote for this idea").is_visible()
