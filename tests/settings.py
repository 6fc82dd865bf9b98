"""Settings for the test suite: Confer's own, plus modelsearch's test app.

modelsearch ships its backend test suite with the models it searches (books, authors, novels...)
in ``modelsearch.test.testapp``; tests/search/test_modelsearch_backend_tests.py runs that suite
against the Whoosh backend. The app is installed here rather than in a pytest hook because
pytest-django sets Django up before any conftest runs. ``manage.py`` (and so ``check`` and
``makemigrations --check``) still uses intranet.settings alone.
"""

from intranet.settings import *  # noqa: F403
from intranet.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "modelsearch.test.testapp"]

# The test app's tables are made straight from its models: its migrations depend on the bare
# "modelsearch" app (Wagtail installs it as wagtail.search instead) and enable PostgreSQL
# extensions the Whoosh backend has no use for.
MIGRATION_MODULES = {"searchtests": None}

# Wagtail's database fallback search (substring matching, nothing indexed on save): tests that
# need the real Whoosh index are marked ``whoosh`` and get their own (tests/conftest.py).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "modelsearch.backends.database.fallback"}}

# Semantic search with the real model is tested where a test asks for it (tests/community/
# test_semantic_search.py); elsewhere it is off, so results depend on words alone and no test
# loads the model by accident.
CONFER_SEMANTIC_SEARCH = {"ENABLED": False}

# The migrated schema is built once and copied into each test database (tests/databases/).
_TEMPLATED = {
    "django.db.backends.sqlite3": "tests.databases.sqlite",
    "django.db.backends.postgresql": "tests.databases.postgresql",
}
_database = DATABASES["default"]  # noqa: F405
if _database["ENGINE"] == "django.db.backends.sqlite3":
    # Said outright: pytest-django recognises in-memory SQLite by its engine name, and would
    # otherwise give each xdist worker a file named after the production database.
    _database["TEST"] = {**_database.get("TEST", {}), "NAME": ":memory:"}
_database["ENGINE"] = _TEMPLATED.get(_database["ENGINE"], _database["ENGINE"])
