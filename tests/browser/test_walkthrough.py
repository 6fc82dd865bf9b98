import pytest

from community.demo import DEMO_PASSWORD

from .conftest import assert_accessible, save_screenshot, sign_in

# serialized_rollback restores what the data migrations made (groups, home page) after each flush.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_it_walks_a_colleague_through_every_section(page, demo, screenshot, check_accessibility):
    page.goto("/")
    assert page.url.endswith("/accounts/login/?next=/")
    check_accessibility("the sign-in page")
    screenshot("01-sign-in")

    sign_in(page, "tom", DEMO_PASSWORD)
    assert page.get_by_role("heading", level=1).inner_text() == "Welcome to Confer"
    assert page.get_by_role("link", name="Tom Okafor").is_visible()
    check_accessibility("the home page")
    screenshot("02-home")

    sections = page.locator(".govuk-service-navigation__link")
    labels = [label.strip() for label in sections.all_inner_texts()]
    assert "People" in labels and "Search" in labels
    for label in labels:
        page.locator(".govuk-service-navigation__link", has_text=label).click()
        assert page.locator("h1").first.is_visible()
        assert page.title().endswith("– Confer")
        check_accessibility(f"the {label} section")
        screenshot(f"03-section-{label.lower()}")

    page.goto("/people/")
    page.get_by_label("Name, role or team").fill("auditor")
    page.get_by_role("button", name="Find people").click()
    assert page.get_by_role("link", name="Marie Dubois").is_visible()
    page.get_by_role("link", name="Marie Dubois").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Marie Dubois"
    check_accessibility("a profile page")
    screenshot("04-profile")

    page.goto("/tags/vpn/")
    assert page.get_by_role("link", name="Working remotely: VPN and remote access").is_visible()
    check_accessibility("a tag page")
    screenshot("05-tag")


def test_it_lets_a_colleague_complete_their_profile(page, demo, screenshot, check_accessibility):
    sign_in(page, "tom", DEMO_PASSWORD)
    page.goto("/profile/edit/")
    page.get_by_label("Name shown to colleagues").fill("   ")
    page.get_by_role("button", name="Save profile").click()
    assert page.locator(".govuk-error-summary").is_visible()
    check_accessibility("the profile form with an error")
    screenshot("06-profile-error")

    page.get_by_label("Name shown to colleagues").fill("Tom Okafor")
    page.get_by_label("Short bio").fill("Learning to use **Excel** pivot tables. <script>alert(1)</script>")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_text("Your profile has been updated.").is_visible()
    assert page.locator(".confer-prose strong", has_text="Excel").is_visible()
    assert page.locator(".confer-prose script").count() == 0
    screenshot("07-profile-saved")


def test_it_shows_styled_not_found_pages(page, demo, screenshot, check_accessibility):
    sign_in(page, "tom", DEMO_PASSWORD)
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    check_accessibility("the 404 page")
    screenshot("08-not-found")


def test_it_leads_the_home_page_with_search_and_ask_at_phone_width(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 667})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        sign_in(page, "tom", DEMO_PASSWORD)
        search = page.get_by_label("What do you need help with?")
        ask = page.get_by_role("button", name="Ask a question")
        # Above the fold on a phone, under the header's own search box.
        for element in (search, ask):
            box = element.bounding_box()
            assert box is not None and box["y"] + box["height"] <= 667, box
        assert page.get_by_label("Search Confer").is_visible()
        assert_accessible(page, "the home page at phone width")
        save_screenshot(page, "02-home-phone")

        search.fill("vpn")
        search.press("Enter")
        page.wait_for_url("**/search/?q=vpn")
        assert page.locator("h1").first.is_visible()
    finally:
        context.close()
