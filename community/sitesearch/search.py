"""Site search: one query over every kind of content, through Wagtail's search API.

Each part of Confer declares the kinds of content it offers (a ``SearchType``, through the
``confer_search_types`` hook); the search page, its facets and the similar-content suggestions then work the
same whichever search backend settings choose.
"""

import difflib
import logging
import re
import unicodedata

from django.db.models import Count
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from modelsearch.backends import get_search_backend
from modelsearch.backends.base import EmptySearchResults
from modelsearch.query import And, Or, Phrase, PlainText
from taggit.models import Tag

from .. import hooks
from ..hooks import Found, SearchType
from . import ranking, semantic
from .synonyms import Synonyms, unit_query

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200
SNIPPET_LENGTH = 220
TAG_FACET_HITS = 200  # how many of the best hits the tag counts look at


def search_types() -> list[SearchType]:
    return hooks.registered(hooks.SEARCH_TYPES)


def get_search_type(key: str) -> SearchType | None:
    return hooks.find(hooks.SEARCH_TYPES, key)


def clean_query(raw: str | None) -> str:
    """A query as people meant it: no control characters, single spaces, a sensible length."""
    text = "".join(" " if unicodedata.category(char).startswith("C") else char for char in raw or "")
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def parse_query(query: str, operator: str = "and", synonyms: Synonyms | None = None):
    """Turn what someone typed into modelsearch query objects: "quoted words" become phrases,
    everything else plain words that must all match (or, with ``operator="or"``, any of them).
    Syntax characters are never passed on, so an unbalanced quote, a lone * or a word like AND is
    just text, on every backend: a quote left open ("error 809) is ignored and its words searched.
    With ``synonyms``, a word or phrase in a synonym group matches any term of its group(s).
    """
    phrases = [" ".join(re.findall(r"\w+", phrase)) for phrase in re.findall(r'"([^"]*)"', query)]
    words = re.findall(r"\w+", re.sub(r'"[^"]*"', " ", query))
    parts = [Phrase(phrase) for phrase in phrases if phrase]
    units = synonyms.expand(words) if synonyms else words
    plain = [unit for unit in units if isinstance(unit, str)]
    if plain:
        parts.append(PlainText(" ".join(plain), operator=operator))
    parts.extend(unit_query(*unit) for unit in units if isinstance(unit, tuple))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else And(parts) if operator == "and" else Or(parts)


def can_loosen(query: str) -> bool:
    """Whether matching any word (or phrase) would find more than matching all of them."""
    phrases = [phrase for phrase in re.findall(r'"([^"]*)"', query) if re.search(r"\w", phrase)]
    return len(phrases) + len(re.findall(r"\w+", re.sub(r'"[^"]*"', " ", query))) > 1


def query_terms(query: str) -> list[str]:
    return [term for term in re.findall(r"\w+", query.lower()) if len(term) > 1 or not term.isascii()]


