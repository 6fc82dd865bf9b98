"""Deleting your own question while nobody has replied: a confirmation page first; only the author;
refused with a clear message once someone has answered or commented, with nothing lost."""

import django_comments
import pytest
from django.test import Client

from qa.models import Question

from .conftest import answer, ask
from .test_comments import comment_data

pytestmark = pytest.mark.django_db


def url(question):
    return f"/qa/questions/{question.pk}/delete/"


def test_it_asks_first_and_deletes_only_when_confirmed(client_for, alice):
    question = ask(alice)
    client = client_for(alice)

    page = client.get(question.get_absolute_url()).content.decode()
    confirm = client.get(url(question))

    assert f'href="{url(question)}">Delete' in page
    assert confirm.status_code == 200
    assert "Are you sure you want to delete your question?" in confirm.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_it_deletes_the_question_with_the_forms_token(alice):
    question = ask(alice, title="A question asked by mistake")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    html = browser.get(url(question)).content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]

    response = browser.post(url(question), {"csrfmiddlewaretoken": token}, follow=True)

    assert response.redirect_chain == [("/qa/", 302)]
    assert "Your question “A question asked by mistake” has been deleted." in response.content.decode()
    assert not Question.objects.filter(pk=question.pk).exists()


def test_it_refuses_anyone_but_the_author(client_for, alice, bob, helen):
    question = ask(alice)

    for user in (bob, helen):
        seen = client_for(user).get(url(question))
        posted = client_for(user).post(url(question))
        assert seen.status_code == posted.status_code == 403
        assert "Only the person who asked can delete this question." in posted.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()
    assert f'href="{url(question)}"' not in client_for(bob).get(question.get_absolute_url()).content.decode()


def test_it_refuses_once_someone_has_answered_and_keeps_everything(client_for, alice, bob):
    question = ask(alice)
    answer(question, bob)

    response = client_for(alice).post(url(question), follow=True)

    assert response.redirect_chain == [(question.get_absolute_url(), 302)]
    assert "Someone has answered this question, so it can no longer be deleted." in response.content.decode()
    assert Question.objects.get(pk=question.pk).answer_count == 1
    assert f'href="{url(question)}"' not in response.content.decode()


def test_it_refuses_once_someone_has_commented(client_for, alice, bob):
    question = ask(alice)
    client_for(bob).post(f"/qa/questions/{question.pk}/comment/", comment_data(question, "Which VPN client?"))
    assert django_comments.get_model().objects.for_model(question).count() == 1

    response = client_for(alice).post(url(question), follow=True)

    assert "Someone has commented on this question" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_it_refuses_a_get_that_would_delete(client_for, alice):
    question = ask(alice)

    client_for(alice).get(url(question))

    assert Question.objects.filter(pk=question.pk).exists()
