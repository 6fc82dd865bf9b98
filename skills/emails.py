"""The buddy emails: being asked, a reminder, the introduction, and "choose another volunteer".

These are addressed to one person about something they are part of, like a colleague's email, so
they go whatever the person's notification settings say (the in-app notification of the same event
is marked as emailed, so no digest repeats it). They leave the request as a django-tasks task once
the transaction commits.
"""

import contextlib
import contextvars
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.text import Truncator

logger = logging.getLogger(__name__)

MAIL_ERRORS = (smtplib.SMTPException, OSError)
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


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _name(user) -> str:
    profile = getattr(user, "profile", None)
    return profile.display_name if profile else user.get_username()


def _subject(kind: str, request, person, other) -> str:
    topics = request.topic_phrase()
    requester, volunteer = _name(request.requester), _name(request.volunteer) if request.volunteer else ""
    if kind == "asked":
        return f"{requester} asked you to be their digital buddy for {topics}"
    if kind == "reminder":
        return f"Reminder: {requester} is waiting for your reply about {topics}"
    if kind == "introduction":
        if person.pk == request.requester_id:
            return f"Meet {volunteer}, your digital buddy for {topics}"
        return f"Meet {requester}: you are their digital buddy for {topics}"
    if kind == "next_match":
        return f"Choose another volunteer to help with {topics}"
    if kind == "proposed":
        return f"Volunteers can now help you with {topics}"
    raise ValueError(f"Unknown buddy email {kind!r}")


def build(kind: str, request, person) -> EmailMultiAlternatives:
    other = request.volunteer if person.pk == request.requester_id else request.requester
    offer = getattr(request.volunteer, "help_offer", None) if request.volunteer_id else None
    context = {
        "kind": kind,
        "request": request,
        "person": person,
        "name": _name(person),
        "other": other,
        "other_name": _name(other) if other else "",
        "other_profile": getattr(other, "profile", None),
        "requester_name": _name(request.requester),
        "volunteer_name": _name(request.volunteer) if request.volunteer_id else "",
        "offer": offer,
        "topics": request.topic_phrase(),
        "url": absolute_url(request.get_absolute_url()),
        "site_url": settings.SITE_URL,
    }
    subject = Truncator(" ".join(_subject(kind, request, person, other).split())).chars(150)
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"skills/email/{kind}.txt", context),
        to=[person.email],
        # Replies to an introduction reach the other person, not a no-reply mailbox.
        reply_to=[other.email] if kind == "introduction" and other is not None and other.email else None,
    )
    message.attach_alternative(render_to_string(f"skills/email/{kind}.html", context), "text/html")
    return message


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
