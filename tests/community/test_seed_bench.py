"""manage.py seed_bench makes every kind of row the benchmark reads, in proportion, with the counters
and flags the site keeps on rows worked out (as if everything had been done through the site)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count, Q, Sum

from community.models import Follow, Notification, Profile
from ideas.models import Idea
from qa.models import Answer, Question, Vote
from skills.models import Skill

pytestmark = pytest.mark.django_db


def test_it_seeds_a_small_organisation_in_proportion(client):
    call_command("seed_bench", "--scale", "0.005", "--no-index", verbosity=0)

    people = get_user_model().objects.filter(username__startswith="bench")
    assert people.count() == 100
    assert Profile.objects.filter(user__in=people).count() == 100
    assert Question.objects.count() == 500
    assert 1_000 <= Answer.objects.count() <= 1_600
    assert Vote.objects.count() > 3_000
    assert Idea.objects.count() == 100
    assert Skill.objects.exists() and Follow.objects.exists() and Notification.objects.exists()

    # The counters the lists read agree with the rows they count.
    question = Question.objects.annotate(n=Count("answers", filter=Q(answers__is_hidden=False))).filter(n__gt=0)[0]
    assert question.answer_count == question.n
    assert question.score == (Vote.objects.filter(question=question).aggregate(s=Sum("value"))["s"] or 0)
    assert Question.objects.filter(has_accepted_answer=True).count() == (
        Question.objects.filter(answers__is_accepted=True).distinct().count()
    )
    idea = Idea.objects.filter(vote_count__gt=0)[0]
    assert idea.vote_count == idea.votes.count()

    # And a seeded person can sign in (with the bench password) and read the lists.
    response = client.post("/accounts/login/", {"username": "bench0", "password": "confer-bench"})
    assert response.status_code == 302
    assert client.get("/qa/").status_code == 200
    assert client.get("/ideas/").status_code == 200


def test_it_refuses_a_scale_out_of_range():
    with pytest.raises(Exception, match="--scale"):
        call_command("seed_bench", "--scale", "0", "--no-index", verbosity=0)
