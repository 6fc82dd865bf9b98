"""Watch matches flow into notifications and digests: one notification per item per person,
however many of their watches (or their team's) heard it, and a digest lists each match once."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.utils import timezone

from community.listening.emails import send_digests
from community.listeningpost.fetching import fetch_source
from community.listeningpost.models import Watch, WatchMatch
from community.models import EmailFrequency, Notification
from tests.listening.conftest import wants_email

from .conftest import XML, make_source, rss

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("local_feeds_allowed")]

FEED = rss(
    {"title": "Autumn Statement: transport budgets flat", "guid": "1", "description": "Councils react."},
    {"title": "Autumn Statement live: small firms", "guid": "2", "description": "Budget for rates relief."},
    {"title": "Football results", "guid": "3", "description": "Nothing about money."},
)


@pytest.fixture
def policy_team(alice, bob):
    team = Group.objects.create(name="Transport policy")
    bob.groups.add(team)
    for person in (alice, bob):
        wants_email(person, EmailFrequency.DAILY)
    Watch.objects.create(owner=alice, name="Statement", expression='"autumn statement"', shared_with_group=team)
    Watch.objects.create(owner=alice, name="Budgets", expression="budget*")
    Watch.objects.create(owner=bob, name="Mine", expression="autumn AND statement")
    return team


def test_each_person_hears_of_each_matching_item_once(server, alice, bob, policy_team):
    server.routes["/feed"] = (200, XML, FEED)

    fetch_source(make_source(server.url("/feed")))

    assert WatchMatch.objects.count() == 6  # each of the three watches heard both Autumn Statement items
    for person in (alice, bob):
        titles = sorted(Notification.objects.filter(recipient=person).values_list("title", flat=True))
        assert titles == ["Autumn Statement live: small firms", "Autumn Statement: transport budgets flat"]


def test_the_digest_lists_each_match_exactly_once(server, alice, bob, policy_team):
    server.routes["/feed"] = (200, XML, FEED)
    source = make_source(server.url("/feed"))
    fetch_source(source)
    fetch_source(source)  # again: nothing new, nobody told twice

    send_digests(now=timezone.now() + datetime.timedelta(minutes=1))

    [digest] = [message for message in mail.outbox if message.to == [alice.email]]
    assert digest.subject == "Your daily Confer digest: 2 updates"
    assert "HEARD BY YOUR WATCHES ON THE LISTENING POST" in digest.body
    assert digest.body.count("Autumn Statement: transport budgets flat") == 1
    assert digest.body.count("Autumn Statement live: small firms") == 1
    assert "Football" not in digest.body


def test_someone_who_wants_email_straight_away_gets_one_per_item_saying_which_watch_heard_it(
    server, alice, django_capture_on_commit_callbacks
):
    wants_email(alice, EmailFrequency.IMMEDIATELY)
    Watch.objects.create(owner=alice, name="Statement", expression='"autumn statement"')
    Watch.objects.create(owner=alice, name="Budgets", expression="budget*")
    server.routes["/feed"] = (200, XML, FEED)

    with django_capture_on_commit_callbacks(execute=True):
        fetch_source(make_source(server.url("/feed"), name="Council news"))

    bodies = sorted(message.body for message in mail.outbox)
    assert len(bodies) == 2
    assert "Your watches “Budgets”, “Statement” heard Autumn Statement: transport budgets flat on Council news" in (
        " ".join(bodies[1].split())
    )


def test_nobody_is_told_the_name_of_someone_elses_private_watch(server, alice, bob, policy_team):
    server.routes["/feed"] = (200, XML, FEED)

    fetch_source(make_source(server.url("/feed")))

    for notification in Notification.objects.filter(recipient=bob):
        assert notification.data["watches"] == ["Mine", "Statement"]  # his own, and his team's; not "Budgets"
    for notification in Notification.objects.filter(recipient=alice):
        assert notification.data["watches"] == ["Budgets", "Statement"]


def test_followers_of_the_tag_a_watch_is_shared_with_hear_of_its_matches(server, alice, charlie):
    from taggit.models import Tag

    from community.listening.follows import follow

    tag = Tag.objects.create(name="transport", slug="transport")
    follow(charlie, tag)
    Watch.objects.create(owner=alice, name="Statement", expression='"autumn statement"', shared_with_tag=tag)
    server.routes["/feed"] = (200, XML, FEED)

    fetch_source(make_source(server.url("/feed")))

    assert Notification.objects.filter(recipient=charlie, event_type="listening.match").count() == 2
