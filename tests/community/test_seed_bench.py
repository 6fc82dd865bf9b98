"""manage.py seed_bench makes every kind of row the benchmark reads, in proportion, with the counters
and flags the site keeps on rows worked out (as if everything had been done through the site)."""

import io

import django_comments
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.db.models import Count, Q, Sum

from community.models import Follow, Notification, Profile, TagUsage, WorkshopPage, WorkshopSignup
from ideas.models import Idea
from qa.models import Answer, Question, Vote
from skills.models import Skill, TopicScore

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

    # Workshops (5 at this scale), past and coming, with sign-ups; attendance only on past places.
    workshops = WorkshopPage.objects.live()
    assert workshops.count() == 5
    signups = WorkshopSignup.objects.filter(workshop__in=workshops)
    assert signups.count() >= 5 * 8 * 0.3
    assert not signups.filter(attended__isnull=False).exclude(status="confirmed").exists()
    assert all(w.signups.confirmed().count() <= w.capacity for w in workshops)

    # Idea comments (300), threaded as the site threads them, counted on their ideas.
    comments = django_comments.get_model().objects.filter(content_type__model="idea")
    assert comments.count() == 300
    assert comments.filter(level=0).exclude(thread_id=models.F("pk")).count() == 0
    assert comments.filter(level=1).exists()
    assert comments.filter(level=1, parent_id=models.F("pk")).count() == 0
    discussed = Idea.objects.order_by("-comment_count")[0]
    assert discussed.comment_count == comments.filter(object_pk=str(discussed.pk)).count() > 1

    # The tag index counts what the tags carry.
    vpn = TagUsage.objects.get(name="vpn")
    assert vpn.questions == Question.objects.filter(tags__name="vpn").count() > 0
    assert vpn.ideas == Idea.objects.filter(tags__name="vpn").count()
    assert vpn.total == vpn.questions + vpn.ideas

    # Who can help is worked out for the declared topics.
    assert TopicScore.objects.exists()

    # And a seeded person can sign in (with the bench password) and read the lists.
    response = client.post("/accounts/login/", {"username": "bench0", "password": "confer-bench"})
    assert response.status_code == 302
    assert client.get("/qa/").status_code == 200
    assert client.get("/ideas/").status_code == 200
    assert client.get(discussed.get_absolute_url()).status_code == 200
    assert client.get(workshops.first().url).status_code == 200


def test_it_refuses_a_scale_out_of_range():
    with pytest.raises(Exception, match="--scale"):
        call_command("seed_bench", "--scale", "0", "--no-index", verbosity=0)


@pytest.mark.parametrize("embed", [False, True])
def test_it_embeds_for_semantic_search_only_when_asked(monkeypatch, embed):
    # Embedding runs the model on every item: at scale 1, some six hours on a small machine.
    from community.sitesearch import encoder, semantic

    embedded = []
    monkeypatch.setattr(encoder, "get_encoder", lambda: object())
    monkeypatch.setattr(semantic, "embed_all", lambda stdout=None: embedded.append(True))
    out = io.StringIO()
    call_command("seed_bench", "--scale", "0.001", *(["--embed"] if embed else []), stdout=out)

    assert embedded == ([True] if embed else [])
    assert "Search index rebuilt" in out.getvalue()
    assert ("no embeddings for semantic search" in out.getvalue()) is not embed
