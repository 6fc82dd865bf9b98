"""Posting a comment (or a reply) on anything, with Confer's rules, in one place.

A part's view finds the target (a 404 if the person may not see it) and hands over to
``post_comment``, which checks, counts and saves the comment, then tells the target. It talks to
the target only through these methods (``Commentable``), so the core knows nothing of questions or
ideas. django-comments' own post view is not routed (``intranet/urls.py``), so this is the only way
a comment arrives; its ``comment_will_be_posted`` and ``comment_was_posted`` signals are not sent.
"""

from collections.abc import Callable
from typing import Any, Protocol

import django_comments
from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.contrib.sites.shortcuts import get_current_site
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.text import Truncator
from django_comments_xtd.models import max_thread_level_for_content_type
from django_comments_xtd.views import notify_comment_followers

from .comment_html import CommentHtml
from .helpers import reserve_allowance
from .hooks import ActivityBatch, ActivityItem
from .markdown import plain_text, render_markdown
from .names import display_name
from .uploads import attach_uploaded_image


class Commentable(Protocol):
    """What ``post_comment`` needs of the thing commented on."""

    def get_absolute_url(self) -> str: ...

    def check_can_comment(self, user) -> None:
        """Raise PermissionDenied, saying why, if ``user`` may not comment here now."""

    def comment_posted(self, comment) -> None:
        """What follows a saved comment: counts, following, telling followers (``tell_followers``)."""

    # Optional: ``comment_deleted(comment)``, what follows a comment its author deleted (counts), and
    # ``comment_edited(comment)``, what follows an edit (telling the people newly @named).


def comment_url(target, comment) -> str:
    """The address of ``comment`` on ``target``'s page."""
    return f"{target.get_absolute_url().partition('#')[0]}#c{comment.pk}"


def takes_replies(comment) -> bool:
    """Whether ``comment`` is shallow enough in its thread to be replied to."""
    content_type = ContentType.objects.get_for_id(comment.content_type_id)  # cached: no query per comment
    return comment.level < max_thread_level_for_content_type(content_type)


def bound_comment_form(request, target, data=None):
    """The comment form with what was posted (or ``data``), and the person's name and email filled in."""
    user = request.user
    data = (request.POST if data is None else data).copy()
    data["name"] = display_name(user)[:50]
    data["email"] = user.email or f"{user.get_username()}@localhost"
    data["url"] = ""
    if not user.email:
        data.pop("followup", None)  # nowhere to send follow-ups
    return django_comments.get_form()(target, data=data)


def _reply_parent(target, parent_pk: int):
    """The comment a reply answers: shown on ``target`` itself and still taking replies, or None."""
    parent = (
        django_comments.get_model()
        .objects.filter(
            pk=parent_pk,
            content_type=ContentType.objects.get_for_model(target),
            object_pk=str(target.pk),
            is_public=True,
            is_removed=False,
        )
        .exclude(html__withdrawn_at__isnull=False)  # withdrawn by its author: it takes no replies
        .first()
    )
    return parent if parent is not None and takes_replies(parent) else None


