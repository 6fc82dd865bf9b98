"""Listening: what people follow, the notifications they are sent, and how they want to hear."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

__all__ = ["Digest", "EmailFrequency", "Follow", "ListeningPreferences", "Notification"]


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class EmailFrequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Straight away, one email per notification"
    DAILY = "daily", "A daily digest"
    WEEKLY = "weekly", "A weekly digest"
    OFF = "off", "No emails"


class ListeningPreferences(models.Model):
    """How a person wants to hear about what they follow: by email, how often, and by feed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="listening")
    email_frequency = models.CharField(
        "Email me about what I follow", max_length=20, choices=EmailFrequency, default=EmailFrequency.DAILY
    )
    auto_follow = models.BooleanField(
        "Follow what I take part in",
        default=True,
        help_text="Asking, answering, voting, commenting or signing up follows the item for you.",
    )
    # The secret in this person's feed addresses; a new one revokes every feed address given out so far.
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    # The secret in the unsubscribe links of this person's emails (signed with the time they were
    # made, so they expire); a new one revokes every link sent so far. It says nothing about who.
    unsubscribe_secret = models.CharField(max_length=64, default=new_feed_token, editable=False, db_index=True)

    class Meta:
        verbose_name_plural = "listening preferences"

    def __str__(self):
        return f"Listening preferences of {self.user}"

    @classmethod
    def for_user(cls, user) -> "ListeningPreferences":
        preferences, _ = cls.objects.get_or_create(user=user)
        return preferences

    def revoke_feed_token(self) -> None:
        self.feed_token = new_feed_token()
        self.save(update_fields=["feed_token"])

    def revoke_unsubscribe_links(self) -> None:
        self.unsubscribe_secret = new_feed_token()
        self.save(update_fields=["unsubscribe_secret"])


class FollowQuerySet(models.QuerySet):
    def of(self, obj):
        return self.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)

    def of_any(self, objects):
        """Follows of any of ``objects`` (which may mix models), in one query."""
        condition = models.Q(pk__in=[])
        by_type: dict[ContentType, list] = {}
        for obj in objects:
            by_type.setdefault(ContentType.objects.get_for_model(obj), []).append(obj.pk)
        for content_type, pks in by_type.items():
            condition |= models.Q(content_type=content_type, object_id__in=pks)
        return self.filter(condition)


class Follow(models.Model):
    """One person following one thing: a tag, a question, a person, an idea, a workshop..."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = FollowQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="community_follow_one_per_user")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="community_follow_target")]

    def __str__(self):
        return f"{self.user} follows {self.content_type.model} {self.object_id}"


class NotificationQuerySet(models.QuerySet):
    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_email(self):
        """Not yet emailed and not already read in Confer: what the next email or digest carries."""
        return self.filter(emailed_at__isnull=True, read_at__isnull=True)


class Notification(models.Model):
    """One event, told to one person. The event's words come from its type's template."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    # Every notification made by one event shares this id; the constraint tells each person once.
    event_id = models.UUIDField(editable=False)
    event_type = models.CharField(max_length=60)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    # Kept as they were when the event happened, so the list reads right even if the item goes.
    title = models.CharField(max_length=300)
    url = models.CharField(max_length=500)
    tag_names = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # When a worker took it to email straight away. Set before sending, cleared if the mail server
    # refuses; a claim left by a worker that died mid-send is taken over after an hour, so the
    # email is sent late rather than never (tests/faults/test_killed.py).
    email_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # About the recipient's own content or addressed to them by name (an answer to their question,
    # a decision on their idea, a mention, their place): the "For you" list; the rest came to them
    # because they follow something ("Following").
    for_you = models.BooleanField(default=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # Event first: ``notify`` reads back the rows it just wrote by their event, and with the
            # recipient first that read walked the whole index (about 180 ms at 3,000,000 rows).
            models.UniqueConstraint(fields=["event_id", "recipient"], name="community_notification_once_per_event")
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="community_notification_unread"),
            # The "For you" and "Following" lists, newest first, and each filtered by kind.
            models.Index(fields=["recipient", "for_you", "created_at"], name="community_notification_tab"),
            models.Index(fields=["recipient", "event_type", "created_at"], name="community_notification_kind"),
        ]

    def __str__(self):
        return f"{self.event_type} for {self.recipient}: {self.title}"

    def get_absolute_url(self):
        """The address that opens it and marks it read. It carries a token only its recipient's
        pages and emails know: a plain GET of the bare address (an image or link planted in a
        post) cannot mark anyone's notifications read."""
        return f"{reverse('notifications:open', args=[self.pk])}?t={self.open_token()}"

    def open_token(self) -> str:
        return salted_hmac("confer.notification.open", f"{self.pk}:{self.recipient_id}").hexdigest()[:20]

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    def mark_read(self) -> None:
        if self.read_at is None:
            self.read_at = timezone.now()
            Notification.objects.filter(pk=self.pk, read_at__isnull=True).update(read_at=self.read_at)


class Digest(models.Model):
    """One person's digest for one period. The row is claimed before the email goes and deleted
    if sending fails, so a second run in the same period is a no-op and a failed one is retried."""

    class Period(models.TextChoices):
        DAILY = "daily", "Daily"
        WEEKLY = "weekly", "Weekly"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests")
    period = models.CharField(max_length=10, choices=Period)
    period_start = models.DateField()
    item_count = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "period", "period_start"], name="community_digest_once_per_period")
        ]

    def __str__(self):
        return f"{self.get_period_display()} digest for {self.user} ({self.period_start})"
