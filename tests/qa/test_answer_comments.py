"""Comments on answers: shown under the answer, its author told, refused on a hidden answer, and a
question page that costs the same however many answers have comments. What every commentable
kind does is in tests/contracts/test_commentable.py."""

import django_comments
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.models import Notification

from ..contracts.kinds import comment_data
from .conftest import answer, ask

pytestmark = pytest.mark.django_db


def test_a_comment_shows_under_its_answer_and_tells_the_person_who_answered(client_for, alice, bob, charlie):
    question = ask(alice)
    reply = answer(question, bob)

    response = client_for(charlie).post(
        f"/qa/answers/{reply.pk}/comment/", comment_data(reply, "Which **client** version?"), follow=True
    )

    html = response.content.decode()
    comment = django_comments.get_model().objects.get()
    assert response.redirect_chain[-1][0] == f"{question.get_absolute_url()}#c{comment.pk}"
    under_answer = html.split(f'id="answer-{reply.pk}"')[1].split("</article>")[0]
    assert "Which <strong>client</strong> version?" in under_answer
    told = Notification.objects.get(recipient=bob, event_type="qa.new_answer_comment")
    assert told.url == f"{question.get_absolute_url()}#c{comment.pk}"
    assert Notification.objects.filter(recipient=alice, event_type="qa.new_answer_comment").exists()  # follows
    assert not Notification.objects.filter(recipient=charlie).exists()


def test_a_hidden_answer_takes_no_comments(client_for, alice, bob, mo):
    reply = answer(ask(alice), bob)
    reply.hide(mo)

    response = client_for(bob).post(f"/qa/answers/{reply.pk}/comment/", comment_data(reply, "But why?"), follow=True)

    assert "This answer is hidden, so it takes no comments." in response.content.decode()
    assert not django_comments.get_model().objects.exists()
    assert client_for(alice).post(f"/qa/answers/{reply.pk}/comment/", comment_data(reply, "x")).status_code == 404


def _page_queries(client, question):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(question.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_question_page_costs_the_same_however_many_answers_have_comments(client_for, alice, bob, charlie):
    question = ask(alice)
    client = client_for(charlie)
    for number in range(2):
        reply = answer(question, bob, body=f"Answer {number}")
        client.post(f"/qa/answers/{reply.pk}/comment/", comment_data(reply, f"Comment {number}"))
    few = _page_queries(client, question)
    for number in range(2, 8):
        reply = answer(question, bob, body=f"Answer {number}")
        client.post(f"/qa/answers/{reply.pk}/comment/", comment_data(reply, f"Comment {number}"))

    assert _page_queries(client, question) == few
