"""Index directories on disk: generations, the atomic swap, locked writes and cached searchers.

Each model family has a directory ``<PATH>/<family>/`` holding:

* ``gen-<time>-<random>/``: one complete Whoosh index (a *generation*);
* ``CURRENT``: the name of the live generation. A rebuild fills a new generation and then
  ``os.replace``-s this file, so readers see the old index or the new one, never half of one, and
  a rebuild that dies part-way leaves the live index as it was;
* ``BUILDING``: the name of a generation being rebuilt. Saves made during a rebuild are written
  to it as well as to the live generation, so they are not lost when it is swapped in;
* ``PUBLISH.lock``: taken while ``CURRENT`` changes, so two processes cannot both create a first
  index and lose each other's documents.

Whoosh allows one writer per index, and ``Index.writer()`` fails at once if another holds it. Here
every write waits for the lock (up to ``lock_timeout`` seconds) and, if it still cannot get it,
finishes in a background thread, so no update is lost and no ``LockError`` reaches anyone.
"""

import contextlib
import logging
import os
import pickle
import re
import shutil
import struct
import threading
import time
import uuid
import zlib
from collections import OrderedDict
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import StorageError
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import LockError
from whoosh.util.filelock import FileLock, try_for

logger = logging.getLogger(__name__)

CURRENT = "CURRENT"
BUILDING = "BUILDING"
PUBLISH_LOCK = "PUBLISH.lock"
BUILT_SUFFIX = ".built"  # <PATH>/<family>.built and <PATH>.built/<family>: this family's index has existed
GENERATION = re.compile(r"^gen-[0-9a-z-]+$")

#: A rebuild touches BUILDING with every batch; one silent this long is presumed dead, and saves
#: stop being copied to it.
BUILD_STALE_SECONDS = 60 * 60
#: How long a background write keeps trying for the lock before it gives up and says so.
DEFERRED_WRITE_PATIENCE = 60 * 60
#: Searchers kept open per thread (one per index the thread has read recently).
SEARCHERS_PER_THREAD = 16

# Errors that mean the files of an index are missing or damaged, as opposed to a bug here.
# Whoosh reports some damage (e.g. a garbled postings block) as a plain ``Exception``; see
# ``is_index_damage``.
DAMAGE_ERRORS = (
    whoosh_index.IndexError,  # includes EmptyIndexError (no index there) and IndexVersionError
    FileFormatError,
    StorageError,
    OSError,
    EOFError,
    pickle.UnpicklingError,
    struct.error,
    zlib.error,
    ValueError,
    TypeError,
    KeyError,
    IndexError,
)


class IndexUnavailable(Exception):
    """There is no readable index for a model family: never built, deleted or damaged.

    Searches return no results rather than raise this; ``WhooshSearchBackend.index_available``
    and ``WhooshSearchResults.index_unavailable`` let a page say why.
    """


class Snapshot:
    """A searcher on one generation of an index, plus the documents each filter it has been asked
    about allows. Filters repeat from search to search ("live pages", "this page type"), so the set
    is worked out once per snapshot rather than intersected document by document every time."""

    MAX_FILTERS = 16  # each may hold a set of every document: bound the memory

    def __init__(self, directory, searcher):
        self.directory = directory
        self.searcher = searcher
        self._allowed = {}

    def allowed(self, query):
        """The set of document numbers ``query`` matches (a ``set``, as Whoosh's filters want)."""
        key = repr(query)
        docs = self._allowed.get(key)
        if docs is None:
            if len(self._allowed) >= self.MAX_FILTERS:
                self._allowed.clear()
            docs = self._allowed[key] = set(self.searcher.docs_for_query(query))
        return docs

    def close(self):
        self._allowed.clear()
        self.searcher.close()


def is_index_damage(exc):
    return isinstance(exc, DAMAGE_ERRORS) or type(exc) is Exception


