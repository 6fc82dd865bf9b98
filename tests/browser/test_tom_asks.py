"""Tom asks his first question: from the home page to the ask form, a tag suggested from his title,
a screenshot added with the toolbar's Image button, a colleague @mentioned through the
autocomplete; the colleague is then told. At desktop and phone widths, with no serious
accessibility violations on the way."""

import io
import re

import pytest
from PIL import Image

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WIDTHS = {"desktop": 1280, "phone": 390}


def screenshot_png(tmp_path):
    """A screenshot-like PNG: a window with a red error bar."""
    image = Image.new("RGB", (640, 400), "white")
    image.paste((200, 30, 30), (0, 0, 640, 60))
    path = tmp_path / "vpn-error.png"
    out = io.BytesIO()
    image.save(out, format="PNG")
    path.write_bytes(out.getvalue())
    return path


def go_to_ask_form(page):
    page.goto("/")
    ask = page.get_by_role("link", name="Ask a question")
    if ask.count():  # the home page leads with it
        ask.first.click()
    else:  # or through Questions in the header's navigation (behind "Menu" on a phone)
        menu = page.get_by_role("button", name="Menu")
        if menu.count() and menu.first.is_visible():
            menu.first.click()
        page.get_by_role("link", name="Questions", exact=True).first.click()
        page.get_by_role("link", name="Ask a question").first.click()
    page.get_by_role("heading", name="Ask a question", level=1).wait_for()


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_tom_asks_with_a_suggested_tag_a_screenshot_and_a_mention(as_user, demo, tmp_path, settings, width):
    settings.MEDIA_ROOT = tmp_path / "media"
    title = f"VPN drops every hour when I work from home ({width})"
    tom = as_user("tom")
    tom.set_viewport_size({"width": width, "height": 900})
    go_to_ask_form(tom)

    tom.get_by_label("Title").press_sequentially(title, delay=10)
    suggested = tom.locator("#tag-suggestions").get_by_role("checkbox", name="vpn", exact=True)
    suggested.wait_for()
    suggested.check()

    details = tom.get_by_role("textbox", name="Details")
    details.fill("It says error 809. Here is what I see:")
    with tom.expect_file_chooser() as chooser:
        tom.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Image").click()
    chooser.value.set_files(str(screenshot_png(tmp_path)))
    tom.get_by_text("Image added to your text.").wait_for()
    assert re.search(r"!\[vpn error\]\(/uploads/images/\d+/\)", details.input_value())

    details.press("End")
    details.press_sequentially(" Can you help @mar", delay=30)
    option = tom.get_by_role("option", name=re.compile(r"Marie Dubois \(@marie\)"))
    option.wait_for()
    assert_accessible(tom, f"the ask form with suggestions open ({width})")
    save_screenshot(tom, f"17-ask-suggested-tag-screenshot-mention-{width}")
    details.press("Enter")
    assert details.input_value().endswith("Can you help @marie ")

    tom.get_by_role("button", name="Post your question").click()
    tom.get_by_role("heading", name=title, level=1).wait_for()
    picture = tom.locator(".confer-prose img[alt='vpn error']")
    picture.wait_for()
    assert picture.evaluate("img => img.complete && img.naturalWidth") == 640  # served by Confer, CSP allows it
    assert tom.locator(".confer-prose a.confer-mention", has_text="@marie").count() == 1
    assert tom.get_by_role("list", name="Tags").get_by_role("link", name="vpn", exact=True).count() == 1
    assert_accessible(tom, f"the question just asked ({width})")
    save_screenshot(tom, f"17-question-asked-{width}")

    marie = as_user("marie")
    marie.set_viewport_size({"width": width, "height": 900})
    marie.goto("/notifications/")
    told = marie.get_by_text("Tom Okafor mentioned you in")
    told.first.wait_for()
    assert marie.get_by_role("link", name=title).count() >= 1
    assert_accessible(marie, f"Marie's notifications ({width})")
    save_screenshot(marie, f"17-marie-told-{width}")
