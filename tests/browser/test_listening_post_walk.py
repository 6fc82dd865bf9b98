"""The listening post walk: save a watch → see its match highlighted → share it into a question
that links back to where it was heard."""

import pytest

from qa.models import Question

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_watch_hears_an_item_and_it_becomes_a_question(as_user, demo):
    marie = as_user("marie")
    marie.goto("/listening/")
    marie.get_by_role("link", name="Set up a watch").click()
    marie.get_by_label("Name").fill("Rates relief")
    marie.get_by_label("Words to listen for").fill('"rates relief" AND NOT football')
    marie.get_by_role("button", name="Save the watch").click()

    marie.get_by_text("Your watch “Rates relief” is saved. It found 2 recent items.").wait_for()
    assert marie.get_by_role("heading", level=1).inner_text().endswith("Rates relief")
    highlighted = marie.locator(".confer-listening-items mark")
    assert highlighted.first.inner_text().lower() == "rates relief"
    assert_accessible(marie, "the Listening page with a watch")
    save_screenshot(marie, "70-listening-watch")

    marie.get_by_role("link", name="Live reaction: small businesses on the Autumn Statement").click()
    assert_accessible(marie, "a listening post item")
    save_screenshot(marie, "71-listening-item")
    marie.get_by_role("link", name="Turn into a question").click()
    assert marie.get_by_label("Title").input_value() == "Live reaction: small businesses on the Autumn Statement"
    assert "Heard on [Public finance news]" in marie.get_by_label("Details").input_value()
    marie.get_by_label("Title").fill("How do we explain the new rates relief online?")
    save_screenshot(marie, "72-listening-question-form")
    marie.get_by_role("button", name="Post your question").click()

    assert marie.get_by_role("heading", level=1).inner_text() == "How do we explain the new rates relief online?"
    assert (
        marie.get_by_role("link", name="Public finance news")
        .get_attribute("href")
        .startswith("https://news.demo.invalid/")
    )
    save_screenshot(marie, "73-listening-question")
    question = Question.objects.get(title="How do we explain the new rates relief online?")
    assert question.from_listening_item.title == "Live reaction: small businesses on the Autumn Statement"


def test_the_digital_team_sees_sources_and_the_past_exercise(as_user, demo):
    liz = as_user("liz")
    liz.goto("/listening/sources/")
    assert liz.get_by_role("link", name="Add a source").is_visible()
    assert liz.get_by_text("Loaded from the demo feed file").count() == 3
    assert_accessible(liz, "the listening post's sources")
    save_screenshot(liz, "74-listening-sources")

    liz.get_by_role("link", name="Listening exercises").first.click()
    liz.get_by_role("link", name="Autumn Statement day").click()
    assert liz.get_by_text("“They name our guidance pages: keep them plain.”").is_visible()
    assert liz.get_by_role("link", name="Download what was gathered (CSV)").is_visible()
    assert_accessible(liz, "a listening exercise")
    save_screenshot(liz, "75-listening-exercise")
