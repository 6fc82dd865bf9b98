"""PostgreSQL's full-text index (``SEARCH_BACKEND=database``) rebuilt at an organisation's size:
the title norms are worked out once at the end of a rebuild, not after every chunk
(community/search/database.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.index import get_indexed_models

from qa.models import Question

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's own index (SQLite's FTS5 is modelsearch's)"
    ),
]


@pytest.fixture
def database_search(settings):
    settings.WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "community.search.database"}}
    return settings


def norm_refreshes(chunk_size):
    with CaptureQueriesContext(connection) as queries:
        call_command("update_index", chunk_size=chunk_size, stdout=StringIO())
    return sum('SET "title_norm"' in query["sql"] for query in queries.captured_queries)


def test_a_rebuild_works_out_title_norms_once_however_many_chunks(database_search, alice):
    for number in range(6):
        Question.ask(alice, f"VPN {'slow ' * number}question {number}", "It drops", ["vpn"])

    in_one_chunk, one_item_a_chunk = norm_refreshes(1000), norm_refreshes(1)

    assert one_item_a_chunk == in_one_chunk
    assert in_one_chunk <= len(get_indexed_models())


def test_after_a_rebuild_shorter_titles_weigh_more_and_search_finds_them(database_search, alice):
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    short = Question.ask(alice, "VPN down", "It drops", ["vpn"])
    long = Question.ask(alice, "VPN keeps dropping every morning after the laptop wakes", "It drops", ["vpn"])
    call_command("update_index", chunk_size=1, stdout=StringIO())

    norms = dict(
        IndexEntry.objects.filter(object_id__in=[str(short.pk), str(long.pk)]).values_list("object_id", "title_norm")
    )
    assert norms[str(short.pk)] > norms[str(long.pk)] and 1.0 not in norms.values()
    assert {question.pk for question in get_search_backend().search("vpn", Question)} >= {short.pk, long.pk}


def test_a_saved_question_is_normed_without_reading_the_whole_index(database_search, alice):
    from django.core.cache import cache
    from modelsearch import index
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    for number in range(4):
        Question.ask(alice, f"VPN question {'slow ' * number}{number}", "It drops", ["vpn"])
    call_command("update_index", stdout=StringIO())

    with CaptureQueriesContext(connection) as queries:  # the first save after the rebuild
        new = Question.ask(alice, "VPN down", "It drops", ["vpn"])
        index.insert_or_update_object(new)

    sql = [query["sql"] for query in queries.captured_queries]
    assert not [statement for statement in sql if "AVG(" in statement]  # the rebuild left the average in the cache
    updates = [statement for statement in sql if 'SET "title_norm"' in statement]
    assert updates and all('"object_id" IN' in statement for statement in updates)
    entry = IndexEntry.objects.get(object_id=str(new.pk), content_type__model="question")
    assert entry.title_norm > 1.0  # a short title, against the average
    cache.clear()
