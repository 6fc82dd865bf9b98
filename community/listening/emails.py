"""Notification emails: one per notification, or daily and weekly digests.

Every email carries a signed one-click unsubscribe address (in the body and as RFC 8058
``List-Unsubscribe`` headers) and has plain-text and HTML parts. Sending is claim-then-send:
a failure (mail server down) releases the claim, so the next run retries and nothing is marked
sent that was not.
"""

import copy
import datetime
import logging
from collections import OrderedDict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from ..emails import MAIL_ERRORS, absolute_url, make_message
from ..markdown import plain_text
from .models import Digest, EmailFrequency, ListeningPreferences, Notification
from .notifications import as_they_stand, event_types, render_notification

logger = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "confer.unsubscribe"
# A digest claimed this long ago and never marked sent belongs to a run that died: retry it.
STALE_CLAIM = datetime.timedelta(hours=1)


def unsubscribe_token(user) -> str:
    """The token in an email's unsubscribe link: this person's unsubscribe secret, signed with the
    time (so it expires after ``UNSUBSCRIBE_LINK_DAYS``). It carries no user id: it used to carry
    the id in clear, never expire and be impossible to revoke."""
    secret = ListeningPreferences.for_user(user).unsubscribe_secret
    return signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).sign(secret)


def unsubscribe_link_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "UNSUBSCRIBE_LINK_DAYS", 90))


def user_for_unsubscribe_token(token: str):
    """The account a token was made for; None if it was forged, altered, revoked or the account
    is gone. Raises ``signing.SignatureExpired`` for a genuine link that is too old."""
    try:
        secret = signing.TimestampSigner(salt=UNSUBSCRIBE_SALT).unsign(token, max_age=unsubscribe_link_age())
    except signing.SignatureExpired:
        raise
    except signing.BadSignature:
        return None
    preferences = (
        ListeningPreferences.objects.select_related("user")
        .filter(unsubscribe_secret=secret, user__is_active=True)
        .first()
    )
    return preferences.user if preferences is not None else None


def notification_text(notification: Notification) -> str:
    """The notification's phrase without markup (for subjects and plain-text parts)."""
    return " ".join(plain_text(str(render_notification(notification))).split())


def _message(user, name: str, context: dict) -> EmailMultiAlternatives:
    """The email ``name`` to ``user``, with the unsubscribe link in its footer and headers."""
    unsubscribe = absolute_url(reverse("notifications:unsubscribe", args=[unsubscribe_token(user)]))
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe,
        "preferences_url": absolute_url(reverse("notifications:settings")),
    }
    headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
    return make_message(name, user.email, context, headers=headers)


def _item(notification: Notification) -> dict:
    # Links in an email need the site's address; the stored notification keeps its path.
    notification = copy.copy(notification)
    notification.url = absolute_url(notification.url)
    return {
        "notification": notification,
        "html": render_notification(notification),
        "text": notification_text(notification),
        "url": absolute_url(notification.get_absolute_url()),
    }


# --- one email per notification ------------------------------------------------------------------


def send_immediate(notification_ids) -> int:
    """Email each of these notifications to its recipient, unless read or emailed already.

    Returns how many were sent. A notification is claimed (``email_claimed_at`` set) before its
    email goes and released if sending fails, so two workers never send the same one and a failure
    is retried; ``emailed_at`` is set once it has gone. A claim older than ``STALE_CLAIM`` belongs
    to a worker that died mid-send (killed, say): it is taken over, so the email goes late rather
    than never.
    """
    sent = 0
    notifications = (
        Notification.objects.for_email()
        .filter(pk__in=list(notification_ids), recipient__is_active=True)
        .exclude(recipient__email="")
        .select_related("recipient", "actor__profile")
    )
    for notification in notifications:
        claimed_at = timezone.now()
        unclaimed = Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=claimed_at - STALE_CLAIM)
        if (
            not Notification.objects.for_email()
            .filter(unclaimed, pk=notification.pk)
            .update(email_claimed_at=claimed_at)
        ):
            continue  # someone else has it
        current = as_they_stand([notification])
        if not current:  # hidden since: never to be emailed
            Notification.objects.filter(pk=notification.pk).update(emailed_at=claimed_at)
            continue
        item = _item(current[0])
        message = _message(notification.recipient, "notification", {"item": item})
        try:
            message.send()
        except MAIL_ERRORS:
            logger.warning("Could not email notification %s; it will be retried", notification.pk, exc_info=True)
            Notification.objects.filter(pk=notification.pk, email_claimed_at=claimed_at).update(email_claimed_at=None)
            continue
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def pending_immediate_ids():
    """Notifications for people who want emails straight away that have not gone out yet."""
    return (
        Notification.objects.for_email()
        .filter(recipient__listening__email_frequency=EmailFrequency.IMMEDIATELY)
        .values_list("pk", flat=True)
    )


