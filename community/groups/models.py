"""Communities, their members and managers, requests to join, invitations, pinned posts and
announcements.

A community is one of three kinds. Open: anyone joins. Request to join: a manager approves each
request. Invite-only: a manager invites people by name, and what is posted into it is seen by its
members only. That promise is why a community cannot become, or stop being, invite-only once it
exists: content posted privately must never turn public by a later edit (docs/communities.md).

Invite-only communities keep a Django group of their members (``members_group``): a workshop posted
into one is restricted to that group with Wagtail's own page view restriction, so every workshop
list, feed, calendar and search that already leaves restricted pages out leaves it out too.
Questions and ideas carry a ``members_only`` flag set when they are posted, which their lists,
search and feeds filter on (one indexed column, no join).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase

from ..listening.follows import follow, unfollow
from ..listening.notifications import notify
from ..markdown import render_markdown
from ..names import display_name

INVITATION_SALT = "confer.community.invitation"
INVITATION_MAX_AGE = 60 * 60 * 24 * 30  # an invitation link works for 30 days


class CommunityTag(TaggedItemBase):
    content_object = ParentalKey("community.Community", on_delete=models.CASCADE, related_name="tagged_items")


class CommunityQuerySet(models.QuerySet):
    def closed_to(self, user):
        """Invite-only communities ``user`` is not a member of: what they may not see posted in."""
        closed = self.filter(kind=Community.Kind.INVITE)
        if user is not None and user.is_authenticated:
            closed = closed.exclude(memberships__user=user)
        return closed

    def listed_for(self, user):
        """What the directory lists to ``user``: every open and request-to-join community, and
        invite-only ones they belong to (others are not advertised)."""
        if user is None or not user.is_authenticated:
            return self.exclude(kind=Community.Kind.INVITE)
        mine = Membership.objects.filter(user=user).values("community_id")
        return self.filter(~Q(kind=Community.Kind.INVITE) | Q(pk__in=mine))

    def of(self, user):
        return self.filter(memberships__user=user)

    def matching(self, query: str):
        query = " ".join(query.split())[:100]
        return self.filter(Q(name__icontains=query) | Q(description__icontains=query)) if query else self


class Community(ClusterableModel):
    """A group of colleagues with a name, a description, tags, an image and a kind."""

    class Kind(models.TextChoices):
        OPEN = "open", "Open: anyone can join"
        REQUEST = "request", "Request to join: a manager approves each request"
        INVITE = "invite", "Invite-only: managers invite people, and only members see what is posted in it"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True, allow_unicode=True)
    description = models.TextField(max_length=5000, blank=True)
    description_html = models.TextField(blank=True, editable=False)
    tags = ClusterTaggableManager(through=CommunityTag, blank=True)
    image = models.ForeignKey(
        "wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.OPEN)
    # Invite-only communities only: the Django group their members are in (see the module docstring).
    members_group = models.OneToOneField(Group, null=True, blank=True, on_delete=models.SET_NULL, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    member_count = models.PositiveIntegerField(default=0, editable=False)

    objects = CommunityQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "communities"
        # The directory is read in name order: names are unique, so their own index serves it.
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=~Q(name=""), name="community_community_name_not_empty")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("communities:detail", args=[self.slug])

    def notification_title(self, user) -> str | None:
        return self.name if self.is_visible_to(user) else None

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name, allow_unicode=True)[:100].strip("-") or "community"
        self.description_html = render_markdown(self.description)
        if self.kind == self.Kind.INVITE and self.members_group_id is None:
            self.members_group = Group.objects.create(name=f"Community members: {self.slug}"[:150])
        super().save(*args, **kwargs)

    # --- who is in it ------------------------------------------------------------------------------

    @property
    def short_kind(self) -> str:
        return {"open": "Open", "request": "Request-to-join", "invite": "Invite-only"}[self.kind]

    @property
    def is_invite_only(self) -> bool:
        return self.kind == self.Kind.INVITE

    def membership_of(self, user):
        if user is None or not user.is_authenticated:
            return None
        return self.memberships.filter(user=user).first()

    def is_member(self, user) -> bool:
        return self.membership_of(user) is not None

    def is_manager(self, user) -> bool:
        membership = self.membership_of(user)
        return membership is not None and membership.is_manager

    def is_visible_to(self, user) -> bool:
        """Every colleague may see an open or request-to-join community; an invite-only one shows
        itself to its members, and to someone holding an invitation (the invitation page says so)."""
        return not self.is_invite_only or self.is_member(user)

    def managers(self):
        return self.memberships.filter(role=Membership.Role.MANAGER).select_related("user__profile").order_by("pk")

    @transaction.atomic
    def _add_member(self, user, role=None) -> "Membership":
        try:
            with transaction.atomic():
                membership = Membership.objects.create(community=self, user=user, role=role or Membership.Role.MEMBER)
        except IntegrityError:  # already a member (a double click)
            return Membership.objects.get(community=self, user=user)
        Community.objects.filter(pk=self.pk).update(member_count=models.F("member_count") + 1)
        JoinRequest.objects.filter(community=self, user=user).delete()
        if self.members_group_id:
            user.groups.add(self.members_group_id)
        follow(user, self)
        return membership

    @transaction.atomic
    def _drop_member(self, user) -> bool:
        deleted, _ = Membership.objects.filter(community=self, user=user).delete()
        if deleted:
            Community.objects.filter(pk=self.pk).update(member_count=models.F("member_count") - 1)
            if self.members_group_id:
                user.groups.remove(self.members_group_id)
            unfollow(user, self)
        return bool(deleted)

    @classmethod
    @transaction.atomic
    def start(cls, founder, **fields) -> "Community":
        """A colleague starts a community and is its first manager."""
        tags = fields.pop("tags", [])
        community = cls(created_by=founder, **fields)
        community.full_clean(exclude=["slug", "tags"])
        community.tags.set(tags)
        community.save()
        community._add_member(founder, Membership.Role.MANAGER)
        return community

    def join(self, user) -> "Membership":
        """Join an open community; a request-to-join or invite-only one refuses, saying why."""
        if self.is_member(user):
            raise ValidationError("You are already a member of this community.")
        if self.kind == self.Kind.REQUEST:
            raise PermissionDenied("A manager approves who joins this community: ask to join instead.")
        if self.kind == self.Kind.INVITE:
            raise PermissionDenied("This community is invite-only: a manager has to invite you before you can join.")
        return self._add_member(user)

    def ask_to_join(self, user, note: str = "") -> "JoinRequest":
        if self.kind != self.Kind.REQUEST:
            raise PermissionDenied(
                "This community is invite-only: a manager has to invite you."
                if self.is_invite_only
                else "Anyone can join this community: there is nothing to ask."
            )
        if self.is_member(user):
            raise ValidationError("You are already a member of this community.")
        join_request, created = JoinRequest.objects.get_or_create(community=self, user=user, defaults={"note": note})
        if not created:
            raise ValidationError("You have already asked to join. A manager will answer your request.")
        managers = [m.user for m in self.managers()]
        notify("communities.join_requested", actor=user, target=self, recipients=managers,
               url=reverse("communities:requests", args=[self.slug]))  # fmt: skip
        return join_request

    def _require_manager(self, user) -> None:
        if not self.is_manager(user):
            raise PermissionDenied("Only this community's managers can do that.")

    @transaction.atomic
    def approve(self, manager, join_request: "JoinRequest") -> "Membership":
        self._require_manager(manager)
        if join_request.community_id != self.pk:
            raise PermissionDenied("That request is for another community.")
        if join_request.user_id == manager.pk:
            raise PermissionDenied("You cannot approve your own request: another manager has to.")
        membership = self._add_member(join_request.user)
        notify("communities.request_approved", actor=manager, target=self, recipients=[join_request.user])
        return membership

    def refuse(self, manager, join_request: "JoinRequest") -> None:
        self._require_manager(manager)
        if join_request.community_id != self.pk:
            raise PermissionDenied("That request is for another community.")
        join_request.delete()

    def _lock(self) -> None:
        """Changes to who manages the community happen one at a time: the community's row is the
        lock (on SQLite, immediate transactions already serialise writers)."""
        Community.objects.select_for_update().filter(pk=self.pk).values_list("pk", flat=True).first()

    def _other_managers(self, user) -> bool:
        return Membership.objects.filter(community=self, role=Membership.Role.MANAGER).exclude(user=user).exists()

    def leave(self, user) -> None:
        with transaction.atomic():
            self._lock()
            membership = Membership.objects.filter(community=self, user=user).first()
            if membership is None:
                raise ValidationError("You are not a member of this community.")
            if membership.is_manager and not self._other_managers(user):
                raise PermissionDenied("You are this community's last manager: name another manager before you leave.")
            self._drop_member(user)

    def remove(self, manager, member) -> None:
        self._require_manager(manager)
        if member.pk == manager.pk:
            raise PermissionDenied("To leave the community yourself, use “Leave this community”.")
        if not self._drop_member(member):
            raise ValidationError(f"{display_name(member)} is not a member of this community.")

    def set_role(self, manager, member, role: str) -> None:
        self._require_manager(manager)
        if role not in Membership.Role.values:
            raise ValidationError("Choose a role: member or manager.")
        with transaction.atomic():
            self._lock()
            membership = Membership.objects.filter(community=self, user=member).first()
            if membership is None:
                raise ValidationError(f"{display_name(member)} is not a member of this community.")
            if role == Membership.Role.MEMBER and membership.is_manager and not self._other_managers(member):
                raise PermissionDenied("A community needs at least one manager: name another one first.")
            Membership.objects.filter(pk=membership.pk).update(role=role)

    # --- invitations -------------------------------------------------------------------------------

    def invite(self, manager, invitee) -> "Invitation":
        self._require_manager(manager)
        if not invitee.is_active:
            raise ValidationError(f"{display_name(invitee)} no longer has an account here.")
        if self.is_member(invitee):
            raise ValidationError(f"{display_name(invitee)} is already a member.")
        invitation = Invitation.objects.create(community=self, invitee=invitee, invited_by=manager)
        notify("communities.invited", actor=manager, target=invitation, recipients=[invitee],
               title=self.name, url=invitation.get_absolute_url())  # fmt: skip
        return invitation

    def accept(self, user, token: str) -> "Membership":
        """Accept the invitation ``token``: refused, with nothing changed, when it is forged, for
        someone else, for another community, or already used."""
        invitation = Invitation.from_token(token)
        if invitation is None or invitation.community_id != self.pk:
            raise PermissionDenied(
                "This invitation link is not valid. Ask a manager of the community to invite you again."
            )
        if invitation.invitee_id != user.pk:
            raise PermissionDenied("This invitation is for someone else. Ask a manager to invite you by name.")
        with transaction.atomic():
            used = Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now())
            if not used:
                raise PermissionDenied("This invitation has already been used.")
            return self._add_member(user)

    # --- pinned posts and announcements --------------------------------------------------------------

    def pin(self, manager, kind: str, object_id: int) -> "Pin":
        self._require_manager(manager)
        pin, created = Pin.objects.get_or_create(community=self, kind=kind, object_id=object_id,
                                                 defaults={"pinned_by": manager})  # fmt: skip
        if not created:
            raise ValidationError("That post is already pinned.")
        return pin

    def unpin(self, manager, pin_id: int) -> None:
        self._require_manager(manager)
        Pin.objects.filter(community=self, pk=pin_id).delete()

    @transaction.atomic
    def announce(self, manager, subject: str, body: str) -> "Announcement":
        """Tell every member (but the sender) by an in-app notification, and by email as each has
        chosen in their listening settings (straight away by a background task, in their digest,
        or not at all). Who was told is kept on the announcement."""
        self._require_manager(manager)
        announcement = Announcement.objects.create(community=self, author=manager, subject=subject, body=body)
        members = Membership.objects.filter(community=self, user__is_active=True).exclude(user=manager)
        recipients = list(get_user_model().objects.filter(pk__in=members.values("user_id")))
        notify("communities.announcement", actor=manager, target=announcement, recipients=recipients,
               title=subject, data={"community": self.name})  # fmt: skip
        announcement.recipients.set(recipients)
        return announcement


class Membership(models.Model):
    """One person in one community, as a member or a manager (managers are members with a role)."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        MANAGER = "manager", "Manager"

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships")
    role = models.CharField(max_length=20, choices=Role, default=Role.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="community_membership_once")]
        indexes = [
            models.Index(fields=["community", "role", "joined_at", "id"], name="community_membership_by_role"),
            models.Index(fields=["user", "community"], name="community_membership_mine"),
        ]

    def __str__(self):
        return f"{self.user} in {self.community} ({self.role})"

    @property
    def is_manager(self) -> bool:
        return self.role == self.Role.MANAGER


