"""Who can help costs the same with any number of people: a topic's helpers are kept ranked
(skills.ranking.helpers_for, the TopicScore table) and a page of them is read in the order of an
index, in the same number of queries at 6 and at 90 helpers; the kept scores follow every change."""

import pytest

from skills.models import Skill
from skills.ranking import helpers_for, rank_people
from skills.tasks import refresh_topic_scores

from ..scale import assert_served_by_indexes, many_helpers
from .conftest import answered, skills, tags, volunteer

pytestmark = pytest.mark.django_db

PEOPLE_QUERIES = 11
TAG_PAGE_QUERIES = 23  # 22, and one for the communities carrying the tag (community.groups)
DIRECTORY_QUERIES = 12


@pytest.mark.parametrize("count", [6, 90])
def test_who_can_help_runs_the_same_queries_at_any_size(alice_client, count, django_assert_max_num_queries):
    many_helpers(count)
    alice_client.get("/people/", {"q": "excel"})  # the first read of a topic works its scores out
    alice_client.get("/tags/excel/")  # and the first tag page fills the process's content-type cache

    with django_assert_max_num_queries(PEOPLE_QUERIES):
        response = alice_client.get("/people/", {"q": "excel"})
    with django_assert_max_num_queries(TAG_PAGE_QUERIES):
        tag_page = alice_client.get("/tags/excel/")

    assert response.status_code == tag_page.status_code == 200
    # A third are learners (no points): the rest are listed, at most a page of them.
    assert response.content.count(b'class="confer-card"') == min(24, count - count // 3)


def test_a_page_of_helpers_is_read_in_the_order_of_an_index(alice_client):
    many_helpers(30)
    alice_client.get("/people/", {"q": "excel"})

    assert_served_by_indexes(alice_client, "/people/", "skills_topicscore", q="excel")
    assert_served_by_indexes(alice_client, "/people/", "skills_topicscore", q="excel", volunteers="1")
    assert_served_by_indexes(alice_client, "/tags/excel/", "skills_topicscore")


def test_the_kept_ranking_is_the_ranking(alice, bob, charlie, helen):
    skills(alice, {"excel": "practising"}, can_help=["excel"])
    skills(bob, {"excel": "expert"})
    volunteer(charlie, ["excel"])
    answered(helen, bob)
    excel = tags("excel")[0]

    kept = helpers_for(excel)

    assert [(m.user_id, m.score, m.why) for m in kept] == [(m.user_id, m.score, m.why) for m in rank_people([excel])]
    assert [m.profile.user.username for m in kept] == ["bob", "alice", "charlie", "helen"]


def test_the_kept_ranking_follows_skills_offers_and_evidence(alice, bob, charlie, mo):
    skills(alice, {"excel": "practising"})
    skills(bob, {"excel": "practising"})
    excel = tags("excel")[0]

    def order():
        return [m.profile.user.username for m in helpers_for(excel)]

    assert order() == ["alice", "bob"]  # a tie: by name
    skills(bob, {"excel": "expert"})
    assert order() == ["bob", "alice"]
    answer = answered(alice, charlie)  # 3 points for the accepted answer, on top of practising
    assert order() == ["alice", "bob"]
    answer.hide(mo, "Wrong")  # hidden answers are no evidence
    assert order() == ["bob", "alice"]
    volunteer(charlie, ["excel"])
    assert "charlie" in order()
    skills(bob, {})
    assert "bob" not in order()


def test_the_daily_refresh_catches_what_changed_without_a_save(alice, bob):
    skills(alice, {"excel": "practising"})
    skills(bob, {"excel": "practising"})
    excel = tags("excel")[0]
    assert [m.profile.user.username for m in helpers_for(excel)] == ["alice", "bob"]
    Skill.objects.filter(user=bob).update(level="expert")  # no signal, as when time alone changes a score

    assert [m.profile.user.username for m in helpers_for(excel)] == ["alice", "bob"]
    refresh_topic_scores.enqueue()

    assert [m.profile.user.username for m in helpers_for(excel)] == ["bob", "alice"]


@pytest.mark.parametrize("count", [6, 90])
def test_the_directory_runs_the_same_queries_at_any_size(alice_client, count, django_assert_max_num_queries):
    many_helpers(count)
    alice_client.get("/people/")

    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        response = alice_client.get("/people/")
    with django_assert_max_num_queries(DIRECTORY_QUERIES):
        searched = alice_client.get("/people/", {"q": "helper"})

    assert response.content.count(b'class="confer-card"') == min(24, count + 1)  # and alice
    assert searched.status_code == 200


def test_the_directory_is_read_in_the_order_of_an_index_and_its_count_capped(alice_client, monkeypatch):
    from community import helpers

    many_helpers(60)
    monkeypatch.setattr(helpers, "LIST_COUNT_CAP", 50)

    assert_served_by_indexes(alice_client, "/people/", "community_profile")
    assert "More than 50 people" in alice_client.get("/people/").content.decode()
