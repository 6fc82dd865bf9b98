"""One-click unsubscribe from any email, and the settings page it points to."""

import pytest
from django.core import mail
from django.test import Client

from community.listening.emails import send_digests, unsubscribe_token
from community.models import EmailFrequency, ListeningPreferences
from tests.listening.conftest import wants_email
from tests.qa.conftest import answer, ask

pytestmark = pytest.mark.django_db


def unsubscribe_url(message):
    return message.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")


def test_it_unsubscribes_from_the_link_in_an_email_without_signing_in(alice, bob):
    question = ask(alice)
    answer(question, bob)
    send_digests()
    url = unsubscribe_url(mail.outbox[0])
    assert url in mail.outbox[0].body
    client = Client(enforce_csrf_checks=True)

    page = client.get(url)
    assert page.status_code == 200 and "Stop all notification and digest emails" in page.content.decode()
    assert ListeningPreferences.for_user(alice).email_frequency == EmailFrequency.DAILY  # a GET changes nothing

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200 and "You are unsubscribed" in response.content.decode()
    assert ListeningPreferences.for_user(alice).email_frequency == EmailFrequency.OFF


def test_it_sends_nothing_more_after_unsubscribing(alice, bob, charlie):
    question = ask(alice)
    answer(question, bob)
    Client().post(f"/notifications/unsubscribe/{unsubscribe_token(alice)}/")

    answer(question, charlie, "Another idea: check the proxy settings.")
    send_digests()

    assert [message.to for message in mail.outbox] == [["bob@example.org"]]  # bob follows what he answered


@pytest.mark.parametrize("token", ["forged", "eyJ1c2VyIjoxfQ:1abc:deadbeef"])
def test_it_refuses_a_forged_token(alice, token):
    wants_email(alice, EmailFrequency.DAILY)

    response = Client().post(f"/notifications/unsubscribe/{token}/")

    assert response.status_code == 400
    assert "This unsubscribe link does not work" in response.content.decode()
    assert ListeningPreferences.for_user(alice).email_frequency == EmailFrequency.DAILY


def test_it_refuses_a_token_signed_for_something_else(alice):
    from django.core import signing

    token = signing.dumps({"user": alice.pk}, salt="some.other.purpose")

    assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert ListeningPreferences.for_user(alice).email_frequency == EmailFrequency.DAILY


def test_it_saves_email_preferences(client_for, alice):
    client = client_for(alice)

    response = client.post("/notifications/settings/", {"email_frequency": "weekly"}, follow=True)

    assert "Your notification settings have been saved." in response.content.decode()
    preferences = ListeningPreferences.for_user(alice)
    assert preferences.email_frequency == EmailFrequency.WEEKLY
    assert preferences.auto_follow is False  # an unticked box


def test_it_explains_a_missing_choice_and_keeps_the_saved_one(client_for, alice):
    wants_email(alice, EmailFrequency.WEEKLY)

    response = client_for(alice).post("/notifications/settings/", {"email_frequency": "hourly"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html and "Select a valid choice" in html
    assert ListeningPreferences.for_user(alice).email_frequency == EmailFrequency.WEEKLY


def test_the_token_carries_no_user_id(alice, bob):
    token = unsubscribe_token(alice)

    # Only a random secret and the time it was signed: nothing that says whose it is.
    secret, timestamp, signature = token.split(":")
    assert secret == ListeningPreferences.for_user(alice).unsubscribe_secret
    assert len(secret) >= 32
    assert secret != ListeningPreferences.for_user(bob).unsubscribe_secret


def test_an_old_link_has_expired_and_changes_nothing(alice, settings):
    import datetime

    from django.utils import timezone

    wants_email(alice, EmailFrequency.DAILY)
    token = unsubscribe_token(alice)
    settings.UNSUBSCRIBE_LINK_DAYS = 90
    later = timezone.now() + datetime.timedelta(days=91)

    from unittest import mock

    with mock.patch("time.time", return_value=later.timestamp()):
        response = Client().post(f"/notifications/unsubscribe/{token}/")

    assert response.status_code == 410
    assert "This unsubscribe link has expired" in response.content.decode()
    assert ListeningPreferences.for_user(alice).email_frequency == EmailFrequency.DAILY


def test_links_already_sent_can_be_cancelled(client_for, alice):
    wants_email(alice, EmailFrequency.DAILY)
    token = unsubscribe_token(alice)

    response = client_for(alice).post("/notifications/settings/unsubscribe-links/", follow=True)

    assert "no longer work" in response.content.decode()
    assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert ListeningPreferences.for_user(alice).email_frequency == EmailFrequency.DAILY
    assert Client().get(f"/notifications/unsubscribe/{unsubscribe_token(alice)}/").status_code == 200  # new ones work
