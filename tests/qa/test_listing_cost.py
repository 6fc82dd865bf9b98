"""Q&A lists cost the same at any size: the same number of queries at 6 and at 90 questions, each page
read by walking an index in the page's order (no scan of the table, no sort), and counts capped."""

import datetime

import pytest
from django.db.models import F
from taggit.models import Tag

from community import helpers
from community.listening.follows import follow
from qa.models import Question

from ..scale import assert_served_by_indexes, many_questions

pytestmark = pytest.mark.django_db

SORTS = ["newest", "active", "votes"]
SHOWS = ["all", "unanswered", "no_accepted", "verified"]

# Queries per page, whatever the number of questions (sessions, user, permissions, the page, the
# tags of its questions, tag options, follows, preferences...).
LIST_QUERIES = 15
TAGGED_LIST_QUERIES = 16
HOME_QUERIES = 29  # with the personal panels: answers to your questions, what you follow, campaigns, workshops
HELPDESK_QUERIES = 17  # the page, and the capped counts of the two other tabs, the helpdesk people to assign
TAG_PAGE_QUERIES = 24


@pytest.fixture(params=[6, 90], ids=["6 questions", "90 questions"])
def questions(request, bob, charlie):
    return many_questions(bob, charlie, request.param)


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("show", SHOWS)
def test_the_question_list_runs_the_same_queries_at_any_size(
    alice_client, questions, show, sort, django_assert_max_num_queries
):
    alice_client.get("/")  # warm: the session, permissions and site are read once per visitor
    with django_assert_max_num_queries(LIST_QUERIES):
        response = alice_client.get("/qa/", {"show": show, "sort": sort})
    assert response.status_code == 200


def test_a_tag_and_followed_tags_cost_the_same_at_any_size(
    alice, alice_client, questions, django_assert_max_num_queries
):
    follow(alice, Tag.objects.get(name="vpn"))
    alice_client.get("/")
    with django_assert_max_num_queries(TAGGED_LIST_QUERIES):
        assert alice_client.get("/qa/", {"tag": "excel"}).status_code == 200
    with django_assert_max_num_queries(TAGGED_LIST_QUERIES):
        assert alice_client.get("/qa/", {"followed": "on"}).status_code == 200


def test_the_home_page_helpdesk_queue_and_tag_page_cost_the_same_at_any_size(
    alice_client, client_for, helen, questions, django_assert_max_num_queries
):
    helpdesk = client_for(helen)
    for client in (alice_client, helpdesk):
        client.get("/qa/")
    alice_client.get("/tags/vpn/")  # the first read of a topic works out who can help with it
    with django_assert_max_num_queries(HOME_QUERIES):
        assert alice_client.get("/").status_code == 200
    with django_assert_max_num_queries(HELPDESK_QUERIES):
        assert helpdesk.get("/qa/helpdesk/").status_code == 200
    with django_assert_max_num_queries(TAG_PAGE_QUERIES):
        assert alice_client.get("/tags/vpn/").status_code == 200


@pytest.mark.parametrize("tab", ["unanswered", "unverified", "due"])
@pytest.mark.parametrize("filters", [{}, {"age": "7"}], ids=["all", "older than a week"])
def test_each_helpdesk_tab_costs_the_same_at_any_size(
    client_for, helen, questions, tab, filters, django_assert_max_num_queries
):
    helpdesk = client_for(helen)
    helpdesk.get("/qa/")
    with django_assert_max_num_queries(HELPDESK_QUERIES):
        response = helpdesk.get("/qa/helpdesk/", {"tab": tab, **filters})
    assert response.status_code == 200
    assert response.context["page"].object_list or filters  # at the smaller size a filter may keep none


