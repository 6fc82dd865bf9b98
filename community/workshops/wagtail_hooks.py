"""Workshops plugged into the rest of Confer (home page, tag pages, site search, follows,
notifications, feeds) and into the Wagtail admin: a workshop's attendee list is one click from its
page, and its host is chosen by name from a searchable list.

Imported by community/wagtail_hooks.py, since Wagtail looks for hooks in apps, not sub-packages.
"""

from django.contrib.auth.models import Permission
from django.db.models import Q
from django.utils import timezone
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.widgets import Button

from .. import hooks as confer_hooks
from ..hooks import (
    CommunityFeedSource,
    CommunityItem,
    EventType,
    FeedSource,
    Followable,
    HomePanel,
    ResultState,
    SearchType,
    TagSection,
)
from ..listening.feeds import FEED_LENGTH
from .chooser import host_chooser_viewset
from .models import (
    MANAGE_PERMISSION,
    WorkshopPage,
    WorkshopPageTag,
    WorkshopSignup,
    can_manage_workshops,
    host_name,
    mark_my_status,
    visible_workshops,
)

HOME_PANEL_SIZE = 3
TAG_SECTION_SIZE = 10


# --- what other parts show ------------------------------------------------------------------------


def _home_workshops(request):
    workshops = visible_workshops().upcoming().with_place_counts()[:HOME_PANEL_SIZE]
    return mark_my_status(list(workshops), request.user)


def _my_workshops(request):
    # The person's places and waiting-list entries at workshops still to come, soonest first.
    workshops = (
        visible_workshops()
        .upcoming()
        .filter(signups__user=request.user, signups__status__in=[WorkshopSignup.Status.CONFIRMED,
                                                                 WorkshopSignup.Status.WAITLISTED])
        .with_place_counts()[:HOME_PANEL_SIZE]
    )  # fmt: skip
    return mark_my_status(list(workshops), request.user)


def _workshops_for_tag(tag, request):
    now = timezone.now()
    workshops = visible_workshops().filter(tags=tag).with_place_counts()
    # Upcoming first (soonest first), then the most recent past ones.
    shown = list(workshops.upcoming(now)[:TAG_SECTION_SIZE]) + list(workshops.past(now)[:TAG_SECTION_SIZE])
    return mark_my_status(shown, request.user)


def _search_snippet(workshop):
    return f"{workshop.when}. {workshop.summary}"


def _feed_items(user, tag):
    workshops = visible_workshops(user).select_related("host__profile").prefetch_related("tags")
    if tag is not None:
        workshops = workshops.filter(tags=tag)
    return workshops.order_by("-first_published_at", "-pk")[:FEED_LENGTH]


def _feed_description(workshop):
    where = " · ".join(part for part in (workshop.place, "Online" if workshop.online_link else "") if part)
    return format_html("<p>{}</p><p>{}{}</p>", workshop.summary, workshop.when, f" – {where}" if where else "")


def _feed_pubdate(workshop):
    return workshop.first_published_at or workshop.last_published_at or timezone.now()


PAST_WORKSHOP_PRIOR = 0.8


def _describe_workshops(workshops, request):
    # A workshop still to come is worth more than one that has happened.
    now = timezone.now()
    return {w.pk: ResultState(prior=1.0 if w.end_at > now else PAST_WORKSHOP_PRIOR) for w in workshops}


@hooks.register(confer_hooks.HOME_PANELS)
def my_workshops_panel():
    return HomePanel(key="your-workshops", title="Your upcoming workshops", items=_my_workshops,
                     template="community/includes/workshop_home_panel.html", link="workshops",
                     link_text="See all workshops", order=8, personal=True, hide_when_empty=True)  # fmt: skip


@hooks.register(confer_hooks.HOME_PANELS)
def upcoming_workshops_panel():
    return HomePanel(key="upcoming-workshops", title="Upcoming workshops", items=_home_workshops,
                     template="community/includes/workshop_home_panel.html", link="workshops",
                     link_text="See all workshops", order=40)  # fmt: skip


@hooks.register(confer_hooks.TAG_SECTIONS)
def workshops_tag_section():
    return TagSection(key="workshops", title="Workshops", items=_workshops_for_tag,
                      template="community/includes/workshop_tag_section.html", order=40)  # fmt: skip


