"""A Wagtail (modelsearch) search backend that keeps its index in Whoosh files on local disk.

Settings::

    WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "community.search.backend",
            "PATH": SEARCH_INDEX_DIR,  # default: settings.SEARCH_INDEX_DIR, else var/search
            "LOCK_TIMEOUT": 10,  # seconds a save waits for the index before writing in the background
            "REBUILD_PROCESSES": 2,  # processes update_index analyses documents in (1: in-process)
        }
    }

The classes follow the database backends' split: ``WhooshIndex`` (one per model family) writes
documents, ``WhooshRebuilder`` is what ``manage.py update_index`` uses to build a fresh index and
swap it in, the two query compilers turn modelsearch queries into ``whoosh.query`` objects, and
``WhooshSearchResults`` runs them lazily. Queries are always built from objects, never parsed from
text, so nothing a person types is Whoosh query syntax.

Beyond the modelsearch API the backend offers ``index_available(model)``, ``suggest(text,
models)`` ("did you mean") and ``more_like_this(queryset, text)`` (similar titles).
"""

import functools
import logging
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.models import F, OrderBy, QuerySet, Subquery
from django.db.models.functions.datetime import Extract
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from django.db.models.sql.constants import MULTI, SINGLE
from modelsearch.backends.base import (
    BaseIndex,
    BaseSearchBackend,
    BaseSearchQueryCompiler,
    BaseSearchResults,
    FilterError,
    FilterFieldError,
    OrderByFieldError,
    SearchFieldError,
    get_model_root,
)
from modelsearch.index import class_is_indexed, get_indexed_models
from modelsearch.query import MATCH_ALL, And, Boost, Fuzzy, MatchAll, Not, Or, Phrase, PlainText
from whoosh import query as wq
from whoosh import sorting
from whoosh.query.compound import DefaultOr

from .analysis import (
    MAX_PREFIX_LENGTH,
    is_stop_word,
    phrase_terms,
    plain_terms,
    query_terms,
    similarity_terms,
)
from .mapping import (
    AUTOCOMPLETE,
    TEXT,
    FamilySchema,
    ModelMapping,
    content_type_label,
    family_models,
    family_name,
)
from .storage import IndexStore, IndexUnavailable, apply_operations, is_index_damage, wait_for_pending_writes

logger = logging.getLogger(__name__)

__all__ = [
    "IndexUnavailable",
    "RebuildIncomplete",
    "SearchBackend",
    "WhooshAutocompleteQueryCompiler",
    "WhooshIndex",
    "WhooshRebuilder",
    "WhooshSearchBackend",
    "WhooshSearchQueryCompiler",
    "WhooshSearchResults",
    "wait_for_pending_writes",
]

# "More like this" looks for at most this many of the text's rarest terms, and drops matches
# scoring under this share of the best one (a single shared common word is not similarity).
SIMILAR_TERMS = 12
SIMILAR_MIN_SHARE = 0.2


@functools.cache
def mapping_for(model):
    return ModelMapping(model)


@functools.cache
def family_schema(root):
    return FamilySchema(root)


def default_path():
    configured = getattr(settings, "SEARCH_INDEX_DIR", None)
    if configured:
        return Path(configured)
    base = getattr(settings, "BASE_DIR", None)
    return Path(base) / "var" / "search" if base else Path("var") / "search"


# --- indexing ------------------------------------------------------------------------------------


def _in_real_transaction() -> bool:
    """Inside a transaction that will commit or roll back (not in autocommit)?

    A test run inside Django's test-case transaction (``_from_testcase``), which is always rolled
    back and never runs commit callbacks, counts as autocommit: its index is thrown away after it,
    and its saves must be searchable at once, as they are after a commit on the site.
    """
    blocks = connection.atomic_blocks
    return bool(blocks) and not getattr(blocks[0], "_from_testcase", False)


class RebuildIncomplete(Exception):
    """A rebuilt index is missing documents, so it was not swapped in."""


