"""What deleting a person's account would do, worked out from the database's own rules.

Everything a person contributed (questions, answers, ideas, votes) points at their account with
``on_delete=PROTECT``: deleting the account is refused while any of it exists, so no colleague's
answer can go because someone else's account went. Personal things (follows, notifications,
settings, sign-ups) go with the account. The core reads this from the models' relations, so it
needs to know nothing of the parts that add them.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models, transaction

from ..uploads import delete_photo
from .models import Profile


@dataclass(frozen=True)
class Holding:
    label: str  # "questions", "votes on ideas"
    count: int


def _relations():
    user_model = get_user_model()
    for field in user_model._meta.get_fields(include_hidden=True):
        if field.auto_created and not field.concrete and (field.one_to_many or field.one_to_one):
            yield field


def _count(relation, user) -> int:
    return relation.related_model._base_manager.filter(**{relation.field.name: user}).count()


def _label(relation) -> str:
    return str(relation.related_model._meta.verbose_name_plural)


def what_keeps(user) -> list[Holding]:
    """What this person contributed that stops their account being deleted (PROTECT)."""
    holdings = []
    for relation in _relations():
        if relation.on_delete is models.PROTECT and (count := _count(relation, user)):
            holdings.append(Holding(_label(relation), count))
    return holdings


def what_goes(user) -> list[Holding]:
    """What deleting the account would delete with it (CASCADE)."""
    holdings = []
    for relation in _relations():
        if relation.on_delete is models.CASCADE and (count := _count(relation, user)):
            holdings.append(Holding(_label(relation), count))
    return holdings


FORMER_COLLEAGUE = "A former colleague"


def what_erasing_removes(user) -> list[Holding]:
    """What ``erase`` deletes: what deleting the account would, except the profile (it is blanked),
    and the profile's photo."""
    holdings = [holding for holding in what_goes(user) if holding.label != str(Profile._meta.verbose_name_plural)]
    if Profile.objects.filter(user=user, photo__isnull=False).exists():
        holdings.append(Holding("profile photo", 1))
    return holdings


@transaction.atomic
def erase(user) -> list[Holding]:
    """Erase a person who has left and asked for it, keeping everything they contributed.

    The account stays (their posts, answers, ideas and votes point at it) but can no longer sign
    in, and carries nothing personal: no name, email or password; the profile reads "A former
    colleague"; their comments lose the name and email stored with them. Everything that deleting
    the account would have deleted (follows, notifications, settings, skills, sign-ups...) is
    deleted, and so is their profile photo with its resized copies. Returns what was deleted.
    """
    import django_comments

    user = get_user_model()._base_manager.select_for_update().get(pk=user.pk)
    removed = what_erasing_removes(user)
    for relation in _relations():
        if relation.on_delete is models.CASCADE and relation.related_model is not Profile:
            relation.related_model._base_manager.filter(**{relation.field.name: user}).delete()
    user.username = f"former-colleague-{user.pk}"
    user.first_name = user.last_name = user.email = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    profile = Profile.for_user(user)
    profile.display_name = FORMER_COLLEAGUE
    profile.job_title = profile.team = profile.bio = ""
    profile.directorate = None
    photo, profile.photo = profile.photo, None
    profile.save()
    delete_photo(photo)
    django_comments.get_model().objects.filter(user=user).update(
        user_name=FORMER_COLLEAGUE, user_email="", user_url="", ip_address=None
    )
    return removed
