"""What moderation adds to Confer: comments as a kind to moderate, its notifications, and the
"Moderation (n)" link in the header."""

from django.contrib.auth.models import Permission
from wagtail import hooks

from .. import hooks as confer_hooks
from ..hooks import ROLE_COUNT_CAP, EventType, RoleLink
from . import comments
from .models import MODERATE, Flag

EVENT_TYPES = [
    # key, digest heading, order
    ("moderation.flagged", "Things flagged for the moderators", 15),
    ("moderation.hidden", "Your posts hidden by a moderator", 16),
    ("moderation.flag_handled", "Flags you raised that were dealt with", 17),
]


@hooks.register(confer_hooks.MODERATABLES)
def comment_moderatable():
    return comments.moderatable()


@hooks.register(confer_hooks.EVENT_TYPES)
def moderation_event_types():
    return [
        EventType(key=key, label=label, template=f"moderation/notifications/{key.split('.', 1)[1]}.html", order=order)
        for key, label, order in EVENT_TYPES
    ]


def _count():
    return Flag.objects.waiting().values("content_type_id", "object_id")[:ROLE_COUNT_CAP].count()


@hooks.register(confer_hooks.ROLE_LINKS)
def moderation_role_link():
    return RoleLink(key="moderation", label="Moderation", url_name="moderation:queue", permission=MODERATE,
                    count=_count, order=20)  # fmt: skip


@hooks.register("register_permissions")
def moderation_permissions():
    """Working the moderation queue, offered in the admin's group editor so it can be given to any group."""
    app_label, codename = MODERATE.split(".")
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename)
