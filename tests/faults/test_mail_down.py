"""The mail server goes down, comes back refusing every other message, then recovers.

A real SMTP server (aiosmtpd on localhost, in a thread) stands in for the organisation's: stopped, its
port refuses connections; flaky, it answers "451 try again later" to every second message. Nothing
the site does may fail for the person who acted, no email may be lost, and none may go twice.
"""

import collections
import email.message
import socket

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from django.urls import reverse

from community.listening.emails import send_digests
from community.listening.follows import follow
from community.models import EmailFrequency, Notification
from qa.models import Answer
from tests.conftest import make_user
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


class Mailbox(Message):
    """Keeps what it accepts; when ``flaky``, refuses every second message with a temporary failure."""

    def __init__(self):
        super().__init__(message_class=email.message.EmailMessage)
        self.messages = []
        self.flaky = False
        self.offered = 0

    async def handle_DATA(self, server, session, envelope):
        self.offered += 1
        if self.flaky and self.offered % 2 == 0:
            return "451 4.3.0 Try again later"
        return await super().handle_DATA(server, session, envelope)

    def handle_message(self, message):
        self.messages.append(message)


class MailServer:
    def __init__(self, port):
        self.port = port
        self.mailbox = Mailbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def refuses_connections(port) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.fixture
def mail_server(settings):
    server = MailServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", server.port, 5
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    yield server
    server.stop()


def test_nothing_is_lost_or_sent_twice_while_the_mail_server_is_down_and_back(
    mail_server, client_for, django_user_model, django_capture_on_commit_callbacks, alice, bob, charlie, figure
):
    question = ask(alice, title="Which printer takes A3 paper?", tags=["printing"])
    straight_away = [make_user(django_user_model, f"now{number}") for number in range(20)]
    daily = [make_user(django_user_model, f"daily{number}") for number in range(10)]
    for person in straight_away:
        wants_email(person, EmailFrequency.IMMEDIATELY)
    for person in [*straight_away, *daily]:
        follow(person, question)
    assert refuses_connections(mail_server.port)  # the server is down

    # Bob answers through the site while the mail server refuses: he sees his answer, no error.
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(bob).post(
            reverse("qa:answer", args=[question.pk]), {"body": "The one on the third floor."}, follow=True
        )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your answer has been posted." in page
    assert "There is a problem" not in page and "govuk-error-summary" not in page
    assert page.count("govuk-notification-banner__heading") == 1  # the success message alone
    assert Answer.objects.filter(question=question, body="The one on the third floor.").exists()
    with django_capture_on_commit_callbacks(execute=True):
        answer(question, charlie, "Or send it to the print room.")
    immediate = Notification.objects.filter(recipient__in=straight_away)
    assert immediate.count() == 40  # two answers, twenty people each
    assert not immediate.filter(emailed_at__isnull=False).exists()  # refused: none marked sent

    # The first scheduled run finds the server still down: nothing goes, nothing is marked sent.
    assert send_digests() == {"immediate": 0, "daily": 0, "weekly": 0}
    assert not immediate.filter(emailed_at__isnull=False).exists()

    # Back, but refusing every second message: part goes, the rest waits for the next run.
    mail_server.mailbox.flaky = True
    mail_server.start()
    flaky_run = send_digests()
    assert 0 < flaky_run["immediate"] < 40
    # Recovered: two more runs, the second of which must find nothing left to send.
    mail_server.mailbox.flaky = False
    runs = [flaky_run, send_digests(), send_digests()]
    assert runs[-1] == {"immediate": 0, "daily": 0, "weekly": 0}

    received = mail_server.mailbox.messages
    keys = collections.Counter((message["To"], message["Subject"]) for message in received)
    duplicates = sum(count - 1 for count in keys.values())
    notification_emails = [message for message in received if "digest" not in message["Subject"]]
    digests = [message for message in received if "digest" in message["Subject"]]
    assert duplicates == 0
    assert len(notification_emails) == 40
    assert {message["To"] for message in notification_emails} == {person.email for person in straight_away}
    # Daily digests: the ten who follow the question, alice who asked it and bob (following since he
    # answered, told of charlie's answer).
    assert sorted(message["To"] for message in digests) == sorted(person.email for person in [alice, bob, *daily])
    assert not Notification.objects.filter(recipient__in=[*straight_away, *daily], emailed_at__isnull=True).exists()
    refused = mail_server.mailbox.offered - len(received)
    figure(
        "mail-down",
        f"{immediate.count()} notification emails and {len(digests)} digests made while the server was down "
        f"(0 sent, 0 marked sent); back flaky: {refused} refused and retried; "
        f"{len(notification_emails)} + {len(digests)} delivered in {len(runs) + 1} runs, "
        f"{duplicates} duplicates, 0 errors shown to the person who answered",
    )
