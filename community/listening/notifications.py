"""Notifications: one mechanism that every part of Confer plugs its events into.

A part declares each kind of event it raises (an ``EventType`` with its own template, through the
``confer_event_types`` hook), then calls ``notify()`` when the event happens. ``notify`` works out who hears
about it (followers of any of the things the event concerns, plus anyone named directly), never
the person who acted, and each person once however many ways they follow it. Email follows the
person's preference: straight away (a background task after the transaction commits), in a daily
or weekly digest (``manage.py send_digests``), or not at all.
"""

import copy
import uuid
from collections.abc import Callable, Iterable

import nh3
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from .. import hooks
from ..hooks import EventType
from .follows import follower_ids
from .models import EmailFrequency, ListeningPreferences, Notification

NOTIFICATION_BATCH = 1000


def event_types() -> list[EventType]:
    return hooks.registered(hooks.EVENT_TYPES)


def get_event_type(key: str) -> EventType:
    event_type = hooks.find(hooks.EVENT_TYPES, key)
    if event_type is None:
        raise LookupError(f"Unknown notification event type {key!r}: register it with the confer_event_types hook.")
    return event_type


def notify(
    event_type: str,
    *,
    actor,
    target,
    followed: Iterable = (),
    recipients: Iterable = (),
    title: str = "",
    url: str = "",
    tags: Iterable[str] = (),
    data: dict | None = None,
    can_see: Callable | None = None,
    once: bool = False,
) -> list[Notification]:
    """Tell everyone who follows any of ``followed``, and everyone in ``recipients``, about an event.

    ``target`` is what the notification links to (its ``get_absolute_url`` unless ``url`` is given);
    ``can_see(user_ids)`` may narrow the audience to people allowed to see the target. With ``once``,
    people already told of this event type on this target are not told again (an answer accepted,
    unaccepted and accepted again is news the first time only).
    """
    get_event_type(event_type)  # fail loudly on a typo, before anyone is told anything
    followed, recipients = list(followed), [user for user in recipients if user is not None]
    # "For you": named directly, or the author of what the event is about (their question, idea…).
    for_you = {user.pk for user in recipients} | {
        author_id for item in (target, *followed) if (author_id := getattr(item, "author_id", None)) is not None
    }
    audience = follower_ids(followed) | {user.pk for user in recipients}
    if actor is not None:
        audience.discard(actor.pk)
    if audience:
        audience = set(get_user_model().objects.filter(pk__in=audience, is_active=True).values_list("pk", flat=True))
    if can_see is not None and audience:
        audience = set(can_see(audience))
    content_type = ContentType.objects.get_for_model(target) if target is not None else None
    if once and audience and target is not None:
        audience -= set(
            Notification.objects.filter(
                event_type=event_type, content_type=content_type, object_id=target.pk, recipient_id__in=audience
            ).values_list("recipient_id", flat=True)
        )
    if not audience:
        return []
    event_id = uuid.uuid4()
    now = timezone.now()
    common = {
        "event_id": event_id,
        "event_type": event_type,
        "actor": actor,
        "content_type": content_type,
        "object_id": target.pk if target is not None else None,
        "title": (title or str(target))[:300],
        "url": url or target.get_absolute_url(),
        "tag_names": sorted(tags),
        "data": data or {},
        "created_at": now,
    }
    rows = [Notification(recipient_id=user_id, for_you=user_id in for_you, **common) for user_id in sorted(audience)]
    # A batch at a time: run by the task worker (outside any transaction) each batch commits on its
    # own, so a new post's 15,000 followers do not hold SQLite's one write lock for seconds while
    # every vote and answer waits. In a request, the request's transaction still holds them all.
    for start in range(0, len(rows), NOTIFICATION_BATCH):
        Notification.objects.bulk_create(rows[start : start + NOTIFICATION_BATCH], ignore_conflicts=True)
    immediate = list(
        ListeningPreferences.objects.filter(
            user_id__in=audience, email_frequency=EmailFrequency.IMMEDIATELY
        ).values_list("user_id", flat=True)
    )
    if immediate:
        from .tasks import send_immediate_emails

        ids = [str(event_id), immediate]
        transaction.on_commit(lambda: send_immediate_emails.enqueue(*ids))
    return list(Notification.objects.filter(event_id=event_id).order_by("recipient_id"))


