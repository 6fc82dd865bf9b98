"""The ideas list costs the same at any size: the same queries at 6 and at 90 ideas, each sort read in
the order of an index (trending too: a key kept on the row, not a sum over every vote), counts capped."""

import pytest

from tests.conftest import make_user

from ..scale import assert_served_by_indexes, many_ideas

pytestmark = pytest.mark.django_db

SORTS = ["trending", "top", "newest", "discussed"]
LIST_QUERIES = 16


@pytest.fixture
def voters(django_user_model):
    return [make_user(django_user_model, f"voter{n}") for n in range(5)]


@pytest.mark.parametrize("count", [6, 90])
@pytest.mark.parametrize("sort", SORTS)
def test_the_ideas_list_runs_the_same_queries_at_any_size(
    alice_client, bob, voters, count, sort, django_assert_max_num_queries
):
    many_ideas(bob, voters, count)
    alice_client.get("/")  # warm: the session, permissions and site are read once per visitor

    with django_assert_max_num_queries(LIST_QUERIES):
        response = alice_client.get("/ideas/", {"sort": sort})

    assert response.status_code == 200


@pytest.mark.parametrize("count", [6, 90])
@pytest.mark.parametrize("sort", SORTS)
def test_ideas_of_one_status_run_the_same_queries_at_any_size(
    alice_client, bob, voters, count, sort, django_assert_max_num_queries
):
    many_ideas(bob, voters, count)
    alice_client.get("/")

    with django_assert_max_num_queries(LIST_QUERIES):
        response = alice_client.get("/ideas/", {"sort": sort, "status": "planned"})

    assert response.status_code == 200
    assert {idea.status for idea in response.context["page"].object_list} == {"planned"}


@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_is_read_in_the_order_of_an_index(alice_client, bob, voters, sort):
    many_ideas(bob, voters, 30)

    assert_served_by_indexes(alice_client, "/ideas/", "ideas_idea", sort=sort)


@pytest.mark.parametrize("status", ["new", "planned", "implemented", "duplicate"])
@pytest.mark.parametrize("sort", SORTS)
def test_each_sort_of_one_status_is_read_in_the_order_of_an_index(alice_client, bob, voters, sort, status):
    many_ideas(bob, voters, 30)

    assert_served_by_indexes(alice_client, "/ideas/", "ideas_idea", sort=sort, status=status)


def test_the_home_panel_of_trending_ideas_is_read_in_the_order_of_an_index(alice_client, bob, voters):
    many_ideas(bob, voters, 30)

    assert_served_by_indexes(alice_client, "/", "ideas_idea")