def _write_atomically(path, text):
    """Replace ``path`` with ``text`` so that readers see the old content or the new, never part."""
    temporary = path.with_name(f"{path.name}.{uuid.uuid4().hex}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    with contextlib.suppress(OSError):  # not every filesystem lets a directory be fsync-ed
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# Opened indexes and in-process write locks, shared by every backend instance in the process
# (modelsearch makes a new backend object for every save).
_registry_lock = threading.Lock()
_opened = {}
_write_locks = {}
_pending_writes = set()
_local = threading.local()


def _retrying(open_something, attempts=20):
    """``open_something()``, retried when another process's commit deleted a file it was opening.

    Whoosh finds the newest table of contents by listing the directory and then opens it; a
    commit in between replaces it. That is a race, not damage, and the next try succeeds.
    """
    for attempt in range(attempts):
        try:
            return open_something()
        except FileNotFoundError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.01)


def _open_index(directory):
    key = str(directory)
    with _registry_lock:
        ix = _opened.get(key)
    if ix is None:
        ix = _retrying(lambda: whoosh_index.open_dir(key))
        with _registry_lock:
            _opened[key] = ix
    return ix


def _forget_index(directory):
    with _registry_lock:
        _opened.pop(str(directory), None)


def _write_lock(directory):
    with _registry_lock:
        return _write_locks.setdefault(str(directory), threading.Lock())


def _thread_searchers():
    cache = getattr(_local, "searchers", None)
    if cache is None:
        cache = _local.searchers = OrderedDict()
    return cache


def release_searchers():
    """Close this thread's cached searchers (e.g. before removing index directories)."""
    cache = _thread_searchers()
    while cache:
        _, snapshot = cache.popitem()
        with contextlib.suppress(*DAMAGE_ERRORS):
            snapshot.close()


def wait_for_pending_writes(timeout=30.0):
    """Wait for writes that are finishing in the background; True if none are left."""
    deadline = time.monotonic() + timeout
    while True:
        with _registry_lock:
            pending = list(_pending_writes)
        if not pending:
            return True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return False
        pending[0].join(remaining)


