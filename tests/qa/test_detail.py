"""One question's page: the right URL, answers in order with their labels, and a fixed number of queries."""

import datetime

import pytest
from django.utils import timezone

from qa.models import Answer, Question

from .conftest import answer

pytestmark = pytest.mark.django_db


def test_it_redirects_a_wrong_or_missing_slug_to_the_right_one(alice_client, question):
    for path in (f"/qa/{question.pk}/", f"/qa/{question.pk}/old-title/"):
        response = alice_client.get(path)

        assert response.status_code == 301
        assert response["Location"] == f"/qa/{question.pk}/vpn-will-not-connect-from-home/"


def test_it_shows_the_question_with_its_rendered_body_and_tags(alice_client, question):
    response = alice_client.get(question.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-l">VPN will not connect from home</h1>' in html
    assert "<em>error 809</em>" in html
    assert 'href="/qa/?tag=vpn"' in html


def test_it_returns_404_for_a_question_that_does_not_exist(alice_client):
    assert alice_client.get("/qa/999/anything/").status_code == 404


def test_it_puts_verified_answers_first_then_the_accepted_one_then_by_votes(
    alice_client, alice, bob, charlie, helen, question
):
    plain = answer(question, bob, "Plain answer")
    popular = answer(question, charlie, "Popular answer")
    popular.vote(alice, 1)
    accepted = answer(question, charlie, "Accepted answer")
    question.accept(accepted, alice)
    verified = answer(question, bob, "Verified answer")
    verified.verify(helen, timezone.localdate() + datetime.timedelta(days=90))

    response = alice_client.get(question.get_absolute_url())

    assert [a.pk for a in response.context["answers"]] == [verified.pk, accepted.pk, popular.pk, plain.pk]
    html = response.content.decode()
    assert html.index("Verified answer") < html.index("Accepted answer") < html.index("Popular answer")
    assert f"Verified by the helpdesk, checked {timezone.localdate():%-d %B %Y}" in html
    assert "Accepted by the asker" in html


def test_it_labels_an_answer_past_its_review_date(alice_client, bob, helen, question):
    verified = answer(question, bob)
    verified.verify(helen, timezone.localdate() + datetime.timedelta(days=1))
    Answer.objects.filter(pk=verified.pk).update(review_by=timezone.localdate() - datetime.timedelta(days=1))

    html = alice_client.get(question.get_absolute_url()).content.decode()

    # One state for colleagues: never "Verified" and "Due for review" together.
    assert "Verified — being reviewed" in html
    assert "Due for review" not in html and "Verified by the helpdesk" not in html


def test_it_offers_did_this_solve_your_problem_only_once_answered(client_for, charlie, bob, question):
    assert b"Did this solve your problem?" not in client_for(charlie).get(question.get_absolute_url()).content

    answer(question, bob)

    assert b"Did this solve your problem?" in client_for(charlie).get(question.get_absolute_url()).content


def test_it_labels_vote_buttons_for_screen_readers(client_for, bob, question):
    answer(question, bob)

    html = client_for(bob).get(question.get_absolute_url()).content.decode()

    assert '<span class="govuk-visually-hidden">Vote up this question</span>' in html
    assert '<span class="govuk-visually-hidden">Vote down this question</span>' in html
    assert "Vote up this answer" not in html  # bob wrote the only answer


def add_answers(question, author, count):
    Answer.objects.bulk_create(
        Answer(question=question, author=author, body=f"Answer {n}", body_html=f"<p>Answer {n}</p>", score=n)
        for n in range(count)
    )
    Question.objects.filter(pk=question.pk).update(answer_count=count)


@pytest.mark.parametrize("count", [10, 200])
def test_it_shows_a_question_with_the_same_number_of_queries_however_many_answers(
    client_for, bob, charlie, helen, question, count, django_assert_max_num_queries
):
    add_answers(question, bob, count)
    for a in Answer.objects.all()[:3]:
        a.vote(charlie, 1)
    Answer.objects.first().verify(helen, timezone.localdate() + datetime.timedelta(days=9))
    question.vote(charlie, -1)
    client = client_for(charlie)

    with django_assert_max_num_queries(15):
        response = client.get(question.get_absolute_url())

    assert response.status_code == 200
    assert len(response.context["answers"]) == count
    # Charlie's four votes, and the Following button: voting followed the question for him.
    assert response.content.decode().count('aria-pressed="true"') == 5