@hooks.register(confer_hooks.SEARCH_TYPES)
def workshops_search_type():
    return SearchType(key="workshops", label="Workshops", model=WorkshopPage,
                      queryset=lambda request: visible_workshops(),
                      template="community/includes/workshop_search_hit.html", snippet=_search_snippet,
                      tag_model=WorkshopPageTag, order=70,
                      weight=0.9, describe=_describe_workshops,
                      embed_text=lambda workshop: f"{workshop.title}. {workshop.summary}")  # fmt: skip


@hooks.register(confer_hooks.FOLLOWABLES)
def workshop_followable():
    return Followable(key="workshop", model=WorkshopPage, label="Workshops", visible=visible_workshops, order=50)


@hooks.register(confer_hooks.EVENT_TYPES)
def workshop_event_types():
    return [
        EventType(key="workshops.announced", label="New workshops",
                  template="community/includes/workshop_notification_announced.html", order=60),
        EventType(key="workshops.time_changed", label="Workshops that moved",
                  template="community/includes/workshop_notification_time_changed.html", order=61),
        EventType(key="workshops.promoted", label="Places from the waiting list",
                  template="community/includes/workshop_notification_promoted.html", order=62),
    ]  # fmt: skip


@hooks.register(confer_hooks.FEED_SOURCES)
def workshops_feed():
    return FeedSource(key="workshops", title="Workshops", items=_feed_items, item_title=lambda w: w.title,
                      item_description=_feed_description, item_pubdate=_feed_pubdate, item_author=host_name,
                      order=40, model=WorkshopPage)  # fmt: skip


# --- the Wagtail admin ----------------------------------------------------------------------------


def _attendees_button(page, user, priority):
    page_class = page.specific_class
    if page_class is None or not issubclass(page_class, WorkshopPage) or not page.live:
        return
    # The permission check needs no query per row; only a host who is not in the team needs the page.
    workshop = page.specific_deferred
    url = workshop.get_url()  # None outside every site
    if url and (can_manage_workshops(user) or workshop.can_manage(user)):
        yield Button("Attendees", url + workshop.reverse_subpage("attendees"), icon_name="group", priority=priority)


@hooks.register("register_page_header_buttons")
def workshop_header_buttons(page, user, view_name=None, next_url=None):
    yield from _attendees_button(page, user, priority=40)


@hooks.register("register_page_listing_more_buttons")
def workshop_listing_buttons(page, user, next_url=None):
    yield from _attendees_button(page, user, priority=45)


@hooks.register("register_admin_viewset")
def register_host_chooser():
    return host_chooser_viewset


@hooks.register("register_permissions")
def workshop_permissions():
    """Seeing every workshop's attendees, offered in the admin's group editor so it can be given to any group."""
    app_label, codename = MANAGE_PERMISSION.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)


@hooks.register(confer_hooks.PROFILE_ACTIVITY)
def workshop_profile_activity():
    from .models import host_activity

    return confer_hooks.ProfileActivity(key="workshops", items=host_activity, order=50)


# --- communities -----------------------------------------------------------------------------------


def _community_workshops_for(community, viewer):
    """Live workshops ``viewer`` may see: public ones, and those restricted to this community's
    members when ``viewer`` is one (``restrict_to_community``)."""
    shown = Q(pk__in=visible_workshops().values("pk"))
    if community.is_member(viewer):
        shown |= Q(community=community)
    return WorkshopPage.objects.live().filter(shown)


def _community_item(workshop):
    return CommunityItem(date=workshop.first_published_at or workshop.start_at, kind="Workshop",
                         title=workshop.title, url=workshop.url or "", snippet=f"{workshop.when}. {workshop.summary}",
                         pk=workshop.pk)  # fmt: skip


def _community_workshops(community, viewer, before, limit):
    posted_in = Q(community=community)
    tag_ids = [tag.pk for tag in community.tags.all()]
    if tag_ids:
        posted_in |= Q(pk__in=WorkshopPageTag.objects.filter(tag_id__in=tag_ids).values("content_object_id"))
    workshops = _community_workshops_for(community, viewer).filter(posted_in)
    if before is not None:
        workshops = workshops.filter(first_published_at__lt=before)
    return [_community_item(w) for w in workshops.order_by("-first_published_at", "-pk")[:limit]]


def _pinned_workshops(community, viewer, ids):
    return [_community_item(w) for w in _community_workshops_for(community, viewer).filter(pk__in=ids)]


@hooks.register(confer_hooks.COMMUNITY_FEED)
def community_workshops():
    return CommunityFeedSource(key="workshops", label="Workshops", items=_community_workshops,
                               pinned=_pinned_workshops, order=30)  # fmt: skip
