"""Listening test helpers: signed-in clients, and email preferences set the way a person would."""

import pytest
from django.test import Client

from community.models import EmailFrequency, ListeningPreferences


@pytest.fixture
def client_for(db):
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


def wants_email(user, frequency=EmailFrequency.IMMEDIATELY, auto_follow=True):
    preferences = ListeningPreferences.for_user(user)
    preferences.email_frequency = frequency
    preferences.auto_follow = auto_follow
    preferences.save()
    return preferences
