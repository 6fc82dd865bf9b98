"""``seed_demo``: the demo content ``make run`` loads, checked part by part on one seeded database.

The demo takes seconds to seed; every test here reads the one seeded for this module
(tests/conftest.py's ``demo``), and seeding it again is checked once for every part together.
Tests that need a database without the demo, or that watch the seeding itself, live beside their
part (tests/community/test_seed_demo_if_empty.py, tests/skills/test_demo.py)."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from taggit.models import Tag

from community.demo import DEMO_PASSWORD
from community.listeningpost.models import (
    ItemShare,
    ListeningExercise,
    ListeningItem,
    ListeningSource,
    Watch,
    WatchMatch,
)
from community.models import (
    BuddyNetworkPage,
    Community,
    Directorate,
    HomePage,
    Membership,
    Pin,
    Profile,
    StandardPage,
    WorkshopIndexPage,
    WorkshopPage,
    WorkshopSignup,
)
from ideas.models import Campaign, Idea, IdeaBenefit, IdeaMerge, StatusChange
from ideas.models import Vote as IdeaVote
from qa.models import Answer, Flag, Question, Revision, SolvedFeedback
from qa.models import Vote as QuestionVote
from skills.models import BuddyProposal, BuddyRequest, HelpOffer, QuestionRoute, Skill

pytestmark = pytest.mark.django_db

# Everything the demo makes, part by part: seeding again must add none of it.
SEEDED = {
    "people": (get_user_model(), Profile, Directorate, StandardPage, Tag),
    "questions": (Question, Answer, QuestionVote, SolvedFeedback, Revision, Flag),
    "ideas": (Idea, IdeaVote, Campaign, IdeaMerge, IdeaBenefit, StatusChange),
    "skills": (HelpOffer, Skill, BuddyRequest, BuddyProposal, QuestionRoute),
    "workshops": (WorkshopPage, WorkshopSignup, BuddyNetworkPage),
    "communities": (Community, Membership, Pin),
    "listening post": (ListeningSource, ListeningItem, Watch, WatchMatch, ListeningExercise, ItemShare),
}


def counts():
    return {part: [model.objects.count() for model in models] for part, models in SEEDED.items()}


def test_seeding_again_changes_nothing(demo):
    first = counts()

    call_command("seed_demo", stdout=StringIO())

    assert counts() == first


# --- people --------------------------------------------------------------------------------------


def test_it_loads_people_in_every_role_and_prints_their_logins(demo):
    output = demo
    users = get_user_model().objects
    for group in ("Helpdesk", "Moderators", "Digital team"):
        assert users.filter(groups__name=group).exists(), group
    assert users.get(username="tom").check_password(DEMO_PASSWORD)
    assert Directorate.objects.count() >= 5
    assert f"password for all: {DEMO_PASSWORD}" in output
    assert "hannah" in output and "helpdesk" in output


def test_it_tags_pages_from_the_shared_vocabulary(demo):
    assert set(Tag.objects.values_list("name", flat=True)) >= {"vpn", "rss", "twitter", "listening"}
    assert StandardPage.objects.live().filter(tags__name="vpn").exists()


# --- questions and answers -----------------------------------------------------------------------


def test_it_loads_questions_in_every_state(demo):
    assert Question.objects.filter(title__startswith="VPN will not connect").exists()
    assert Question.objects.filter(tags__name="excel").exists()
    assert Question.objects.unanswered().exists()
    assert Question.objects.with_accepted_answer().exists()
    assert Question.objects.with_verified_answer().exists()
    assert Question.objects.filter(status="duplicate").exists()
    assert Question.objects.filter(status="closed").exists()
    assert Answer.objects.due_for_review().exists()
    assert Question.objects.needs_helpdesk().exists()
    assert SolvedFeedback.objects.calls_avoided() > 0
    # Scores on the rows match the votes cast.
    for question in Question.objects.all():
        assert question.score == sum(question.votes.values_list("value", flat=True))


# --- ideas ---------------------------------------------------------------------------------------


def test_it_loads_ideas_in_every_state(demo):
    statuses = set(Idea.objects.values_list("status", flat=True))
    assert {"new", "under_review", "planned", "in_progress", "implemented", "declined", "duplicate"} <= statuses
    assert Campaign.objects.open().exists()
    assert Idea.objects.filter(campaign__isnull=False).exists()
    assert IdeaMerge.objects.active().exists()
    assert Idea.objects.benefit_totals()["with_benefit"] >= 2
    # Votes are spread over time, and the counts on the rows match the votes cast.
    ages = IdeaVote.objects.values_list("created_at", flat=True)
    assert (max(ages) - min(ages)).days > 30
    for idea in Idea.objects.all():
        assert idea.vote_count == idea.votes.count()
    # Trending and top disagree: an old idea has had a fresh burst.
    assert Idea.objects.listed().trending().first() != Idea.objects.listed().top().first()


# --- workshops and the page tree -----------------------------------------------------------------


def test_it_builds_the_workshop_and_buddy_pages_under_the_home_page(demo):
    home = HomePage.objects.get()
    index = WorkshopIndexPage.objects.live().child_of(home).get()
    assert index.url == "/workshops/"
    assert BuddyNetworkPage.objects.live().child_of(home).get().title == "Digital buddies"
    assert set(WorkshopPage.objects.live().child_of(index).values_list("title", flat=True)) >= {
        "Boost your blog",
        "Twitter for beginners",
    }


def test_it_fills_boost_your_blog_and_starts_a_waiting_list(demo):
    workshop = WorkshopPage.objects.get(title="Boost your blog")
    assert not workshop.has_started()
    assert workshop.signups.confirmed().count() == workshop.capacity
    waiting = list(workshop.signups.waitlisted().order_by("queued_at").values_list("user__username", flat=True))
    assert waiting == ["carl", "hannah"]
    assert workshop.host.username == "sam"


def test_it_records_attendance_at_a_past_workshop(demo):
    workshop = WorkshopPage.objects.get(title="Twitter for beginners")
    assert workshop.is_over()
    attended = dict(workshop.signups.values_list("user__username", "attended"))
    assert attended == {"tom": True, "owen": True, "priya": True, "grace": False, "dev": False}


def test_it_serves_every_demo_page(client, demo):
    client.force_login(get_user_model().objects.get(username="tom"))
    for page in [*WorkshopPage.objects.live(), *WorkshopIndexPage.objects.live(), *BuddyNetworkPage.objects.live()]:
        assert client.get(page.url).status_code == 200, page.url
    assert "You have a place" in client.get("/workshops/boost-your-blog/").content.decode()


# --- communities ---------------------------------------------------------------------------------


def test_it_loads_both_communities_with_managers_members_posts_and_a_pin(demo, client_for):
    buddies = Community.objects.get(name="Digital buddy network")
    alumni = Community.objects.get(name="Boost your blog alumni")

    assert buddies.kind == "open" and alumni.kind == "request"
    assert buddies.is_manager(buddies.memberships.get(user__username="liz").user)
    assert alumni.memberships.filter(role="member").count() >= 3
    assert Idea.objects.filter(community=buddies).exists()
    assert Question.objects.filter(community=alumni).exists()
    assert Pin.objects.filter(community=alumni).exists()
    page = client_for(alumni.memberships.get(user__username="marie").user).get(alumni.get_absolute_url())
    assert "Pinned by the managers" in page.content.decode()
    assert "How do I book a place on the Boost your blog workshop?" in page.content.decode()


# --- the listening post --------------------------------------------------------------------------


def test_the_demo_listens_to_shipped_feeds_and_holds_a_past_exercise(demo):
    assert ListeningSource.objects.count() == 3
    assert not ListeningSource.objects.filter(active=True).exists()  # never fetched from outside
    assert ListeningItem.objects.count() == 7
    pixel = ListeningItem.objects.get(title__startswith="Autumn Statement: what it means")
    assert "tracker" not in pixel.summary_html and "<img" not in pixel.summary_html
    assert "<script" not in ListeningItem.objects.get(title__startswith="Live reaction").summary_html
    assert WatchMatch.objects.filter(watch__name="Autumn Statement").count() == 4
    exercise = ListeningExercise.objects.get(title="Autumn Statement day")
    assert exercise.shares.count() == 3 and exercise.ends_at < exercise.created_at
