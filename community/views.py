"""The core's own pages: tag pages, and the small addresses every deployment needs."""

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from taggit.models import Tag

from .listening.models import ListeningPreferences
from .tags import tag_sections


def tag_index(request):
    return render(request, "community/tag_index.html", {"tags": Tag.objects.order_by("name")})


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    sections = []
    for section in tag_sections():
        items = list(section.items(tag, request))
        sections.append({"section": section, "items": items})
    feed_token = ListeningPreferences.for_user(request.user).feed_token
    return render(request, "community/tag_detail.html", {"tag": tag, "sections": sections, "feed_token": feed_token})


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
