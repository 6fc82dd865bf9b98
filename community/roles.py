"""Who may do what beyond taking part: the helpdesk, the moderators and the digital team."""

from django.contrib.auth import get_user_model

HELPDESK_GROUP = "Helpdesk"
MODERATORS_GROUP = "Moderators"
DIGITAL_TEAM_GROUP = "Digital team"


def group_names(user) -> frozenset:
    """The names of the user's groups, read once per request (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if not hasattr(user, "_confer_group_names"):
        user._confer_group_names = frozenset(user.groups.values_list("name", flat=True))
    return user._confer_group_names


def is_helpdesk(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or HELPDESK_GROUP in group_names(user)


def is_moderator(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or MODERATORS_GROUP in group_names(user)


def is_digital_team(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or DIGITAL_TEAM_GROUP in group_names(user)


# The backend that reads permissions from the database: groups, the user's own, superusers.
PERMISSIONS_BACKEND = "django.contrib.auth.backends.ModelBackend"


def users_with_perm(perm: str):
    """The active users who hold ``perm`` ("app_label.codename") through a group, directly or as
    superusers: a queryset, so "which of these people may..." is one query."""
    return get_user_model().objects.with_perm(perm, backend=PERMISSIONS_BACKEND)
