"""/qa/: filters (unanswered, no accepted answer, verified, tag), sorts, pagination; the home-page querysets."""

import datetime

import pytest
from django.utils import timezone

from qa.models import Answer, Question, QuestionTag

from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def titles(response):
    return [q.title for q in response.context["page"].object_list]


@pytest.fixture
def board(alice, bob, helen, mo):
    """Four open questions in different states, a duplicate and a hidden one."""
    unanswered = ask(alice, title="Unanswered VPN question", tags=["vpn"])
    answered = ask(alice, title="Answered expenses question", tags=["expenses"])
    answer(answered, bob)
    accepted = ask(alice, title="Accepted excel question", tags=["excel"])
    accepted.accept(answer(accepted, bob), alice)
    verified = ask(alice, title="Verified vpn question", tags=["vpn"])
    answer(verified, bob).verify(helen, timezone.localdate() + datetime.timedelta(days=30))
    duplicate = ask(bob, title="Duplicate vpn question", tags=["vpn"])
    duplicate.close(helen, "duplicate", duplicate_of=unanswered)
    hidden = ask(bob, title="Hidden question", tags=["vpn"])
    hidden.hide(mo)
    return {"unanswered": unanswered, "answered": answered, "accepted": accepted, "verified": verified}


def test_it_lists_questions_newest_first_without_duplicates_or_hidden_ones(alice_client, board):
    response = alice_client.get("/qa/")

    assert response.status_code == 200
    assert titles(response) == [
        "Verified vpn question", "Accepted excel question", "Answered expenses question", "Unanswered VPN question",
    ]  # fmt: skip
    assert b"4 questions" in response.content


def test_it_includes_duplicates_when_asked(alice_client, board):
    response = alice_client.get("/qa/", {"duplicates": "on"})

    assert "Duplicate vpn question" in titles(response)


def test_it_shows_hidden_questions_to_their_author_and_moderators(client_for, bob, mo, board):
    assert "Hidden question" in titles(client_for(bob).get("/qa/"))
    assert "Hidden question" in titles(client_for(mo).get("/qa/"))


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("unanswered", ["Unanswered VPN question"]),
        ("no_accepted", ["Verified vpn question", "Answered expenses question", "Unanswered VPN question"]),
        ("verified", ["Verified vpn question"]),
    ],
)
def test_it_filters_by_state(alice_client, board, show, expected):
    assert titles(alice_client.get("/qa/", {"show": show})) == expected


def test_it_filters_by_tag(alice_client, board):
    response = alice_client.get("/qa/", {"tag": "vpn"})

    assert titles(response) == ["Verified vpn question", "Unanswered VPN question"]
    assert "tagged “vpn”" in response.content.decode()


def test_it_shows_nothing_for_an_unknown_tag(alice_client, board):
    assert titles(alice_client.get("/qa/", {"tag": "no-such-tag"})) == []


def test_it_labels_each_question_with_its_state(alice_client, board):
    html = alice_client.get("/qa/").content.decode()

    assert '<strong class="govuk-tag govuk-tag--green">Verified</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--blue">Accepted answer</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--yellow">Unanswered</strong>' in html


@pytest.mark.parametrize("page", ["/qa/", "/tags/vpn/", "/"])
def test_it_labels_a_verified_answer_past_its_review_date_as_being_reviewed(
    alice_client, client_for, helen, board, page, monkeypatch
):
    # The answer was verified for 30 days; 31 days pass, with nothing written.
    monkeypatch.setattr("qa.models._today", lambda: timezone.localdate() + datetime.timedelta(days=31))

    html = alice_client.get(page).content.decode()

    card = html.split("Verified vpn question")[1].split("</li>")[0]
    assert '<strong class="govuk-tag govuk-tag--grey">Verified — being reviewed</strong>' in card
    assert "Due for review" not in card and "govuk-tag--green" not in card
    # The helpdesk is told the review is theirs to do.
    helpdesk_card = client_for(helen).get(page).content.decode().split("Verified vpn question")[1].split("</li>")[0]
    assert '<strong class="govuk-tag govuk-tag--orange">Due for review</strong>' in helpdesk_card


def test_it_sorts_by_votes_and_by_activity(alice_client, board, bob, charlie):
    board["answered"].vote(bob, 1)
    board["answered"].vote(charlie, 1)
    board["unanswered"].vote(bob, 1)

    assert titles(alice_client.get("/qa/", {"sort": "votes"}))[:2] == [
        "Answered expenses question", "Unanswered VPN question",
    ]  # fmt: skip

    answer(board["unanswered"], bob, "Now it has an answer")

    assert titles(alice_client.get("/qa/", {"sort": "active"}))[0] == "Unanswered VPN question"


def test_it_ignores_nonsense_filters(alice_client, board):
    response = alice_client.get("/qa/", {"show": "everything", "sort": "'; drop table", "page": "x"})

    assert response.status_code == 200
    assert len(titles(response)) == 4


def test_it_paginates(alice_client, alice):
    for number in range(25):
        ask(alice, title=f"Question {number}")

    first = alice_client.get("/qa/")
    second = alice_client.get("/qa/", {"page": 2})

    assert len(titles(first)) == 20
    assert len(titles(second)) == 5
    assert b'rel="next"' in first.content


def bulk_questions(author, count, answers_each=1):
    questions = Question.objects.bulk_create(
        Question(author=author, title=f"Bulk question {n}", slug=f"bulk-question-{n}", body="Body",
                 body_html="<p>Body</p>", answer_count=answers_each)
        for n in range(count)
    )  # fmt: skip
    tags = list(ask(author, title="Tag source", tags=["vpn", "excel"]).tags.all())
    QuestionTag.objects.bulk_create(
        QuestionTag(content_object=question, tag=tag) for question in questions for tag in tags
    )
    Answer.objects.bulk_create(
        Answer(question=question, author=author, body="Answer", body_html="<p>Answer</p>")
        for question in questions
        for _ in range(answers_each)
    )


@pytest.mark.parametrize("count", [10, 200])
def test_it_lists_with_the_same_number_of_queries_however_many_questions(
    alice_client, alice, count, django_assert_max_num_queries
):
    bulk_questions(alice, count)

    with django_assert_max_num_queries(14):
        response = alice_client.get("/qa/", {"tag": "vpn", "sort": "votes"})

    assert response.status_code == 200
    assert len(titles(response)) == min(count + 1, 20)


def test_it_gives_the_home_page_recent_and_unanswered_questions(board, alice):
    assert list(Question.objects.recent().values_list("title", flat=True)) == [
        "Verified vpn question", "Accepted excel question", "Answered expenses question", "Unanswered VPN question",
    ]  # fmt: skip
    assert list(Question.objects.unanswered().values_list("title", flat=True)) == ["Unanswered VPN question"]


def test_it_appears_in_the_header_navigation(alice_client):
    response = alice_client.get("/")

    assert b'class="govuk-service-navigation__link" href="/qa/"' in response.content


def test_it_links_the_helpdesk_to_their_queue(client_for, helen, alice_client):
    assert b'href="/qa/helpdesk/"' in client_for(helen).get("/qa/").content
    assert b'href="/qa/helpdesk/"' not in alice_client.get("/qa/").content
