"""Roles are permissions. Each power beyond taking part (verify answers, hide posts, merge ideas, see
every workshop's attendees...) is a permission declared in the Meta of the model it concerns, checked
with ``user.has_perm`` (``perms.app.codename`` in templates) and given to groups by data migrations.
A group's name is only a label: renaming a group changes nothing, and whoever holds the permission,
in whatever group, may act.
"""

from django.contrib.auth import get_user_model

# The backend that reads permissions from the database: groups, the user's own, superusers.
PERMISSIONS_BACKEND = "django.contrib.auth.backends.ModelBackend"


def users_with_perm(perm: str):
    """The active users who hold ``perm`` ("app_label.codename") through a group, directly or as
    superusers: a queryset, so "which of these people may..." is one query."""
    return get_user_model().objects.with_perm(perm, backend=PERMISSIONS_BACKEND)
