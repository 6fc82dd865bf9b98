"""Listening test helpers: email preferences set the way a person would."""

from community.models import EmailFrequency, ListeningPreferences


def wants_email(user, frequency=EmailFrequency.IMMEDIATELY, auto_follow=True):
    preferences = ListeningPreferences.for_user(user)
    preferences.email_frequency = frequency
    preferences.auto_follow = auto_follow
    preferences.save()
    return preferences