class JoinRequest(models.Model):
    """Someone asking to join a request-to-join community, waiting for a manager."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "user"], name="community_joinrequest_once")]
        indexes = [models.Index(fields=["community", "created_at", "id"], name="community_joinrequest_queue")]

    def __str__(self):
        return f"{self.user} asks to join {self.community}"


class Invitation(models.Model):
    """A manager inviting one named colleague. Its link carries a signed token naming the invitation
    and the invitee; ``used_at`` makes it single-use."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="invitations")
    invitee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.invitee} invited to {self.community}"

    @property
    def token(self) -> str:
        return signing.dumps({"i": self.pk, "u": self.invitee_id, "c": self.community_id}, salt=INVITATION_SALT)

    @classmethod
    def from_token(cls, token: str):
        try:
            data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
            invitation = cls.objects.get(pk=data["i"])
        except (signing.BadSignature, cls.DoesNotExist, KeyError, TypeError):
            return None
        if invitation.invitee_id != data.get("u") or invitation.community_id != data.get("c"):
            return None
        return invitation

    def get_absolute_url(self):
        return reverse("communities:accept", args=[self.community.slug, self.token])

    def notification_title(self, user) -> str | None:
        return self.community.name if user.pk == self.invitee_id else None


class Pin(models.Model):
    """A post a manager pinned to the top of the community's page: ``kind`` is the key of the
    ``CommunityFeedSource`` it comes from, so the core needs no foreign key into qa or ideas."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="pins")
    kind = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pinned_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "kind", "object_id"], name="community_pin_once")]

    def __str__(self):
        return f"{self.kind} {self.object_id} pinned in {self.community}"


class Announcement(models.Model):
    """A message a manager sent to the members, and who it went to."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="announcements")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=200)
    body = models.TextField(max_length=10000)
    body_html = models.TextField(editable=False, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    class Meta:
        indexes = [models.Index(fields=["community", "sent_at", "id"], name="community_announcement_newest")]

    def __str__(self):
        return self.subject

    def save(self, *args, **kwargs):
        self.body_html = render_markdown(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("communities:announcement", args=[self.community.slug, self.pk])

    def notification_title(self, user) -> str | None:
        return self.subject