class WhooshIndex(BaseIndex):
    """The index of one model family (e.g. every page type), kept in ``<PATH>/<family>/``.

    Made with ``directory=None`` it writes to the live index (saves and deletes). The rebuilder
    makes one bound to a new generation's directory, which it fills with one long-lived writer.
    """

    def __init__(self, backend, model, directory=None):
        super().__init__(backend)
        self.root_model = get_model_root(model)
        self.name = family_name(model)
        self.store = backend.store_for(model)
        self.directory = directory
        self._writer = None

    def __str__(self):
        return self.name

    def get_key(self):
        return self.name

    def add_model(self, model):
        # A generation's schema is made from every model of the family when it is created, and
        # a live index gains any new fields on its next write: nothing to prepare per model.
        pass

    def refresh(self):
        # Whoosh commits are visible to the next searcher; nothing to flush.
        pass

    def reset(self):
        self.store.reset()

    def add_items(self, model, items):
        if not class_is_indexed(model):
            return
        mapping = mapping_for(model)
        operations = [("update", mapping.document(item)) for item in items]
        if operations:
            self._write(operations)

    def delete_item(self, item):
        self._write([("delete", str(item.pk))])

    def _fields(self):
        return family_schema(self.root_model).whoosh_fields()

    def _write(self, operations):
        if self.directory is not None:
            self._write_build(operations)
            return
        if _in_real_transaction():
            # Written once the save commits, never before: a transaction rolled back, or a process
            # killed inside it, must leave no document behind for something that was never saved
            # (tests/faults/test_killed.py). The document is made now, from what is being saved.
            transaction.on_commit(functools.partial(self._write_live, operations), robust=True)
            return
        self._write_live(operations)

    def _write_live(self, operations):
        try:
            self.store.write(operations, self._fields)
        except Exception as exc:
            if not (isinstance(exc, IndexUnavailable) or is_index_damage(exc)):
                raise
            # A save must not fail because the index is damaged; update_index repairs it.
            logger.warning("Search index %s could not be updated; run update_index", self.name, exc_info=True)
            self.store.invalidate()

    def _write_build(self, operations):
        if self._writer is None:
            ix = self.store.open_generation(self.directory)
            procs = self.backend.rebuild_processes
            # With more than one process, Whoosh analyses documents in worker processes that each
            # write a segment of their own (no final merge): about 1.8x faster on two cores.
            options = {"procs": procs, "multisegment": True, "batchsize": 256} if procs > 1 else {}
            self._writer = ix.writer(timeout=self.store.lock_timeout, limitmb=256 // procs, compound=False, **options)
            self._added = 0
        apply_operations(self._writer, operations, self._fields)
        self._added += sum(1 for action, _ in operations if action == "update")
        self.store.touch_build(self.directory)

    def commit_build(self):
        """Commit what the rebuild wrote, and check all of it arrived before it can go live."""
        if self._writer is None:
            return
        self._writer.commit()
        self._writer = None
        # Whoosh's multiprocess writer drops a worker's segment without a word if the worker dies.
        # Saves copied in meanwhile can only add documents (deletions just mark them), so fewer
        # than were written means some were lost: stop before the incomplete index goes live.
        stored = self.store.open_generation(self.directory).doc_count_all()
        if stored < self._added:
            raise RebuildIncomplete(
                f"Search index {self.name}: rebuilt {stored} of {self._added} documents; the live index "
                "was left as it was. Run update_index again."
            )

    def abandon_build(self):
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None


class WhooshRebuilder:
    """Rebuilds one family's index for ``update_index``: a fresh generation, swapped in at the end.

    Searches use the old index until ``finish()``; if the command dies, the old index stays live
    and the half-built generation is removed by the next rebuild.
    """

    def __init__(self, index):
        self.live_index = index
        self.index = None

    def start(self):
        directory = self.live_index.store.begin_build()
        self.index = WhooshIndex(self.live_index.backend, self.live_index.root_model, directory=directory)
        return self.index

    def finish(self):
        try:
            self.index.commit_build()
        except BaseException:
            self.live_index.store.end_build(self.index.directory)
            raise
        self.live_index.store.publish(self.index.directory)

    def abandon(self):
        """Give up a rebuild (the live index is untouched)."""
        if self.index is not None:
            self.index.abandon_build()
            self.live_index.store.end_build(self.index.directory)


# --- query compilation ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SortKey:
    """One ``order_by`` term, as a Whoosh column to sort on."""

    name: str
    reverse: bool = False
    nulls_first: bool = False
    nullable: bool = True


def _boosted(query, factor):
    if factor == 1 or query is wq.NullQuery:
        return query
    return query.with_boost(getattr(query, "boost", 1.0) * factor)


def _all_of(queries):
    """And, simplified: nothing matches if any part matches nothing; match-alls add nothing."""
    if any(query is wq.NullQuery for query in queries):
        return wq.NullQuery
    positive = [query for query in queries if not isinstance(query, (wq.Not, wq.Every))]
    negative = [query.query for query in queries if isinstance(query, wq.Not)]
    if not positive:
        if not negative:
            return wq.Every()
        return _none_of(negative)
    combined = positive[0] if len(positive) == 1 else wq.And(positive)
    if negative:
        combined = wq.AndNot(combined, negative[0] if len(negative) == 1 else wq.Or(negative))
    return combined


def _any_of(queries):
    queries = [query for query in queries if query is not wq.NullQuery]
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _in_any_field(queries):
    """Or, for one word (or phrase) looked for in several fields: scores add up.

    Whoosh's plain ``Or`` chooses its matcher by segment size, and on segments of up to 5,000
    documents it preloads every posting into an array (``ArrayUnionMatcher``) that reports the best
    score of *one* of its parts as the best the whole can score. Inside another Or or And, the
    top-N search then wrongly judges that the word can no longer lift a document into the top N
    and stops looking at it: "more like this" left a better match out of its five for 2 lookups
    in 95 on the 10,000-page benchmark. ``DefaultOr`` is always a tree of union matchers, whose
    bounds are sums (and it was faster there too).
    """
    queries = [query for query in queries if query is not wq.NullQuery]
    if not queries:
        return wq.NullQuery
    return queries[0] if len(queries) == 1 else DefaultOr(queries)


def _none_of(queries):
    inner = _any_of(queries)
    if inner is wq.NullQuery:
        return wq.Every()
    if isinstance(inner, wq.Every):
        return wq.NullQuery
    if isinstance(inner, wq.Not):
        return inner.query
    return wq.Not(inner)


def _evaluate(value, queryset, result_type):
    """The value(s) of a subquery used in a filter, fetched from the database (as Elasticsearch's
    backend does): the index cannot join."""
    if not isinstance(value, (Query, Subquery, QuerySet)):
        return value
    query = value.query if isinstance(value, (Subquery, QuerySet)) else value
    result = query.get_compiler(queryset._db or DEFAULT_DB_ALIAS).execute_sql(result_type=result_type)
    if result_type == SINGLE:
        return result[0] if result else None
    return [row[0] for chunk in result for row in chunk]


class WhooshSearchQueryCompiler(BaseSearchQueryCompiler):
    """Turns a modelsearch query, queryset filters and ordering into ``whoosh.query`` objects."""

    # As the database backend (this project's previous backend): every word must match.
    DEFAULT_OPERATOR = "and"
    UNSUPPORTED = "by the Whoosh search backend"  # for the error a query type it cannot run raises
    # Plain ``F("field")`` orderings (with nulls_first/nulls_last) are understood; see _sort_keys.
    HANDLES_ORDER_BY_EXPRESSIONS = True
    ROLE = TEXT

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.model = self.queryset.model
        self.mapping = mapping_for(self.model)
        self.root = get_model_root(self.model)

    # Checks

    #: What ``fields=`` may name, for the error message.
    FIELD_CLASS = "SearchField"

    def _allowed_field_names(self):
        return {field.field_name for field in self.model.get_searchable_search_fields()}

    def check(self):
        """As the base class checks, but ``fields`` against this compiler's kind of field."""
        if self.fields:
            allowed = self._allowed_field_names()
            for field_name in self.fields:
                if field_name not in allowed:
                    raise SearchFieldError(
                        f'Cannot search with field "{field_name}". Please add index.{self.FIELD_CLASS}'
                        f'("{field_name}") to {self.model.__name__}.search_fields.',
                        field_name=field_name,
                    )
        self._get_filters_from_queryset(check_only=True)
        self._sort_keys()

    # Fields searched

    def search_fields(self):
        """``[(whoosh field name, boost)]`` for the text fields this query looks in.

        Without ``fields=``, that is every text field of this model and of its subclasses (so a
        search of all pages finds a standard page by its summary).
        """
        if self.fields is None:
            chosen = {}
            for member in family_models(self.model):
                if issubclass(member, self.model):
                    for index_field in mapping_for(member).by_role(self.ROLE):
                        chosen.setdefault(index_field.name, index_field.boost)
            return list(chosen.items())
        return [
            (index_field.name, index_field.boost)
            for index_field in self.mapping.by_role(self.ROLE)
            if len(index_field.path) == 1 and index_field.path[0].field_name in self.fields
        ]

    # The text query

    def build_text_query(self):
        return self._compile(self.query, self.search_fields())

    def _term_clause(self, term, fields):
        return _in_any_field([wq.Term(name, term, boost=boost) for name, boost in fields])

    def _terms(self, text):
        """The terms to look up for ``text``: its distinct stemmed words."""
        return query_terms(text)

    def _words(self, text, operator, fields, make_clause):
        terms = self._terms(text)
        if not terms or not fields:
            return wq.NullQuery
        clauses = [make_clause(term, fields) for term in terms]
        return _all_of(clauses) if operator == "and" else _any_of(clauses)

    def _compile(self, query, fields):
        if isinstance(query, MatchAll):
            return wq.Every()
        if isinstance(query, PlainText):
            compiled = self._words(query.query_string, query.operator, fields, self._term_clause)
            return _boosted(compiled, query.boost)
        if isinstance(query, Phrase):
            return self._compile_phrase(query, fields)
        if isinstance(query, Fuzzy):
            return self._compile_fuzzy(query, fields)
        if isinstance(query, Boost):
            return _boosted(self._compile(query.subquery, fields), query.boost)
        if isinstance(query, And):
            return _all_of([self._compile(subquery, fields) for subquery in query.subqueries])
        if isinstance(query, Or):
            return _any_of([self._compile(subquery, fields) for subquery in query.subqueries])
        if isinstance(query, Not):
            return _none_of([self._compile(query.subquery, fields)])
        raise NotImplementedError(f"`{type(query).__name__}` is not supported {self.UNSUPPORTED}.")

    def _compile_fuzzy(self, query, fields):
        return self._words(query.query_string, query.operator, fields, self._fuzzy_clause)

    def _compile_phrase(self, query, fields):
        words = phrase_terms(query.query_string)
        if not words or not fields:
            return wq.NullQuery
        if len(words) == 1:
            return self._term_clause(words[0], fields)
        return _in_any_field([wq.Phrase(name, words, boost=boost) for name, boost in fields])

    def _fuzzy_clause(self, term, fields):
        # Like Elasticsearch's "AUTO" fuzziness: short words must be exact, long ones may be two
        # edits out; the first letter is kept, which also keeps the search fast.
        max_edits = 0 if len(term) < 3 else 1 if len(term) <= 5 else 2
        if max_edits == 0:
            return self._term_clause(term, fields)
        return _in_any_field(
            [wq.FuzzyTerm(name, term, boost=boost, maxdist=max_edits, prefixlength=1) for name, boost in fields]
        )

    # Filters (the base class walks the queryset's WHERE clause and calls these)

    def build_filter(self):
        parts = []
        if self.model is not self.root:
            parts.append(wq.Term("ct", content_type_label(self.model)))
        queryset_filter = self._get_filters_from_queryset()
        if queryset_filter is not None:
            parts.append(queryset_filter)
        if not parts:
            return None
        return _all_of(parts)

    def _get_filters_from_where_node(self, where_node, check_only=False):
        # The index always holds primary keys, so filters on them work even without a FilterField
        # (and even on a page type's "page_ptr" key, which the base class would silently drop).
        if isinstance(where_node, Lookup) and self._is_own_primary_key(where_node.lhs):
            if check_only:
                return None
            return self._process_pk_lookup(where_node.lookup_name, where_node.rhs)
        return super()._get_filters_from_where_node(where_node, check_only=check_only)

    def _is_own_primary_key(self, column):
        """Whether ``column`` is this model's primary key (or a parent model's, which is the same
        value), as opposed to the key of a related row such as a parent page."""
        target = getattr(column, "target", None)
        if isinstance(column, Extract) or target is None or not target.primary_key:
            return False
        alias_map = self.queryset.query.alias_map
        alias = column.alias
        while alias in alias_map:
            table = alias_map[alias]
            if table.parent_alias is None:
                return True  # the queryset's own table
            join_field = table.join_field
            if not (join_field.one_to_one and getattr(join_field.remote_field, "parent_link", False)):
                return False  # reached through a relation, not inheritance
            alias = table.parent_alias
        return False

    def _process_pk_lookup(self, lookup, value):
        if lookup == "exact":
            value = _evaluate(value, self.queryset, SINGLE)
            return wq.NullQuery if value is None else wq.Term("pk", str(value))
        if lookup == "in":
            values = _evaluate(value, self.queryset, MULTI)
            return _any_of([wq.Term("pk", str(item)) for item in values])
        if lookup == "isnull":
            return wq.NullQuery if value else wq.Every()
        if lookup in ("gt", "gte", "lt", "lte", "range") and mapping_for(self.model).pk_is_integer:
            return self._range("pkn", lookup, value, int, numeric=True)
        raise FilterError(
            f'Could not apply filter on search results: "pk__{lookup}". Lookup "{lookup}" not supported.'
        )

    def _process_lookup(self, field_path, lookup, value):
        index_field = self.mapping.field_for_path(field_path)
        kind = index_field.kind
        name = index_field.name

        if lookup == "isnull":
            return wq.Term("nulls", name) if value else _none_of([wq.Term("nulls", name)])
        try:
            if lookup == "exact":
                value = _evaluate(value, self.queryset, SINGLE)
                return wq.Term("nulls", name) if value is None else wq.Term(name, kind.to_index(value))
            if lookup == "in":
                values = _evaluate(value, self.queryset, MULTI)
                return _any_of([wq.Term(name, kind.to_index(item)) for item in values if item is not None])
            if lookup in ("gt", "gte", "lt", "lte", "range"):
                return self._range(name, lookup, value, kind.to_index, numeric=kind.numeric)
            if lookup in ("startswith", "prefix") and kind.prefixable:
                return wq.Prefix(name, kind.to_index(value))
        except (TypeError, ValueError) as exc:
            raise FilterError(
                f'Could not apply filter on search results: "{name[2:]}__{lookup} = {value!r}": {exc}'
            ) from exc
        # The base class turns None into FilterError('Lookup "..." not recognised').
        return None

    @staticmethod
    def _range(name, lookup, value, convert, numeric):
        start = end = None
        start_excl = end_excl = False
        if lookup == "range":
            start, end = (convert(item) for item in value)
        elif lookup in ("gt", "gte"):
            start, start_excl = convert(value), lookup == "gt"
        else:
            end, end_excl = convert(value), lookup == "lt"
        if numeric:
            return wq.NumericRange(name, start, end, startexcl=start_excl, endexcl=end_excl)
        return wq.TermRange(name, start, end, startexcl=start_excl, endexcl=end_excl)

    def _process_match_none(self):
        return wq.NullQuery

    def _connect_filters(self, filters, connector, negated):
        filters = [query for query in filters if query is not None]
        if not filters:
            return None
        combined = _all_of(filters) if connector == "AND" else _any_of(filters)
        return _none_of([combined]) if negated else combined

    # Ordering

    def _sort_keys(self):
        """The queryset's ordering as ``SortKey``s (empty when ordering by relevance)."""
        if self.order_by_relevance:
            return []
        keys = []
        for item in self.queryset.query.order_by:
            nulls_first = False
            if isinstance(item, OrderBy) and isinstance(item.expression, F):
                field_name, reverse, nulls_first = item.expression.name, item.descending, bool(item.nulls_first)
            elif isinstance(item, str):
                field_name, reverse = item.lstrip("-"), item.startswith("-")
            else:
                raise OrderByFieldError(
                    f'Sorting search results with "{item}" is not supported by this search backend.', field_name=item
                )
            keys.append(self._sort_key(field_name, reverse, nulls_first))
        if not keys and self.mapping.pk_is_integer:
            # Newest first, as the database backend does, and stable from page to page.
            keys.append(SortKey("pkn", reverse=True, nullable=False))
        return keys

    def _sort_key(self, field_name, reverse, nulls_first):
        if field_name in ("pk", self.model._meta.pk.attname) and self._get_filterable_field(field_name) is None:
            if self.mapping.pk_is_integer:
                return SortKey("pkn", reverse=reverse, nullable=False)
        field = self._get_filterable_field(field_name)
        if field is None:
            raise OrderByFieldError(
                f'Cannot sort search results with field "{field_name}". Please add index.FilterField("{field_name}") '
                f"to {self.model.__name__}.search_fields.",
                field_name=field_name,
            )
        index_field = self.mapping.top_level(field)
        if not index_field.sortable:
            raise OrderByFieldError(
                f'Cannot sort search results with "{field_name}": it has many values per item.', field_name=field_name
            )
        return SortKey(index_field.name, reverse=reverse, nulls_first=nulls_first)

    def _get_order_by(self):
        # Kept for callers of the base class API; _sort_keys is what searching uses.
        for key in self._sort_keys():
            field = next(
                (
                    field
                    for field in self.model.get_filterable_search_fields()
                    if self.mapping.top_level(field).name == key.name
                ),
                None,
            )
            if field is not None:
                yield key.reverse, field

    def sort_facet(self, schema):
        """A Whoosh sort facet for the ordering, or None to order by relevance. Empty values sort
        last (or first, with ``nulls_first=True``) whichever the direction, as Elasticsearch does."""
        keys = [key for key in self._sort_keys() if key.name in schema]
        if not keys:
            return None
        facets = []
        for key in keys:
            if key.nullable:
                # 0 sorts before 1: items with no value go where nulls_first says.
                empty, filled = (0, 1) if key.nulls_first else (1, 0)
                facets.append(sorting.QueryFacet({empty: wq.Term("nulls", key.name)}, other=filled))
            facets.append(sorting.FieldFacet(key.name, reverse=key.reverse))
        if keys[-1].name != "pkn" and "pkn" in schema:
            facets.append(sorting.FieldFacet("pkn", reverse=True))
        return sorting.MultiFacet(facets)


class WhooshAutocompleteQueryCompiler(WhooshSearchQueryCompiler):
    """Matches word prefixes (what someone has typed so far) in ``AutocompleteField``s."""

    ROLE = AUTOCOMPLETE
    FIELD_CLASS = "AutocompleteField"
    UNSUPPORTED = "for autocomplete queries"

    def _allowed_field_names(self):
        return {field.field_name for field in self.model.get_autocomplete_search_fields()}

    def _terms(self, text):
        # Every word is a prefix (the index holds each word's first 1-15 letters), not stemmed.
        return [word[:MAX_PREFIX_LENGTH] for word in plain_terms(text)]

    def _compile_fuzzy(self, query, fields):
        # A prefix already matches what is still being typed.
        return self._words(query.query_string, query.operator, fields, self._term_clause)

    def _compile_phrase(self, query, fields):
        # Wagtail's admin search turns "quoted words" into a phrase; the prefix index keeps no word
        # positions, so (as the database backend does) every word must match.
        return self._words(query.query_string, "and", fields, self._term_clause)


# --- results ---------------------------------------------------------------------------------------


class WhooshSearchResults(BaseSearchResults):
    """Lazy search results: slicing sets the page, iterating runs the search for that page only,
    ``count()`` counts matches in the index without scoring or loading a row.

    If the index is missing or damaged the results are empty, a warning is logged and
    ``index_unavailable`` is True.
    """

    supports_facet = True
    index_unavailable = False

    def _store(self):
        return self.backend.store_for(self.query_compiler.queryset.model)

    def _read(self, work, default):
        """Run ``work(snapshot)`` on the live index; ``default`` if it cannot be read."""
        try:
            return self._store().read(work)
        except IndexUnavailable as exc:
            logger.warning("%s; run update_index", exc, exc_info=exc.__cause__ is not None)
            self.index_unavailable = True
            return default

    def _plan(self):
        """``(text query, filter query or None)``, or None when nothing can match."""
        text = self.query_compiler.build_text_query()
        allowed = self.query_compiler.build_filter()
        if text is wq.NullQuery or allowed is wq.NullQuery:
            return None
        return text, None if isinstance(allowed, wq.Every) else allowed

    def _do_search(self):
        plan = self._plan()
        if plan is None or (self.stop is not None and self.stop <= self.start):
            return []
        return self._load(self._read(lambda snapshot: self._page(snapshot, *plan), default=[]))

    def _page(self, snapshot, text, allowed):
        searcher = snapshot.searcher
        options = {"limit": self.stop}
        if allowed is not None:
            options["filter"] = snapshot.allowed(allowed)
            if not options["filter"]:  # (Whoosh reads an empty filter as "no filter")
                return []
        facet = self.query_compiler.sort_facet(searcher.schema)
        if facet is not None:
            options["sortedby"] = facet
        page = searcher.search(text, **options)[self.start : self.stop]
        hits = [(hit.docnum, hit["pk"], hit.score) for hit in page]
        if facet is not None and self._score_field and hits:
            # A sorted search does not score; score just this page's documents.
            docnums = {docnum for docnum, _, _ in hits}
            scores = {hit.docnum: hit.score for hit in searcher.search(text, limit=len(docnums), filter=docnums)}
            hits = [(docnum, pk, scores.get(docnum)) for docnum, pk, _ in hits]
        return [(pk, score) for _, pk, score in hits]

    def _load(self, hits):
        """The page's objects from the database in one query, in the index's order."""
        if not hits:
            return []
        queryset = self.query_compiler.queryset
        if self.prefetch_related:
            queryset = queryset.prefetch_related(*self.prefetch_related)
        objects = {str(obj.pk): obj for obj in queryset.filter(pk__in=[pk for pk, _ in hits])}
        results = []
        for pk, score in hits:
            obj = objects.get(pk)
            # Missing: deleted since it was indexed, or no longer passing the queryset's filters.
            if obj is None:
                continue
            if self._score_field:
                setattr(obj, self._score_field, float(score) if score is not None else None)
            results.append(obj)
        return results

    @staticmethod
    def _matching(snapshot, text, allowed):
        """The document numbers that match ``text`` and pass the filter."""
        found = snapshot.searcher.docs_for_query(text)
        if allowed is None:
            return set(found)
        docs = snapshot.allowed(allowed)
        return docs if isinstance(text, wq.Every) else {docnum for docnum in found if docnum in docs}

    def _do_count(self):
        plan = self._plan()
        if plan is None:
            return 0
        total = self._read(lambda snapshot: len(self._matching(snapshot, *plan)), default=0)
        count = max(total - self.start, 0)
        if self.stop is not None:
            count = min(count, self.stop - self.start)
        return count

    def facet(self, field_name):
        """``OrderedDict`` of value -> number of matching items, most common first (``None``
        counts the items with no value), like the Elasticsearch backend."""
        compiler = self.query_compiler
        field = compiler._get_filterable_field(field_name)
        if field is None:
            raise FilterFieldError(
                f'Cannot facet search results with field "{field_name}". Please add index.FilterField('
                f"'{field_name}') to {compiler.model.__name__}.search_fields.",
                field_name=field_name,
            )
        index_field = compiler.mapping.top_level(field)
        plan = self._plan()
        if plan is None:
            return OrderedDict()

        def count(snapshot):
            return self._count_values(snapshot.searcher, self._matching(snapshot, *plan), index_field)

        counts = self._read(count, Counter())
        ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0] is None, str(item[0])))
        return OrderedDict(ordered)

    @staticmethod
    def _count_values(searcher, matching, index_field):
        name = index_field.name
        counts = Counter()
        if name not in searcher.schema:
            return counts
        empty = matching.intersection(searcher.docs_for_query(wq.Term("nulls", name)))
        if empty:
            counts[None] = len(empty)
        field_type = searcher.schema[name]
        if index_field.sortable:
            column = searcher.reader().column_reader(name)
            for docnum in matching - empty:
                counts[index_field.kind.from_index(column[docnum])] += 1
        else:
            # Several values per item: count each value's items.
            for term in field_type.sortable_terms(searcher.reader(), name):
                value = field_type.from_bytes(term)
                found = len(matching.intersection(searcher.docs_for_query(wq.Term(name, value))))
                if found:
                    counts[index_field.kind.from_index(value)] += found
        return counts


