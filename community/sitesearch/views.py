"""The search page and the similar-content suggestions shown while a title is typed."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from taggit.models import Tag

from .. import hooks
from . import search as sitesearch

SEARCH_RESULTS_PER_PAGE = 10


ALL = "all"


def search(request):
    """One ranked list over every kind of content ("All"), with the kinds kept as filters, a tag
    facet and "Did you mean …?". ``type`` (or ``kind``) picks a kind; old bookmarks that name a kind
    now shown inside another (answers are shown as their questions, skills and help offers as people)
    open that kind."""
    query = sitesearch.clean_query(request.GET.get("q"))
    context = {"query": query, "facets": [], "results": None}
    if not query:
        context["popular_tags"] = Tag.objects.order_by("name")[:30]
        return render(request, "community/search.html", context)

    tag = Tag.objects.filter(slug=request.GET.get("tag", "")).first()
    types = sitesearch.search_types()
    wanted = request.GET.get("kind") or request.GET.get("type") or ALL
    wanted_type = next((t for t in types if t.key == wanted), None)
    active = wanted_type.facet_key if wanted_type else ALL

    synonyms = sitesearch.Synonyms.load()
    results, capped, lexical = sitesearch.ranked_search(query, request, tag, "and", synonyms)
    # Nothing has every word: offer a spelling that finds something, and show what has some words
    # (with what is near in meaning, when semantic search found that).
    suggestion = _working_suggestion(query, request, tag) if not lexical else None
    loosened = False
    if not lexical and sitesearch.can_loosen(query):
        loose_results, loose_capped, loose_lexical = sitesearch.ranked_search(query, request, tag, "or", synonyms)
        if loose_lexical:
            results, capped, loosened = loose_results, loose_capped, True

    heads = [t for t in types if t.facet_key == t.key]
    facets = [{"key": ALL, "label": "All", "count": len(results), "capped": bool(capped), "active": active == ALL}]
    for head in heads:
        count = sum(1 for result in results if result.search_type.facet_key == head.key)
        facets.append(
            {
                "key": head.key,
                "label": head.label,
                "count": count,
                "capped": head.key in capped,
                "active": active == head.key,
            }
        )
    shown = results if active == ALL else [result for result in results if result.search_type.facet_key == active]
    page = Paginator(shown, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    # Insight is told about every search (one insert) and may want clicks counted on the way.
    recorders = [(recorder, recorder.record(request, query, len(results))) for recorder in _recorders()]
    hits = []
    for result in page:
        hit = sitesearch.hit_for(result, query, synonyms)
        hit["href"] = _recorded_link(recorders, result.obj)
        hits.append(hit)
    context.update(
        {
            "facets": facets,
            "active": active,
            "active_label": next(facet["label"] for facet in facets if facet["active"]),
            "active_type": next((head for head in heads if head.key == active), None),
            "page": page,
            "hits": hits,
            "total": len(results),
            "tag": tag,
            "tag_facets": sitesearch.tag_facets(shown),
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
    links = sitesearch.similar_links(items, search_type, request)
    return render(request, template, {"items": links, "query": query, "search_type": search_type})
