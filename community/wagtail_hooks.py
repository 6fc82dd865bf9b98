"""Wagtail additions: a workshop's attendee list is one click from its page in the admin, its host
is chosen by name from a searchable list, and a private page tells a colleague outside its groups
so, in Confer's own style."""

from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import PageViewRestriction

from .pages import WorkshopPage, can_manage_workshops, host_chooser_viewset


def _attendees_button(page, user, priority):
    page_class = page.specific_class
    if page_class is None or not issubclass(page_class, WorkshopPage) or not page.live:
        return
    # The permission check needs no query per row; only a host who is not in the team needs the page.
    if can_manage_workshops(user) or page.specific_deferred.can_manage(user):
        yield Button("Attendees", reverse("workshops:attendees", args=[page.pk]), icon_name="group", priority=priority)


@hooks.register("register_page_header_buttons")
def workshop_header_buttons(page, user, view_name=None, next_url=None):
    yield from _attendees_button(page, user, priority=40)


@hooks.register("register_page_listing_more_buttons")
def workshop_listing_buttons(page, user, next_url=None):
    yield from _attendees_button(page, user, priority=45)


@hooks.register("register_admin_viewset")
def register_host_chooser():
    return host_chooser_viewset


@hooks.register("before_serve_page")
def refuse_private_page(page, request, serve_args, serve_kwargs):
    """Wagtail sends a signed-in colleague outside a private page's groups to a sign-in form, which
    they cannot get past; tell them instead. Password and sign-in restrictions stay Wagtail's."""
    if not request.user.is_authenticated:
        return None
    for restriction in page.get_view_restrictions():
        if restriction.restriction_type == PageViewRestriction.GROUPS and not restriction.accept_request(request):
            response = render(request, "403_private_page.html", status=403)
            add_never_cache_headers(response)
            return response
    return None
