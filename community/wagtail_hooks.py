"""Wagtail admin additions: a workshop's attendee list is one click from its page in the admin."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets import Button

from .pages import WorkshopPage, can_manage_workshops


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
