"""Q&A test helpers: questions and answers made through the same model methods the site uses."""

import pytest
from django.test import Client

from qa.models import Question


def ask(user, title="VPN will not connect from home", body="It says *error 809* after a minute.", tags=("vpn",)):
    return Question.ask(user, title, body, list(tags))


def answer(question, user, body="Restart the VPN client, then sign in again."):
    return question.add_answer(user, body)


@pytest.fixture
def client_for(db):
    """A signed-in test client for any user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def question(alice):
    return ask(alice)
