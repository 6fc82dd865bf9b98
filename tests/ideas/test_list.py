"""/ideas/: sorts (trending, top, newest, most discussed), filters (status, tag, campaign), pagination."""

import datetime

import pytest
from django.utils import timezone

from ideas.models import Idea, Vote
from tests.conftest import make_user

from .conftest import open_campaign, submit

pytestmark = pytest.mark.django_db


def titles(response):
    return [idea.title for idea in response.context["page"].object_list]


@pytest.fixture
def board(alice, bob, mo, django_user_model):
    """Four ideas with different votes, comments, ages, statuses and tags; one merged."""
    people = [make_user(django_user_model, f"p{n}") for n in range(5)]
    now = timezone.now()
    campaign = open_campaign(mo)
    popular = submit(alice, title="Popular but stale", tags=["meetings"])
    burst = submit(alice, title="Old with a fresh burst", tags=["travel"], campaign=campaign)
    chatty = submit(bob, title="Much discussed", tags=["travel"])
    newest = submit(bob, title="Brand new", tags=["meetings"])
    merged = submit(bob, title="Merged away", tags=["meetings"])
    for person in people:
        popular.vote(person)
    for person in people[:2]:
        burst.vote(person)
    Vote.objects.filter(idea=popular).update(created_at=now - datetime.timedelta(days=40))
    Idea.objects.filter(pk=popular.pk).refresh_trending()  # votes backdated behind the model's back
    ages = {popular: 50, burst: 300, chatty: 20, newest: 0, merged: 10}
    for idea, days in ages.items():
        Idea.objects.filter(pk=idea.pk).update(created_at=now - datetime.timedelta(days=days))
    Idea.objects.filter(pk=chatty.pk).update(comment_count=7)
    merged.merge_into(newest, mo)
    chatty.change_status(mo, "planned", "Yes")
    return {"campaign": campaign, "popular": popular, "burst": burst}


def test_it_lists_trending_first_by_default_without_merged_ideas(alice_client, board):
    response = alice_client.get("/ideas/")

    assert response.status_code == 200
    assert titles(response) == ["Old with a fresh burst", "Popular but stale", "Brand new", "Much discussed"]
    assert "4 ideas" in response.content.decode()


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("top", ["Popular but stale", "Old with a fresh burst", "Brand new", "Much discussed"]),
        ("newest", ["Brand new", "Much discussed", "Popular but stale", "Old with a fresh burst"]),
        ("discussed", ["Much discussed", "Popular but stale", "Old with a fresh burst", "Brand new"]),
        ("nonsense", ["Old with a fresh burst", "Popular but stale", "Brand new", "Much discussed"]),
    ],
)
def test_it_sorts(alice_client, board, sort, expected):
    assert titles(alice_client.get("/ideas/", {"sort": sort})) == expected


def test_it_filters_by_status(alice_client, board):
    assert titles(alice_client.get("/ideas/", {"status": "planned"})) == ["Much discussed"]
    assert titles(alice_client.get("/ideas/", {"status": "duplicate"})) == ["Merged away"]


def test_it_filters_by_tag(alice_client, board):
    response = alice_client.get("/ideas/", {"tag": "travel", "sort": "newest"})

    assert titles(response) == ["Much discussed", "Old with a fresh burst"]
    assert "tagged “travel”" in response.content.decode()


def test_it_filters_by_campaign(alice_client, board):
    response = alice_client.get("/ideas/", {"campaign": board["campaign"].pk})

    assert titles(response) == ["Old with a fresh burst"]


def test_unknown_filters_show_nothing_rather_than_everything(alice_client, board):
    assert titles(alice_client.get("/ideas/", {"tag": "no-such-tag"})) == []
    assert titles(alice_client.get("/ideas/", {"campaign": 99999})) == []


def test_it_marks_ideas_the_reader_voted_for(client_for, board):
    voter = Vote.objects.filter(idea=board["burst"]).first().user

    html = client_for(voter).get("/ideas/").content.decode()

    assert html.count("(including yours)") == 2


def test_it_paginates(alice_client, alice):
    for n in range(25):
        submit(alice, title=f"Idea {n:02}")

    first = alice_client.get("/ideas/", {"sort": "newest"})
    second = alice_client.get("/ideas/", {"sort": "newest", "page": 2})

    assert len(titles(first)) == 20
    assert titles(second) == [f"Idea {n:02}" for n in range(4, -1, -1)]
    assert "Page 1 of 2" in first.content.decode()


def test_the_list_takes_a_fixed_number_of_queries(alice_client, alice, bob, mo, django_assert_max_num_queries):
    campaign = open_campaign(mo)
    for n in range(20):
        idea = submit(alice, title=f"Idea {n}", tags=["meetings", f"topic{n}"], campaign=campaign if n % 2 else None)
        idea.vote(bob)

    with django_assert_max_num_queries(14):
        response = alice_client.get("/ideas/", {"sort": "trending"})

    assert len(titles(response)) == 20


def test_the_header_shows_ideas(alice_client):
    html = alice_client.get("/ideas/").content.decode()

    assert 'href="/ideas/"' in html and ">Ideas<" in html.replace("\n", "").replace(" ", "")
