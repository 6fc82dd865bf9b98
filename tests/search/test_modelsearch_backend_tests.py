"""modelsearch's own backend test suite, run against the Whoosh backend.

``BackendTests`` is what every modelsearch backend passes (the database backends run it as it is);
``ElasticsearchCommonSearchBackendTests`` adds the tests for backends that keep an index of their
own, as Whoosh does: partial words, accents, hyphens, numbers, more than a hundred results, a
schema-only rebuild, lookups an index cannot do. Both search modelsearch's test models
(``modelsearch.test.testapp``, installed by tests/settings.py). The few tests that assume
Elasticsearch are adapted below, each with the reason; docs/search.md lists them.
"""

import datetime
import shutil
import sys
import tempfile
from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
import wagtail.search.models
from django.core.management import call_command, get_commands
from django.core.management.color import no_style
from django.db import connection
from django.test import TestCase, override_settings

# The upstream test modules import the concrete ``IndexEntry`` from ``modelsearch.models``, which
# can only be imported when the bare "modelsearch" app is installed. Wagtail installs modelsearch
# as its own app, wagtail.search, whose models module defines the same model.
sys.modules.setdefault("modelsearch.models", wagtail.search.models)

from modelsearch.backends import get_search_backend  # noqa: E402
from modelsearch.test.testapp import models  # noqa: E402
from modelsearch.tests.elasticsearch_common_tests import ElasticsearchCommonSearchBackendTests  # noqa: E402
from modelsearch.tests.test_backends import BackendTests  # noqa: E402

WHOOSH = "community.search.backend"


def whoosh_in(directory):
    """WAGTAILSEARCH_BACKENDS with the Whoosh backend alone (otherwise as configured in
    production), keeping its index in ``directory``."""
    return {"default": {"BACKEND": WHOOSH, "PATH": str(directory)}}


# What the upstream tests look for. modelsearch's releases leave out the fixture ("search") those
# tests load, so the rows are made here; some tests name primary keys, so they are given.
AUTHORS = [
    # (pk, name, date of birth)
    (1, "George R.R. Martin", datetime.date(1948, 9, 20)),
    (2, "J. R. R. Tolkien", datetime.date(1892, 1, 3)),
    (4, "Isaac Asimov", datetime.date(1920, 1, 2)),
    (5, "David Ascher", None),
    (6, "Mark Lutz", None),
    (7, "Daniel Roy Greenfeld", None),
    (8, "Audrey Roy Greenfeld", None),
    (9, "Douglas Crockford", None),
    (10, "David Flanagan", None),
    (11, "Steve Klabnik", None),
    (12, "Carol Nichols", None),
    (13, "Jim Blandy", None),
    (14, "Jason Orendorff", None),
]
# (pk, title, published, pages, author pks, and what the kind of book adds)
NOVELS = [
    (1, "A Game of Thrones", (1996, 8, 1), 694, [1], {"setting": "Westeros"}),
    (2, "A Clash of Kings", (1998, 1, 1), 768, [1], {"setting": "Westeros"}),
    (3, "A Storm of Swords", (2000, 1, 1), 973, [1], {"setting": "Westeros"}),
    (4, "The Fellowship of the Ring", (1954, 7, 29), 423, [2], {"setting": "Middle Earth"}),
    (5, "The Two Towers", (1954, 11, 11), 352, [2], {"setting": "Middle Earth"}),
    (6, "The Return of the King", (1955, 10, 20), 440, [2], {"setting": "Middle Earth"}),
    (7, "The Hobbit", (1937, 9, 21), 320, [2], {"setting": "Middle Earth"}),
    (10, "Foundation", (1951, 1, 1), 255, [4], {"setting": "Galactic Empire"}),
]
PROGRAMMING_GUIDES = [
    (11, "Learning Python", (1999, 1, 1), 1160, [5, 6], {"programming_language": "py"}),
    (12, "Two Scoops of Django 1.11", (2017, 4, 26), 556, [7, 8], {"programming_language": "py"}),
    (13, "JavaScript: The good parts", (2008, 5, 18), 172, [9], {"programming_language": "js"}),
    (14, "JavaScript: The Definitive Guide", (1998, 6, 11), 792, [10], {"programming_language": "js"}),
    (15, "The Rust Programming Language", (2018, 5, 22), 440, [11, 12], {"programming_language": "rs"}),
]
OTHER_BOOKS = [(16, "Programming Rust", (2017, 12, 1), 622, [13, 14], {})]
# Each novel's characters, the protagonist first where it has one.
CHARACTERS = {
    1: ["Daenerys Targaryen", "Jon Snow", "Eddard Stark"],
    2: ["Daenerys Targaryen", "Jon Snow"],
    3: ["Daenerys Targaryen", "Jon Snow"],
    4: ["Frodo Baggins", "Bilbo Baggins", "Gandalf"],
    5: ["Frodo Baggins", "Bilbo Baggins", "Gandalf"],
    6: ["Frodo Baggins", "Bilbo Baggins", "Gandalf"],
    7: ["Bilbo Baggins", "Thorin Oakenshield"],
    10: ["Hari Seldon", "Salvor Hardin"],
}
HAVE_PROTAGONIST = {4, 5, 6, 7}
UNINDEXED_BOOKS = [
    ("A Game of Thrones U", (1996, 8, 1), 694),
    ("A Clash of Kings U", (1998, 1, 1), 768),
    ("A Storm of Swords U", (2000, 1, 1), 973),
    ("The Fellowship of the Ring U", (1954, 7, 29), 423),
]


