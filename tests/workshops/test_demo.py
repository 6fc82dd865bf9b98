"""seed_demo builds the page tree: a workshop index with "Boost your blog" (full, with a waiting
list), one with places, a past one with attendance, and the digital buddies page."""

from io import StringIO

import pytest
from django.core.management import call_command

from community.models import (
    BuddyNetworkPage,
    HomePage,
    WorkshopIndexPage,
    WorkshopPage,
    WorkshopSignup,
)

pytestmark = pytest.mark.django_db


def seed():
    call_command("seed_demo", stdout=StringIO())


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


def test_it_changes_nothing_when_run_again(demo):
    before = (WorkshopPage.objects.count(), WorkshopSignup.objects.count(), BuddyNetworkPage.objects.count())

    seed()

    assert (WorkshopPage.objects.count(), WorkshopSignup.objects.count(), BuddyNetworkPage.objects.count()) == before


def test_it_serves_every_demo_page(client, demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="tom"))

    for page in [*WorkshopPage.objects.live(), *WorkshopIndexPage.objects.live(), *BuddyNetworkPage.objects.live()]:
        assert client.get(page.url).status_code == 200, page.url
    assert "You have a place" in client.get("/workshops/boost-your-blog/").content.decode()