def notify_from_worker(
    event_type: str,
    *,
    actor,
    target,
    followed: Iterable = (),
    tags: Iterable[str] = (),
    data: dict | None = None,
    can_see: str = "",
) -> None:
    """``notify()`` run by the task worker, for an event whose audience may be thousands of people
    (everyone following a tag a new post carries): the person posting does not wait while a
    notification is written for each of them. ``can_see`` names a method of ``target`` that narrows
    the audience, as ``notify``'s ``can_see`` does; it is called when the worker runs, so a post
    hidden or deleted by then reaches no one who may no longer see it.

    The task is enqueued inside the caller's transaction: on the database queue (``make serve``)
    the worker sees it only once the post is committed, and never if the post is rolled back; with
    the immediate backend (``make run``, the tests) it runs at once, as ``notify`` would.
    """
    from .tasks import fan_out

    get_event_type(event_type)  # fail loudly on a typo, in the request
    fan_out.enqueue(
        event_type,
        actor.pk if actor is not None else None,
        _reference(target),
        [_reference(item) for item in followed],
        sorted(tags),
        data or {},
        can_see,
    )


def _reference(item) -> list[int]:
    return [ContentType.objects.get_for_model(item).pk, item.pk]


def _referred(reference):
    content_type_id, pk = reference
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model._default_manager.filter(pk=pk).first() if model is not None else None


def fan_out_now(event_type, actor_id, target, followed, tags, data, can_see) -> int:
    """What the worker runs for ``notify_from_worker``: how many people were told."""
    target = _referred(target)
    if target is None:
        return 0  # deleted before the worker came to it
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id is not None else None
    followed = [item for item in map(_referred, followed) if item is not None]
    told = notify(
        event_type, actor=actor, target=target, followed=followed, tags=tags, data=data,
        can_see=getattr(target, can_see) if can_see else None,
    )  # fmt: skip
    return len(told)


def as_they_stand(notifications, recipient=None) -> list[Notification]:
    """``notifications`` as their recipients may read them now: each with its target's current
    title, and without those whose target its recipient may no longer see.

    A notification keeps the title it was made with, so that it reads right if its target is
    deleted. But a post edited since has a new title, and a post hidden since must not go on
    showing its title in lists, emails and digests. A target says both through an optional
    ``notification_title(user)`` (the title to show ``user``, or None if they may not see it);
    its queryset may offer ``for_notifications()`` to load what that needs. Targets are loaded in
    one query per kind of target, whatever the number of notifications. ``recipient``, when all
    the notifications are one person's, saves loading it for each.
    """
    notifications = list(notifications)
    wanted: dict[int, set] = {}
    for notification in notifications:
        if notification.content_type_id is not None and notification.object_id is not None:
            wanted.setdefault(notification.content_type_id, set()).add(notification.object_id)
    targets = {}
    for content_type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None or not hasattr(model, "notification_title"):
            continue
        queryset = model._default_manager.all()
        if hasattr(queryset, "for_notifications"):
            queryset = queryset.for_notifications()
        for target in queryset.filter(pk__in=ids):
            targets[(content_type_id, target.pk)] = target
    current = []
    for notification in notifications:
        target = targets.get((notification.content_type_id, notification.object_id))
        if target is None:  # gone, or a kind of target with nothing to check: as it was made
            current.append(notification)
            continue
        title = target.notification_title(recipient or notification.recipient)
        if title is None:
            continue
        if title != notification.title:
            notification = copy.copy(notification)
            notification.title = title[:300]
        current.append(notification)
    return current


def render_notification(notification: Notification, link: str | None = None) -> str:
    """The notification's phrase as inline HTML, from its event type's template.

    ``link`` replaces the address its links point to (in Confer: the address that marks it read).
    """
    if link is not None:
        notification = copy.copy(notification)
        notification.url = link
    event_type = hooks.find(hooks.EVENT_TYPES, notification.event_type)
    if event_type is None:
        return render_to_string("community/notifications/unknown.html", {"notification": notification})
    return render_to_string(event_type.template, {"notification": notification})


def one_link_phrase(notification: Notification) -> str:
    """The notification's phrase without links of its own, for a row that is one link as a whole
    (to ``get_absolute_url``, which opens it and marks it read)."""
    return mark_safe(nh3.clean(render_notification(notification), tags=set()))  # nh3 keeps text only


def recent_following(user, count: int) -> list[Notification]:
    """The newest ``count`` notifications from what this person follows, as they stand now."""
    latest = Notification.objects.filter(recipient=user, for_you=False).select_related("actor__profile")[:count]
    return as_they_stand(latest, recipient=user)


def start_at_zero(user) -> int:
    """A new account's first sign-in starts with nothing unread: whatever was told to it before
    (events on tags it was set to follow, between the account being made and the person first
    signing in) is marked read, not deleted, so the list is there but the count is zero."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