class IndexStore:
    """One model family's index directory: its generations, and reading and writing the live one."""

    def __init__(self, root, schema_factory, lock_timeout=10.0):
        """``schema_factory()`` returns the Whoosh schema for a new generation."""
        self.root = Path(root)
        self.schema_factory = schema_factory
        self.lock_timeout = lock_timeout

    def __repr__(self):
        return f"<IndexStore {self.root}>"

    # Generations

    def _pointer(self, name):
        try:
            value = (self.root / name).read_text(encoding="utf-8").strip()
        except (FileNotFoundError, NotADirectoryError):
            return None
        if not GENERATION.match(value):
            return None
        return self.root / value

    def live_dir(self):
        """The live generation's directory, or None if there is none."""
        directory = self._pointer(CURRENT)
        return directory if directory is not None and directory.is_dir() else None

    def building_dir(self):
        """The generation a rebuild is filling, if the rebuild looks alive."""
        directory = self._pointer(BUILDING)
        if directory is None or not directory.is_dir():
            return None
        try:
            age = time.time() - (self.root / BUILDING).stat().st_mtime
        except FileNotFoundError:
            return None
        return directory if age < BUILD_STALE_SECONDS else None

    def create_generation(self):
        """A new, empty index directory (not yet live)."""
        self.root.mkdir(parents=True, exist_ok=True)
        directory = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:12]}"
        directory.mkdir()
        whoosh_index.create_in(str(directory), self.schema_factory())
        return directory

    def begin_build(self):
        """Start a rebuild: a new generation that saves are also copied to until it goes live."""
        directory = self.create_generation()
        _write_atomically(self.root / BUILDING, directory.name)
        return directory

    def end_build(self, directory):
        """Stop copying saves to ``directory`` (its rebuild failed or was given up)."""
        if self._pointer(BUILDING) == directory:
            (self.root / BUILDING).unlink(missing_ok=True)

    def touch_build(self, directory):
        with contextlib.suppress(FileNotFoundError):
            if self._pointer(BUILDING) == directory:
                os.utime(self.root / BUILDING)

    @contextlib.contextmanager
    def _publish_lock(self):
        self.root.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.root / PUBLISH_LOCK))
        if not try_for(lock.acquire, timeout=max(self.lock_timeout, 30.0), delay=0.05):
            raise LockError(f"Could not lock {self.root} to publish an index")
        try:
            yield
        finally:
            lock.release()

    def publish(self, directory):
        """Make ``directory`` the live generation, atomically, and tidy away old ones.

        The generation it replaces is kept until the next swap, so a process that read
        ``CURRENT`` a moment ago can still open it.
        """
        with self._publish_lock():
            previous = self.live_dir()
            _write_atomically(self.root / CURRENT, directory.name)
            self._mark_built()
            if self._pointer(BUILDING) == directory:
                (self.root / BUILDING).unlink(missing_ok=True)
            keep = {directory, previous, self.building_dir()}
            for candidate in self.root.iterdir():
                if candidate.is_dir() and GENERATION.match(candidate.name) and candidate not in keep:
                    _forget_index(candidate)
                    shutil.rmtree(candidate, ignore_errors=True)
        logger.info("Search index %s now serves %s", self.root.name, directory.name)

    @property
    def _built_markers(self):
        # Beside the family's directory, not in it: deleting the directory leaves the marker. And
        # beside the whole index folder (``<PATH>.built/<family>``): deleting the folder, markers
        # inside it and all, leaves that one.
        return (
            self.root.parent / f"{self.root.name}{BUILT_SUFFIX}",
            self.root.parent.parent / f"{self.root.parent.name}{BUILT_SUFFIX}" / self.root.name,
        )

    def _was_built(self):
        return any(marker.exists() for marker in self._built_markers)

    def _mark_built(self):
        for marker in self._built_markers:
            if marker.exists():
                continue
            try:
                marker.parent.mkdir(parents=True, exist_ok=True)
                _write_atomically(marker, "This index family has been built; see docs/search.md.\n")
            except OSError as exc:  # e.g. the folder holding PATH is not writable: the inner marker still counts
                logger.warning("Could not record that search index %s was built in %s: %s", self.root, marker, exc)

    def ensure_live(self):
        """The live generation, creating an empty one if this family has never had an index (so a
        new site indexes its first pages without waiting for update_index).

        Raises ``IndexUnavailable`` if the index was built once but its generation, or its whole
        directory, has gone: a fresh one would hold only the next saved item and look complete,
        and the "index unavailable" notice would disappear. update_index repairs it.
        """
        directory = self.live_dir()
        if directory is not None:
            return directory
        if self._was_built():
            # Another writer may have made the first generation since we looked: it points
            # CURRENT at it before it writes the markers, so look again before calling it gone.
            directory = self.live_dir()
            if directory is not None:
                return directory
            raise IndexUnavailable(f"The search index in {self.root} has gone")
        with self._publish_lock():
            directory = self.live_dir()
            if directory is None:
                if (self.root / CURRENT).exists() or self._was_built():
                    raise IndexUnavailable(f"The live search index in {self.root} has gone")
                directory = self.create_generation()
                _write_atomically(self.root / CURRENT, directory.name)
                self._mark_built()
        return directory

    def reset(self):
        """Replace the live index with an empty one."""
        self.publish(self.create_generation())

    # Reading

    def snapshot(self):
        """A ``Snapshot`` of the live generation, reused by this thread while it is current.

        Raises ``IndexUnavailable`` if there is no live generation, and whatever Whoosh raises if
        its files are damaged (see ``is_index_damage``); call ``invalidate`` after the latter.
        """
        directory = self.live_dir()
        if directory is None:
            raise IndexUnavailable(f"No search index in {self.root}")
        cache = _thread_searchers()
        key = str(self.root)
        snapshot = cache.pop(key, None)
        if snapshot is None or snapshot.directory != directory or not snapshot.searcher.up_to_date():
            # Not Searcher.refresh(): it reuses segment readers whose deletion lists are out of
            # date, so the old version of an updated document would still be found.
            if snapshot is not None:
                snapshot.close()
            ix = _open_index(directory)
            snapshot = Snapshot(directory, _retrying(ix.searcher))
        cache[key] = snapshot
        while len(cache) > SEARCHERS_PER_THREAD:
            _, stale = cache.popitem(last=False)
            stale.close()
        return snapshot

    def invalidate(self):
        """Drop this thread's cached searcher and opened index (after damage was found)."""
        snapshot = _thread_searchers().pop(str(self.root), None)
        if snapshot is not None:
            with contextlib.suppress(*DAMAGE_ERRORS):
                snapshot.close()
            _forget_index(snapshot.directory)
        directory = self.live_dir()
        if directory is not None:
            _forget_index(directory)

    def read(self, work):
        """``work(snapshot)`` on the live generation (see ``Snapshot``).

        Raises ``IndexUnavailable`` (chained to the cause) if there is no index or its files are
        damaged. A failed read is retried once on a freshly opened searcher: a commit or a rebuild
        elsewhere may have removed files the cached one was about to read.
        """
        for attempt in (1, 2):
            try:
                return work(self.snapshot())
            except IndexUnavailable:
                raise
            except Exception as exc:
                if not is_index_damage(exc):
                    raise
                self.invalidate()
                if attempt == 2:
                    raise IndexUnavailable(f"Search index {self.root} cannot be read: {exc!r}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def is_available(self):
        try:
            return self.read(lambda snapshot: snapshot.searcher.doc_count_all() >= 0)
        except IndexUnavailable:
            return False

    # Writing

    def open_generation(self, directory):
        return _open_index(directory)

    def write(self, operations, fields):
        """Apply ``operations`` (``("update", document)`` / ``("delete", pk)``) to the live index,
        and to a generation being rebuilt.

        ``fields()`` returns ``{name: Whoosh field type}``, used to add any field the index was
        created without (a model gained a field since the last rebuild).
        """
        live = self.ensure_live()
        if not self.write_to(live, operations, fields, timeout=self.lock_timeout):
            self._defer(live, operations, fields)
        building = self.building_dir()
        if building is not None and building != live:
            # The rebuild holds this generation's lock until it finishes: queue the change for
            # then rather than keep the person saving waiting.
            if not self.write_to(building, operations, fields, timeout=0.0):
                self._defer(building, operations, fields)

    def write_to(self, directory, operations, fields, timeout):
        """Write to one generation; False if its lock stayed taken for ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        # Threads of this process queue here rather than spin on the file lock.
        thread_lock = _write_lock(directory)
        if not thread_lock.acquire(timeout=timeout):
            return False
        try:
            ix = _open_index(directory)
            try:
                # Separate files per segment, not one compound file: Whoosh copies a compound
                # file into memory on every open, ~70 ms per search on a 10,000-page index.
                writer = ix.writer(timeout=max(deadline - time.monotonic(), 0.0), delay=0.01, compound=False)
            except LockError:
                return False
            try:
                apply_operations(writer, operations, fields)
            except BaseException:
                writer.cancel()
                raise
            writer.commit()
            return True
        finally:
            thread_lock.release()

    def _defer(self, directory, operations, fields):
        logger.warning("Search index %s is busy; finishing a write in the background", self.root.name)
        thread = DeferredWrite(self, directory, operations, fields)
        with _registry_lock:
            _pending_writes.add(thread)
        thread.start()


def apply_operations(writer, operations, fields):
    """Apply ``("update", document)`` and ``("delete", pk)`` operations with an open writer."""
    known = None
    for action, payload in operations:
        if action == "delete":
            writer.delete_by_term("pk", payload)
            continue
        missing = [name for name in payload if name not in writer.schema]
        if missing:
            known = known if known is not None else fields()
            for name in missing:
                writer.add_field(name, known[name])
        writer.update_document(**payload)


class DeferredWrite(threading.Thread):
    """Finishes a write that could not get the index lock in time, retrying until it can.

    Not a daemon thread: a process that is shutting down waits for it rather than drop the update.
    """

    def __init__(self, store, directory, operations, fields):
        super().__init__(name=f"search-write-{store.root.name}", daemon=False)
        self.store = store
        self.directory = directory
        self.operations = operations
        self.fields = fields

    def run(self):
        give_up = time.monotonic() + DEFERRED_WRITE_PATIENCE
        try:
            while time.monotonic() < give_up:
                try:
                    if self.store.write_to(self.directory, self.operations, self.fields, timeout=5.0):
                        return
                except Exception as exc:
                    if not is_index_damage(exc):
                        raise
                    logger.warning("Search index %s is damaged; run update_index", self.store.root, exc_info=True)
                    return
            logger.error(
                "Gave up writing %d change(s) to search index %s; run update_index",
                len(self.operations),
                self.store.root,
            )
        finally:
            with _registry_lock:
                _pending_writes.discard(self)