def highlight(text: str, query: str, length: int = SNIPPET_LENGTH) -> SafeString:
    """A snippet of plain text around the first match, with matched words in <mark>."""
    text = " ".join((text or "").split())
    terms = query_terms(query)
    if not text:
        return mark_safe("")
    pattern = re.compile("|".join(rf"\b{re.escape(term)}\w*" for term in terms), re.IGNORECASE) if terms else None
    start = 0
    if pattern and (first := pattern.search(text)) and first.start() > length // 3:
        start = text.rfind(" ", 0, first.start() - length // 3) + 1
    window = text[start : start + length]
    if start + length < len(text):
        window = window[: window.rfind(" ")] if " " in window else window
    parts, position = [], 0
    for match in pattern.finditer(window) if pattern else ():
        parts.append(escape(window[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(window[position:]))
    prefix = "… " if start else ""
    suffix = " …" if start + len(window) < len(text) else ""
    return mark_safe(prefix + "".join(parts) + suffix)  # every piece was escaped above


def suggest(query: str) -> str | None:
    """ "Did you mean …?" from the index's own vocabulary, or failing that from the tag vocabulary."""
    backend = get_search_backend()
    if hasattr(backend, "suggest"):
        models = [search_type.model for search_type in search_types()]
        suggestion = backend.suggest(query, models)
        return suggestion if suggestion and suggestion.lower() != query.lower() else None
    vocabulary = {word for name in Tag.objects.values_list("name", flat=True) for word in name.lower().split()}
    changed, words = False, []
    for word in query.lower().split():
        close = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75) if word not in vocabulary else []
        words.append(close[0] if close else word)
        changed |= bool(close)
    return " ".join(words) if changed else None


def unavailable_types() -> list[SearchType]:
    """Kinds of content whose index cannot be read (never built, deleted or damaged).

    Such searches find nothing rather than fail; the search page uses this to say why.
    """
    backend = get_search_backend()
    if not hasattr(backend, "index_available"):
        return []
    return [search_type for search_type in search_types() if not backend.index_available(search_type.model)]


def tagged_ids(search_type: SearchType, tag: Tag):
    return search_type.tag_model.objects.filter(tag=tag).values_list("content_object_id", flat=True)


def tag_counts(search_type: SearchType, ids) -> list[dict]:
    """The tags on the given items, most used first: the tag facet."""
    if search_type.tag_model is None or not ids:
        return []
    rows = (
        search_type.tag_model.objects.filter(content_object_id__in=ids)
        .values("tag__name", "tag__slug")
        .annotate(count=Count("content_object_id", distinct=True))
        .order_by("-count", "tag__name")[:15]
    )
    return [{"name": row["tag__name"], "slug": row["tag__slug"], "count": row["count"]} for row in rows]


def run_search(
    query: str,
    search_type: SearchType,
    request,
    tag: Tag | None = None,
    operator: str = "and",
    synonyms: Synonyms | None = None,
):
    """The search results for one type, lazily: slicing loads a page, ``count()`` only counts.
    Every word must match, or with ``operator="or"`` any word (best matches first)."""
    queryset = search_type.queryset(request)
    if tag is not None:
        if search_type.tag_model is None:
            queryset = queryset.none()
        else:
            queryset = queryset.filter(pk__in=list(tagged_ids(search_type, tag)))
    parsed = parse_query(query, operator, synonyms if synonyms is not None else Synonyms.load())
    if parsed is None:  # nothing searchable, e.g. "*" or "!!!"
        return EmptySearchResults()
    return get_search_backend().search(parsed, queryset)


def link_for(obj) -> dict:
    """Title and URL of any searchable object, for plain lists of links."""
    url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else obj.url
    return {"title": getattr(obj, "title", None) or str(obj), "url": url}


def similar_links(items, search_type: SearchType, request) -> list[dict]:
    """``link_for`` each similar item, with its state's labels ("2 answers", "Accepted", "Verified by
    the helpdesk") when its kind describes them: a few queries for the whole list."""
    states = search_type.describe(items, request) if search_type.describe and items else {}
    links = []
    for item in items:
        state = states.get(item.pk)
        links.append({**link_for(item), "labels": state.labels if state else ()})
    return links


def similar(query: str, search_type: SearchType, request, limit: int = 5, exclude_pk=None) -> list:
    """Items like the title being typed: the similar-question and similar-idea suggestions."""
    if len(query_terms(query)) == 0:
        return []
    title = query
    queryset = search_type.queryset(request)
    backend = get_search_backend()
    synonyms = Synonyms.load()
    if synonyms:  # the words of the title's synonyms count too
        query = " ".join([query, *synonyms.words_of(re.findall(r"\w+", query))])
    if hasattr(backend, "more_like_this"):
        # The backend leaves the item out itself: the queryset's filters stay the same for every
        # item being edited, so the backend's set of what they allow is worked out once.
        lexical = list(backend.more_like_this(queryset, query, limit=limit * 2, exclude_pk=exclude_pk))
    else:
        if exclude_pk is not None:
            queryset = queryset.exclude(pk=exclude_pk)
        # Any word may match, best matches first.
        words = " ".join(query_terms(query))
        lexical = list(backend.search(PlainText(words, operator="or"), queryset)[: limit * 2])
    near = semantic.neighbours(title, search_type, request, k=limit * 3, min_similarity=ranking.SIMILAR_MIN_SIMILARITY)
    near = [obj for obj, _ in near if obj.pk != exclude_pk]
    return ranking.fuse([lexical, near])[:limit]


def ranked_search(
    query: str, request, tag: Tag | None = None, operator: str = "and", synonyms: Synonyms | None = None
):
    """The one ranked list (``ranking.merge``) of every kind's best hits, and the kinds whose
    candidates ran out (``{facet key, …}``: there are more results than the list holds)."""
    hits_by_type, capped = [], set()
    synonyms = synonyms if synonyms is not None else Synonyms.load()
    types = search_types()
    for search_type in types:
        found = run_search(query, search_type, request, tag, operator=operator, synonyms=synonyms)
        hits = list(found.annotate_score(ranking.SCORE_FIELD)[: ranking.CANDIDATES])
        if len(hits) == ranking.CANDIDATES:
            capped.add(search_type.facet_key)
        hits_by_type.append((search_type, hits))
    lexical = sum(len(hits) for _, hits in hits_by_type)
    routes = [(ranking.SEMANTIC_WEIGHT, semantic_route(query, types, request, tag))]
    return ranking.merge(hits_by_type, request, extra_routes=routes), capped, lexical


def semantic_route(query: str, types: list[SearchType], request, tag: Tag | None = None) -> list:
    """The nearest neighbours of the query in every kind, as one list best first: the
    similarities of one model are comparable across kinds, unlike the lexical scores."""
    found = []
    if not semantic.refresh():
        return []
    for search_type in types:
        near = semantic.neighbours(
            query, search_type, request, tag, min_similarity=ranking.SEMANTIC_MIN_SIMILARITY, fresh=True
        )
        if not near:
            continue
        objects = [obj for obj, _ in near]
        resolved = (
            search_type.resolve(objects, request)
            if search_type.resolve
            else [Found(search_type.key, o) for o in objects]
        )
        found.extend((item, similarity) for item, (_, similarity) in zip(resolved, near, strict=True) if item)
    found.sort(key=lambda pair: -pair[1])
    return [item for item, _ in found[: ranking.CANDIDATES * 2]]


def hit_for(result: ranking.Result, query: str, synonyms: Synonyms | None = None) -> dict:
    """What the result template shows: the object, its state and highlighted snippets (the words
    of the query and of their synonyms)."""
    own = result.search_type.snippet(result.obj)
    if synonyms:
        query = " ".join([query, *synonyms.words_of(re.findall(r"\w+", query))])
    terms = query_terms(query)
    if result.snippets and not any(term in own.lower() for term in terms):
        own = result.snippets[0]  # found through another text (an answer): show that text
    return {
        "object": result.obj,
        "result": result,
        "state": result.state,
        "snippet": highlight(own, query),
        "answer": highlight(result.state.answer, query, length=160) if result.state.answer else "",
        "reasons": result.reasons,
        "also_asked_as": result.also_asked_as,
    }


def tag_facets(results: list) -> list[dict]:
    """The tags on the best results of any kind, most used first."""
    ids_by_type: dict = {}
    for result in results[:TAG_FACET_HITS]:
        if result.search_type.tag_model is not None:
            ids_by_type.setdefault(result.search_type.key, (result.search_type, []))[1].append(result.obj.pk)
    merged: dict = {}
    for search_type, ids in ids_by_type.values():
        for facet in tag_counts(search_type, ids):
            entry = merged.setdefault(facet["slug"], {**facet, "count": 0})
            entry["count"] += facet["count"]
    return sorted(merged.values(), key=lambda facet: (-facet["count"], facet["name"]))[:15]
