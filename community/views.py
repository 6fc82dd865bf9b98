from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from . import sitesearch
from .forms import ProfileForm
from .models import Directorate, Profile
from .tags import tag_sections

PEOPLE_PER_PAGE = 24
SEARCH_RESULTS_PER_PAGE = 10


def people_index(request):
    """The staff directory: find a colleague by name, role, team or directorate."""
    query = request.GET.get("q", "").strip()[:200]
    directorate = request.GET.get("directorate", "")
    profiles = Profile.objects.active().select_related("user", "directorate")
    if query:
        words = query.split()[:10]
        for word in words:
            profiles = profiles.filter(
                Q(display_name__icontains=word)
                | Q(job_title__icontains=word)
                | Q(team__icontains=word)
                | Q(directorate__name__icontains=word)
                | Q(user__username__iexact=word)
            )
    if directorate:
        profiles = profiles.filter(directorate__slug=directorate)
    page = Paginator(profiles, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/people_index.html",
        {
            "page": page,
            "query": query,
            "directorates": Directorate.objects.all(),
            "selected_directorate": directorate,
        },
    )


def profile_detail(request, username):
    user = get_object_or_404(get_user_model(), username=username, is_active=True)
    profile = Profile.for_user(user)
    return render(
        request,
        "community/profile_detail.html",
        {"profile": profile, "person": user, "is_own": user == request.user},
    )


def profile_edit(request):
    profile = Profile.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile has been updated.")
        return redirect(profile)
    return render(request, "community/profile_edit.html", {"form": form, "profile": profile})


def tag_index(request):
    return render(request, "community/tag_index.html", {"tags": Tag.objects.order_by("name")})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    sections = []
    for section in tag_sections():
        items = list(section.items(tag, request))
        sections.append({"section": section, "items": items})
    return render(request, "community/tag_detail.html", {"tag": tag, "sections": sections})


def search(request):
    """One search over every kind of content, faceted by type and tag, with "Did you mean …?"."""
    query = sitesearch.clean_query(request.GET.get("q"))
    context = {"query": query, "types": [], "results": None}
    if not query:
        context["popular_tags"] = Tag.objects.order_by("name")[:30]
        return render(request, "community/search.html", context)

    tag = Tag.objects.filter(slug=request.GET.get("tag", "")).first()
    wanted = request.GET.get("type", "")
    searches = [
        (search_type, sitesearch.run_search(query, search_type, request, tag))
        for search_type in sitesearch.search_types()
    ]
    counts = [(search_type, results, results.count()) for search_type, results in searches]

    total = sum(count for _, _, count in counts)
    active = next((entry for entry in counts if entry[0].key == wanted), None) or next(
        (entry for entry in counts if entry[2]), counts[0]
    )
    active_type, results, _ = active
    page = Paginator(results, SEARCH_RESULTS_PER_PAGE).get_page(request.GET.get("page"))
    hits = [{"object": obj, "snippet": sitesearch.highlight(active_type.snippet(obj), query)} for obj in page]
    context.update(
        {
            "types": [{"type": t, "count": count, "active": t is active_type} for t, _, count in counts],
            "active_type": active_type,
            "page": page,
            "hits": hits,
            "total": total,
            "tag": tag,
            "tag_facets": sitesearch.tag_counts(active_type, [obj.pk for obj in results[: sitesearch.TAG_FACET_HITS]]),
            "suggestion": sitesearch.suggest(query) if total == 0 else None,
            # Only worth asking when something may be missing.
            "unavailable": sitesearch.unavailable_types() if total == 0 else [],
        }
    )
    return render(request, "community/search.html", context)


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


@never_cache
@login_not_required
def healthz(request):
    """For load balancers: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def rate_limited(request, exception):
    """django-ratelimit sends over-limit requests here."""
    response = render(request, "429.html", status=429)
    response["Retry-After"] = "60"
    return response


@login_not_required
def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /\n", content_type="text/plain")
