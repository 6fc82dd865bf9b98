"""Insight test helpers: rows made directly with the times a test needs, so every figure has a
known answer (the model methods stamp "now", which a dataset spread over months cannot use)."""

import datetime
import zoneinfo

import pytest
from django.contrib.auth.models import Group

from community.profiles.models import Directorate, Profile
from qa.models import Answer, Question

LONDON = zoneinfo.ZoneInfo("Europe/London")


def at(year, month, day, hour=12, minute=0) -> datetime.datetime:
    """A Europe/London wall-clock time, as the aware datetime stored."""
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


def question(author, created_at, title="How do I reset my password?", answer_count=0):
    return Question.objects.create(
        author=author, title=title, body="Body", created_at=created_at, answer_count=answer_count
    )


def answer(question, author, created_at, **extra):
    made = Answer.objects.create(question=question, author=author, body="Answer", created_at=created_at, **extra)
    Question.objects.filter(pk=question.pk).update(answer_count=question.answers.filter(is_hidden=False).count())
    return made


def people(django_user_model, prefix, count, directorate=None):
    made = []
    for number in range(count):
        user = django_user_model.objects.create_user(username=f"{prefix}{number}", password="x")
        Profile.objects.update_or_create(
            user=user, defaults={"display_name": f"{prefix} {number}", "directorate": directorate}
        )
        made.append(user)
    return made


@pytest.fixture
def finance(db):
    return Directorate.objects.create(name="Finance")


@pytest.fixture
def insight_user(django_user_model):
    user = django_user_model.objects.create_user(username="ivy", password="x")
    user.groups.add(Group.objects.get(name="Digital team"))
    return user


def dashboard(client, **params):
    from django.urls import reverse

    return client.get(reverse("insight:dashboard"), params)


# Workshops are pages: made the way the workshop tests make them.
from tests.workshops.conftest import _published_index, hana, index, make_workshop  # noqa: E402, F401
