"""Forgotten passwords: a reset link by email for local accounts, on GOV.UK-styled pages, the same
answer whether or not the address has an account, and a limit on how often it can be asked."""

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase 42"


def ask(client, email, **extra):
    return client.post("/accounts/password/reset/", {"email": email}, **extra)


def test_it_links_to_the_reset_from_the_sign_in_page(client):
    page = client.get("/accounts/login/").content.decode()

    assert 'href="/accounts/password/reset/">Forgotten your password?</a>' in page
    assert client.get("/accounts/password/reset/").status_code == 200


def test_it_resets_a_local_accounts_password_through_the_emailed_link(client, alice):
    response = ask(client, alice.email.upper())

    [email] = mail.outbox
    link = re.search(r"/accounts/password/reset/\S+/\S+/", email.body)[0]
    form = client.get(link, follow=True)
    done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    alice.refresh_from_db()

    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert email.to == [alice.email] and email.subject == "Reset your Confer password"
    assert "Choose a new password" in form.content.decode()
    assert done.status_code == 302 and done["Location"] == "/accounts/password/reset/done/"
    assert alice.check_password(NEW_PASSWORD) and not alice.check_password(PASSWORD)
    assert "This link no longer works" in client.get(link, follow=True).content.decode()


def test_it_answers_the_same_for_an_unknown_address_and_sends_nothing(client, alice):
    known = ask(Client(), alice.email)
    unknown = ask(client, "nobody@confer.example")
    page = client.get(unknown["Location"]).content.decode()

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert "If that email address belongs to a Confer account" in page
    assert [message.to for message in mail.outbox] == [[alice.email]]


def test_it_sends_nothing_to_an_account_without_a_password_such_as_single_sign_on(client, alice):
    alice.set_unusable_password()
    alice.save()

    response = ask(client, alice.email)

    assert response.status_code == 302 and response["Location"] == "/accounts/password/reset/sent/"
    assert mail.outbox == []


def test_it_sends_nothing_to_an_inactive_account(client, alice):
    alice.is_active = False
    alice.save()

    ask(client, alice.email)

    assert mail.outbox == []


def test_it_says_what_is_wrong_with_the_address(client):
    empty = ask(client, "")
    malformed = ask(client, "not an address")

    assert empty.status_code == malformed.status_code == 400
    assert "Enter your email address" in empty.content.decode()
    assert "Enter an email address in the correct format" in malformed.content.decode()
    assert "govuk-error-summary" in malformed.content.decode()


def test_it_refuses_a_mismatched_new_password_and_keeps_the_old_one(client, alice):
    ask(client, alice.email)
    link = re.search(r"/accounts/password/reset/\S+/\S+/", mail.outbox[0].body)[0]
    form = client.get(link, follow=True)

    response = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": "other"})
    alice.refresh_from_db()

    assert response.status_code == 400
    assert "The passwords you entered do not match" in response.content.decode()
    assert alice.check_password(PASSWORD)


@override_settings(PASSWORD_RESET_EMAIL_RATE="2/h", PASSWORD_RESET_RATE="100/h")
def test_it_limits_the_links_asked_for_one_address_known_or_not(client, alice):
    answers = [ask(client, alice.email).status_code for _ in range(3)]
    unknown = [ask(client, "nobody@confer.example").status_code for _ in range(3)]

    assert answers == unknown == [302, 302, 429]
    assert len(mail.outbox) == 2
    assert "You have asked for too many reset links" in ask(client, alice.email).content.decode()


@override_settings(PASSWORD_RESET_RATE="2/h", PASSWORD_RESET_EMAIL_RATE="100/h")
def test_it_limits_the_links_asked_from_one_network_address(client, alice, bob):
    first = ask(client, alice.email, REMOTE_ADDR="10.0.0.1")
    second = ask(client, bob.email, REMOTE_ADDR="10.0.0.1")
    third = ask(client, "someone@confer.example", REMOTE_ADDR="10.0.0.1")
    elsewhere = ask(client, "someone@confer.example", REMOTE_ADDR="10.0.0.2")

    assert [first.status_code, second.status_code, third.status_code, elsewhere.status_code] == [302, 302, 429, 302]
    assert len(mail.outbox) == 2
