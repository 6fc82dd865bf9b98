"""Search page views are recorded with one insert, clicks to questions are counted on the way, and
old records are purged."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.sitesearch import views as sitesearch_views
from insight.models import SearchClick, SearchEvent

from .conftest import answer, question


@pytest.fixture
def answered(alice, bob):
    asked = question(alice, timezone.now(), title="How do I reset my password?", answer_count=0)
    reply = answer(asked, bob, timezone.now())
    return asked, reply


@pytest.mark.whoosh  # the count of hits is the real index's
def test_it_records_one_search_per_page_view(client_for, charlie, answered):
    response = client_for(charlie).get(reverse("search"), {"q": "  Reset   PASSWORD "})
    assert response.status_code == 200
    event = SearchEvent.objects.get()
    assert response.context["total"] >= 1
    assert (event.query, event.user, event.results) == ("reset password", charlie, response.context["total"])


def test_it_records_searches_that_find_nothing(client_for, charlie, answered):
    client_for(charlie).get(reverse("search"), {"q": "zzzqqq"})
    assert SearchEvent.objects.get().results == 0


def test_it_does_not_record_the_empty_search_page(client_for, charlie):
    client_for(charlie).get(reverse("search"))
    assert not SearchEvent.objects.exists()


def test_recording_costs_exactly_one_insert(client_for, charlie, answered, monkeypatch):
    client = client_for(charlie)
    client.get(reverse("search"), {"q": "password"})  # sessions, permissions and caches warmed
    with CaptureQueriesContext(connection) as recorded:
        client.get(reverse("search"), {"q": "password"})
    monkeypatch.setattr(sitesearch_views, "_recorders", lambda: [])
    with CaptureQueriesContext(connection) as unrecorded:
        client.get(reverse("search"), {"q": "password"})
    extra = [q["sql"] for q in recorded.captured_queries if "insight_" in q["sql"]]
    assert len(recorded) - len(unrecorded) == 1
    assert len(extra) == 1 and extra[0].startswith("INSERT INTO")


def test_question_results_link_through_the_counted_redirect(client_for, charlie, answered):
    asked, reply = answered
    response = client_for(charlie).get(reverse("search"), {"q": "password"})
    event = SearchEvent.objects.get()
    assert reverse("insight:open_result", args=[event.pk, asked.pk]) in response.content.decode()


def test_opening_a_result_counts_the_click_and_goes_to_the_question(client_for, charlie, helen, answered):
    asked, reply = answered
    reply.verify(helen)
    event = SearchEvent.record(charlie, "password", 2)
    client = client_for(charlie)
    url = reverse("insight:open_result", args=[event.pk, asked.pk])
    response = client.get(url, {"answer": reply.pk})
    assert response.status_code == 302
    assert response["Location"] == f"{asked.get_absolute_url()}#answer-{reply.pk}"
    client.get(url)  # back and forth: still one click
    click = SearchClick.objects.get()
    assert (click.search, click.question, click.good_answer) == (event, asked, True)


def test_a_click_to_a_question_without_a_good_answer_is_not_good(client_for, charlie, answered):
    asked, _ = answered
    event = SearchEvent.record(charlie, "password", 2)
    client_for(charlie).get(reverse("insight:open_result", args=[event.pk, asked.pk]))
    assert SearchClick.objects.get().good_answer is False


def test_nobody_can_add_clicks_to_someone_elses_search(client_for, charlie, bob, answered):
    asked, _ = answered
    event = SearchEvent.record(charlie, "password", 2)
    response = client_for(bob).get(reverse("insight:open_result", args=[event.pk, asked.pk]))
    assert response.status_code == 302
    assert not SearchClick.objects.exists()


def test_a_hidden_question_is_not_opened(client_for, charlie, mo, answered):
    asked, _ = answered
    asked.hide(mo)
    event = SearchEvent.record(charlie, "password", 2)
    response = client_for(charlie).get(reverse("insight:open_result", args=[event.pk, asked.pk]))
    assert response.status_code == 404
    assert not SearchClick.objects.exists()


def test_old_searches_are_purged_after_the_retention_period(charlie, settings, answered):
    settings.INSIGHT_SEARCH_RETENTION_DAYS = 30
    old = SearchEvent.record(charlie, "old", 1)
    SearchEvent.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=31))
    SearchClick.objects.create(search=old, question=answered[0], good_answer=False)
    kept = SearchEvent.record(charlie, "recent", 1)
    call_command("purge_search_events", stdout=open("/dev/null", "w"))
    assert list(SearchEvent.objects.all()) == [kept]
    assert not SearchClick.objects.exists()


def test_the_retention_period_can_be_given_on_the_command_line(charlie):
    event = SearchEvent.record(charlie, "week old", 1)
    SearchEvent.objects.filter(pk=event.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    call_command("purge_search_events", "--days", "7", stdout=open("/dev/null", "w"))
    assert not SearchEvent.objects.exists()
