"""Workshops plugged into the rest of Confer, and their emails.

Imported from CommunityConfig.ready: registers workshops with the home page, site search, tag
pages, follows, notifications and feeds, and listens for Wagtail's ``page_published`` (announce a new
workshop; tell people when one moves). Emails leave the request as django-tasks tasks, after the
transaction commits.
"""

import datetime
import logging
import smtplib

from django.core.mail import EmailMultiAlternatives
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django_tasks import task
from wagtail.signals import page_published

from skills.ranking import EvidenceSource, register_evidence_source

from .calendars import absolute_url, workshop_calendar
from .feeds import FEED_LENGTH, FeedSource, register_feed_source
from .follows import Followable, register_followable
from .notifications import EventType, notify, register_event_type
from .pages import WorkshopPage, WorkshopPageTag, WorkshopSignup, mark_my_status
from .panels import HomePanel, register_home_panel
from .sitesearch import SearchType, register_search_type
from .tags import TagSection, register_tag_section

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError)
HOME_PANEL_SIZE = 3
TAG_SECTION_SIZE = 10


def visible_workshops(user=None):
    """Published workshops without a view restriction: what lists, search, feeds and follows offer."""
    return WorkshopPage.objects.live().public()


def host_name(workshop) -> str:
    host = workshop.host
    if host is None:
        return ""
    profile = getattr(host, "profile", None)
    return profile.display_name if profile else host.get_username()


# --- what other parts show ------------------------------------------------------------------------


def _home_workshops(request):
    workshops = visible_workshops().upcoming().with_place_counts()[:HOME_PANEL_SIZE]
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


register_home_panel(
    HomePanel(key="upcoming-workshops", title="Upcoming workshops", items=_home_workshops,
              template="community/includes/workshop_home_panel.html", link="workshops",
              link_text="See all workshops", order=40)
)  # fmt: skip
register_tag_section(
    TagSection(key="workshops", title="Workshops", items=_workshops_for_tag,
               template="community/includes/workshop_tag_section.html", order=40)
)  # fmt: skip
register_search_type(
    SearchType(key="workshops", label="Workshops", model=WorkshopPage, queryset=lambda request: visible_workshops(),
               template="community/includes/workshop_search_hit.html", snippet=_search_snippet,
               tag_model=WorkshopPageTag, order=70)
)  # fmt: skip
register_followable(
    Followable(key="workshop", model=WorkshopPage, label="Workshops", visible=visible_workshops, order=50)
)
register_event_type(
    EventType(key="workshops.announced", label="New workshops",
              template="community/includes/workshop_notification_announced.html", order=60)
)  # fmt: skip
register_event_type(
    EventType(key="workshops.time_changed", label="Workshops that moved",
              template="community/includes/workshop_notification_time_changed.html", order=61)
)  # fmt: skip
register_feed_source(
    FeedSource(key="workshops", title="Workshops", items=_feed_items, item_title=lambda w: w.title,
               item_description=_feed_description, item_pubdate=_feed_pubdate, item_author=host_name,
               order=40, model=WorkshopPage)
)  # fmt: skip


# --- publishing -----------------------------------------------------------------------------------


def _workshop_published(sender, instance, revision=None, **kwargs):
    instance.record_publication(by=getattr(revision, "user", None))


page_published.connect(_workshop_published, sender=WorkshopPage, dispatch_uid="community.workshop_published")


def _is_public(workshop) -> bool:
    return visible_workshops().filter(pk=workshop.pk).exists()


def announce(workshop, by) -> None:
    """A new workshop: tell the followers of its tags (a workshop behind a view restriction is not
    announced, so nobody hears of what they may not see)."""
    tags = list(workshop.tags.all())
    if not tags or not _is_public(workshop):
        return
    notify(
        "workshops.announced",
        actor=by,
        target=workshop,
        followed=tags,
        title=workshop.title,
        url=workshop.get_url() or "",
        tags=[tag.name for tag in tags],
        data={"when": workshop.when},
    )


def tell_time_changed(workshop, by, was: str) -> None:
    """The workshop moved: tell everyone with a place or waiting, and its followers."""
    people = [signup.user for signup in workshop.signups.active().select_related("user")]
    notify(
        "workshops.time_changed",
        actor=by,
        target=workshop,
        followed=[workshop],
        recipients=people,
        title=workshop.title,
        url=workshop.get_url() or "",
        tags=list(workshop.tags.names()),
        data={"when": workshop.when, "was": was},
    )


# --- emails ---------------------------------------------------------------------------------------


