"""One way to build an email: subject, plain text and HTML from templates on one layout.

``make_message("digest", ...)`` renders ``templates/emails/digest-subject.txt``,
``digest-body.txt`` and ``digest-body.html``. The bodies extend ``emails/base.txt`` and
``emails/base.html``, which hold what every email shares: the Confer header, the greeting and
sign-off when the context has the person's ``name``, the footer (the ``footer`` block) and, when the
context has an ``unsubscribe_url``, the links to change or stop Confer's emails. HTML is escaped as
usual; the subject and the plain text are not (they are not HTML). Sending, and what to do when the
mail server refuses, stay with the caller.
"""

import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import Context
from django.template.loader import get_template
from django.utils.text import Truncator

# What ``message.send()`` raises when the mail server is down or refuses.
MAIL_ERRORS = (smtplib.SMTPException, OSError)
SUBJECT_LENGTH = 150


def absolute_url(path: str) -> str:
    """A link that works away from the site (in an email, a calendar): its address in front of a path."""
    return path if path.startswith(("http://", "https://")) else f"{settings.SITE_URL}{path}"


def _render(template_name: str, context: dict, *, html: bool) -> str:
    template = get_template(template_name)
    if html:
        return template.render(context)
    # Plain text: "Tom's" must not arrive as "Tom&#x27;s".
    return template.template.render(Context(context, autoescape=False))


def make_message(
    name: str,
    to: str | Iterable[str],
    context: dict,
    *,
    headers: dict | None = None,
    attachments: Iterable[tuple[str, str | bytes, str]] = (),
    reply_to: Iterable[str] = (),
) -> EmailMultiAlternatives:
    """The email ``name`` (see the module docstring) to the address(es) ``to``, ready to send.

    ``attachments`` are ``(filename, content, mimetype)``; ``headers`` are extra headers (such as
    ``List-Unsubscribe``). The subject is one line of at most 150 characters.
    """
    context = {"site_url": settings.SITE_URL, **context}
    subject = " ".join(_render(f"emails/{name}-subject.txt", context, html=False).split())
    message = EmailMultiAlternatives(
        subject=Truncator(subject).chars(SUBJECT_LENGTH),
        body=_render(f"emails/{name}-body.txt", context, html=False),
        to=[to] if isinstance(to, str) else list(to),
        headers=headers,
        reply_to=list(reply_to) or None,
    )
    message.attach_alternative(_render(f"emails/{name}-body.html", context, html=True), "text/html")
    for attachment in attachments:
        message.attach(*attachment)
    return message
