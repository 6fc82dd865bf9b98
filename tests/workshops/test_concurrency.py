"""Sign-ups arriving at the same moment never overbook a workshop (docs/traps.md).

Runs on whichever database the suite uses: SQLite (a file, immediate transactions) or PostgreSQL
with DATABASE_URL. Each thread has its own connection, as each request would.
"""

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from community.models import HomePage, WorkshopIndexPage, WorkshopPage, WorkshopSignup
from tests.concurrency import run_together
from tests.conftest import make_user

from .conftest import days

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.threads]

THREADS = 16


def home_page():
    """The home page; rebuilt when an earlier transactional test has flushed the migrated tree."""
    home = HomePage.objects.first()
    if home is not None:
        return home
    locale, _ = Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = HomePage(title="Welcome to Confer", slug="home", locale=locale)
    root.add_child(instance=home)
    Site.objects.update_or_create(is_default_site=True, defaults={"hostname": "localhost", "root_page": home})
    return home


@pytest.fixture
def make_workshop(django_user_model):
    def make(capacity):
        index = WorkshopIndexPage(title="Workshops", slug="workshops")
        home_page().add_child(instance=index)
        workshop = WorkshopPage(
            title="Boost your blog",
            summary="Write posts colleagues want to read.",
            start_at=days(7, 10),
            end_at=days(7, 12),
            place="Room 4.12",
            capacity=capacity,
            host=make_user(django_user_model, "hana"),
        )
        index.add_child(instance=workshop)
        return workshop

    return make


@pytest.fixture
def people(django_user_model):
    return [make_user(django_user_model, f"person{n}") for n in range(THREADS)]


def sign_up_job(workshop, user):
    return lambda: WorkshopPage.objects.get(pk=workshop.pk).sign_up(user)


def statuses(workshop):
    return list(WorkshopSignup.objects.filter(workshop=workshop).values_list("status", flat=True))


def test_it_never_gives_more_places_than_there_are_when_everyone_signs_up_at_once(make_workshop, people):
    workshop = make_workshop(capacity=5)

    outcomes = run_together([sign_up_job(workshop, user) for user in people])

    assert outcomes == [None] * THREADS
    assert statuses(workshop).count("confirmed") == 5
    assert statuses(workshop).count("waitlisted") == THREADS - 5
    positions = [
        signup.waitlist_position() for signup in WorkshopSignup.objects.waitlisted().filter(workshop=workshop)
    ]
    assert sorted(positions) == list(range(1, THREADS - 5 + 1))


def test_it_gives_the_last_place_to_exactly_one_person(make_workshop, people, django_user_model):
    workshop = make_workshop(capacity=3)
    for number in range(2):
        workshop.sign_up(make_user(django_user_model, f"early{number}"))

    outcomes = run_together([sign_up_job(workshop, user) for user in people])

    assert outcomes == [None] * THREADS
    winners = WorkshopSignup.objects.confirmed().filter(workshop=workshop, user__in=people)
    assert winners.count() == 1
    assert statuses(workshop).count("confirmed") == 3


def test_it_keeps_one_sign_up_when_one_person_clicks_many_times_at_once(make_workshop, people):
    workshop = make_workshop(capacity=5)
    person = people[0]

    outcomes = run_together([sign_up_job(workshop, person) for _ in range(THREADS)])

    assert WorkshopSignup.objects.filter(workshop=workshop, user=person).count() == 1
    assert outcomes.count(None) == 1
    assert all(isinstance(outcome, ValidationError) for outcome in outcomes if outcome is not None)


def test_it_stays_exact_when_people_cancel_while_others_sign_up(make_workshop, people, django_user_model):
    workshop = make_workshop(capacity=4)
    holders = [make_user(django_user_model, f"holder{n}") for n in range(4)]
    places = [workshop.sign_up(user) for user in holders]
    newcomers = people[:12]

    jobs = [lambda signup=signup, user=user: signup.cancel(user) for signup, user in zip(places, holders, strict=True)]
    jobs += [sign_up_job(workshop, user) for user in newcomers]
    outcomes = run_together(jobs)

    assert outcomes == [None] * len(jobs)
    assert statuses(workshop).count("confirmed") == 4
    assert statuses(workshop).count("waitlisted") == len(newcomers) - 4
    assert statuses(workshop).count("cancelled") == 4


def test_it_sends_each_reminder_once_when_several_runs_overlap(people):
    from django.core import mail

    from community.workshops.announcements import send_reminders

    index = WorkshopIndexPage(title="Workshops", slug="workshops")
    home_page().add_child(instance=index)
    workshop = WorkshopPage(
        title="Boost your blog",
        summary="Write posts colleagues want to read.",
        start_at=days(1, 10),
        end_at=days(1, 12),
        place="Room 4.12",
        capacity=10,
        host=people[-1],
    )
    index.add_child(instance=workshop)
    for user in people[:10]:
        workshop.sign_up(user)

    outcomes = run_together([send_reminders for _ in range(8)])

    assert outcomes == [None] * 8
    assert sorted(email.to[0] for email in mail.outbox) == sorted(user.email for user in people[:10])
