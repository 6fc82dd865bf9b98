"""Following: one generic mechanism for tags, questions, people, ideas, workshops...

Each part of Confer says what can be followed with a ``Followable`` (the ``confer_followables`` hook),
with the queryset of items a given person may see, so nobody can follow what is hidden from them.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.urls import reverse
from taggit.models import Tag

from .. import hooks
from ..hooks import Followable
from ..names import display_name
from .models import Follow, ListeningPreferences


def followables() -> list[Followable]:
    return hooks.registered(hooks.FOLLOWABLES)


def get_followable(key: str) -> Followable | None:
    return hooks.find(hooks.FOLLOWABLES, key)


def followable_for(obj) -> Followable | None:
    model = type(obj)._meta.concrete_model
    for followable in followables():
        if followable.model._meta.concrete_model is model:
            return followable
    return None


def is_following(user, obj) -> bool:
    if not user.is_authenticated:
        return False
    return Follow.objects.of(obj).filter(user=user).exists()


def follow(user, obj, auto: bool = False) -> bool:
    """Make ``user`` follow ``obj``; True if it is a new follow.

    ``auto`` marks a follow that comes from taking part (asking, answering, voting, signing up):
    it happens only if the person has not switched that off.
    """
    if auto and not ListeningPreferences.for_user(user).auto_follow:
        return False
    content_type = ContentType.objects.get_for_model(obj)
    try:
        # A savepoint: a double click racing itself must not break the caller's transaction.
        with transaction.atomic():
            _, created = Follow.objects.get_or_create(user=user, content_type=content_type, object_id=obj.pk)
    except IntegrityError:
        return False
    return created


def unfollow(user, obj) -> bool:
    deleted, _ = Follow.objects.of(obj).filter(user=user).delete()
    return bool(deleted)


def followed_ids(user, model) -> list[int]:
    """The ids of the ``model`` items ``user`` follows (for "followed tags" filters)."""
    if not user.is_authenticated:
        return []
    content_type = ContentType.objects.get_for_model(model)
    return list(Follow.objects.filter(user=user, content_type=content_type).values_list("object_id", flat=True))


def follower_ids(objects) -> set[int]:
    """The ids of active people who follow any of ``objects``, in one query."""
    return set(
        Follow.objects.of_any(objects).filter(user__is_active=True).values_list("user_id", flat=True).distinct()
    )


def follow_label(obj) -> str:
    """How a followed thing is named in buttons and lists."""
    if isinstance(obj, get_user_model()):
        return display_name(obj)
    return getattr(obj, "title", None) or getattr(obj, "name", None) or str(obj)


def hidden_label(followable: Followable) -> str:
    """How a followed thing the person can no longer see is named: never by its title."""
    return f"a hidden {followable.model._meta.verbose_name}"


def follow_url(obj) -> str:
    """Where a followed thing lives on the site."""
    if isinstance(obj, Tag):
        return reverse("tag", args=[obj.slug])
    if isinstance(obj, get_user_model()):
        return reverse("people:profile", args=[obj.get_username()])
    return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else obj.url


def follow_button_context(user, obj, following: bool | None = None, label: str | None = None) -> dict:
    followable = followable_for(obj)
    if followable is None:
        raise LookupError(f"{type(obj).__name__} is not registered as followable")
    return {
        "object": obj,
        "followable": followable,
        "following": is_following(user, obj) if following is None else following,
        "label": follow_label(obj) if label is None else label,
        "action_url": reverse("follow", args=[followable.key, obj.pk]),
    }
