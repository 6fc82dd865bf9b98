"""Ideas test helpers: ideas and campaigns made through the same model methods the site uses."""

import datetime

import pytest
from django.utils import timezone

from ideas.models import Campaign, Idea


def submit(user, title="Book meeting rooms from the calendar", description="It would save *a lot* of emails.",
           tags=("meetings",), campaign=None):  # fmt: skip
    return Idea.submit(user, title, description, list(tags), campaign)


def open_campaign(by, title="What should we change after the Autumn Statement?", days=14):
    now = timezone.now()
    return Campaign.start(by, title, "Tell us what would help.", now - datetime.timedelta(hours=1),
                          now + datetime.timedelta(days=days))  # fmt: skip


@pytest.fixture
def idea(alice):
    return submit(alice)
