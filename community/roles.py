"""Who may do what beyond taking part: the helpdesk, the moderators and the digital team."""

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
