"""The addresses workshop actions had before they were page routes, kept answering for bookmarks,
links in emails already sent, and forms on pages opened before the change.

Each finds the page the old address meant (by the workshop's or place's number, or the first
workshop index) and redirects to its route: 302 for GET and HEAD, and 307 for a POST, which makes
the browser send the same form (with its CSRF token) to the route, so the route does the work with
all its checks. Temporary redirects, because a page's address follows its slug and place in the
page tree, which editors can change. A workshop this person may not see is a 404, as it always was.

The page tree comes first: intranet/urls.py lists these after Wagtail's catch-all pattern, which
takes every address a page could have, so they are offered (by ``OldAddressesMiddleware``) only the
addresses Wagtail found no page for, for example a workshop whose slug is a number. Those with a
dot (``.ics``, ``.csv``) Wagtail never takes, so Django resolves them here directly.
"""

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, path, resolve
from wagtail.models import Page

from .models import WorkshopIndexPage, WorkshopPage, WorkshopSignup


def _visible_workshop(request, pk) -> WorkshopPage:
    """The published workshop, if this person may see its page (Wagtail's view restrictions)."""
    workshop = get_object_or_404(WorkshopPage.objects.live(), pk=pk)
    if any(not restriction.accept_request(request) for restriction in workshop.get_view_restrictions()):
        raise Http404("No such workshop")
    return workshop


def _first_index() -> WorkshopIndexPage | None:
    index = WorkshopIndexPage.objects.live().public().order_by("path").first()
    return index if index is not None and index.get_url() else None


def _moved_to(request, url: str) -> HttpResponseRedirect:
    if request.META.get("QUERY_STRING"):
        url = f"{url}?{request.META['QUERY_STRING']}"
    return HttpResponseRedirect(url, preserve_request=request.method not in ("GET", "HEAD"))


def index(request):
    """/workshops/: the workshop index, wherever editors put it (Wagtail serves it when it is here)."""
    index_page = _first_index()
    if index_page is None:
        return render(request, "community/workshop_none.html")
    return _moved_to(request, index_page.get_url(request))


def workshop_route(name: str):
    def view(request, pk):
        workshop = _visible_workshop(request, pk)
        return _moved_to(request, workshop.route_url(name, request=request))

    return view


def cancel(request, pk):
    signup = get_object_or_404(WorkshopSignup, pk=pk)
    workshop = _visible_workshop(request, signup.workshop_id)
    return _moved_to(request, workshop.route_url("cancel", signup.pk, request=request))


def index_route(name: str):
    def view(request):
        index_page = _first_index()
        if index_page is None:
            raise Http404("No workshop index")
        return _moved_to(request, index_page.route_url(name, request=request))

    return view


urlpatterns = [
    # The header's "Workshops" link (community.context_processors) and the home page's "See all
    # workshops" look for this name: /workshops/, the address people know.
    path("workshops/", index, name="workshops"),
    path("workshops/<int:pk>/sign-up/", workshop_route("sign_up")),
    path("workshops/<int:pk>/attendees/", workshop_route("attendees")),
    path("workshops/<int:pk>/attendees.csv", workshop_route("attendees_csv")),
    path("workshops/<int:pk>/calendar.ics", workshop_route("ics")),
    path("workshops/places/<int:pk>/cancel/", cancel),
    path("workshops/calendar/", index_route("calendar")),
    path("workshops/calendar/new-address/", index_route("calendar_revoke")),
]


class OldAddressesMiddleware:
    """Offers the old addresses above what Wagtail answered 404 for because no page is there; a
    404 from a page's own view (a place that does not exist, say) stands. Like Wagtail's
    RedirectMiddleware, it only ever replaces a 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        match = request.resolver_match
        if match is None or match.url_name != "wagtail_serve":
            return response
        if Page.route_for_request(request, request.path_info) is not None:
            return response  # a page answers here; Wagtail routed it there
        try:
            old = resolve(request.path_info, urlconf=__name__)
        except Resolver404:
            return response
        return old.func(request, *old.args, **old.kwargs)
