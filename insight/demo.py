"""Demo search history, so the insight dashboard has something to show after ``make run``: two
months of searches by the demo people, some opening the demo questions. Idempotent: nothing is added
once any search is recorded."""

import datetime
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from qa.models import Question

from .models import SearchClick, SearchEvent, normalise_query

# (query, results, the question title words a click opens, or "" for none)
SEARCHES = [
    ("vpn error 809", 3, "VPN"),
    ("vpn not connecting", 3, "VPN"),
    ("printer floor 3", 0, ""),
    ("expenses form", 2, "expenses"),
    ("reset password", 2, "password"),
    ("parental leave policy", 0, ""),
    ("book a meeting room", 0, ""),
    ("excel pivot table", 2, "Excel"),
    ("teams recording", 1, "Teams"),
]


def seed(command):
    if SearchEvent.objects.exists():
        return
    people = list(get_user_model().objects.filter(is_active=True, is_superuser=False).order_by("pk"))
    if not people:
        return
    chooser = random.Random(15)  # the same demo every time
    now = timezone.now()
    questions = list(Question.objects.public().values_list("pk", "title"))
    for day in range(60):
        for _ in range(chooser.randint(1, 6)):
            query, results, opens = chooser.choice(SEARCHES)
            event = SearchEvent.objects.create(
                user=chooser.choice(people),
                query=normalise_query(query),
                results=results,
                created_at=now - datetime.timedelta(days=day, minutes=chooser.randint(0, 600)),
            )
            target = next((pk for pk, title in questions if opens and opens.lower() in title.lower()), None)
            if target and chooser.random() < 0.7:
                SearchClick.record(event, Question.objects.get(pk=target))
    command.stdout.write(f"Insight: {SearchEvent.objects.count()} demo searches recorded.")
