"""Shared test set-up: fast hashing, plain static files, and the named users every test knows.

alice, bob and charlie are staff; helen is helpdesk; mo is a moderator; dita is in the digital team.

Speed (docs/testing.md): most tests run on in-memory SQLite with Wagtail's database fallback search
(tests/settings.py). Tests marked ``whoosh`` get their own Whoosh index; a session that may run tests
marked ``threads`` or ``browser`` uses a file database, because only a file is really shared between
threads. ``make test`` therefore runs three sessions: ``-m "not threads and not browser"`` on two
workers, then ``-m threads``, then ``-m browser``.
"""

import os
import re
from contextlib import contextmanager

import pytest
from _pytest.mark.expression import Expression
from django.contrib.auth.models import Group
from django.test import Client

from tests.faults import figures as fault_figures
from tests.trust import hostile_figures

FILE_DATABASE_MARKERS = ("threads", "browser")

# pytest's temporary folders (``tmp_path``) go on the machine's RAM-backed filesystem when it has one.
# Each test marked ``whoosh`` writes an index of about 140 files: a behaviour session leaves some
# 90,000, and pytest deletes the folders of older sessions when a session ends, which on this
# machine's disk took seconds of every session's wall time (docs/testing.md, "Where the time goes").
# PYTEST_DEBUG_TEMPROOT, pytest's own setting for that root, wins when it is set.
if "PYTEST_DEBUG_TEMPROOT" not in os.environ and os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = "/dev/shm"


# The fault suite's and the hostile-input suite's figures, printed at the end of every session (CI's
# log): the hooks live here, in the conftest every session loads, so they gather figures from
# pytest-xdist workers too.
def pytest_runtest_logreport(report):
    fault_figures.pytest_runtest_logreport(report)
    hostile_figures.gather(report)


def pytest_terminal_summary(terminalreporter):
    fault_figures.pytest_terminal_summary(terminalreporter)
    hostile_figures.summarise(terminalreporter)


# Parametrised tests whose cases are each a work unit of their own under ``--dist loadscope``
# (which otherwise gives a whole module to one worker), put first in the queue: they are long.
SPLIT_ACROSS_WORKERS = ("tests/trust/test_hostile_input.py::test_no_payload_runs_anywhere[",)


def pytest_xdist_make_scheduler(config, log):
    if config.getoption("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class SplitLongTests(LoadScopeScheduling):
        def _split_scope(self, nodeid):
            if nodeid.startswith(SPLIT_ACROSS_WORKERS):
                return nodeid
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node):
            if not getattr(self, "_long_first", False):
                self._long_first = True
                for scope in reversed([scope for scope in self.workqueue if scope.startswith(SPLIT_ACROSS_WORKERS)]):
                    self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    return SplitLongTests(config, log)


def _may_select(markexpr, marker):
    """Would ``-m markexpr`` select a test carrying only ``marker``?"""
    if not markexpr:
        return True
    return Expression.compile(markexpr).evaluate(lambda name, /, **kwargs: name == marker)


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise reads the headers of every static file each time a middleware chain is built,
    # which the test client does once per client: about a tenth of a second each, in most tests.
    # No test needs it (the live server of the browser tests serves /static/ itself).
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if not name.startswith("whitenoise.")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    cache = settings.CACHES["default"]
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    if cache["BACKEND"].endswith("RedisCache") and worker != "gw0":
        # Each test empties the cache (FLUSHDB): pytest-xdist workers each get their own Redis database.
        number = int(re.sub(r"\D", "", worker))
        base = re.search(r"/(\d+)$", cache["LOCATION"])
        database_number = (int(base.group(1)) if base else 0) - number
        cache["LOCATION"] = re.sub(r"(/\d+)?$", f"/{database_number % 16}", cache["LOCATION"], count=1)
    database = settings.DATABASES["default"]
    markexpr = config.getoption("markexpr")
    if "sqlite" in database["ENGINE"] and any(_may_select(markexpr, m) for m in FILE_DATABASE_MARKERS):
        # Threads see each other's writes only through a file (docs/traps.md); in-memory SQLite
        # gives each thread's connection its own empty database.
        database["TEST"] = {**database.get("TEST", {}), "NAME": str(settings.VAR_DIR / "test.sqlite3")}