def _email(signup, subject: str, template: str) -> EmailMultiAlternatives:
    workshop = signup.workshop
    context = {
        "signup": signup,
        "workshop": workshop,
        "person": signup.user,
        "name": getattr(getattr(signup.user, "profile", None), "display_name", "") or signup.user.get_username(),
        "url": absolute_url(workshop.get_url() or "/"),
        "host": host_name(workshop),
    }
    message = EmailMultiAlternatives(
        subject=subject, body=render_to_string(f"{template}.txt", context), to=[signup.user.email]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    calendar = workshop_calendar(workshop, with_link=signup.is_confirmed)
    message.attach(f"{workshop.slug}.ics", calendar, "text/calendar; charset=utf-8; method=PUBLISH")
    return message


@task()
def send_promotion_emails(signup_ids: list[int]) -> int:
    """Tell people who moved up from the waiting list that they have a place."""
    sent = 0
    signups = (
        WorkshopSignup.objects.confirmed()
        .filter(pk__in=signup_ids, promoted_at__isnull=False, user__is_active=True)
        .exclude(user__email="")
        .select_related("workshop", "user__profile")
    )
    for signup in signups:
        message = _email(signup, f"You have a place at {signup.workshop.title}", "community/workshop_email_promoted")
        try:
            message.send()
        except MAIL_ERRORS:
            logger.warning("Could not email promotion %s", signup.pk, exc_info=True)
            continue
        sent += 1
    return sent


def due_reminders(now=None):
    """Places at workshops that start before the end of tomorrow and whose reminder has not gone.

    Run daily, that is the day before; a workshop moved or signed up for at short notice still
    gets its reminder on the next run before it starts.
    """
    now = now or timezone.now()
    day_after_tomorrow = timezone.localdate(now) + datetime.timedelta(days=2)
    horizon = timezone.make_aware(datetime.datetime.combine(day_after_tomorrow, datetime.time.min))
    return (
        WorkshopSignup.objects.confirmed()
        .filter(
            reminder_sent_at__isnull=True,
            workshop__live=True,
            workshop__start_at__gt=now,
            workshop__start_at__lt=horizon,
            user__is_active=True,
        )
        .exclude(Q(user__email="") | Q(user__email__isnull=True))
        .select_related("workshop", "user__profile")
    )


def send_reminders(now=None) -> int:
    """Email each due reminder exactly once: the row is claimed before the email goes, and released
    if sending fails so the next run retries it. Returns how many were sent."""
    now = now or timezone.now()
    sent = 0
    for signup in due_reminders(now):
        claimed_at = timezone.now()
        claimed = WorkshopSignup.objects.filter(
            pk=signup.pk, reminder_sent_at__isnull=True, status=WorkshopSignup.Status.CONFIRMED
        ).update(reminder_sent_at=claimed_at)
        if not claimed:
            continue  # another run has it, or the place was cancelled meanwhile
        when = "today" if timezone.localdate(signup.workshop.start_at) == timezone.localdate(now) else "tomorrow"
        message = _email(signup, f"Reminder: {signup.workshop.title} is {when}", "community/workshop_email_reminder")
        try:
            message.send()
        except MAIL_ERRORS:
            logger.warning("Could not send workshop reminder %s; it will be retried", signup.pk, exc_info=True)
            WorkshopSignup.objects.filter(pk=signup.pk, reminder_sent_at=claimed_at).update(reminder_sent_at=None)
            continue
        sent += 1
    return sent


@task()
def send_workshop_reminders() -> int:
    """The scheduled form of ``manage.py send_workshop_reminders``: enqueue it daily (or hourly)."""
    return send_reminders()


# --- evidence for "who can help with X" (skills) --------------------------------------------------


def _workshops_on(tag_ids):
    return WorkshopPage.objects.live().filter(tagged_items__tag_id__in=tag_ids)


def hosted_workshop_counts(tag_ids) -> dict[int, int]:
    """Workshops someone ran on these topics (that have started), per host, in one query."""
    rows = (
        _workshops_on(tag_ids)
        .filter(host__isnull=False, start_at__lte=timezone.now())
        .order_by()
        .values("host_id")
        .annotate(count=Count("pk", distinct=True))
    )
    return {row["host_id"]: row["count"] for row in rows}


def attended_workshop_counts(tag_ids) -> dict[int, int]:
    """Workshops someone attended on these topics (attendance recorded), per person, in one query."""
    rows = (
        WorkshopSignup.objects.filter(attended=True, workshop__in=_workshops_on(tag_ids))
        .order_by()
        .values("user_id")
        .annotate(count=Count("workshop_id", distinct=True))
    )
    return {row["user_id"]: row["count"] for row in rows}


register_evidence_source(
    EvidenceSource(key="workshops.hosted", label="workshop run", plural="workshops run",
                   counts=hosted_workshop_counts, weight=3, order=30)
)  # fmt: skip
register_evidence_source(
    EvidenceSource(key="workshops.attended", label="workshop attended", plural="workshops attended",
                   counts=attended_workshop_counts, weight=1, order=31)
)  # fmt: skip
