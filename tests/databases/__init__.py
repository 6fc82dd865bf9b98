"""Test databases with the migrated schema built once and copied.

Creating a test database runs every migration (Django's, Wagtail's, ours: several hundred), about
15 seconds on this machine for SQLite and more for PostgreSQL, and the suite creates one per
pytest-xdist worker in each of its sessions. The two backends here (``tests.databases.sqlite`` and
``tests.databases.postgresql``, chosen in tests/settings.py) keep the migrated database, named
after a fingerprint of everything that shapes it, and copy it into each new test database: SQLite
with its backup API from a file in ``var/``, PostgreSQL with ``CREATE DATABASE … TEMPLATE``. A
change to any migration, to an installed package's migrations or to the settings gives a new
fingerprint, so a stale schema is never used. Deleting ``var/test-schema-*`` (or the
``confer_schema_*`` databases) is always safe: the next run builds them again.
"""

import fcntl
import hashlib
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings


def fingerprint() -> str:
    """A digest of everything the migrated schema depends on: Django's version, the installed
    apps, the settings files, the settings the data migrations read (the site's address and name,
    which come from the environment) and every migration file (or, for an app without migrations,
    its models file)."""
    digest = hashlib.sha256(django.get_version().encode())
    digest.update(repr(settings.INSTALLED_APPS).encode())
    digest.update(repr((settings.SITE_URL, settings.SITE_ID, settings.WAGTAIL_SITE_NAME)).encode())
    for module in ("intranet.settings", "tests.settings"):
        digest.update(Path(import_module(module).__file__).read_bytes())
    for app in apps.get_app_configs():
        directory = Path(app.path) / "migrations"
        files = sorted(directory.glob("*.py")) if directory.is_dir() else []
        if not files and app.models_module is not None:
            files = [Path(app.models_module.__file__)]
        for path in files:
            digest.update(str(path.relative_to(app.path)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def one_at_a_time(name: str):
    """One process at a time: two xdist workers start together; one builds, the other copies."""
    path = Path(settings.VAR_DIR) / f"{name}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