def _add_books(model, books):
    for pk, title, published, pages, authors, extra in books:
        book = model.objects.create(
            pk=pk, title=title, publication_date=datetime.date(*published), number_of_pages=pages, **extra
        )
        book.authors.set(authors)


def _grow_trees(model):
    """Animal > (Mammal > (Dog, Cat), Reptile), as the upstream tests expect, and a second tree,
    Plant > Dog rose: a search of the animals' descendants for "dog" then passes only if the tree
    filters keep to their own tree (a nested set numbers each tree from 1 again)."""
    animal = model.add_root(name="Animal")
    mammal = animal.add_child(name="Mammal")
    # Each parent is read again before it gains a child: adding one moves a nested set's bounds
    # in the database, not in the object in hand.
    animal.refresh_from_db()
    animal.add_child(name="Reptile")
    for name in ("Dog", "Cat"):
        mammal.refresh_from_db()
        mammal.add_child(name=name)
    model.add_root(name="Plant").add_child(name="Dog rose")


# Whatever the suite's default backend is, only this test's Whoosh index is written to, and
# nothing at all while the class's rows are made.
@override_settings(WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": WHOOSH, "AUTO_UPDATE": False}})
class WhooshBackendTests(ElasticsearchCommonSearchBackendTests, TestCase):
    backend_path = WHOOSH
    fixtures = []  # made by setUpTestData instead

    @classmethod
    def setUpTestData(cls):
        for pk, name, born in AUTHORS:
            models.Author.objects.create(pk=pk, name=name, date_of_birth=born)
        _add_books(models.Novel, NOVELS)
        _add_books(models.ProgrammingGuide, PROGRAMMING_GUIDES)
        _add_books(models.Book, OTHER_BOOKS)
        for novel in models.Novel.objects.all():
            characters = [models.Character.objects.create(name=name, novel=novel) for name in CHARACTERS[novel.pk]]
            if novel.pk in HAVE_PROTAGONIST:
                novel.protagonist = characters[0]
                novel.save(update_fields=["protagonist"])
        for title, published, pages in UNINDEXED_BOOKS:
            models.UnindexedBook.objects.create(
                title=title, publication_date=datetime.date(*published), number_of_pages=pages
            )
        models.Meeting.objects.create(name="Breakfast yoga", start_time=datetime.time(8, 0))
        standup = models.Meeting.objects.create(name="Stand-up meeting", start_time=datetime.time(10, 0))
        models.Meeting.objects.create(name="Evening yoga", start_time=datetime.time(19, 30))
        agenda_item = models.AgendaItem.objects.create(meeting=standup, topic="Release plans")
        models.Speaker.objects.create(agenda_item=agenda_item, name="Pat Doyle")
        _grow_trees(models.MPAnimal)
        _grow_trees(models.NSAnimal)
        # The given primary keys leave PostgreSQL's sequences behind; move them on, as loaddata
        # does, so the books some tests add get keys of their own.
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [models.Author, models.Book]):
                cursor.execute(sql)

        # Upstream rebuilds the index before every test. Rebuilding every index (Confer's and the
        # test app's) took most of each test's time, so it is built once here, from the same rows
        # each test starts with, and every test gets a copy.
        cls.built_index = Path(tempfile.mkdtemp(prefix="modelsearch-tests-"))
        cls.addClassCleanup(shutil.rmtree, cls.built_index, ignore_errors=True)
        with override_settings(WAGTAILSEARCH_BACKENDS=whoosh_in(cls.built_index)):
            call_command("update_index", backend_name="default", stdout=StringIO(), chunk_size=50)

    @pytest.fixture(autouse=True)
    def _index_directory(self, tmp_path):
        self.index_directory = tmp_path / "index"

    def setUp(self):
        # In place of BackendTestSetupMixin.setUp, which looks the backend up in
        # MODELSEARCH_BACKENDS (Wagtail reads WAGTAILSEARCH_BACKENDS) and rebuilds (see above).
        shutil.copytree(self.built_index, self.index_directory)
        self.enterContext(override_settings(WAGTAILSEARCH_BACKENDS=whoosh_in(self.index_directory)))
        self.backend_name = "default"
        self.backend = get_search_backend(self.backend_name)
        # Wagtail ships modelsearch's rebuild_modelsearch_index command as update_index. Django
        # finds commands only in installed apps, so the upstream name is pointed at its module.
        self.enterContext(mock.patch.dict(get_commands(), {"rebuild_modelsearch_index": "modelsearch"}))

    # Elasticsearch cannot order by an expression, so its suite expects this test to fail; Whoosh
    # can, so the test runs as BackendTests has it.
    test_order_by_expression = BackendTests.test_order_by_expression

    def test_reset_indexes(self):
        # Elasticsearch's suite skips this (its aliases break it); the database backends' suites
        # have it so.
        self.backend.reset_indexes()
        self.assertEqual(self.backend.search("JavaScript", models.Book).count(), 0)

    def test_all_indexes(self):
        # Elasticsearch's version expects its index name prefix and the test app's indexes alone.
        # Whoosh names an index after the root model of its family, and Confer's models have
        # indexes too.
        indexes = {index.get_key() for index in self.backend.all_indexes()}
        test_app_indexes = {
            "searchtests_author",
            "searchtests_book",  # novels and programming guides included
            "searchtests_character",
            "searchtests_advertwithcustomuuidprimarykey",
            "searchtests_meeting",
            "searchtests_mpanimal",
            "searchtests_nsanimal",
        }
        self.assertEqual({key for key in indexes if key.startswith("searchtests_")}, test_app_indexes)
        self.assertIn("wagtailcore_page", indexes)
