"""Shared test set-up: fast hashing, plain static files, and the named users every test knows.

alice, bob and charlie are staff; helen is helpdesk; mo is a moderator; dita is in the digital team.
"""

import pytest
from django.contrib.auth.models import Group
from django.test import Client


def pytest_configure(config):
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        # A file, not memory: threads (live server, concurrency tests) then really share it
        # (shared/TRAPS.md).
        database["TEST"] = {**database.get("TEST", {}), "NAME": str(settings.VAR_DIR / "test.sqlite3")}


PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fresh_search_index(settings, tmp_path):
    """Each test gets its own empty Whoosh index: rolled-back rows must not linger as hits."""
    from community.search.storage import release_searchers, wait_for_pending_writes

    backend = settings.WAGTAILSEARCH_BACKENDS["default"]
    if backend["BACKEND"] == "community.search.backend":
        settings.WAGTAILSEARCH_BACKENDS = {
            **settings.WAGTAILSEARCH_BACKENDS,
            "default": {**backend, "PATH": str(tmp_path / "search")},
        }
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


@pytest.fixture
def alice(django_user_model):
    return make_user(django_user_model, "alice", first_name="Alice", last_name="Archer")


@pytest.fixture
def bob(django_user_model):
    return make_user(django_user_model, "bob", first_name="Bob", last_name="Baker")


@pytest.fixture
def charlie(django_user_model):
    return make_user(django_user_model, "charlie")


@pytest.fixture
def helen(django_user_model):
    return make_user(django_user_model, "helen", "Helpdesk")


@pytest.fixture
def mo(django_user_model):
    return make_user(django_user_model, "mo", "Moderators")


@pytest.fixture
def dita(django_user_model):
    return make_user(django_user_model, "dita", "Digital team")


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
