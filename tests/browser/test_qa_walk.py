"""The Q&A walk: ask (with similar questions shown) → answer → vote → accept → verify → search finds it."""

import pytest

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TITLE = "Printer on floor 3 will not print my expenses form"


def test_it_walks_a_question_from_asking_to_a_verified_answer(as_user, demo):
    tom = as_user("tom")
    tom.goto("/qa/ask/")
    assert_accessible(tom, "the ask page")
    tom.get_by_label("Title").press_sequentially("VPN will not connect", delay=20)
    suggestion = tom.locator("#similar-questions a", has_text="VPN will not connect from home: error 809")
    suggestion.wait_for()
    save_screenshot(tom, "10-ask-similar")

    tom.get_by_label("Title").fill(TITLE)
    tom.get_by_label("Details").fill("The printer shows **PC LOAD LETTER** when I send the expenses form.")
    tom.get_by_label("Tags").fill("printing, expenses")
    tom.get_by_role("button", name="Post your question").click()
    assert tom.get_by_role("heading", level=1).inner_text() == TITLE
    question_url = tom.url

    marie = as_user("marie")
    marie.goto(question_url)
    marie.get_by_role("textbox", name="Your answer").fill(
        "Choose **Tray 2** in the print dialogue: tray 1 holds A5 paper."
    )
    marie.get_by_role("button", name="Post your answer").click()
    marie.locator("#answers").get_by_text("Tray 2").wait_for()

    priya = as_user("priya")
    priya.goto(question_url)
    priya.get_by_role("button", name="Vote up this answer").click()
    priya.locator("#answers").get_by_text("1 vote").first.wait_for()

    tom.goto(question_url)
    tom.get_by_role("button", name="Accept this answer").click()
    tom.locator("#answers").get_by_text("Accepted").first.wait_for()

    hannah = as_user("hannah")
    hannah.goto(question_url)
    hannah.get_by_text("Verify this answer").click()
    hannah.get_by_role("button", name="Verify until this date").click()
    hannah.locator("#answers").get_by_text("Verified").first.wait_for()
    assert_accessible(hannah, "a question with a verified answer")
    save_screenshot(hannah, "11-question-verified")

    hannah.goto("/search/?q=PC+LOAD+LETTER")
    assert hannah.get_by_role("link", name=TITLE).first.is_visible()
    save_screenshot(hannah, "12-search-finds-question")
