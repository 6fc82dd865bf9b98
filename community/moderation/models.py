"""Flags, decisions, claims and the audit trail, for anything colleagues post.

A kind of content joins by registering a ``Moderatable`` (``community.hooks``): questions and answers
(qa), ideas (ideas) and comments (the core's own, ``community.moderation.comments``). The rules live
here, once: one open flag per person per thing, the moderators told once per thing that enters the
queue, a decision closing every open flag on it under a lock (so a second decision finds nothing open
and says who already dealt with it), the flaggers told once each, an audit entry for every decision,
and claims that show every moderator who is looking at what.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from ..hooks import MODERATABLES, Moderatable, registered
from ..listening.notifications import notify
from ..names import display_name
from ..roles import users_with_perm

MODERATE = "community.moderate_content"


def can_moderate(user) -> bool:
    """Working the moderation queue (deciding and claiming flags on anything) is for moderators."""
    return user.has_perm(MODERATE)


def kinds() -> dict[str, Moderatable]:
    return {kind.key: kind for kind in registered(MODERATABLES)}


def kind_of(obj) -> Moderatable:
    for kind in registered(MODERATABLES):
        if isinstance(obj, kind.model):
            return kind
    raise LookupError(f"{type(obj).__name__} cannot be moderated: no Moderatable is registered for it.")


def _lookup(obj) -> dict:
    return {"content_type": ContentType.objects.get_for_model(obj), "object_id": obj.pk}


def queue_url(kind: str, pk) -> str:
    return reverse("moderation:queue") + f"#{kind}-{pk}"


class FlagQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Flag.Status.OPEN)

    def on(self, obj):
        return self.filter(**_lookup(obj))

    def waiting(self):
        """The moderation queue: one row per thing with open flags (content_type_id, object_id, how
        many flagged it, when first), first flagged first."""
        return (
            self.open()
            .values("content_type_id", "object_id")
            .annotate(count=models.Count("pk"), first_at=models.Min("created_at"))
            .order_by("first_at", "content_type_id", "object_id")
        )


class Decision(models.TextChoices):
    """What a moderator may decide about a flagged thing."""

    DISMISS = "dismiss", "Dismiss the flags"
    HIDE = "hide", "Hide the post"
    HIDE_AND_TELL = "hide_and_tell", "Hide the post and tell the author"


class Flag(models.Model):
    """Someone telling the moderators a question, answer, idea or comment needs looking at."""

    class Reason(models.TextChoices):
        SPAM = "spam", "It is spam or advertising"
        OFFENSIVE = "offensive", "It is rude or offensive"
        PERSONAL = "personal", "It shares personal or sensitive information"
        OTHER = "other", "Something else"

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        HIDDEN = "hidden", "Post hidden"
        DISMISSED = "dismissed", "Dismissed"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(max_length=20, choices=Reason)
    note = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [
            ("moderate_content", "Can work the moderation queue: decide and claim flags, hide ideas and comments"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="community_flag_one_per_user"),
        ]
        indexes = [
            # The queue reads only open flags: the index keeps decided ones out of its way.
            models.Index(fields=["status", "created_at"], name="community_flag_queue"),
            models.Index(fields=["content_type", "object_id", "status"], name="community_flag_target"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: {self.content_type.model} {self.object_id}"

    @property
    def kind(self) -> str:
        return _key_of(self.content_type)

    def get_absolute_url(self):
        target = self.target
        return target.get_absolute_url() if target is not None else reverse("moderation:queue")

    # Raising a flag

    @classmethod
    def raise_flag(cls, user, obj, reason: str, note: str = "") -> "Flag":
        """``user`` tells the moderators about ``obj``. The moderators hear once per thing that enters
        the queue, not once per flag on it."""
        kind = kind_of(obj)
        if reason not in cls.Reason.values:
            raise ValidationError("Choose why you are flagging this.")
        if reason == cls.Reason.OTHER and not note.strip():
            raise ValidationError("Say what is wrong with it.")
        author = kind.author(obj)
        if author is not None and author.pk == user.pk:
            raise ValidationError(f"You cannot flag your own {kind.label}. Edit it instead.")
        lookup = _lookup(obj)
        try:
            with transaction.atomic():
                first = not cls.objects.open().filter(**lookup).exists()
                flag = cls.objects.create(user=user, reason=reason, note=note.strip()[:500], **lookup)
        except IntegrityError:
            raise ValidationError(f"You have already flagged this {kind.label}.") from None
        if first:
            notify(
                "moderation.flagged",
                actor=user,
                target=None,
                title=kind.summary(obj),
                recipients=users_with_perm(MODERATE),
                url=queue_url(kind.key, obj.pk),
                data={"reason": flag.get_reason_display(), "kind": kind.label},
            )
        return flag

    # Deciding

    @staticmethod
    @transaction.atomic
    def decide(by, obj, decision: str, message: str = "") -> dict:
        """A moderator's decision on every open flag on ``obj``: dismiss them, hide it, or hide it and
        tell its author why (``message``). The people who flagged it are told it was dealt with, once
        each; the audit trail records the decision. Returns how many flags it closed and, when someone
        else had claimed it, who (``{"flags": n, "claimed_by": user or None}``).
        """
        if not can_moderate(by):
            raise PermissionDenied("Only moderators can deal with flags.")
        if decision not in Decision.values:
            raise ValidationError("Choose to dismiss the flags, hide the post, or hide it and tell its author.")
        kind = kind_of(obj)
        message = message.strip()
        if decision == Decision.HIDE_AND_TELL and not message:
            raise ValidationError(f"Write the message to the author, saying why their {kind.label} was hidden.")
        lookup = _lookup(obj)
        # Locking the open flags makes two moderators deciding at once take turns: the second finds
        # none left and is told so, and nothing is decided twice (select_for_update on PostgreSQL,
        # IMMEDIATE transactions on SQLite: docs/traps.md).
        flags = list(Flag.objects.open().select_for_update().filter(**lookup))
        if not flags:
            last = AuditEntry.objects.filter(**lookup).select_related("actor").first()
            who = f" by {display_name(last.actor)}" if last and last.actor else ""
            raise ValidationError(f"The flags on this {kind.label} were already dealt with{who}. Nothing was changed.")
        claim = Claim.objects.filter(**lookup).select_related("moderator").first()
        claimed_by = claim.moderator if claim and claim.moderator_id != by.pk else None
        if decision == Decision.DISMISS:
            close_flags(by, obj, AuditEntry.Action.DISMISSED, message)
        elif kind.is_hidden(obj):
            # Hidden already (from its own page, say): the flags close as hidden.
            close_flags(by, obj, AuditEntry.Action.HIDDEN, message)
        else:
            # The kind's hide changes the thing and calls close_flags (as hiding from its page does).
            told = decision == Decision.HIDE_AND_TELL
            kind.hide(obj, by, why=message, action=AuditEntry.Action.HIDDEN_AUTHOR_TOLD if told else "")
        if decision == Decision.HIDE_AND_TELL:
            notify(
                "moderation.hidden",
                actor=by,
                target=obj,
                url=kind.url(obj),  # a hidden comment's thread; a hidden post its author can still open
                title=kind.summary(obj),
                recipients=[kind.author(obj)],
                data={"message": message, "kind": kind.label},
            )
        Claim.objects.filter(**lookup).delete()
        return {"flags": len(flags), "claimed_by": claimed_by}


def _key_of(content_type) -> str:
    model = content_type.model_class()
    for kind in registered(MODERATABLES):
        if kind.model is model:
            return kind.key
    raise LookupError(content_type)


def close_flags(by, obj, action: str, why: str = "") -> int:
    """Close every open flag on ``obj`` with ``action`` (hidden or dismissed), record the decision and
    tell the people who flagged it, once each. Every way of hiding calls this, so hiding from a
    thing's own page closes its flags the same way the queue does. Returns how many it closed."""
    kind = kind_of(obj)
    hidden = action != AuditEntry.Action.DISMISSED
    open_flags = Flag.objects.open().on(obj)
    flagger_ids = set(open_flags.values_list("user_id", flat=True))
    status = Flag.Status.HIDDEN if hidden else Flag.Status.DISMISSED
    count = open_flags.update(status=status, resolved_by=by, resolved_at=timezone.now())
    AuditEntry.record(by, obj, action, why, flags=count)
    tell_flaggers(by, obj, kind, flagger_ids, hidden=hidden)
    Claim.objects.on(obj).delete()
    return count


