from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, override_settings

from community.profiles.auth import wait_in_words
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password}, **extra)


def test_it_signs_in_with_a_local_account(client, alice):
    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").wsgi_request.user == alice


def test_it_returns_to_the_page_asked_for_after_sign_in(client, alice):
    response = client.post("/accounts/login/", {"username": "alice", "password": PASSWORD, "next": "/people/"})

    assert response["Location"] == "/people/"


def test_it_gives_the_same_message_for_a_wrong_password_and_an_unknown_user(client, alice):
    wrong_password = sign_in(client, "alice", "not her password")
    unknown_user = sign_in(client, "nobody", "whatever")

    for response in (wrong_password, unknown_user):
        assert response.status_code == 200
        assert b"Enter a correct username and password" in response.content
        assert b"govuk-error-summary" in response.content


def test_it_says_which_sign_in_field_is_empty(client):
    response = sign_in(client, "", "")

    content = response.content.decode()
    assert "<title>Error: Sign in – Confer</title>" in content
    assert "Enter your username" in content
    assert "Enter your password" in content
    assert "This field is required" not in content


def test_it_refuses_an_inactive_account_without_saying_so(client, alice):
    alice.is_active = False
    alice.save()

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 200
    assert b"Enter a correct username and password" in response.content
    assert b"inactive" not in response.content.lower()


def test_it_locks_out_repeated_failures_even_with_the_right_password(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "guess")

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 429
    assert b"Too many sign-in attempts" in response.content
    assert b"Wait 15 minutes and try again" in response.content
    assert b"0:15:00" not in response.content
    assert client.get("/").status_code == 302  # still signed out


@pytest.mark.parametrize(
    ("duration", "words"),
    [
        (timedelta(minutes=15), "15 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(seconds=20), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(minutes=90), "1 hour 30 minutes"),
        (timedelta(hours=24), "24 hours"),
    ],
)
def test_it_says_how_long_to_wait_in_words(duration, words):
    assert wait_in_words(duration) == words


def test_it_does_not_lock_out_the_same_user_from_another_address(client, alice, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "guess", REMOTE_ADDR="10.0.0.66")

    response = sign_in(Client(), "alice", PASSWORD, REMOTE_ADDR="10.0.0.7")

    assert response.status_code == 302


def test_it_ignores_a_forged_forwarded_for_header_without_a_trusted_proxy(client, alice, settings):
    # An attacker rotating X-Forwarded-For must not dodge the lockout...
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "guess", REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR=f"192.0.2.{attempt}")
    assert (
        sign_in(client, "alice", PASSWORD, REMOTE_ADDR="10.0.0.66", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code
        == 429
    )

    # ...nor lock out a colleague by forging their address.
    assert AccessAttempt.objects.filter(ip_address="10.0.0.66").exists()
    assert not AccessAttempt.objects.filter(ip_address__startswith="192.0.2.").exists()
    assert sign_in(Client(), "alice", PASSWORD, REMOTE_ADDR="10.0.0.7").status_code == 302


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_it_throttles_by_the_address_a_trusted_proxy_reports(client, alice, settings):
    proxy = "10.1.1.1"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "alice", "guess", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.5")

    # The person behind the proxy is locked out; a colleague behind the same proxy is not,
    # even when they put the attacker's address first in a header they forged.
    assert (
        sign_in(client, "alice", PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.5").status_code == 429
    )
    colleague = sign_in(
        Client(), "alice", PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.5, 198.51.100.6"
    )
    assert colleague.status_code == 302


def test_it_signs_out_only_by_post(alice_client):
    response = alice_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert alice_client.get("/").status_code == 302


def test_it_asks_before_signing_out_when_the_address_is_opened(alice_client):
    response = alice_client.get("/accounts/logout/")

    assert response.status_code == 200
    content = response.content.decode()
    assert "<title>Sign out – Confer</title>" in content
    assert '<form method="post" action="/accounts/logout/"' in content
    assert alice_client.get("/").status_code == 200  # opening the page did not sign her out


def test_it_sends_someone_signed_out_from_the_sign_out_page_to_sign_in(client):
    response = client.get("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"


def test_it_changes_a_password_after_checking_the_old_one(alice_client, alice):
    wrong = alice_client.post(
        "/accounts/password/",
        {"old_password": "nope", "new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert wrong.status_code == 200
    assert b"govuk-error-message" in wrong.content
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)

    right = alice_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "a new long passphrase", "new_password2": "a new long passphrase"},
    )
    assert right.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("a new long passphrase")
    assert alice_client.get("/").status_code == 200  # still signed in after the change


def change_password(client, old="", new1="", new2=""):
    return client.post("/accounts/password/", {"old_password": old, "new_password1": new1, "new_password2": new2})


def test_it_says_which_password_field_is_empty(alice_client):
    response = change_password(alice_client)

    content = response.content.decode()
    assert "<title>Error: Change your password – Confer</title>" in content
    assert "Enter your current password" in content
    assert "Enter a new password" in content
    assert "Confirm your new password" in content
    assert "This field is required" not in content


def test_it_labels_the_password_fields_plainly(alice_client):
    content = alice_client.get("/accounts/password/").content.decode()

    assert "<title>Change your password – Confer</title>" in content
    assert "Current password" in content and "Confirm new password" in content
    assert "Old password" not in content and "New password confirmation" not in content


def test_it_says_plainly_when_the_new_passwords_differ(alice_client):
    response = change_password(alice_client, PASSWORD, "a new long passphrase", "a new long passphrase!")

    assert "The passwords you entered do not match" in response.content.decode()


def test_it_says_plainly_when_the_current_password_is_wrong(alice_client):
    response = change_password(alice_client, "nope", "a new long passphrase", "a new long passphrase")

    content = response.content.decode()
    assert "Your current password is not right. Try again." in content
    assert "old password" not in content.lower()


def test_it_refuses_a_sign_in_without_the_csrf_token(alice):
    client = Client(enforce_csrf_checks=True)

    response = sign_in(client, "alice", PASSWORD)

    assert response.status_code == 403
    assert b"Your form has expired" in response.content


def test_it_tells_a_signed_in_colleague_they_cannot_open_the_admin_instead_of_looping(alice_client):
    response = alice_client.get("/admin/", follow=True)

    assert response.status_code == 403
    assert "You cannot do that" in response.content.decode()
    assert len(response.redirect_chain) == 1


def test_it_sends_someone_already_signed_in_from_the_sign_in_page_home(alice_client):
    response = alice_client.get("/accounts/login/")

    assert response.status_code == 302 and response["Location"] == "/"
