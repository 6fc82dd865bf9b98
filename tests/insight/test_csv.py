"""Every table on the dashboard downloads as CSV for the same range and directorate."""

import csv
import io

import pytest
from django.urls import reverse

from insight import metrics
from insight.models import SearchEvent
from insight.period import read_period

from .conftest import people

KEYS = [
    "activity",
    "unfound_queries",
    "ideas_funnel",
    "implemented_ideas",
    "contributors",
    "workshops",
    "top_tags",
    "rising_tags",
    "tag_gaps",
    "directorates",
]


def rows_of(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_every_table_on_the_page_has_a_csv(db):
    assert sorted(metrics.dashboard(read_period({}))["tables"]) == sorted(KEYS) == sorted(metrics.TABLE_SOURCES)


@pytest.mark.parametrize("key", KEYS)
def test_each_csv_has_the_tables_columns_and_rows(client_for, dita, key):
    response = client_for(dita).get(reverse("insight:csv", args=[key]), {"preset": "7d"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert f'filename="insight-{key}-' in response["Content-Disposition"]
    table = metrics.dashboard(read_period({"preset": "7d"}))["tables"][key]
    rows = rows_of(response)
    assert rows[0] == table.columns
    assert len(rows) == len(table.rows) + 1


def test_the_page_links_every_csv_with_its_range(client_for, dita):
    page = client_for(dita).get(reverse("insight:dashboard"), {"preset": "90d"}).content.decode()
    for key in KEYS:
        assert f"{reverse('insight:csv', args=[key])}?preset=90d" in page


def test_an_empty_range_gives_the_header_alone(client_for, dita):
    response = client_for(dita).get(
        reverse("insight:csv", args=["unfound_queries"]), {"start": "2020-01-01", "end": "2020-01-31"}
    )
    assert rows_of(response) == [["Search", "Searches", "Found nothing", "People"]]


def test_the_activity_csv_has_a_row_of_zeros_for_each_day_of_an_empty_range(client_for, dita):
    response = client_for(dita).get(
        reverse("insight:csv", args=["activity"]), {"start": "2020-01-01", "end": "2020-01-03"}
    )
    assert rows_of(response)[1:] == [
        ["2020-01-01", "0", "0", "0"],
        ["2020-01-02", "0", "0", "0"],
        ["2020-01-03", "0", "0", "0"],
    ]


def test_a_query_a_spreadsheet_would_run_is_quoted(client_for, dita, django_user_model):
    for person in people(django_user_model, "s", 2):
        SearchEvent.record(person, "=HYPERLINK(1)", 0)
    rows = rows_of(client_for(dita).get(reverse("insight:csv", args=["unfound_queries"])))
    assert rows[1][0] == "'=hyperlink(1)"


def test_an_unknown_table_is_not_found(client_for, dita):
    assert client_for(dita).get(reverse("insight:csv", args=["salaries"])).status_code == 404


def test_a_bad_range_is_refused_with_the_reason_not_a_csv_of_another_range(client_for, dita):
    response = client_for(dita).get(
        reverse("insight:csv", args=["top_tags"]), {"start": "2026-05-01", "end": "2026-01-01"}
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "The end date must be the same as or after the start date" in response.content.decode()
