"""/search/ opens on one ranked list of every kind ("All"), with kinds kept as filters: each result
says what it is and its state, questions are found through their answers, duplicates fold into
the question they duplicate, and what a colleague is after (an answered question, an expert) comes
first among results of similar relevance."""

import datetime

import pytest
from django.utils import timezone

from community.models import HomePage, StandardPage
from qa.models import Question
from skills.models import HelpOffer, Skill

pytestmark = pytest.mark.django_db


# The ranking rules hold on the Whoosh index (BM25 scores) and on the database fallback (no scores,
# substring matches). Tests of what needs a real index (a page's summary, related fields such as a
# help offer's topics) run on Whoosh only.
on_both_backends = pytest.mark.parametrize("backend", [pytest.param("whoosh", marks=pytest.mark.whoosh), "fallback"])


def ask(user, title, body="Details inside.", tags=("printing",)):
    return Question.ask(user, title, body, list(tags))


def add_page(title, summary, tags=()):
    home = HomePage.objects.get()
    page = StandardPage(
        title=title, slug=title.lower().replace(" ", "-"), summary=summary, live=True, last_published_at=timezone.now()
    )
    home.add_child(instance=page)
    page.tags.add(*tags)
    page.save()
    return page


def search(client, **params):
    return client.get("/search/", params)


def titles(response):
    return [getattr(hit["object"], "title", None) or str(hit["object"]) for hit in response.context["hits"]]


def facet_counts(response):
    return {facet["key"]: facet["count"] for facet in response.context["facets"]}


@pytest.fixture
def printers(alice, bob, helen):
    """Four questions that match "printer jam" equally well, in four states, the unanswered one newest."""
    verified = ask(alice, "Printer jam on floor two")
    helen_answer = verified.add_answer(bob, "Open tray B and pull the sheet out gently.")
    helen_answer.verify(helen, datetime.date.today() + datetime.timedelta(days=90))
    accepted = ask(alice, "Printer jam on floor six")
    accepted.accept(accepted.add_answer(bob, "Lift the lid and remove the paper."), alice)
    answered = ask(bob, "Printer jam on floor one")
    answered.add_answer(alice, "Turn it off and on.")
    unanswered = ask(bob, "Printer jam on floor ten")
    return {"verified": verified, "accepted": accepted, "answered": answered, "unanswered": unanswered}


@pytest.mark.whoosh
def test_it_opens_on_one_list_mixing_kinds_with_kinds_as_filters(alice_client, alice, bob, printers):
    add_page("Printing at the office", "How to use the printer and clear a jam")
    Skill.set_for(bob, {"printer": "expert"})

    response = search(alice_client, q="printer")

    assert response.status_code == 200
    assert response.context["active"] == "all"
    kinds = {hit["result"].search_type.key for hit in response.context["hits"]}
    assert kinds == {"questions", "pages", "people"}
    counts = facet_counts(response)
    assert counts["all"] == 6
    assert (counts["questions"], counts["pages"], counts["people"]) == (4, 1, 1)
    html = response.content.decode()
    assert "All (6)" in html
    assert 'href="?q=printer&amp;type=pages">Pages (1)</a>' in html


def test_a_verification_past_its_review_date_reads_as_being_reviewed(alice_client, printers):
    from qa.models import Answer

    Answer.objects.filter(question=printers["verified"]).update(
        review_by=timezone.localdate() - datetime.timedelta(days=2)
    )
    Question.objects.filter(pk=printers["verified"].pk).refresh_answer_state()

    html = search(alice_client, q="floor two").content.decode()

    assert '<strong class="govuk-tag govuk-tag--grey confer-search-state">Verified — being reviewed</strong>' in html
    assert "Verified by the helpdesk" not in html


@pytest.mark.whoosh
def test_each_result_says_what_it_is_and_its_state(alice_client, alice, bob, printers):
    add_page("Printing at the office", "How to use the printer")
    HelpOffer.save_for(bob, role="buddy", topics=["printer"], capacity=2)

    html = search(alice_client, q="printer").content.decode()

    assert "Question · 1 answer ·" in html
    assert "Verified by the helpdesk" in html
    assert "Accepted" in html
    assert "Question · 0 answers" in html
    assert "Verified answer:</span> Open tray B and pull the sheet out gently." in html
    assert "Standard page · updated" in html
    assert "Digital buddy: helps with printer" in html


