"""Following: one generic mechanism for tags, questions, people, ideas, workshops...

Each part of Confer registers what can be followed (a ``Followable``) from its AppConfig.ready,
with the queryset of items a given person may see, so nobody can follow what is hidden from them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction

from .models import Follow, ListeningPreferences


@dataclass(frozen=True)
class Followable:
    """A kind of thing people follow.

    ``visible(user)`` returns the queryset of items that person may see and so may follow;
    ``label`` heads its group on the Following page.
    """

    key: str
    model: type
    label: str
    visible: Callable  # (user) -> QuerySet
    order: int = 100


_followables: dict[str, Followable] = {}


def register_followable(followable: Followable) -> None:
    _followables[followable.key] = followable


def followables() -> list[Followable]:
    return sorted(_followables.values(), key=lambda followable: followable.order)


def get_followable(key: str) -> Followable | None:
    return _followables.get(key)


def followable_for(obj) -> Followable | None:
    model = type(obj)._meta.concrete_model
    for followable in _followables.values():
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


def follower_ids(objects) -> set[int]:
    """The ids of active people who follow any of ``objects``, in one query."""
    return set(
        Follow.objects.of_any(objects).filter(user__is_active=True).values_list("user_id", flat=True).distinct()
    )
