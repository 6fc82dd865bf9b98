"""The dashboard's cost does not grow with the site: the same number of queries at two sizes."""

import django_comments
import pytest
from django.contrib.sites.models import Site
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from ideas.models import Idea, StatusChange
from ideas.models import Vote as IdeaVote
from insight import metrics
from insight.models import SearchClick, SearchEvent
from qa.models import QuestionTag, SolvedFeedback
from qa.models import Vote as QAVote
from skills.models import BuddyRequest, HelpOffer, Skill

from .conftest import answer, people, question

# The page's own queries (session, user and permissions included), whatever the size of the site:
# 41 for the figures at the time of writing, a few for the request.
MAX_QUERIES = 50
MAX_CSV_QUERIES = 20


def build(django_user_model, finance, make_workshop, size):
    folks = people(django_user_model, f"p{size}-", 6, finance)
    now = timezone.now()
    workshop = make_workshop(title=f"Workshop {size}", start_at=now, end_at=now + timezone.timedelta(hours=1))
    for number in range(size):
        author, helper = folks[number % 6], folks[(number + 1) % 6]
        tag, _ = Tag.objects.get_or_create(name=f"tag{number % 7}", slug=f"tag{number % 7}")
        asked = question(author, now - timezone.timedelta(hours=number + 1), title=f"Q{size}-{number}")
        QuestionTag.objects.create(content_object=asked, tag=tag)
        answer(asked, helper, now, is_accepted=number % 2 == 0)
        QAVote.objects.create(user=helper, question=asked, value=1)
        SolvedFeedback.objects.create(user=helper, question=asked, solved=True)
        event = SearchEvent.record(helper, f"query {number % 5}", number % 3)
        SearchClick.objects.create(search=event, question=asked, good_answer=True)
        django_comments.get_model().objects.create(
            content_object=asked, site=Site.objects.get_current(), user=author, comment="Thanks"
        )
        idea = Idea.objects.create(author=author, title=f"I{size}-{number}", description="D", status="under_review")
        StatusChange.objects.create(idea=idea, previous_status="new", status="under_review", response="R")
        IdeaVote.objects.create(idea=idea, user=helper)
        Skill.objects.get_or_create(
            user=helper, tag=tag, defaults={"can_help": number % 2 == 0, "wants_to_learn": number % 2 == 1}
        )
        BuddyRequest.objects.create(requester=author, note="n")
        workshop.signups.get_or_create(user=author, defaults={"status": "confirmed", "attended": True})
    for person in folks[:3]:
        HelpOffer.objects.get_or_create(user=person)


@pytest.mark.parametrize("size", [3, 40])
def test_the_dashboard_costs_the_same_at_two_sizes(
    client_for, dita, django_user_model, finance, make_workshop, django_assert_max_num_queries, size
):
    build(django_user_model, finance, make_workshop, size)
    client = client_for(dita)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("insight:dashboard"))
    assert response.status_code == 200
    assert f'id="questions-asked">{size}<' in response.content.decode()
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(reverse("insight:dashboard"), {"directorate": "finance"})


@pytest.mark.parametrize("size", [3, 40])
def test_a_csv_costs_the_same_at_two_sizes(
    client_for, dita, django_user_model, finance, make_workshop, django_assert_max_num_queries, size
):
    build(django_user_model, finance, make_workshop, size)
    client = client_for(dita)
    client.get(reverse("insight:csv", args=["activity"]))  # the session's first request also signs in
    for key in metrics.TABLE_SOURCES:
        with django_assert_max_num_queries(MAX_CSV_QUERIES):
            assert client.get(reverse("insight:csv", args=[key])).status_code == 200
