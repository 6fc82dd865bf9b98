"""Search test set-up: a Whoosh index in a temporary directory per test, next to the database
backend, and a small intranet's worth of people and pages to find."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from modelsearch.backends import get_search_backend
from wagtail.rich_text import RichText

from community.models import Directorate, HomePage, Profile, StandardPage
from community.search.storage import release_searchers, wait_for_pending_writes
from tests.conftest import copy_search_index, rolled_back

WHOOSH = "community.search.backend"
DATABASE = "community.search.database"


@pytest.fixture
def index_dir(tmp_path):
    return tmp_path / "search"


@pytest.fixture
def search_settings(settings, index_dir):
    """Whoosh as the default backend (in a fresh directory) and the database backend beside it."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": WHOOSH, "PATH": str(index_dir), "LOCK_TIMEOUT": 10},
        "database": {"BACKEND": DATABASE},
    }
    yield settings
    # Nothing may still be writing to, or holding open, the directory when pytest removes it.
    wait_for_pending_writes()
    release_searchers()


@pytest.fixture
def whoosh(search_settings):
    return get_search_backend("default")


@pytest.fixture
def database(search_settings):
    return get_search_backend("database")


def update_index(backend_name=None):
    """What `manage.py update_index` does, quietly."""
    options = {"backend_name": backend_name} if backend_name else {}
    call_command("update_index", stdout=StringIO(), **options)


def add_page(title, summary="", body=(), tags=(), live=True, published=None):
    home = HomePage.objects.get()
    page = StandardPage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=summary,
        live=live,
        body=[("paragraph", RichText(f"<p>{text}</p>")) for text in body],
        first_published_at=published,
    )
    home.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
        page.save()
    return page


def add_person(username, display_name, job_title="", team="", bio="", directorate=None, active=True):
    user = get_user_model().objects.create_user(username=username, password="x", is_active=active)
    profile = Profile.objects.get(user=user)
    profile.display_name = display_name
    profile.job_title = job_title
    profile.team = team
    profile.bio = bio
    profile.directorate = directorate
    profile.save()
    return profile


def day(number):
    return timezone.make_aware(datetime.datetime(2024, 1, number, 9, 0))


@pytest.fixture(scope="module")
def _intranet_built(django_db_setup, django_db_blocker, tmp_path_factory):
    """The people and pages of ``intranet``, made and indexed once for a whole module (seeding and
    rebuilding every index took most of each search test's time): the rows inside a transaction
    rolled back after the module (``tests.conftest.rolled_back``), the Whoosh index in a directory
    each test gets a copy of. Returns the rows' keys and that directory."""
    built = tmp_path_factory.mktemp("intranet-index") / "search"
    backends = {
        "default": {"BACKEND": WHOOSH, "PATH": str(built), "AUTO_UPDATE": False},
        "database": {"BACKEND": DATABASE, "AUTO_UPDATE": False},
    }
    with django_db_blocker.unblock(), rolled_back():
        with override_settings(WAGTAILSEARCH_BACKENDS=backends):
            data = _seed_intranet()
            for config in backends.values():
                config.pop("AUTO_UPDATE")
            update_index()
            wait_for_pending_writes()
            release_searchers()
        keys = {group: {name: (type(row), row.pk) for name, row in rows.items()} for group, rows in data.items()}
        yield keys, built


@pytest.fixture
def intranet(search_settings, index_dir, _intranet_built):
    """People and pages, indexed into both backends: the module's rows (read again, so a change a
    test makes to one is not seen by the next) and a copy of the module's Whoosh index. A test in
    the same module that does not ask for ``intranet`` but runs after one that did still finds these
    rows in the database (not in its own, empty, index)."""
    keys, built = _intranet_built
    copy_search_index(built, index_dir)
    return {
        group: {name: model.objects.get(pk=pk) for name, (model, pk) in rows.items()} for group, rows in keys.items()
    }


def _seed_intranet():
    audit = Directorate.objects.create(name="Audit")
    digital = Directorate.objects.create(name="Digital")
    Directorate.objects.create(name="Finance")
    people = {
        "bob": add_person("bob", "Bob Baker", "Senior auditor", "Assurance", "Ask me about spreadsheets", audit),
        "ann": add_person("ann", "Ann Evans", "Auditor", "Assurance", "Pivot tables and macros", audit),
        "dai": add_person("dai", "Dai Jones", "Developer", "Platform", "Python and databases", digital),
        "eve": add_person("eve", "Eve Price", "Designer", "Platform", "Accessible forms", digital),
        "fay": add_person("fay", "Fay Ng", "Analyst", "", "Spreadsheets for budgets"),
        "gus": add_person("gus", "Gus Left", "Auditor", "Assurance", "Gone", audit, active=False),
    }
    pages = {
        "remote": add_page(
            "Working remotely",
            "What to do when the VPN will not connect",
            body=["Install the client then sign in with your badge"],
            tags=["vpn"],
            published=day(1),
        ),
        "contractors": add_page(
            "VPN for contractors",
            "Access for people outside the department",
            body=["Contractors need a sponsor"],
            tags=["vpn", "contractors"],
            published=day(2),
        ),
        "expenses": add_page(
            "Claiming expenses",
            "How to claim travel expenses",
            body=["Receipts must be scanned"],
            tags=["expenses"],
            published=day(3),
        ),
        "draft": add_page("Draft VPN policy", "Not yet published", live=False),
        "travel": add_page(
            "Travel booking",
            "Trains and hotels",
            body=["Use the travel portal for trains"],
            tags=["travel"],
            published=day(4),
        ),
        "printer": add_page(
            "Printer troubleshooting", "When the printer jams", body=["Check the paper tray"], published=day(5)
        ),
        "welsh": add_page(
            "Polisi iaith Gymraeg", "Dŵr a thân: canllaw", body=["Croeso i bawb"], tags=["cymraeg"], published=day(6)
        ),
    }
    return {"people": people, "pages": pages, "directorates": {"audit": audit, "digital": digital}}
