"""What qa, ideas and workshops ask of communities: who may post into one, and who may see what
was posted in an invite-only one. The rules live here once; each part calls them from its own
visibility queryset method and ``is_visible_to``."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from .models import Community, Membership

NOT_A_MEMBER = "You can only post into a community you are a member of. Join it first, or choose another."


class PostedInCommunity(models.Model):
    """The community a post was posted in, if any, and whether only its members may see it
    (``members_only``: set at posting when the community is invite-only, and a community never
    changes to or from invite-only, so it never goes stale). Questions and ideas carry both."""

    community = models.ForeignKey(
        "community.Community",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,  # each post's feed index (community, created_at, id) serves lookups by community too
    )
    members_only = models.BooleanField(default=False, editable=False)

    class Meta:
        abstract = True


def check_can_post_in(user, community) -> None:
    """Refuse (PermissionDenied, with the reason) posting into ``community`` by a non-member."""
    if community is not None and not Membership.objects.filter(community=community, user=user.pk).exists():
        raise PermissionDenied(NOT_A_MEMBER)


def members_only(community) -> bool:
    """Whether what is posted into ``community`` is seen by its members only."""
    return community is not None and community.kind == Community.Kind.INVITE


def communities_of(user):
    """The ids of the communities ``user`` is in, as a subquery."""
    return Membership.objects.filter(user=user.pk).values("community_id")


def within_reach(user, through: str = "") -> Q:
    """A filter on posts carrying ``members_only`` and ``community`` (or reached ``through`` a
    relation, e.g. "question__"): those ``user`` may see as far as communities go: posted for
    everyone, or in a community they are in."""
    return Q(**{f"{through}members_only": False}) | Q(**{f"{through}community__in": communities_of(user)})


def is_member(user, community_id) -> bool:
    if community_id is None or not user.is_authenticated:
        return False
    return Membership.objects.filter(community_id=community_id, user=user).exists()


def members_among(community_id, user_ids) -> set:
    """Of the people ``user_ids``, the members of the community (one query)."""
    if community_id is None or not user_ids:
        return set()
    rows = Membership.objects.filter(community_id=community_id, user_id__in=user_ids)
    return set(rows.values_list("user_id", flat=True))


def who_of_them_may_see(post, user_ids) -> set:
    """Of the people ``user_ids``, those a post's community lets see it: everyone for a post made
    for everyone; for one made in an invite-only community, its members and the author (moderators
    who are not members are not told of it: they open it only from a flag)."""
    if not post.members_only or not user_ids:
        return user_ids
    return members_among(post.community_id, user_ids) | ({post.author_id} & user_ids)


def postable_communities(user):
    """The communities ``user`` may post into (the "Post in a community" choice), by name."""
    return Community.objects.filter(memberships__user=user.pk).order_by("name", "id")