# --- digests -------------------------------------------------------------------------------------


def period_start(period: str, today: datetime.date) -> datetime.date:
    if period == Digest.Period.WEEKLY:
        return today - datetime.timedelta(days=today.weekday())  # the Monday of this week
    return today


def group_for_digest(notifications) -> list[dict]:
    """Items grouped by kind of event (in the registry's order), then by tag (alphabetical; items
    with no tag last). An item with several tags sits under the first, so it appears once."""
    order = {event_type.key: index for index, event_type in enumerate(event_types())}
    labels = {event_type.key: event_type.label for event_type in event_types()}
    groups: dict[str, OrderedDict] = {}
    for notification in sorted(notifications, key=lambda n: (order.get(n.event_type, len(order)), n.created_at)):
        tag = notification.tag_names[0] if notification.tag_names else ""
        groups.setdefault(notification.event_type, {}).setdefault(tag, []).append(_item(notification))
    return [
        {
            "label": labels.get(key, "Other updates"),
            "tags": [{"tag": tag, "items": tags[tag]} for tag in sorted(tags, key=lambda name: (name == "", name))],
        }
        for key, tags in groups.items()
    ]


def _claim_digest(user, period: str, start: datetime.date) -> Digest | None:
    now = timezone.now()
    # A claim left by a run that died long ago is released.
    Digest.objects.filter(
        user=user, period=period, period_start=start, sent_at__isnull=True, claimed_at__lt=now - STALE_CLAIM
    ).delete()
    try:
        with transaction.atomic():
            return Digest.objects.create(user=user, period=period, period_start=start, claimed_at=now)
    except IntegrityError:
        return None  # sent already this period, or being sent by another run


def send_digest(user, period: str, today: datetime.date) -> bool:
    """Send ``user`` their digest for the period containing ``today``; True if one was sent."""
    start = period_start(period, today)
    pending = list(
        Notification.objects.for_email().filter(recipient=user).select_related("actor__profile").order_by("created_at")
    )
    # Current titles, and nothing about a post hidden since it was made.
    current = as_they_stand(pending, recipient=user)
    if not current:
        if pending:  # all hidden since: never to be emailed
            Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at__isnull=True).update(
                emailed_at=timezone.now()
            )
        return False  # never an empty digest; nothing claimed, so a later run this period may still send
    digest = _claim_digest(user, period, start)
    if digest is None:
        return False
    groups = group_for_digest(current)
    label = "daily" if period == Digest.Period.DAILY else "weekly"
    count = len(current)
    message = _message(user, "digest", {"groups": groups, "count": count, "period_label": label})
    try:
        message.send()
    except MAIL_ERRORS:
        logger.warning("Could not send %s digest to %s; it will be retried", period, user, exc_info=True)
        digest.delete()
        return False
    sent_at = timezone.now()
    Notification.objects.filter(pk__in=[n.pk for n in pending], emailed_at__isnull=True).update(emailed_at=sent_at)
    Digest.objects.filter(pk=digest.pk).update(sent_at=sent_at, item_count=count)
    return True


def send_digests(now: datetime.datetime | None = None, periods=(Digest.Period.DAILY, Digest.Period.WEEKLY)) -> dict:
    """Send every due digest, and retry immediate emails that failed. Safe to run repeatedly:
    each person gets at most one digest per period."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    # People who never opened their preferences have the default (a daily digest) without a row yet.
    without = get_user_model().objects.filter(is_active=True, listening__isnull=True).values_list("pk", flat=True)
    ListeningPreferences.objects.bulk_create(
        [ListeningPreferences(user_id=pk) for pk in without], ignore_conflicts=True
    )
    stats = {"immediate": send_immediate(list(pending_immediate_ids()))}
    for period in periods:
        users = (
            get_user_model()
            .objects.filter(is_active=True, listening__email_frequency=period)
            .exclude(email="")
            .filter(notifications__emailed_at__isnull=True, notifications__read_at__isnull=True)
            .distinct()
        )
        stats[period] = sum(send_digest(user, period, today) for user in users)
    return stats
