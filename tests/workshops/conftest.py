"""Workshop test helpers: a workshop index under the home page, and workshops published the way the
digital team publishes them (a revision, then publish), so Wagtail's page_published runs."""

import datetime

import pytest
from django.utils import timezone

from community.models import HomePage, WorkshopIndexPage, WorkshopPage
from tests.conftest import make_user, rolled_back


def days(number: float, hour: int = 10) -> datetime.datetime:
    """A moment ``number`` days from now, at ``hour`` o'clock local time."""
    day = timezone.localdate() + datetime.timedelta(days=number)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture(scope="module")
def _published_index(django_db_setup, django_db_blocker):
    """The workshop index, published once for a module (publishing a page costs tens of
    milliseconds) inside a transaction rolled back after it, as ``demo`` is: each test's own
    transaction is a savepoint within it, so what a test does to the index goes with the test."""
    with django_db_blocker.unblock(), rolled_back():
        home = HomePage.objects.get()
        page = WorkshopIndexPage(title="Workshops", slug="workshops")
        home.add_child(instance=page)
        page.save_revision().publish()
        yield page.pk


@pytest.fixture
def index(_published_index, db):
    """The workshop index under the home page, read afresh for each test."""
    return WorkshopIndexPage.objects.get(pk=_published_index)


@pytest.fixture
def no_index(db):
    """No workshop index at all: a module's shared one (``index``) taken away for this test only."""
    WorkshopIndexPage.objects.all().delete()


@pytest.fixture
def hana(django_user_model):
    """Hosts workshops; not in the digital team."""
    return make_user(django_user_model, "hana", first_name="Hana", last_name="Host")


@pytest.fixture
def make_workshop(index, hana):
    def make(title="Boost your blog", *, tags=("blogging",), publisher=None, **fields):
        values = {
            "host": hana,
            "summary": "Write posts colleagues want to read.",
            "start_at": days(7, 10),
            "end_at": days(7, 12),
            "place": "Room 4.12",
            "online_link": "https://meet.example.org/boost",
            "capacity": 20,
            **fields,
        }
        workshop = WorkshopPage(title=title, **values)
        index.add_child(instance=workshop)
        if tags:
            workshop.tags.add(*tags)
        workshop.save_revision(user=publisher).publish(user=publisher)
        workshop.refresh_from_db()
        return workshop

    return make


@pytest.fixture
def workshop(make_workshop):
    """Two places, hosted by hana."""
    return make_workshop(capacity=2)


def republish(workshop, publisher=None, **changes):
    """Edit a live workshop as an editor would: a new revision with the changes, published."""
    page = WorkshopPage.objects.get(pk=workshop.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision(user=publisher).publish(user=publisher)
    return WorkshopPage.objects.get(pk=workshop.pk)