@on_both_backends
def test_answered_accepted_and_verified_questions_rank_above_unanswered_ones(backend, alice_client, printers):
    response = search(alice_client, q="printer jam")

    assert titles(response) == [
        "Printer jam on floor two",  # verified
        "Printer jam on floor six",  # accepted
        "Printer jam on floor one",  # answered
        "Printer jam on floor ten",  # unanswered, though newest
    ]


@on_both_backends
def test_it_finds_a_question_through_its_answers_words(backend, alice_client, printers):
    response = search(alice_client, q="tray")

    assert titles(response) == ["Printer jam on floor two"]
    assert "<mark>tray</mark> B" in response.content.decode()


@on_both_backends
def test_a_duplicate_is_folded_into_the_question_it_duplicates(backend, alice_client, alice, helen, printers):
    duplicate = ask(alice, "Printer jam again")  # no answers, shorter title: a better lexical match
    duplicate.close(helen, "duplicate", duplicate_of=printers["verified"])

    response = search(alice_client, q="printer jam")

    assert "Printer jam again" not in titles(response)
    assert titles(response)[0] == "Printer jam on floor two"
    first = response.context["hits"][0]
    assert [q.title for q in first["also_asked_as"]] == ["Printer jam again"]
    assert facet_counts(response)["questions"] == 4


@on_both_backends
def test_hidden_and_off_topic_questions_never_appear_nor_their_answers(
    backend, alice_client, alice, bob, helen, mo, printers
):
    rant = ask(bob, "Printer rant about tonerwords")
    rant.add_answer(alice, "Me too, tonerwords everywhere")
    rant.close(helen, "off_topic")
    hidden = ask(bob, "Hidden printer tonerwords")
    hidden.hide(mo)

    response = search(alice_client, q="tonerwords")

    assert response.context["total"] == 0
    assert "tonerwords" not in "".join(titles(response))


@on_both_backends
def test_experts_come_before_learners_with_the_reason_shown(backend, alice_client, alice, bob, charlie):
    Skill.set_for(charlie, {"spreadsheets": "learning"})
    Skill.set_for(bob, {"spreadsheets": "expert"})

    response = search(alice_client, q="spreadsheets", type="people")

    assert [hit["object"].user for hit in response.context["hits"]] == [bob, charlie]
    html = response.content.decode()
    assert "Expert in spreadsheets" in html
    assert "Learning spreadsheets" in html


@pytest.mark.whoosh
def test_a_person_found_by_skill_and_help_offer_is_listed_once(alice_client, bob):
    Skill.set_for(bob, {"spreadsheets": "expert"})
    HelpOffer.save_for(bob, role="buddy", topics=["spreadsheets"], capacity=2)

    response = search(alice_client, q="spreadsheets")

    assert [hit["object"].user for hit in response.context["hits"]] == [bob]
    assert response.context["hits"][0]["reasons"] == [
        "Expert in spreadsheets",
        "Digital buddy: helps with spreadsheets",
    ]


@pytest.mark.whoosh
@pytest.mark.parametrize("param", ["type", "kind"])
def test_bookmarked_kind_addresses_still_open_their_kind(alice_client, printers, param):
    add_page("Printing at the office", "How to use the printer")

    response = search(alice_client, q="printer", **{param: "pages"})

    assert response.context["active"] == "pages"
    assert titles(response) == ["Printing at the office"]
    assert response.context["total"] == 5  # "in all" still counts every kind


@on_both_backends
def test_old_kinds_open_the_kind_that_now_shows_them(backend, alice_client, bob, printers):
    Skill.set_for(bob, {"printer": "expert"})

    assert search(alice_client, q="printer", type="skills").context["active"] == "people"
    assert search(alice_client, q="tray", type="answers").context["active"] == "questions"
    assert search(alice_client, q="printer", type="nonsense").context["active"] == "all"


@on_both_backends
def test_the_number_of_queries_does_not_grow_with_the_results(
    backend, alice_client, alice, bob, django_assert_max_num_queries
):
    def make(count):
        for number in range(count):
            question = ask(alice, f"Scanner fault number {number}")
            question.add_answer(bob, "Scanner reset")
            Skill.set_for(bob, {f"scanner{number}": "expert"})

    make(3)
    with django_assert_max_num_queries(30) as few:
        search(alice_client, q="scanner")
    make(20)
    with django_assert_max_num_queries(30) as many:
        search(alice_client, q="scanner")

    assert len(many.captured_queries) <= len(few.captured_queries), (
        len(few.captured_queries),
        len(many.captured_queries),
    )
