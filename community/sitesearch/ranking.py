"""The one ranked list of /search/: every kind of content, folded and ordered by one formula.

Each kind of content (a ``SearchType``) is searched on its own, as before; its best
``CANDIDATES`` hits are turned into what they stand for (``SearchType.resolve``: an answer stands
for its question, a duplicate for the question it duplicates, a skill for its person), the hits
that stand for the same thing are merged, and each result is scored:

    score = prior(state) × Σ over the ways it was found of  weight(kind) × weight(way) / (K + rank)

``rank`` is the hit's place in its kind's own list (1 for the best), so scores of different
backends and different kinds can be compared; ``prior`` comes from the result's state
(``SearchType.describe``: an accepted or verified answer, an expert). With semantic search on, the
nearest neighbours of the query are one more way of finding, across all kinds (``SEMANTIC_WEIGHT``).
The weights and why they are what they are: docs/search.md.
"""

from dataclasses import dataclass, field

from ..hooks import Found, ResultState, SearchType

CANDIDATES = 60  # the best hits read from each kind: enough for six pages of the busiest kind
SEMANTIC_WEIGHT = 1.0  # the nearest neighbours of the query, across kinds, count as much as one kind's hits
SEMANTIC_MIN_SIMILARITY = 0.3  # below this cosine all-MiniLM-L6-v2 neighbours are mostly unrelated
SIMILAR_MIN_SIMILARITY = 0.45  # while a title is typed: only what is plainly about the same thing
K = 5  # rank damping: 1/(K+1) vs 1/(K+2) is 17% apart, so a state prior can overturn close ranks only


@dataclass
class Result:
    """One entry of the ranked list."""

    search_type: SearchType
    obj: object
    score: float = 0.0
    best_rank: int = 10**6
    snippets: list = field(default_factory=list)
    reasons: list = field(default_factory=list)
    also_asked_as: list = field(default_factory=list)
    state: ResultState = ResultState()

    @property
    def identity(self):
        return (self.search_type.key, self.obj.pk)


def _add(results: dict, types_by_key: dict, found: Found, weight: float, rank: int, order: list):
    target_type = types_by_key.get(found.kind)
    if target_type is None or found.obj is None:
        return
    key = (target_type.key, found.obj.pk)
    result = results.get(key)
    if result is None:
        result = results[key] = Result(search_type=target_type, obj=found.obj)
        order.append(key)
    result.score += weight * found.weight / (K + rank)
    result.best_rank = min(result.best_rank, rank)
    if found.snippet and found.snippet not in result.snippets:
        result.snippets.append(found.snippet)
    if found.reason and found.reason not in result.reasons:
        result.reasons.append(found.reason)
    duplicate = found.also_asked_as
    if duplicate is not None and all(other.pk != duplicate.pk for other in result.also_asked_as):
        result.also_asked_as.append(duplicate)


SCORE_FIELD = "_search_score"


def tied_ranks(hits: list) -> list[int]:
    """Each hit's place in its kind's list, hits of equal score sharing a place (1, 1, 3, …).

    Equal relevance is then decided by state, not by which was indexed first; a backend that does
    not score (the database fallback) ties every hit."""
    ranks, place, previous = [], 1, object()
    for position, hit in enumerate(hits, start=1):
        score = getattr(hit, SCORE_FIELD, None)
        if position > 1 and not _same(score, previous):
            place = position
        ranks.append(place)
        previous = score
    return ranks


def _same(score, previous) -> bool:
    if score is None or previous is None:
        return score is None and previous is None
    return abs(score - previous) <= 1e-6 * max(abs(score), abs(previous), 1e-12)


def merge(hits_by_type: list[tuple[SearchType, list]], request, extra_routes=()) -> list[Result]:
    """Fold every kind's hits into one list of results, best first.

    ``hits_by_type`` is ``[(search type, its hits best first), …]``; ``extra_routes`` are more ranked
    lists of ``(Found, weight)`` (the semantic neighbours), each counted like a kind of its own.
    """
    types_by_key = {search_type.key: search_type for search_type, _ in hits_by_type}
    results: dict = {}
    order: list = []
    for search_type, hits in hits_by_type:
        if search_type.resolve:
            found_list = search_type.resolve(hits, request)
        else:
            found_list = [Found(search_type.key, hit) for hit in hits]
        for rank, found in zip(tied_ranks(hits), found_list, strict=True):
            if found is not None:
                _add(results, types_by_key, found, search_type.weight, rank, order)
    for route_weight, found_list in extra_routes:
        for rank, found in enumerate(found_list, start=1):
            if found is not None:
                _add(results, types_by_key, found, route_weight, rank, order)

    by_type: dict = {}
    for key in order:
        by_type.setdefault(key[0], []).append(results[key])
    for type_key, entries in by_type.items():
        search_type = types_by_key[type_key]
        if search_type.describe is None:
            continue
        states = search_type.describe([entry.obj for entry in entries], request)
        for entry in entries:
            entry.state = states.get(entry.obj.pk, ResultState())
            entry.score *= entry.state.prior
    ranked = [results[key] for key in order]
    ranked.sort(key=lambda entry: (-entry.score, entry.best_rank, entry.search_type.order))
    return ranked


def fuse(ranked_lists: list[list]) -> list:
    """Reciprocal rank fusion of lists of objects (the same object in several adds up), best first."""
    scores: dict = {}
    objects: dict = {}
    for ranked in ranked_lists:
        for rank, obj in enumerate(ranked, start=1):
            scores[obj.pk] = scores.get(obj.pk, 0.0) + 1.0 / (K + rank)
            objects.setdefault(obj.pk, obj)
    return [objects[pk] for pk in sorted(scores, key=lambda pk: -scores[pk])]
