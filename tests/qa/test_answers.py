"""Answering: Markdown answers, checked input, and the posting limit."""

import pytest

from qa.models import Answer

pytestmark = pytest.mark.django_db


def post_answer(client, question, body, **extra):
    return client.post(f"/qa/questions/{question.pk}/answer/", {"body": body, **extra})


def test_it_posts_an_answer_in_markdown(client_for, bob, question):
    response = post_answer(client_for(bob), question, "Use the **backup gateway**.")

    reply = Answer.objects.get()
    question.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == f"{question.get_absolute_url()}#answer-{reply.pk}"
    assert reply.author == bob
    assert reply.body_html == "<p>Use the <strong>backup gateway</strong>.</p>\n"
    assert question.answer_count == 1
    assert reply.revisions.count() == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [("", "Enter your answer"), ("  ", "Enter your answer"),
     ("x" * 30_001, "Your answer must be 30,000 characters or fewer")],
)  # fmt: skip
def test_it_refuses_an_empty_or_overlong_answer(client_for, bob, question, body, message):
    response = post_answer(client_for(bob), question, body)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Answer.objects.exists()
    question.refresh_from_db()
    assert question.answer_count == 0


def test_it_previews_an_answer_without_posting(client_for, bob, question):
    response = post_answer(client_for(bob), question, "A *careful* answer", preview="1")

    assert response.status_code == 200
    assert "<em>careful</em>" in response.content.decode()
    assert "A *careful* answer</textarea>" in response.content.decode()
    assert not Answer.objects.exists()


def test_it_keeps_answers_off_hidden_questions(client_for, bob, mo, question):
    question.hide(mo)

    assert post_answer(client_for(bob), question, "Hello").status_code == 404
    assert not Answer.objects.exists()


def test_it_links_an_answer_to_its_place_on_the_question(client_for, bob, question):
    post_answer(client_for(bob), question, "Answer")
    reply = Answer.objects.get()

    response = client_for(bob).get(f"/qa/answers/{reply.pk}/")

    assert response["Location"].endswith(f"#answer-{reply.pk}")
