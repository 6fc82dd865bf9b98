"""Comments (django-comments-xtd, on questions and ideas) as a kind the moderation queue knows.

Hiding a comment removes it (``is_removed``): every page that lists comments leaves removed ones out,
and django-comments-xtd keeps the row, so the decision can be read and undone in the admin.
"""

import django_comments
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.db.models.signals import post_delete
from django.utils.text import Truncator

from ..hooks import Moderatable
from .models import AuditEntry, Claim, Flag, can_moderate, close_flags


def _model():
    return django_comments.get_model()


def load(pks):
    return _model().objects.select_related("user__profile").prefetch_related("content_object").in_bulk(pks)


def summary(comment) -> str:
    target = comment.content_object
    excerpt = Truncator(comment.comment).words(12)
    return f"“{excerpt}” on {target}" if target is not None else f"“{excerpt}”"


def visible_to(comment, user) -> bool:
    if not comment.is_public or comment.is_removed:
        return False
    target = comment.content_object
    return target is not None and (not hasattr(target, "is_visible_to") or target.is_visible_to(user))


def public_url(comment) -> str:
    target = comment.content_object
    return target.get_absolute_url() if target is not None else "/"


@transaction.atomic
def hide(comment, by, why: str = "", action: str = "") -> None:
    if not can_moderate(by):
        raise PermissionDenied("Only moderators can hide comments.")
    # One conditional UPDATE: of two moderators hiding at once, exactly one changes the row.
    if not _model().objects.filter(pk=comment.pk, is_removed=False).update(is_removed=True):
        raise ValidationError("This comment is already hidden.")
    comment.is_removed = True
    close_flags(by, comment, action or AuditEntry.Action.HIDDEN, why)


def hidden_counts(author_ids) -> dict:
    rows = _model().objects.filter(user_id__in=author_ids, is_removed=True).values("user_id")
    return {row["user_id"]: row["n"] for row in rows.annotate(n=Count("pk"))}


def moderatable() -> Moderatable:
    return Moderatable(
        key="comment",
        label="comment",
        model=_model(),
        template="moderation/includes/comment.html",
        load=load,
        author=lambda comment: comment.user,
        is_hidden=lambda comment: comment.is_removed,
        hide=hide,
        summary=summary,
        public_url=public_url,
        hidden_counts=hidden_counts,
        url=lambda comment: f"{public_url(comment)}#c{comment.pk}",
        visible_to=visible_to,
        order=90,
    )


def _forget_flags(sender, instance, **kwargs):
    """A comment deleted (in the admin, or with its thread) takes its flags and claim with it, as
    questions, answers and ideas do through their GenericRelations: the queue never counts a ghost."""
    Flag.objects.on(instance).delete()
    Claim.objects.on(instance).delete()


def connect_signals() -> None:
    post_delete.connect(_forget_flags, sender=_model(), dispatch_uid="moderation_forget_comment_flags")
