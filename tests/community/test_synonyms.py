"""Synonym groups the helpdesk curates in the Wagtail admin: a search in one group's words finds the
others, on every backend, from the next search (no rebuild)."""

import pytest

from community.models import SynonymGroup
from community.sitesearch.synonyms import Synonyms
from qa.models import Question

pytestmark = pytest.mark.django_db


@pytest.fixture(
    params=[
        pytest.param("whoosh", marks=pytest.mark.whoosh),  # tests/conftest.py gives it its own index
        "database",  # Wagtail's database backend: SQLite FTS5 here, PostgreSQL full text there
        "fallback",  # the suite's default: the database fallback backend
    ]
)
def backend(request, settings):
    if request.param == "database":
        settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "community.search.database"}}
    return request.param


@pytest.fixture
def lunch(alice, backend):
    question = Question.ask(
        alice, "Opening hours of the staff restaurant", "Is the staff restaurant open on Fridays?", ["food"]
    )
    question.add_answer(alice, "Until two o'clock.")
    Question.ask(alice, "Printer on floor two", "Out of toner", ["printing"])
    return question


def group(*terms):
    return SynonymGroup.objects.create(terms="\n".join(terms))


def titles(client, q, **params):
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    return [hit["object"].title for hit in response.context["hits"]]


def test_a_synonym_finds_what_is_written_in_other_words_on_every_backend(alice_client, lunch):
    assert titles(alice_client, "canteen") == []

    group("staff restaurant", "canteen", "café")

    assert titles(alice_client, "canteen") == ["Opening hours of the staff restaurant"]
    assert titles(alice_client, "canteen opening hours") == ["Opening hours of the staff restaurant"]
    assert titles(alice_client, "café") == ["Opening hours of the staff restaurant"]


def test_a_change_counts_from_the_next_search_without_a_rebuild(alice_client, lunch):
    synonyms = group("canteen", "staff restaurant")
    assert titles(alice_client, "canteen") == ["Opening hours of the staff restaurant"]

    synonyms.delete()

    assert titles(alice_client, "canteen") == []


def test_the_synonyms_words_are_highlighted(alice_client, lunch):
    group("canteen", "staff restaurant")

    html = alice_client.get("/search/", {"q": "canteen"}).content.decode()

    assert "Is the <mark>staff</mark> <mark>restaurant</mark> open" in html


def test_similar_questions_while_typing_use_synonyms(alice_client, lunch):
    group("canteen", "staff restaurant")

    response = alice_client.get(
        "/search/similar/", {"type": "questions", "q": "when does the canteen close"}, HTTP_HX_REQUEST="true"
    )

    assert "Opening hours of the staff restaurant" in response.content.decode()


def test_the_longest_phrase_wins_and_each_group_expands_once():
    synonyms = Synonyms([["staff restaurant", "canteen"], ["staff", "colleagues"], ["canteen", "café"]])

    units = synonyms.expand(["Staff", "restaurant", "menu"])

    assert units == [("staff restaurant", ["canteen"]), "menu"]
    # "canteen" is in two groups: both groups' terms, but not the terms of the groups *they* are in.
    assert synonyms.expand(["canteen"]) == [("canteen", ["staff restaurant", "café"])]


def test_groups_that_loop_or_repeat_expand_once_and_stop(alice_client, lunch):
    group("canteen", "café")
    group("café", "canteen", "canteen")
    group("café", "staff restaurant")

    assert Synonyms.load().expand(["canteen"]) == [("canteen", ["café"])]
    assert titles(alice_client, "café") == ["Opening hours of the staff restaurant"]


def test_markup_saved_past_the_form_is_read_as_words_never_as_markup(alice_client, lunch):
    SynonymGroup.objects.create(terms="<b>canteen</b>\n<i>staff restaurant</i>\n<script>")

    response = alice_client.get("/search/", {"q": "canteen"})

    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()
    assert [hit["object"].title for hit in response.context["hits"]] == ["Opening hours of the staff restaurant"]


# --- the Wagtail admin ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["helen", "mo"])
def test_the_helpdesk_and_moderators_edit_groups_in_the_admin(client_for, request, who):
    user = request.getfixturevalue(who)
    client = client_for(user)

    assert client.get("/admin/synonym_groups/").status_code == 200
    response = client.post("/admin/synonym_groups/new/", {"terms": "staff restaurant, canteen, café", "note": ""})

    assert response.status_code == 302
    saved = SynonymGroup.objects.get()
    assert saved.term_list() == ["staff restaurant", "canteen", "café"]
    assert saved.updated_by == user


def test_staff_cannot_edit_groups(client_for, alice):
    client = client_for(alice)

    assert client.get("/admin/synonym_groups/").status_code in (302, 403)
    client.post("/admin/synonym_groups/new/", {"terms": "a, b"})
    assert not SynonymGroup.objects.exists()


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("<b>canteen</b>, café", "has characters other than letters"),
        ("canteen", "at least two different"),
        ("canteen, Canteen", "at least two different"),
        ("canteen, the staff restaurant on floor two", "too long"),
    ],
)
def test_bad_groups_are_refused_with_a_reason(client_for, helen, terms, message):
    response = client_for(helen).post("/admin/synonym_groups/new/", {"terms": terms, "note": ""})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SynonymGroup.objects.exists()
