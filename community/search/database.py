"""Wagtail's database search backend (``SEARCH_BACKEND=database``), with a rebuild that finishes at
an organisation's size on PostgreSQL.

modelsearch's PostgreSQL index recomputes its title norms (each title's length against the average)
after every chunk it adds: a scan of the whole index for the average and an update of every entry
still at the default. So a rebuild did work that grows with the square of the index's size (at
100,000 questions and 250,000 answers it had not finished after half an hour), and every saved
question or answer scanned the whole index (about 600 ms of each ask at that size). Here:

- while a rebuild runs the per-chunk refresh is skipped: the rebuilder recomputes every norm once
  when it finishes;
- outside a rebuild, only the entries just added are normed, against the average title length the
  last rebuild worked out, kept in the cache (a ranking weight: the average of the index as it was
  at the last rebuild ranks the same). If the cache has lost it, the next save works it out again
  (about a second at 470,000 entries) and keeps it.

SQLite (FTS5) and MySQL are modelsearch's own, unchanged.
"""

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, F
from django.db.models.functions import Length
from modelsearch.backends.database import SearchBackend as _database_backend
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchRebuilder,
)
from modelsearch.utils import get_content_type_pk

AVERAGE_TITLE_KEY = "confer:search:average-title-length"


class PostgresRebuildingIndex(PostgresIndex):
    rebuilding = False
    _adding = None  # (content type, object ids) of the items add_items is writing

    def add_items(self, model, objs):
        objs = list(objs)
        self._adding = (get_content_type_pk(model), [str(obj.pk) for obj in objs])
        try:
            super().add_items(model, objs)
        finally:
            self._adding = None

    def _refresh_title_norms(self, full=False):
        """As modelsearch's (each title's norm: the average title length over its own), but the
        average is worked out once per rebuild and kept in the cache, and a save norms only the
        entries it wrote."""
        if full:
            average = self._average_title_length()
            cache.set(AVERAGE_TITLE_KEY, average, None)
            entries = self.entries
        elif self.rebuilding or self._adding is None:
            return  # a rebuild refreshes every entry once, when it finishes
        else:
            average = cache.get_or_set(AVERAGE_TITLE_KEY, self._average_title_length, None)
            content_type, object_ids = self._adding
            entries = self.entries.filter(content_type_id=content_type, object_id__in=object_ids)
        if average:
            titled = entries.annotate(title_length=Length("title")).filter(title_length__gt=0)
            titled.update(title_norm=average / F("title_length"))

    def _average_title_length(self):
        return (
            self.entries.annotate(title_length=Length("title"))
            .filter(title_length__gt=0)
            .aggregate(Avg("title_length"))["title_length__avg"]
        )


class _NormsOnceAtTheEnd:
    def start(self):
        index = super().start()
        index.rebuilding = True
        return index

    def finish(self):
        self.index.rebuilding = False
        super().finish()


class PostgresRebuilder(_NormsOnceAtTheEnd, PostgresSearchRebuilder):
    pass


class PostgresAtomicRebuilder(_NormsOnceAtTheEnd, PostgresSearchAtomicRebuilder):
    pass


class ConferPostgresSearchBackend(PostgresSearchBackend):
    index_class = PostgresRebuildingIndex
    rebuilder_class = PostgresRebuilder
    atomic_rebuilder_class = PostgresAtomicRebuilder


def SearchBackend(params):  # the name modelsearch looks for in a backend module
    if connection.vendor == "postgresql":
        return ConferPostgresSearchBackend(params)
    return _database_backend(params)