def post_comment(
    request,
    target: Commentable,
    *,
    allowance: tuple[str, Any],
    limited: str,
    rerender: Callable | None = None,
    saved: Callable | None = None,
):
    """Save the comment in ``request.POST`` on ``target`` and redirect to it.

    In order: ``target.check_can_comment`` (a refusal comes back as a message on the target's page);
    the form; a reply's parent (a comment on this same target, not too deep); then one use of the
    posting ``allowance`` (``(group, rate)`` for ``reserve_allowance``; ``limited`` says it is used
    up) is reserved, atomically, before anything is saved. Then the comment is saved,
    ``target.comment_posted(comment)`` runs and django-comments-xtd's follow-up emails go. Nothing
    is saved or counted on an error. With
    ``rerender(form, status)`` an error comes back on the page shown again, the form keeping what was
    typed (``form.confer_error`` says what is wrong); without it, as a message after a redirect.
    ``saved(comment)``, if given, runs after a comment is saved (for messages of the part's own).
    """
    # A target shown on another's page (an answer: "question#answer-3") is returned to at its place.
    page, _, place = target.get_absolute_url().partition("#")
    back = f"{page}#{place or 'comments'}"
    try:
        target.check_can_comment(request.user)
    except PermissionDenied as refusal:
        messages.error(request, str(refusal))
        return redirect(back)
    # A picture chosen in the form (without JavaScript) is stored first and its Markdown added to
    # the comment; a refused one is said on the form, the text kept.
    data, upload_error = attach_uploaded_image(request, "comment")
    form = bound_comment_form(request, target, data)

    def refuse(error, status=400):
        if rerender is not None:
            form.confer_error = error
            return rerender(form, status)
        messages.error(request, error)
        return redirect(back)

    if form.security_errors():
        return HttpResponseBadRequest("The comment form has expired. Go back, reload the page and try again.")
    if upload_error:
        return refuse(upload_error)
    if form.errors:
        text = form.data.get("comment", "")
        error = "Enter a comment" if not text.strip() else "Comments must be 3,000 characters or fewer"
        return refuse(error if "comment" in form.errors else "Your comment was not saved. Try again.")
    parent_pk = form.cleaned_data["reply_to"]
    if parent_pk and _reply_parent(target, parent_pk) is None:
        return refuse("You cannot reply to that comment. Add a new comment instead.")
    reservation = reserve_allowance(request, *allowance)
    if not reservation:
        return reservation.refuse(refuse(limited, 429))

    data = form.get_comment_create_data(site_id=get_current_site(request).id)
    ip_address = request.META.get("REMOTE_ADDR") or None
    comment = django_comments.get_model()(**data, user=request.user, ip_address=ip_address)
    with transaction.atomic():
        comment.save()  # places a reply in its parent's thread
        CommentHtml.objects.create(comment=comment, body_html=render_markdown(comment.comment))
        target.comment_posted(comment)
    if comment.is_public:
        notify_comment_followers(comment)  # emails to those who ticked "Email me when someone comments"
    messages.success(request, "Your comment has been added.")
    if saved is not None:
        saved(comment)
    return redirect(comment_url(target, comment))


# --- owning your comment: delete it while nobody has replied, otherwise withdraw it ----------------


def has_replies(comment) -> bool:
    # django-comments-xtd threads: a reply's parent_id is its parent; a first comment's is itself.
    return django_comments.get_model().objects.filter(parent_id=comment.pk).exclude(pk=comment.pk).exists()


def is_withdrawn(comment) -> bool:
    html = CommentHtml.objects.filter(comment_id=comment.pk).first()
    return html is not None and html.withdrawn_at is not None


def deletion_refusal(comment, user) -> str | None:
    """Why ``user`` may not delete ``comment`` now, or None if they may: only its author, and only
    while nobody has replied to it."""
    if comment.user_id is None or comment.user_id != user.pk:
        return "Only the person who wrote this comment can delete it."
    if is_withdrawn(comment):
        return "You have withdrawn this comment already."
    if has_replies(comment):
        return "Someone has replied to this comment, so it can no longer be deleted. You can withdraw it instead."
    return None


def withdrawal_refusal(comment, user) -> str | None:
    if comment.user_id is None or comment.user_id != user.pk:
        return "Only the person who wrote this comment can withdraw it."
    if is_withdrawn(comment):
        return "You have withdrawn this comment already."
    return None


def delete_by(comment, user) -> None:
    """Delete ``comment`` for good, if ``user`` may (checked again on the locked row); its target
    hears (``comment_deleted``) so counts stay right."""
    model = django_comments.get_model()
    with transaction.atomic():
        stored = model.objects.select_for_update(of=("self",)).get(pk=comment.pk)
        refusal = deletion_refusal(stored, user)
        if refusal:
            raise PermissionDenied(refusal)
        target = stored.content_object
        stored.delete()
        if target is not None and hasattr(target, "comment_deleted") and stored.is_public and not stored.is_removed:
            target.comment_deleted(stored)


def withdraw_by(comment, user) -> None:
    """The author takes ``comment`` back: others see "Withdrawn by the author" in its place; the
    replies to it stay."""
    model = django_comments.get_model()
    with transaction.atomic():
        stored = model.objects.select_for_update(of=("self",)).get(pk=comment.pk)
        refusal = withdrawal_refusal(stored, user)
        if refusal:
            raise PermissionDenied(refusal)
        html, _ = CommentHtml.objects.get_or_create(
            comment=stored, defaults={"body_html": render_markdown(stored.comment)}
        )
        html.withdrawn_at = timezone.now()
        html.save(update_fields=["withdrawn_at"])


