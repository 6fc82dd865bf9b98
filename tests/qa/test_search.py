"""Questions, answers and their tags are in the one search index; the tag page lists a tag's questions."""

from io import StringIO

import pytest

from qa.models import Answer, Question

from .conftest import answer, ask

pytestmark = [pytest.mark.django_db, pytest.mark.whoosh]


@pytest.fixture
def content(alice, bob, helen, mo):
    vpn = ask(
        alice, title="VPN will not connect from home", body="Error 809 every morning", tags=["vpn", "remote working"]
    )
    answer(vpn, bob, "Switch to the backup gateway in the client")
    ask(alice, title="Pivot tables in Excel", body="Totals by cost centre", tags=["excel"])
    ask(bob, title="Hidden VPN rant", body="vpn vpn vpn", tags=["vpn"]).hide(mo)
    duplicate = ask(bob, title="VPN broken again", body="Cannot connect", tags=["vpn"])
    duplicate.close(helen, "duplicate", duplicate_of=vpn)
    return vpn


def search(client, **params):
    return client.get("/search/", params)


def counts(response):
    return {facet["key"]: facet["count"] for facet in response.context["facets"]}


def test_it_finds_questions_and_folds_duplicates_into_them(alice_client, content):
    response = search(alice_client, q="vpn", type="questions")

    assert counts(response)["questions"] == 1
    [hit] = response.context["hits"]
    assert hit["object"].title == "VPN will not connect from home"
    assert [duplicate.title for duplicate in hit["also_asked_as"]] == ["VPN broken again"]
    assert "Also asked as" in response.content.decode()
    assert b"Hidden VPN rant" not in response.content


def test_it_finds_questions_by_their_answers_text(alice_client, content):
    response = search(alice_client, q="backup gateway", type="answers")  # an old bookmark: answers

    assert response.context["active"] == "questions"
    assert counts(response)["questions"] == 1
    [hit] = response.context["hits"]
    assert hit["object"].title == "VPN will not connect from home"
    assert "Switch to the <mark>backup</mark> <mark>gateway</mark>" in response.content.decode()


def test_it_finds_questions_by_tag_name(alice_client, content):
    response = search(alice_client, q="remote working", type="questions")

    assert [hit["object"].title for hit in response.context["hits"]] == ["VPN will not connect from home"]


def test_it_facets_questions_by_tag(alice_client, content):
    response = search(alice_client, q="vpn", type="questions")

    facets = {facet["slug"]: facet["count"] for facet in response.context["tag_facets"]}
    assert facets == {"vpn": 1, "remote-working": 1}  # the duplicate is folded into its question
    filtered = search(alice_client, q="vpn", type="questions", tag="remote-working")
    assert [hit["object"].title for hit in filtered.context["hits"]] == ["VPN will not connect from home"]


def test_it_keeps_an_edited_question_findable_by_its_new_words(alice_client, alice, content):
    content.edit(alice, "VPN will not connect from home", "Error 809 with Wi-Fi calling", ["vpn", "wifi"])

    response = search(alice_client, q="wifi", type="questions")

    assert [hit["object"].title for hit in response.context["hits"]] == ["VPN will not connect from home"]


def test_it_drops_hidden_answers_from_search(alice_client, mo, content):
    Answer.objects.get().hide(mo)

    assert counts(search(alice_client, q="backup gateway"))["questions"] == 0


def test_it_declares_search_and_filter_fields_on_the_models():
    question_fields = {field.field_name for field in Question.get_filterable_search_fields()}
    answer_fields = {field.field_name for field in Answer.get_filterable_search_fields()}

    assert {"id", "is_hidden", "status"} <= question_fields
    assert {"id", "is_hidden", "question"} <= answer_fields


def test_it_lists_a_tags_questions_on_the_tag_page(alice_client, content):
    response = alice_client.get("/tags/vpn/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 class="govuk-heading-m" id="section-questions">Questions</h2>' in html
    assert "VPN will not connect from home" in html
    assert "Hidden VPN rant" not in html
    assert "VPN broken again" not in html  # duplicates are left out of lists
    assert 'href="/qa/?tag=vpn"' in html


def test_it_finds_answers_by_their_questions_new_title(alice_client, alice, content):
    content.edit(alice, "Remote access error 809", content.body, ["vpn"])

    response = search(alice_client, q="remote access", type="answers")

    assert counts(response)["questions"] == 1


def test_it_drops_answers_to_a_hidden_question_from_search_and_brings_them_back(alice_client, mo, content):
    content.hide(mo)

    hidden = search(alice_client, q="backup gateway", type="answers")

    assert counts(hidden)["questions"] == 0
    assert hidden.context["hits"] == []
    content.unhide(mo)
    shown = search(alice_client, q="backup gateway", type="answers")
    assert counts(shown)["questions"] == 1
    assert len(shown.context["hits"]) == 1


@pytest.mark.parametrize("answers", [2, 12])
def test_rebuilding_the_index_asks_for_answers_question_tags_once_per_chunk(alice, bob, answers):
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for number in range(answers):
        answer(ask(alice, title=f"VPN question {number}", tags=["vpn", f"topic {number}"]), bob, f"Answer {number}")
    with CaptureQueriesContext(connection) as queries:
        call_command("update_index", stdout=StringIO())
    tag_reads = [query for query in queries.captured_queries if '"qa_questiontag"' in query["sql"]]
    # One read for the questions' tags and one for the answers' questions' tags, at any number.
    assert len(tag_reads) == 2, [query["sql"][:120] for query in tag_reads]
