"""/tags/ lists every tag, most used first, with how many questions and ideas carry it; a search box
finds a tag by part of its name. The counts are kept on each tag's usage row as items are tagged
and untagged, so the page is read in the order of an index and costs the same at any size."""

import pytest
from taggit.models import Tag

from community import helpers
from community.models import TagUsage
from ideas.models import Idea
from qa.models import Question, QuestionTag

from ..scale import assert_served_by_indexes, many_questions

pytestmark = pytest.mark.django_db

INDEX_QUERIES = 8


def rows(response):
    return [(u.name, u.questions, u.ideas) for u in response.context["page"].object_list]


def test_it_lists_tags_most_used_first_with_their_questions_and_ideas(alice, alice_client, bob):
    Question.ask(alice, "VPN drops every hour", "Error 809.", ["vpn", "laptops"])
    Question.ask(bob, "VPN will not connect at home", "Error 691.", ["vpn"])
    Idea.submit(bob, "A VPN that connects by itself", "When the laptop starts.", ["vpn", "automation"])
    Tag.objects.create(name="unused", slug="unused")

    response = alice_client.get("/tags/")

    assert rows(response) == [("vpn", 2, 1), ("automation", 0, 1), ("laptops", 1, 0), ("unused", 0, 0)]
    html = response.content.decode()
    assert 'href="/qa/?tag=vpn"' in html and 'href="/ideas/?tag=vpn"' in html
    assert "4 tags" in html


def test_its_counts_follow_tags_taken_off_and_items_deleted(alice, alice_client):
    question = Question.ask(alice, "VPN drops every hour", "Error 809.", ["vpn", "laptops"])
    Question.ask(alice, "Laptop battery", "It lasts an hour.", ["laptops"])

    question.edit(alice, question.title, question.body, ["vpn"])
    assert rows(alice_client.get("/tags/"))[:2] == [("laptops", 1, 0), ("vpn", 1, 0)]

    question.delete()
    assert rows(alice_client.get("/tags/"))[:2] == [("laptops", 1, 0), ("vpn", 0, 0)]


def test_the_search_box_finds_tags_by_part_of_their_name(alice, alice_client):
    Question.ask(alice, "Pivot tables", "How?", ["excel", "excel macros", "word"])

    found = alice_client.get("/tags/", {"q": "  EXCEL "})
    nothing = alice_client.get("/tags/", {"q": "<b>zzz</b>" * 50})

    assert [name for name, _, _ in rows(found)] == ["excel", "excel macros"]
    assert 'value="EXCEL"' in found.content.decode()
    assert nothing.status_code == 200
    assert "No tag matches" in nothing.content.decode()
    assert "<b>zzz" not in nothing.content.decode()


def test_a_renamed_tag_keeps_its_counts_under_its_new_name(alice, alice_client):
    Question.ask(alice, "VPN drops every hour", "Error 809.", ["vpn"])
    tag = Tag.objects.get(name="vpn")
    tag.name = "remote access"
    tag.save()

    assert rows(alice_client.get("/tags/", {"q": "remote"})) == [("remote access", 1, 0)]


@pytest.mark.parametrize("count", [6, 90])
def test_the_tag_index_runs_the_same_queries_at_any_size(
    alice_client, bob, charlie, count, monkeypatch, django_assert_max_num_queries
):
    names = [f"topic {n}" for n in range(count)]
    many_questions(bob, charlie, count, tag_names=names)
    TagUsage.recount("questions", QuestionTag)  # bulk rows send no signals
    monkeypatch.setattr(helpers, "LIST_COUNT_CAP", 50)
    alice_client.get("/")

    with django_assert_max_num_queries(INDEX_QUERIES):
        response = alice_client.get("/tags/")
    with django_assert_max_num_queries(INDEX_QUERIES):
        searched = alice_client.get("/tags/", {"q": "topic 1"})

    assert len(response.context["page"].object_list) == min(count, 60)
    assert ("More than 50 tags" in response.content.decode()) == (count > 50)
    assert searched.status_code == 200


def test_the_tag_index_is_read_in_the_order_of_an_index(alice_client, bob, charlie):
    many_questions(bob, charlie, 30, tag_names=[f"topic {n}" for n in range(30)])
    TagUsage.recount("questions", QuestionTag)

    assert_served_by_indexes(alice_client, "/tags/", "community_tagusage")
    assert_served_by_indexes(alice_client, "/tags/", "community_tagusage", q="topic")


def test_the_lists_suggest_the_tags_most_used_on_them_from_the_kept_counts(alice, alice_client, bob, charlie):
    Question.ask(alice, "VPN drops every hour", "Error 809.", ["vpn", "laptops"])
    Question.ask(bob, "VPN will not connect", "Error 691.", ["vpn"])
    Idea.submit(bob, "Fewer passwords", "One sign-in.", ["passwords"])

    questions = alice_client.get("/qa/").context["tag_options"]
    ideas = alice_client.get("/ideas/").context["tag_options"]

    assert list(questions) == ["vpn", "laptops"]
    assert list(ideas) == ["passwords"]
    many_questions(bob, charlie, 30, tag_names=[f"topic {n}" for n in range(30)])
    TagUsage.recount("questions", QuestionTag)
    assert_served_by_indexes(alice_client, "/qa/", "community_tagusage")
