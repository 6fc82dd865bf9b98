"""The insight walk: the digital team opens the dashboard, the charts render, and axe finds nothing
serious; choosing another range redraws them; a colleague is refused."""

import pytest

from .conftest import assert_accessible, save_screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_digital_team_reads_the_dashboard(as_user, demo):
    liz = as_user("liz")
    liz.goto("/")
    liz.get_by_role("link", name="See how Confer is doing on the insight dashboard").click()
    assert liz.get_by_role("heading", level=1).inner_text() == "Insight"
    calls = liz.locator("#calls-avoided").inner_text()
    assert calls.isdigit()

    for chart in ("activity-chart", "funnel-chart", "tags-chart"):
        svg = liz.locator(f"svg[aria-labelledby='{chart}-title']")
        svg.wait_for()
        box = svg.bounding_box()
        assert box["width"] > 300 and box["height"] > 50, chart
    # The activity chart draws a line for each series, with real points.
    assert liz.locator("svg[aria-labelledby='activity-chart-title'] polyline").count() == 3
    assert liz.locator("svg[aria-labelledby='tags-chart-title'] rect").count() >= 1
    assert liz.get_by_role("table", name="Top searches with no good result").is_visible()
    save_screenshot(liz, "70-insight-dashboard")
    assert_accessible(liz, "the insight dashboard")

    liz.get_by_label("Date range").select_option("90d")
    liz.get_by_role("button", name="Show figures").click()
    assert "Last 90 days" in liz.locator("p.govuk-body-l").first.inner_text()
    assert liz.locator("svg[aria-labelledby='activity-chart-title'] polyline").count() == 3

    liz.get_by_label("Date range").select_option("custom")
    liz.locator("#start-day").fill("31")
    liz.locator("#start-month").fill("2")
    liz.get_by_role("button", name="Show figures").click()
    liz.get_by_role("alert").get_by_text("Enter the start date as a real date").wait_for()
    save_screenshot(liz, "71-insight-bad-range")
    assert_accessible(liz, "the insight dashboard with an error")

    tom = as_user("tom")
    response = tom.goto("/insight/")
    assert response.status == 403
