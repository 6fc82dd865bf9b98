"""Digests delivered through a real SMTP server (aiosmtpd on localhost) and parsed on arrival."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from community.listening.emails import send_digests
from community.models import EmailFrequency
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


class Mailbox(Message):
    def __init__(self):
        super().__init__(message_class=email.message.EmailMessage)
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    mailbox = Mailbox()
    mailbox.port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield mailbox
    controller.stop()


def test_it_delivers_a_digest_with_text_html_and_unsubscribe_headers(smtp_server, alice, bob, charlie):
    wants_email(alice, EmailFrequency.WEEKLY)
    question = ask(alice, title="Can I claim a train ticket on expenses?", tags=["expenses"])
    answer(question, bob, "Yes: attach the ticket to the claim.")
    answer(question, charlie, "And book through the travel portal next time.")

    stats = send_digests()

    assert stats["weekly"] == 1
    [received] = [message for message in smtp_server.messages if message["To"] == "alice@example.org"]
    parsed = email.message_from_bytes(received.as_bytes(), policy=email.policy.default)
    assert parsed["To"] == "alice@example.org"
    assert parsed["Subject"] == "Your weekly Confer digest: 2 updates"
    assert parsed["List-Unsubscribe"].strip().startswith("<http://127.0.0.1:8000/notifications/unsubscribe/")
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = parsed.get_body(preferencelist=("plain",)).get_content()
    html = parsed.get_body(preferencelist=("html",)).get_content()
    assert "Bob Baker answered Can I claim a train ticket on expenses?" in text
    assert "expenses" in text
    assert '<a class="govuk-link" href="http://127.0.0.1:8000/qa/' in html
    assert "unsubscribe from all Confer emails" in html


def test_it_keeps_items_for_the_next_run_when_the_server_refuses(settings, smtp_server, alice, bob):
    question = ask(alice)
    answer(question, bob)
    settings.EMAIL_PORT = free_port()  # nothing listens there: connection refused

    assert send_digests()["daily"] == 0
    assert smtp_server.messages == []

    settings.EMAIL_PORT = smtp_server.port
    assert send_digests()["daily"] == 1
    [received] = smtp_server.messages
    assert received["Subject"] == "Your daily Confer digest: 1 update"