PASSWORD = "correct horse battery staple"


@contextmanager
def rolled_back():
    """A transaction for a fixture wider than one test, always rolled back. It is marked as Django
    marks a test case's own transaction, so code that defers work until a commit (the search index
    writes after the save commits) does it at once, as it would after a real commit."""
    from django.db import transaction

    atomic = transaction.atomic()
    atomic._from_testcase = True
    with atomic:
        yield
        transaction.set_rollback(True)


def copy_search_index(built, path):
    """Make ``path`` a copy of the Whoosh index folder ``built`` (made once for a module), with the
    markers the backend keeps beside the folder (``<PATH>.built``), which tell a deleted folder
    apart from a first start. Whatever was at ``path`` goes."""
    import shutil
    from pathlib import Path

    from community.search.storage import release_searchers, wait_for_pending_writes

    built, path = Path(built), Path(path)
    wait_for_pending_writes()
    release_searchers()
    for source, target in (
        (built, path),
        (built.with_name(f"{built.name}.built"), path.with_name(f"{path.name}.built")),
    ):
        shutil.rmtree(target, ignore_errors=True)
        if source.exists():
            shutil.copytree(source, target)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """``seed_demo`` run once for a whole module (it takes seconds): each test's own transaction is a
    savepoint inside this one, and everything is rolled back after the module. Returns what the
    command printed."""
    from io import StringIO

    from django.core.management import call_command

    with django_db_blocker.unblock(), rolled_back():
        output = StringIO()
        call_command("seed_demo", stdout=output)
        yield output.getvalue()


@pytest.fixture(autouse=True)
def _search_backend(request):
    """Tests marked ``whoosh``, and the browser tests (which walk the real product), get their own
    empty Whoosh index (rolled-back rows must not linger as hits); the others keep the database
    fallback search of tests/settings.py, which indexes nothing and so costs nothing on save."""
    real_index = request.node.get_closest_marker("whoosh") or request.node.get_closest_marker("browser")
    if not real_index:
        yield
        return
    from community.search.storage import release_searchers, wait_for_pending_writes

    settings = request.getfixturevalue("settings")
    path = request.getfixturevalue("tmp_path") / "search"
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "community.search.backend", "PATH": str(path)}}
    yield
    wait_for_pending_writes()
    release_searchers()


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits and lockouts live in the cache; with REDIS_URL it outlives a single test.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(django_user_model, username, *groups, **extra):
    user = django_user_model.objects.create_user(
        username=username, password=PASSWORD, email=f"{username}@example.org", **extra
    )
    if groups:
        user.groups.add(*Group.objects.filter(name__in=groups))
    return user


# The named colleagues every test knows: their groups and names. The fixtures below make one per
# test; a fixture that builds a module's data once makes them with ``named_user``.
NAMED_USERS = {
    "alice": ((), {"first_name": "Alice", "last_name": "Archer"}),
    "bob": ((), {"first_name": "Bob", "last_name": "Baker"}),
    "charlie": ((), {}),
    "helen": (("Helpdesk",), {}),
    "mo": (("Moderators",), {}),
    "dita": (("Digital team",), {}),
}


def named_user(django_user_model, username):
    groups, names = NAMED_USERS[username]
    return make_user(django_user_model, username, *groups, **names)


@pytest.fixture
def alice(django_user_model):
    return named_user(django_user_model, "alice")


@pytest.fixture
def bob(django_user_model):
    return named_user(django_user_model, "bob")


@pytest.fixture
def charlie(django_user_model):
    return named_user(django_user_model, "charlie")


@pytest.fixture
def helen(django_user_model):
    return named_user(django_user_model, "helen")


@pytest.fixture
def mo(django_user_model):
    return named_user(django_user_model, "mo")


@pytest.fixture
def dita(django_user_model):
    return named_user(django_user_model, "dita")


@pytest.fixture
def alice_client(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def client_for(db):
    """A signed-in test client for any user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
