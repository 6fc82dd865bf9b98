"""Wagtail's database search backend (``SEARCH_BACKEND=database``), with a rebuild that finishes at
an organisation's size on PostgreSQL.

modelsearch's PostgreSQL index recomputes its title norms (each title's length against the average)
after every chunk it adds: a scan of the whole index for the average and an update of every entry
still at the default, so a rebuild does work that grows with the square of the index's size. At
100,000 questions and 250,000 answers that rebuild had not finished after half an hour. The
rebuilder already recomputes every norm once when it finishes, so while a rebuild runs the
per-chunk refresh is skipped; saves outside a rebuild keep it. SQLite (FTS5) and MySQL are
modelsearch's own, unchanged.
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as _database_backend
from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchBackend,
    PostgresSearchRebuilder,
)


class PostgresRebuildingIndex(PostgresIndex):
    rebuilding = False

    def _refresh_title_norms(self, full=False):
        if self.rebuilding and not full:
            return  # the rebuilder refreshes every entry once, when it finishes
        super()._refresh_title_norms(full=full)


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