# --- the backend ------------------------------------------------------------------------------------


class WhooshSearchBackend(BaseSearchBackend):
    """Search with Whoosh indexes on local disk; see the module docstring for settings."""

    query_compiler_class = WhooshSearchQueryCompiler
    autocomplete_query_compiler_class = WhooshAutocompleteQueryCompiler
    index_class = WhooshIndex
    results_class = WhooshSearchResults
    rebuilder_class = WhooshRebuilder
    # Saving a page or profile must never fail because the index could not be written; the
    # failure is logged and update_index repairs it.
    catch_indexing_errors = True

    def __init__(self, params):
        super().__init__(params)
        self.path = Path(params.get("PATH") or default_path())
        self.lock_timeout = float(params.get("LOCK_TIMEOUT", 10))
        self.rebuild_processes = int(params.get("REBUILD_PROCESSES", 2))

    def get_index_for_model(self, model):
        return self.index_class(self, model)

    def store_for(self, model):
        root = get_model_root(model)
        return IndexStore(self.path / family_name(root), family_schema(root).schema, lock_timeout=self.lock_timeout)

    def index_available(self, model):
        """Whether ``model``'s index exists and can be read (search pages can say when not)."""
        return self.store_for(model).is_available()

    # "Did you mean"

    def suggest(self, query_string, models=None):
        """``query_string`` with misspelt words replaced by the closest words in the index, or None
        if every word is known (or nothing close is)."""
        words = plain_terms(query_string)
        if not words:
            return None
        # For each word: is it known anywhere, and which known words are close to it.
        known, candidates = set(), {}
        roots = {get_model_root(model) for model in (models or get_indexed_models())}
        for root in roots:
            store = self.store_for(root)
            self._read_spelling(store, words, known, candidates)
        corrected = []
        for word in words:
            if word in known or len(word) < 3 or not word.isalpha() or is_stop_word(word) or not candidates.get(word):
                corrected.append(word)
                continue
            # Fewest edits first, then the word found in the most items.
            best = min(candidates[word].items(), key=lambda item: (_edit_distance(word, item[0]), -item[1], item[0]))
            corrected.append(best[0])
        return " ".join(corrected) if corrected != words else None

    @staticmethod
    def _read_spelling(store, words, known, candidates):
        def read(snapshot):
            reader = snapshot.searcher.reader()
            if "spell" not in reader.schema:
                return
            corrector = reader.corrector("spell")
            for word in words:
                if reader.doc_frequency("spell", word):
                    known.add(word)
                    continue
                for candidate in corrector.suggest(word, limit=3, maxdist=2, prefix=1):
                    found = candidates.setdefault(word, {})
                    found[candidate] = found.get(candidate, 0) + reader.doc_frequency("spell", candidate)

        try:
            store.read(read)
        except IndexUnavailable as exc:
            # No suggestion is better than a broken page; the search itself reports the problem.
            logger.warning("%s; run update_index", exc, exc_info=exc.__cause__ is not None)

    # "More like this"

    def more_like_this(self, model_or_queryset, text, fields=None, limit=5, exclude_pk=None):
        """The ``limit`` objects whose text best matches ``text`` (e.g. a title being typed), best
        first: any word may match, rarer words count for more. Filters on the queryset apply.

        ``fields`` defaults to the fields that describe an item, those given a boost (titles,
        names, summaries), falling back to every searchable field.
        """
        queryset = model_or_queryset if isinstance(model_or_queryset, QuerySet) else model_or_queryset.objects.all()
        if not class_is_indexed(queryset.model) or limit <= 0:
            return []
        compiler = self.query_compiler_class(queryset, MATCH_ALL, fields=fields, operator="or")
        compiler.check()
        search_fields = compiler.search_fields()
        if fields is None:
            search_fields = [(name, boost) for name, boost in search_fields if boost > 1] or search_fields
        terms = similarity_terms(text)
        allowed = compiler.build_filter()
        if not terms or not search_fields or allowed is wq.NullQuery:
            return []
        results = self.results_class(self, compiler)

        def find(snapshot):
            searcher = snapshot.searcher
            reader = searcher.reader()
            present = [(name, boost) for name, boost in search_fields if name in reader.schema]
            # How many items have each term (in any of the fields): the rarest terms say most about
            # what the text is about; common ones only add noise (and time).
            frequency = {term: sum(reader.doc_frequency(name, term) for name, _ in present) for term in terms}
            chosen = sorted((term for term in terms if frequency[term]), key=frequency.get)[:SIMILAR_TERMS]
            if not chosen:
                return []
            options = {"limit": limit}
            if allowed is not None and not isinstance(allowed, wq.Every):
                options["filter"] = snapshot.allowed(allowed)
                if not options["filter"]:
                    return []
            if exclude_pk is not None:
                excluded = searcher.document_number(pk=str(exclude_pk))
                if excluded is not None:
                    options["mask"] = {excluded}
            # One flat union of every (term, field) pair, not an Or of per-term Ors: Whoosh builds
            # it as a tree weighted by posting-list length, so the long lists of common terms sit
            # near the root and each of their postings passes through few matchers (about 40%
            # less time than the nested form at 50,000 pages). Scores are the same sums.
            similar = _in_any_field([wq.Term(name, term, boost=boost) for term in chosen for name, boost in present])
            hits = searcher.search(similar, **options)
            if not hits:
                return []
            best = hits[0].score
            return [(hit["pk"], hit.score) for hit in hits if hit.score >= best * SIMILAR_MIN_SHARE]

        return results._load(results._read(find, default=[]))


def _edit_distance(first, second):
    """Levenshtein distance, to rank spelling suggestions from several indexes together."""
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


SearchBackend = WhooshSearchBackend
