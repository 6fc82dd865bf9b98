"""Posting a comment (or a reply) on anything, through django-comments-xtd, with Confer's rules.

The views of each part check who may comment on what and the posting allowance first, then hand
over here; django-comments-xtd's own signals still run, so each part's receivers (visibility,
threads, notifications, follow-up emails) apply however a comment arrives.
"""

from collections.abc import Callable

import django_comments
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.text import Truncator
from django_comments.signals import comment_was_posted, comment_will_be_posted


def bound_comment_form(request, target):
    """The comment form with what was posted, and the person's name and email filled in."""
    user = request.user
    data = request.POST.copy()
    data["name"] = (getattr(getattr(user, "profile", None), "display_name", "") or user.get_username())[:50]
    data["email"] = user.email or f"{user.get_username()}@localhost"
    data["url"] = ""
    if not user.email:
        data.pop("followup", None)  # nowhere to send follow-ups
    return django_comments.get_form()(target, data=data)


def post_comment(request, target, replyable: list, rerender: Callable | None = None):
    """Save the comment in ``request.POST`` on ``target`` and redirect back to it.

    ``replyable`` is the list of the target's comments as shown, each with ``reply_form`` set
    where a reply is allowed: a reply to anything else is refused. Nothing is saved on an error.
    With ``rerender(form, status)`` the error comes back on the page shown again, the form keeping
    what was typed (``form.confer_error`` says what is wrong); without it, as a message after a
    redirect to the target's page.
    """
    back = f"{target.get_absolute_url()}#comments"
    form = bound_comment_form(request, target)

    def refuse(error):
        if rerender is not None:
            form.confer_error = error
            return rerender(form, 400)
        messages.error(request, error)
        return redirect(back)

    if form.security_errors():
        return HttpResponseBadRequest("The comment form has expired. Go back, reload the page and try again.")
    if form.errors:
        text = form.data.get("comment", "")
        error = "Enter a comment" if not text.strip() else "Comments must be 3,000 characters or fewer"
        return refuse(error if "comment" in form.errors else "Your comment was not saved. Try again.")
    parent_pk = form.cleaned_data["reply_to"]
    if parent_pk:
        parent = next((comment for comment in replyable if comment.pk == parent_pk), None)
        if parent is None or parent.reply_form is None:
            return refuse("You cannot reply to that comment. Add a new comment instead.")
    comment = form.get_comment_object(site_id=get_current_site(request).id)
    comment.ip_address = request.META.get("REMOTE_ADDR") or None
    comment.user = request.user
    # Each part's receivers check visibility, the thread and the posting limit here.
    responses = comment_will_be_posted.send(sender=comment.__class__, comment=comment, request=request)
    if any(response is False for _, response in responses):
        return refuse("Your comment was not saved")
    comment.save()
    comment_was_posted.send(sender=comment.__class__, comment=comment, request=request)
    messages.success(request, "Your comment has been added.")
    saved = getattr(comment, "xtd_comment", None)
    return redirect(f"{target.get_absolute_url()}#c{saved.pk}" if saved else back)


def place_refused_form(comments: list, form):
    """Where a comment form shown again after an error goes: a refused reply back under its comment
    (still open), so the form at the end is the blank one; a refused comment at the end. Returns the
    form for the end, or None for the usual blank one."""
    if form is None:
        return None
    reply_to = str(form.data.get("reply_to") or "0")
    parent = next((c for c in comments if str(c.pk) == reply_to and c.reply_form is not None), None)
    if parent is None:
        return form
    parent.reply_form = form
    return None


def tell_followers(temporary, target, event_type: str) -> None:
    """For django-comments-xtd's ``confirmation_received``, sent once a comment is saved: tell the
    people following ``target`` (anything with ``notify_followers``), linking to the comment itself.
    ``temporary`` is xtd's temporary comment, with no pk of its own; the saved one hangs off it."""
    saved = getattr(temporary, "xtd_comment", None)
    if target is None or saved is None or saved.user is None or not saved.is_public or saved.is_removed:
        return
    target.notify_followers(
        event_type,
        actor=saved.user,
        data={"comment": Truncator(saved.comment).words(30), "comment_id": saved.pk},
        url=f"{target.get_absolute_url()}#c{saved.pk}",
    )