def tell_flaggers(by, obj, kind: Moderatable, flagger_ids, hidden: bool) -> None:
    """The people who flagged ``obj`` hear, once each, that a moderator dealt with it. A hidden thing
    is no longer theirs to open: the note names it but links to where they can still go."""
    if not flagger_ids:
        return
    notify(
        "moderation.flag_handled",
        actor=by,
        target=None if hidden else obj,
        url=kind.public_url(obj) if hidden else "",
        title=kind.summary(obj),
        recipients=get_user_model().objects.filter(pk__in=flagger_ids),
        data={"kind": kind.label, "outcome": "hidden" if hidden else "dismissed"},
    )


class ClaimQuerySet(models.QuerySet):
    def on(self, obj):
        return self.filter(**_lookup(obj))


class Claim(models.Model):
    """A moderator saying "I have this one": every moderator's queue shows who is looking at what."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="community_claim_one_per_item"),
        ]

    def __str__(self):
        return f"{self.moderator} has {self.content_type.model} {self.object_id}"

    @classmethod
    @transaction.atomic
    def claim(cls, by, obj) -> "Claim":
        """``by`` takes ``obj`` in the queue. Refused if it is not waiting, or someone else has it."""
        if not can_moderate(by):
            raise PermissionDenied("Only moderators can claim flagged items.")
        kind = kind_of(obj)
        lookup = _lookup(obj)
        if not Flag.objects.open().filter(**lookup).exists():
            raise ValidationError(f"This {kind.label} is not waiting in the queue any more. Nothing was changed.")
        existing = cls.objects.select_for_update(of=("self",)).filter(**lookup).select_related("moderator").first()
        if existing is not None:
            if existing.moderator_id == by.pk:
                raise ValidationError(f"You have already claimed this {kind.label}.")
            raise ValidationError(
                f"{display_name(existing.moderator)} has already claimed this {kind.label}. Nothing was changed."
            )
        try:
            with transaction.atomic():
                return cls.objects.create(moderator=by, **lookup)
        except IntegrityError:
            raise ValidationError(f"Someone else has just claimed this {kind.label}. Nothing was changed.") from None

    @classmethod
    @transaction.atomic
    def unclaim(cls, by, obj) -> None:
        """Give ``obj`` back to the queue. Any moderator may (someone away should not block it)."""
        if not can_moderate(by):
            raise PermissionDenied("Only moderators can unclaim flagged items.")
        if not cls.objects.on(obj).delete()[0]:
            raise ValidationError(f"Nobody has claimed this {kind_of(obj).label}. Nothing was changed.")


class AuditEntry(models.Model):
    """One moderation decision: who made it, on what, when, and why. Kept when the thing goes."""

    class Action(models.TextChoices):
        DISMISSED = "dismissed", "Dismissed the flags"
        HIDDEN = "hidden", "Hid the post"
        HIDDEN_AUTHOR_TOLD = "hidden_told", "Hid the post and told the author"
        SHOWN = "shown", "Showed the post again"
        CLOSED = "closed", "Closed the question"
        CLOSED_DUPLICATE = "duplicate", "Closed the question as a duplicate"
        REOPENED = "reopened", "Reopened the question"
        MERGED = "merged", "Merged the idea into another"
        UNMERGED = "unmerged", "Undid the merge"
        ASSIGNED = "assigned", "Assigned the question"
        UNASSIGNED = "unassigned", "Unassigned the question"
        VERIFIED = "verified", "Verified the answer"
        REVERIFIED = "reverified", "Verified the answer again"
        UNVERIFIED = "unverified", "Removed the verification"

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=20, choices=Action)
    # No foreign key to the thing, and a copy of what it was: the record outlives what it is about.
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    subject = models.CharField(max_length=200)
    why = models.TextField(blank=True)
    flags = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"], name="community_audit_target")]

    def __str__(self):
        return f"{self.get_action_display()}: {self.subject}"

    @classmethod
    def record(cls, actor, obj, action: str, why: str = "", flags: int = 0) -> "AuditEntry":
        kind = kind_of(obj)
        subject = f"{kind.label.capitalize()} {obj.pk}: {kind.summary(obj)}"
        return cls.objects.create(actor=actor, action=action, why=why.strip(), flags=flags, subject=subject[:200],
                                  **_lookup(obj))  # fmt: skip

    @classmethod
    def about(cls, obj):
        return cls.objects.filter(**_lookup(obj))
