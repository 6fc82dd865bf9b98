"""What workshops tell people: a new workshop announced to its tags' followers, a moved one to
everyone concerned, a place given from the waiting list, and the reminder the day before.

Imported from CommunityConfig.ready, to listen for Wagtail's ``page_published``. Emails leave the
request as django-tasks tasks, after the transaction commits.
"""

import datetime
import logging

from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published

from ..emails import MAIL_ERRORS, absolute_url, make_message
from ..listening.models import Notification
from ..listening.notifications import notify
from ..names import display_name
from .calendars import workshop_calendar
from .models import WorkshopPage, WorkshopSignup, host_name, visible_workshops

logger = logging.getLogger(__name__)


# --- publishing -----------------------------------------------------------------------------------


def _workshop_published(sender, instance, revision=None, **kwargs):
    restrict_to_community(instance)  # before it is announced: a members-only workshop is not
    instance.record_publication(by=getattr(revision, "user", None))


def restrict_to_community(workshop) -> None:
    """A workshop run for an invite-only community is seen by its members only: Wagtail's own view
    restriction to the community's members group, which every workshop list, feed, calendar and
    search already respects."""
    community = workshop.community
    if community is None or community.members_group_id is None:
        return
    restriction = PageViewRestriction.objects.filter(
        page=workshop, restriction_type=PageViewRestriction.GROUPS
    ).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(page=workshop, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(community.members_group_id)


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


def tell_promoted(workshop, signup_ids) -> None:
    """People given a place from the waiting list hear it in Confer too (the email follows)."""
    people = [signup.user for signup in WorkshopSignup.objects.filter(pk__in=signup_ids).select_related("user")]
    told = notify(
        "workshops.promoted",
        actor=None,
        target=workshop,
        recipients=people,
        title=workshop.title,
        url=workshop.get_url() or "",
        data={"when": workshop.when},
    )
    # The promotion email (with the calendar file) always goes; counting these notifications as
    # emailed keeps them out of immediate emails and digests, so nobody hears it twice by email.
    Notification.objects.filter(pk__in=[notification.pk for notification in told]).update(emailed_at=timezone.now())


# --- emails ---------------------------------------------------------------------------------------


def _email(signup, name: str, **context) -> EmailMultiAlternatives:
    """The email ``name`` about ``signup``'s workshop, with the workshop as a calendar file."""
    workshop = signup.workshop
    context = {
        **context,
        "signup": signup,
        "workshop": workshop,
        "person": signup.user,
        "name": display_name(signup.user),
        "url": absolute_url(workshop.get_url() or "/"),
        "host": host_name(workshop),
    }
    calendar = workshop_calendar(workshop, with_link=signup.is_confirmed)
    attachment = (f"{workshop.slug}.ics", calendar, "text/calendar; charset=utf-8; method=PUBLISH")
    return make_message(name, signup.user.email, context, attachments=[attachment])


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
        message = _email(signup, "workshop-promoted")
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
        message = _email(signup, "workshop-reminder", when=when)
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
