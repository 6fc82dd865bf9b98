"""The buddy emails: being asked, a reminder, the introduction, and "choose another volunteer".

These are addressed to one person about something they are part of, like a colleague's email, so
they go whatever the person's notification settings say (the in-app notification of the same event
is marked as emailed, so no digest repeats it). They leave the request as a django-tasks task once
the transaction commits.
"""

import contextlib
import contextvars
import logging

from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from community.emails import MAIL_ERRORS, absolute_url, make_message
from community.names import display_name

logger = logging.getLogger(__name__)

_suppressed = contextvars.ContextVar("skills_emails_suppressed", default=False)


@contextlib.contextmanager
def suppressed():
    """Send no buddy emails inside this block: for loading demo content or importing history."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def email_later(kind: str, buddy_request, people) -> None:
    """Email ``people`` about ``buddy_request`` once the current transaction commits."""
    if _suppressed.get():
        return
    from .tasks import send_buddy_emails

    args = [kind, buddy_request.pk, [person.pk for person in people]]
    transaction.on_commit(lambda: send_buddy_emails.enqueue(*args))


def build(kind: str, request, person) -> EmailMultiAlternatives:
    other = request.volunteer if person.pk == request.requester_id else request.requester
    offer = getattr(request.volunteer, "help_offer", None) if request.volunteer_id else None
    context = {
        "kind": kind,
        "request": request,
        "person": person,
        "name": display_name(person),
        "other": other,
        "other_name": display_name(other) if other else "",
        "other_profile": getattr(other, "profile", None),
        "requester_name": display_name(request.requester),
        "volunteer_name": display_name(request.volunteer) if request.volunteer_id else "",
        "offer": offer,
        "topics": request.topic_phrase(),
        "url": absolute_url(request.get_absolute_url()),
    }
    # Replies to an introduction reach the other person, not a no-reply mailbox.
    reply_to = [other.email] if kind == "introduction" and other is not None and other.email else []
    return make_message(f"buddy-{kind.replace('_', '-')}", person.email, context, reply_to=reply_to)


def send(kind: str, request_id: int, user_ids: list[int]) -> int:
    """Send one kind of buddy email to each of these people who still has an account and an address."""
    from django.contrib.auth import get_user_model

    from .models import BuddyRequest

    request = (
        BuddyRequest.objects.select_related("requester__profile__directorate", "volunteer__profile__directorate")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return 0
    people = get_user_model().objects.filter(pk__in=user_ids, is_active=True).exclude(email="")
    sent = 0
    for person in people.select_related("profile"):
        try:
            build(kind, request, person).send()
        except MAIL_ERRORS:
            logger.warning("Could not send the %s email for buddy request %s", kind, request_id, exc_info=True)
            continue
        sent += 1
    return sent
