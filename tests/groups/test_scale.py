"""The community page and the directory cost the same at any size: a fixed number of queries, and
every page of rows read through an index."""

import datetime

import pytest
from django.utils import timezone

from community.models import Community, Membership
from ideas.models import Idea
from qa.models import Question
from tests.groups.conftest import start
from tests.scale import assert_served_by_indexes

pytestmark = pytest.mark.django_db

MAX_QUERIES = 40


def _fill(community, author, django_user_model, size):
    now = timezone.now()
    people = django_user_model.objects.bulk_create(
        django_user_model(username=f"{community.slug}-member-{i}") for i in range(size)
    )
    Membership.objects.bulk_create(Membership(community=community, user=person) for person in people)
    questions = Question.objects.bulk_create(
        Question(author=author, title=f"Question {i}", slug=f"q-{i}", body="Body", body_html="<p>Body</p>",
                 community=community, created_at=now - datetime.timedelta(minutes=i))
        for i in range(size)
    )  # fmt: skip
    Idea.objects.bulk_create(
        Idea(author=author, title=f"Idea {i}", slug=f"i-{i}", description="D", description_html="<p>D</p>",
             community=community, created_at=now - datetime.timedelta(minutes=i, seconds=30))
        for i in range(size)
    )  # fmt: skip
    for question in questions[:3]:
        community.pin(author, "questions", question.pk)


@pytest.mark.parametrize("size", [5, 150])
def test_the_community_page_costs_the_same_at_any_size(client_for, alice, django_user_model, size,
                                                       django_assert_max_num_queries):  # fmt: skip
    community = start(alice, "Digital buddy network", tags=["buddies"])
    _fill(community, alice, django_user_model, size)
    client = client_for(alice)
    client.get(community.get_absolute_url())  # warm caches (content types, site root)

    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(community.get_absolute_url())

    assert response.status_code == 200
    assert "Question 0" in response.content.decode()


@pytest.mark.parametrize("size", [5, 150])
def test_the_directory_costs_the_same_at_any_size(client_for, alice, django_user_model, size,
                                                  django_assert_max_num_queries):  # fmt: skip
    Community.objects.bulk_create(
        Community(name=f"Community {i:04}", slug=f"community-{i}", kind=["open", "request", "invite"][i % 3])
        for i in range(size)
    )
    client = client_for(alice)
    client.get("/communities/")

    with django_assert_max_num_queries(12):
        response = client.get("/communities/?mine=")

    assert response.status_code == 200 and "Community 0000" in response.content.decode()
    assert "Community 0002" not in response.content.decode()  # invite-only, alice is not in it


def test_the_directory_reads_a_page_through_an_index(client_for, alice):
    Community.objects.bulk_create(Community(name=f"Community {i:04}", slug=f"c-{i}") for i in range(50))

    assert_served_by_indexes(client_for(alice), "/communities/", "community_community")


def test_the_feed_reads_questions_and_ideas_through_indexes(client_for, alice, django_user_model):
    community = start(alice, "Bloggers")
    _fill(community, alice, django_user_model, 30)
    client = client_for(alice)

    assert_served_by_indexes(client, community.get_absolute_url(), "qa_question")
    assert_served_by_indexes(client, community.get_absolute_url(), "ideas_idea")


def test_a_tagged_community_feed_reads_questions_through_indexes(client_for, alice, django_user_model):
    community = start(alice, "Bloggers", tags=["blogging"])
    _fill(community, alice, django_user_model, 30)
    for n in range(5):
        Question.ask(alice, f"Tagged {n}", "Body.", ["blogging"])

    # What was posted in it or carries its tags is found through two indexes, then put in date order:
    # a sort of those rows only, as a tag's own list does (docs/communities.md).
    assert_served_by_indexes(client_for(alice), community.get_absolute_url(), "qa_question", allow_sort=True)
