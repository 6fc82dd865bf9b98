"""The search page and the similar-content suggestions shown while a title is typed."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from taggit.models import Tag

from .. import hooks
from . import search as sitesearch

SEARCH_RESULTS_PER_PAGE = 10


def search(request):
    """One search over every kind of content, faceted by type and tag, with "Did you mean …?"."""
    query = sitesearch.clean_query(request.GET.get("q"))
    context = {"query": query, "types": [], "results": None}
    if not query:
        context["popular_tags"] = Tag.objects.order_by("name")[:30]
        return render(request, "community/search.html", context)

    tag = Tag.objects.filter(slug=request.GET.get("tag", "")).first()
    wanted = request.GET.get("type", "")
    counts, total = _counted_searches(query, request, tag, "and")
    # Nothing has every word: offer a spelling that finds something, and show what has some words.
    suggestion = _working_suggestion(query, request, tag) if total == 0 else None
    loosened = False
    if total == 0 and sitesearch.can_loosen(query):
        loose_counts, loose_total = _counted_searches(query, request, tag, "or")
        if loose_total:
            counts, total, loosened = loose_counts, loose_total, True

    active = next((entry for entry in counts if entry[0].key == wanted), None) or next(
        (entry for entry in counts if entry[2]), counts[0]
    )
    active_type, results, _ = active
    page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    recorders = [(recorder, recorder.record(request, query, total)) for recorder in _recorders()]
    hits = [
        {
            "object": obj,
            "snippet": sitesearch.highlight(active_type.snippet(obj), query),
            "href": _recorded_link(recorders, obj),
        }
        for obj in page
    ]
    context.update(
        {
            "types": [{"type": t, "count": count, "active": t is active_type} for t, _, count in counts],
            "active_type": active_type,
            "page": page,
            "hits": hits,
            "total": total,
            "tag": tag,
            "tag_facets": sitesearch.tag_counts(active_type, [obj.pk for obj in results[: sitesearch.TAG_FACET_HITS]]),
            "suggestion": suggestion,
            "loosened": loosened,
            "unavailable": sitesearch.unavailable_types(),
        }
    )
    return render(request, "community/search.html", context)


def _recorders():
    return hooks.registered(hooks.SEARCH_RECORDERS)


def _recorded_link(recorders, obj) -> str:
    """The address a hit links to when a recorder wants the click counted ("" for the item's own)."""
    for recorder, token in recorders:
        if token is not None:
            href = recorder.link(token, obj)
            if href:
                return href
    return ""


def _counted_searches(query, request, tag, operator):
    """``([(search type, lazy results, count), …], total)`` for every kind of content."""
    counts = []
    for search_type in sitesearch.search_types():
        results = sitesearch.run_search(query, search_type, request, tag, operator=operator)
        counts.append((search_type, results, results.count()))
    return counts, sum(count for _, _, count in counts)


def _working_suggestion(query, request, tag):
    """ "Did you mean …?" only for a spelling that finds something this person may see: the index's
    vocabulary also holds words from drafts and hidden posts, which must not leak through it."""
    suggestion = sitesearch.suggest(query)
    if suggestion is None:
        return None
    for search_type in sitesearch.search_types():
        if sitesearch.run_search(suggestion, search_type, request, tag).count():
            return suggestion
    return None


def similar(request):
    """Up to five items like the title being typed (an htmx partial; a plain page without JS)."""
    search_type = sitesearch.get_search_type(request.GET.get("type", ""))
    if search_type is None:
        raise Http404("Unknown kind of content")
    query = sitesearch.clean_query(request.GET.get("q") or request.GET.get("title"))
    exclude = request.GET.get("exclude")
    items = sitesearch.similar(
        query, search_type, request, exclude_pk=int(exclude) if exclude and exclude.isdigit() else None
    )
    template = "community/includes/similar.html" if request.htmx else "community/similar.html"
    links = [sitesearch.link_for(item) for item in items]
    return render(request, template, {"items": links, "query": query, "search_type": search_type})