@pytest.mark.parametrize("tab", ["unanswered", "unverified", "due"])
def test_each_helpdesk_tab_and_its_count_are_read_through_an_index(client_for, helen, bob, charlie, tab):
    many_questions(bob, charlie, 30)
    assert_served_by_indexes(client_for(helen), "/qa/helpdesk/", "qa_question", tab=tab)
    # Old enough for the age filter to keep some: asked two days ago, reviews due five days ago.
    Question.objects.update(created_at=F("created_at") - datetime.timedelta(days=2))
    Question.objects.filter(review_due_on__isnull=False).update(review_due_on=F("review_due_on") - 5)
    assert_served_by_indexes(client_for(helen), "/qa/helpdesk/", "qa_question", tab=tab, age="1")
    # A tag's questions are found through the tag (as on /qa/?tag=): the cost follows the tag's size.
    tag = "vpn" if tab == "unanswered" else "excel"  # many_questions leaves every vpn question unanswered
    assert_served_by_indexes(client_for(helen), "/qa/helpdesk/", "qa_question", allow_sort=True, tab=tab, tag=tag)


@pytest.mark.parametrize("sort", SORTS)
@pytest.mark.parametrize("show", SHOWS)
def test_each_list_is_read_in_the_order_of_an_index(alice_client, bob, charlie, show, sort):
    many_questions(bob, charlie, 30)
    assert_served_by_indexes(alice_client, "/qa/", "qa_question", show=show, sort=sort)


def test_moderators_tags_and_followed_tags_are_read_in_the_order_of_an_index(
    alice, alice_client, client_for, mo, bob, charlie
):
    many_questions(bob, charlie, 30)
    follow(alice, Tag.objects.get(name="vpn"))
    # A tag's questions are found through the tag and sorted: the cost follows that tag's size, not
    # the number of questions (docs/scaling.md, "What still grows").
    assert_served_by_indexes(alice_client, "/qa/", "qa_question", allow_sort=True, tag="excel")
    assert_served_by_indexes(alice_client, "/qa/", "qa_question", allow_sort=True, followed="on")
    assert_served_by_indexes(client_for(mo), "/qa/", "qa_question", duplicates="on")


def test_the_home_panels_and_helpdesk_queue_are_read_in_the_order_of_an_index(
    alice_client, client_for, helen, bob, charlie
):
    many_questions(bob, charlie, 30)
    assert_served_by_indexes(alice_client, "/", "qa_question")
    assert_served_by_indexes(client_for(helen), "/qa/helpdesk/", "qa_question")


def test_past_the_count_cap_the_list_says_more_than_and_pages_on_with_next(alice_client, bob, charlie, monkeypatch):
    monkeypatch.setattr(helpers, "LIST_COUNT_CAP", 30)
    many_questions(bob, charlie, 90)

    first = alice_client.get("/qa/")
    html = first.content.decode()
    assert "more than 30 questions" in html
    assert "Page 1</li>" in html
    assert 'rel="next"' in html

    # Page 3 is past what was counted (30 rows = 2 pages of 20): it is still served, with a Next link.
    third = alice_client.get("/qa/", {"page": 3})
    assert third.context["page"].number == 3
    assert len(third.context["page"].object_list) == 20
    assert 'rel="next"' in third.content.decode()
    seen = {q.pk for n in (1, 2, 3) for q in alice_client.get("/qa/", {"page": n}).context["page"].object_list}
    assert len(seen) == 60


def test_below_the_cap_the_list_counts_exactly(alice, alice_client, bob, charlie):
    many_questions(bob, charlie, 25)
    expected = Question.objects.visible_to(alice).listed().open().filter(answer_count=0).count()

    html = alice_client.get("/qa/", {"show": "unanswered"}).content.decode()

    assert f"{expected} questions" in html
    assert "more than" not in html


QUESTION_PAGE_QUERIES = 15  # one of them reads the comments on every answer at once


@pytest.mark.parametrize("answers", [1, 12])
def test_a_question_page_runs_the_same_queries_whatever_its_answers_and_votes(
    alice, alice_client, bob, charlie, answers, django_assert_max_num_queries
):
    question = Question.ask(bob, "VPN drops every hour", "It says error 809.", ["vpn"])
    posted = [question.add_answer(charlie if n % 2 else bob, f"Try restarting it, way {n}.") for n in range(answers)]
    question.vote(alice, 1)
    posted[0].vote(alice, -1)
    alice_client.get("/")

    with django_assert_max_num_queries(QUESTION_PAGE_QUERIES):
        response = alice_client.get(question.get_absolute_url())

    html = response.content.decode()
    assert html.count("You voted this question up") == 1
    assert html.count("You voted this answer down") == 1
