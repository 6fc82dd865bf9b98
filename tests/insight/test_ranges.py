"""Date ranges and the directorate filter: defaults, presets, custom dates, and every bad input met
with a clear message and sensible figures, never a 500."""

import datetime

import pytest

from insight.period import read_period

from .conftest import dashboard, people

TODAY = datetime.date(2026, 12, 6)


def test_the_default_is_the_last_30_days_including_today():
    period = read_period({}, today=TODAY)
    assert (period.first, period.last, period.errors) == (datetime.date(2026, 11, 7), TODAY, [])


@pytest.mark.parametrize(
    ("preset", "first", "last"),
    [
        ("7d", datetime.date(2026, 11, 30), TODAY),
        ("90d", datetime.date(2026, 9, 8), TODAY),
        ("this-month", datetime.date(2026, 12, 1), TODAY),
        ("last-month", datetime.date(2026, 11, 1), datetime.date(2026, 11, 30)),
        ("12m", datetime.date(2025, 12, 7), TODAY),
    ],
)
def test_presets(preset, first, last):
    period = read_period({"preset": preset}, today=TODAY)
    assert (period.first, period.last) == (first, last)


def test_custom_dates_from_govuk_date_inputs():
    params = {"preset": "custom", "start-day": "1", "start-month": "3", "start-year": "2026"}
    params |= {"end-day": "31", "end-month": "3", "end-year": "2026"}
    period = read_period(params, today=TODAY)
    assert (period.first, period.last, period.preset) == (datetime.date(2026, 3, 1), datetime.date(2026, 3, 31), "")


def test_a_preset_wins_over_dates_left_in_the_form():
    period = read_period({"preset": "7d", "start": "2026-01-01", "end": "2026-01-31"}, today=TODAY)
    assert period.first == datetime.date(2026, 11, 30)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2026-05-01", "end": "2026-04-01"}, "The end date must be the same as or after the start date"),
        ({"start": "2027-01-01", "end": "2027-01-31"}, "The start date must be today or in the past"),
        ({"start": "2020-01-01", "end": "2026-01-01"}, "Choose a range of 3 years or less"),
        ({"start": "yesterday"}, "Enter the start date as a real date"),
        ({"start-day": "31", "start-month": "2", "start-year": "2026"}, "Enter the start date as a real date"),
        ({"start": "2026-01-01", "end": "2026-13-01"}, "Enter the end date as a real date"),
        ({"preset": "forever"}, "Choose one of the ranges listed"),
    ],
)
def test_bad_ranges_say_why_and_keep_the_default(params, message):
    period = read_period(params, today=TODAY)
    assert any(text.startswith(message) for _, text in period.errors)
    assert (period.first, period.last) == (datetime.date(2026, 11, 7), TODAY)


def test_a_future_end_runs_to_today_with_a_notice():
    period = read_period({"start": "2026-11-01", "end": "2027-06-01"}, today=TODAY)
    assert (period.first, period.last, period.errors) == (datetime.date(2026, 11, 1), TODAY, [])
    assert period.notices == ["The end date is in the future, so the figures run to today."]


def test_the_page_shows_the_error_summary_for_a_reversed_range(client_for, dita):
    response = dashboard(client_for(dita), start="2026-05-01", end="2026-04-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The end date must be the same as or after the start date" in page
    assert "Last 30 days" in page


def test_an_unknown_directorate_says_so(client_for, dita):
    response = dashboard(client_for(dita), directorate="nowhere")
    assert response.status_code == 400
    assert "There is no directorate with that name" in response.content.decode()


def test_a_directorate_of_fewer_than_five_people_is_not_shown_alone(client_for, dita, finance, django_user_model):
    people(django_user_model, "f", 4, finance)
    response = dashboard(client_for(dita), directorate="finance")
    assert response.status_code == 400
    assert "Finance has fewer than 5 people, so its figures are not shown on their own" in response.content.decode()


def test_a_directorate_of_five_is_shown(client_for, dita, finance, django_user_model):
    people(django_user_model, "f", 5, finance)
    response = dashboard(client_for(dita), directorate="finance")
    assert response.status_code == 200
    assert "· Finance" in response.content.decode()