def edit_refusal(comment, user) -> str | None:
    if comment.user_id is None or comment.user_id != user.pk:
        return "Only the person who wrote this comment can edit it."
    if is_withdrawn(comment):
        return "You withdrew this comment, so it can no longer be edited."
    return None


def edit_by(comment, user, text: str) -> bool:
    """Change ``comment``'s text, if ``user`` may, rendering its HTML again; its target tells the
    people newly ``@named`` (``comment_edited``). Returns False when nothing changed."""
    model = django_comments.get_model()
    with transaction.atomic():
        stored = model.objects.select_for_update(of=("self",)).get(pk=comment.pk)
        refusal = edit_refusal(stored, user)
        if refusal:
            raise PermissionDenied(refusal)
        if stored.comment == text:
            return False
        stored.comment = text
        stored.save(update_fields=["comment"])
        CommentHtml.objects.update_or_create(comment=stored, defaults={"body_html": render_markdown(text)})
        target = stored.content_object
        if target is not None and hasattr(target, "comment_edited"):
            target.comment_edited(stored)
    comment.comment = text
    return True


def mark_replied(comments: list) -> list:
    """Set ``has_replies`` and ``withdrawn`` on each of a shown thread's comments (read with
    ``select_related("html")``), from the list itself, without a query: the author is offered
    "Delete" while nobody has replied, "Withdraw" after; a withdrawn comment takes no replies."""
    parents = {comment.parent_id for comment in comments if comment.parent_id != comment.pk}
    for comment in comments:
        comment.has_replies = comment.pk in parents
        html = getattr(comment, "html", None)
        comment.withdrawn = html is not None and html.withdrawn_at is not None
    return comments


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


def tell_followers(comment, target, event_type: str) -> None:
    """Tell the people following ``target`` (anything with ``notify_followers``) about a saved
    ``comment``, linking to the comment itself. For ``comment_posted``."""
    if comment.user is None or not comment.is_public or comment.is_removed:
        return
    target.notify_followers(
        event_type,
        actor=comment.user,
        data={"comment": Truncator(comment.comment).words(30), "comment_id": comment.pk},
        url=comment_url(target, comment),
    )


# --- a person's comments on their profile ("Recent activity", community.profiles.activity) ---------


def comment_activity(person, viewer, before, limit):
    """``person``'s newest comments that ``viewer`` may see, as an ``ActivityBatch``: those on
    things ``viewer`` may see, and not hidden or withdrawn (the person sees their own hidden and
    withdrawn ones, marked). The comments are read newest first along an index on (user,
    submit_date); what each is on comes from its kind (``comment_activity_targets(pks, viewer)``:
    one query per kind of thing commented on, whatever the number of comments), and comments on
    things ``viewer`` may not see are left out after reading."""
    own = viewer.pk == person.pk
    rows = django_comments.get_model().objects.filter(user=person, is_public=True).select_related("html")
    if not own:
        rows = rows.filter(is_removed=False).exclude(html__withdrawn_at__isnull=False)
    if before is not None:
        rows = rows.filter(submit_date__lt=before)
    rows = list(rows.order_by("-submit_date")[:limit])  # ("-pk" would sort: it is the child table's)
    wanted: dict[int, set] = {}
    for comment in rows:
        wanted.setdefault(comment.content_type_id, set()).add(comment.object_pk)
    targets = {}
    for content_type_id, pks in wanted.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None and hasattr(model, "comment_activity_targets"):
            name = str(model._meta.verbose_name)
            kind = f"Commented on {'an' if name[:1] in 'aeiou' else 'a'} {name}"
            found = model.comment_activity_targets([int(pk) for pk in pks if str(pk).isdigit()], viewer)
            targets.update({(content_type_id, str(pk)): (kind, title, url) for pk, (title, url) in found.items()})
    items = []
    for comment in rows:
        target = targets.get((comment.content_type_id, str(comment.object_pk)))
        if target is None:
            continue
        kind, title, url = target
        html = getattr(comment, "html", None)
        withdrawn = html is not None and html.withdrawn_at is not None
        items.append(
            ActivityItem(
                date=comment.submit_date,
                kind=kind,
                title=title,
                url=f"{url.partition('#')[0]}#c{comment.pk}",
                snippet=Truncator(plain_text(html.body_html) if html is not None else comment.comment).chars(160),
                state="Hidden by a moderator" if comment.is_removed else "Withdrawn" if withdrawn else "",
            )
        )
    return ActivityBatch(tuple(items), rows[-1].submit_date if len(rows) >= limit else None)
