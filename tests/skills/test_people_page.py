"""/people/?q=<topic>: who can help with X, with the reasons, the filters and a fixed number of queries."""

import pytest

from community.models import Profile

from .conftest import answered, place_in, skills, volunteer

pytestmark = pytest.mark.django_db


@pytest.fixture
def helpers(alice, bob, charlie, person):
    asker = person("asker", "Asker")
    place_in(bob, "Audit")
    place_in(charlie, "Finance")
    for number in range(3):
        answered(bob, asker, title=f"Excel question {number}")
    skills(bob, {"excel": "expert"})
    skills(charlie, can_help=["excel"])
    volunteer(charlie, ["excel"])
    Profile.objects.filter(user=asker).update(job_title="Excel trainer")
    return asker


def people(client, **params):
    return client.get("/people/", params)


def test_it_lists_who_can_help_with_a_topic_and_why(alice_client, helpers):
    response = people(alice_client, q="Excel")

    page = response.content.decode()
    assert response.status_code == 200
    assert "Who can help with excel" in page
    assert page.index("Bob Baker") < page.index("charlie")
    assert "3 accepted answers on excel, expert in excel" in page
    assert "Can help with excel, digital buddy for excel (2 places free)" in page
    assert "How people are ranked" in page


def test_it_adds_people_whose_role_matches_after_the_ranked_helpers(alice_client, helpers):
    response = people(alice_client, q="excel")

    names = [match.profile.display_name for match in response.context["page"].object_list]
    assert names == ["Bob Baker", "charlie", "Asker"]
    assert "Name, role or team matches" in response.content.decode()


def test_it_offers_to_ask_a_volunteer_with_free_places(alice_client, helpers, charlie):
    page = people(alice_client, q="excel").content.decode()

    assert "/skills/requests/new/?volunteer=charlie&amp;topics=excel" in page
    assert "?volunteer=bob" not in page  # bob is not volunteering


def test_it_filters_by_directorate_and_volunteers_only(alice_client, helpers):
    in_audit = people(alice_client, q="excel", directorate="audit")
    volunteers = people(alice_client, q="excel", volunteers="1")
    nowhere = people(alice_client, q="excel", directorate="no-such-directorate")

    assert [m.profile.display_name for m in in_audit.context["page"].object_list] == ["Bob Baker"]
    assert [m.profile.display_name for m in volunteers.context["page"].object_list] == ["charlie"]
    assert nowhere.context["page"].paginator.count == 0
    assert "Nobody has said they can help with excel yet with these filters" in nowhere.content.decode()


def test_it_lists_volunteers_only_in_the_directory_too(alice_client, helpers):
    response = people(alice_client, volunteers="1")

    assert [p.display_name for p in response.context["page"].object_list] == ["charlie"]
    assert "Digital buddy" in response.content.decode()


def test_it_searches_names_when_the_words_are_not_a_topic_and_suggests_topics(alice_client, helpers):
    response = people(alice_client, q="excel pivot")

    assert response.context["topics"] == []
    assert "try one of these" in response.content.decode()
    assert response.context["suggested_topics"] == ["excel"]
    by_role = people(alice_client, q="trainer")
    assert [p.display_name for p in by_role.context["page"].object_list] == ["Asker"]


def test_it_handles_several_topics_and_odd_input(alice_client, helpers):
    several = people(alice_client, q="excel, vpn")
    odd = people(alice_client, q="<script>alert(1)</script>" + "x" * 500, page="nonsense")

    assert [tag.name for tag in several.context["topics"]] == ["excel"]
    assert odd.status_code == 200
    assert b"<script>alert(1)" not in odd.content


def test_it_serves_a_topic_search_in_a_fixed_number_of_queries(
    alice_client, helpers, person, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert people(alice_client, q="excel").status_code == 200
        return len(queries)

    people(alice_client, q="excel")  # the first read of a topic works its scores out
    few = count()
    for number in range(30):
        helper = person(f"helper{number}", f"Helper {number}")
        skills(helper, {"excel": "expert"}, can_help=["excel"])
        if number % 2:
            volunteer(helper, ["excel"])
        answered(helper, helpers, title=f"Helper question {number}")

    # Read from the kept scores (skills.ranking.helpers_for): no query per evidence source either
    with django_assert_max_num_queries(11):
        response = people(alice_client, q="excel")

    assert response.content.count(b'class="confer-card"') == 24  # a full page
    assert count() == few  # however many people: no per-person queries


def test_it_offers_to_ask_only_volunteers_who_help_with_that_topic(alice_client, helpers, bob):
    volunteer(bob, ["word"])  # bob volunteers, and knows excel, but does not offer help with it

    page = people(alice_client, q="excel").content.decode()

    assert "?volunteer=bob" not in page
    assert "?volunteer=charlie&amp;topics=excel" in page
