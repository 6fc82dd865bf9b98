"""Q&A test helpers: questions and answers made through the same model methods the site uses."""

import pytest

from qa.models import Question


def ask(user, title="VPN will not connect from home", body="It says *error 809* after a minute.", tags=("vpn",)):
    return Question.ask(user, title, body, list(tags))


def answer(question, user, body="Restart the VPN client, then sign in again."):
    return question.add_answer(user, body)


@pytest.fixture
def question(alice):
    return ask(alice)
