"""The listening post: outside feeds (sources), what they said (items), what people listen for
(watches) and what they pass on inside (shares, listening exercises). docs/listening-post.md."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import models
from django.urls import reverse
from django.utils import timezone
from modelsearch import index
from taggit.models import Tag

__all__ = ["ListeningExercise", "ListeningItem", "ListeningSource", "ItemShare", "Watch", "WatchMatch"]

MANAGE_SOURCES = "community.manage_listening_sources"
RUN_EXERCISES = "community.run_listening_exercises"


class ListeningSource(models.Model):
    """An outside RSS or Atom feed Confer fetches on a schedule."""

    name = models.CharField(max_length=120)
    url = models.URLField("Feed address", max_length=1000, unique=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="listening_sources")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    active = models.BooleanField(default=True, help_text="Fetched on the schedule while ticked.")
    # Conditional GET: what the feed's server said last time; a 304 keeps what we have.
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_status = models.CharField(max_length=200, blank=True, editable=False)
    # The last fetch's failure, in words an editor can act on; cleared by the next success.
    last_error = models.CharField(max_length=500, blank=True, editable=False)
    last_error_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        permissions = [
            ("manage_listening_sources", "Can add and change the listening post's sources"),
            ("run_listening_exercises", "Can run listening exercises"),
        ]

    def __str__(self):
        return self.name


class ItemQuerySet(models.QuerySet):
    def newest(self):
        return self.order_by("-published_at", "-pk")


class ListeningItem(index.Indexed, models.Model):
    """One entry of a source's feed, kept once (by GUID, or by link when the feed gives no GUID)."""

    source = models.ForeignKey(ListeningSource, on_delete=models.CASCADE, related_name="items")
    guid = models.CharField(max_length=500)
    link = models.URLField(max_length=1000, blank=True)
    title = models.CharField(max_length=300)
    summary_html = models.TextField(blank=True)  # sanitised once, at fetch time
    summary_text = models.TextField(blank=True)  # its words, for watches, search and snippets
    author = models.CharField(max_length=200, blank=True)
    published_at = models.DateTimeField(default=timezone.now)
    fetched_at = models.DateTimeField(default=timezone.now, editable=False)
    # Shared, gathered in an exercise or turned into a question or idea: never purged.
    kept = models.BooleanField(default=False)

    objects = ItemQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("summary_text"),
        index.FilterField("id"),
        index.FilterField("source"),
        index.FilterField("published_at"),
    ]

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source", "guid"], name="community_listeningitem_once_by_guid"),
            models.UniqueConstraint(
                fields=["source", "link"], condition=~models.Q(link=""), name="community_listeningitem_once_by_link"
            ),
        ]
        indexes = [
            models.Index(fields=["-published_at", "-id"], name="community_litem_newest"),
            models.Index(fields=["source", "-published_at", "-id"], name="community_litem_source_newest"),
            models.Index(fields=["kept", "fetched_at"], name="community_litem_purge"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("listening:item", args=[self.pk])

    def keep(self) -> None:
        if not self.kept:
            self.kept = True
            ListeningItem.objects.filter(pk=self.pk).update(kept=True)

    # Comments (community.comments.Commentable)
    def check_can_comment(self, user) -> None:
        if not user.is_authenticated:
            raise PermissionDenied("Sign in to comment.")

    def comment_posted(self, comment) -> None:
        from ..comments import tell_followers
        from ..listening.follows import follow

        if comment.user is None or not comment.is_public or comment.is_removed:
            return
        self.keep()  # a discussed item is worth keeping
        follow(comment.user, self, auto=True)
        tell_followers(comment, self, "listening.new_comment")

    def notification_title(self, user):
        return self.title

    def tag_names(self) -> list[str]:
        return sorted(self.source.tags.values_list("name", flat=True))

    def notify_followers(self, event_type: str, actor, recipients=(), data=None, target=None, url="") -> None:
        from ..listening.notifications import notify

        notify(event_type, actor=actor, target=target or self, followed=[self], recipients=recipients,
               title=self.title, url=url, tags=self.tag_names(), data=data)  # fmt: skip


class Watch(models.Model):
    """Words and phrases someone listens for, with AND/OR/NOT and brackets (watches.py), over some
    sources or tags (all of them when none are chosen). Owned by a person; shared with a team
    (a group: all its members hear) or a tag (everyone following it hears)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    name = models.CharField(max_length=120)
    expression = models.CharField(max_length=500)
    sources = models.ManyToManyField(ListeningSource, blank=True, related_name="+")
    tags = models.ManyToManyField(Tag, blank=True, related_name="+")
    shared_with_group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shared_with_tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["owner", "name"], name="community_watch_owner")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('listening:index')}?watch={self.pk}"


class WatchMatch(models.Model):
    """An item a watch found: once per watch and item, however often it is matched again."""

    watch = models.ForeignKey(Watch, on_delete=models.CASCADE, related_name="matches")
    item = models.ForeignKey(ListeningItem, on_delete=models.CASCADE, related_name="matches")
    matched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["watch", "item"], name="community_watchmatch_once")]
        indexes = [models.Index(fields=["watch", "-matched_at", "-id"], name="community_watchmatch_newest")]


class ListeningExercise(models.Model):
    """A time-boxed campaign ("Autumn Statement day"): items shared into it while it runs, with the
    notes people wrote, exported as CSV for the policy team."""

    title = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        indexes = [models.Index(fields=["-starts_at", "-id"], name="community_lexercise_newest")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="community_lexercise_window"
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("listening:exercise", args=[self.pk])

    def is_running(self, now=None) -> bool:
        now = now or timezone.now()
        return self.starts_at <= now < self.ends_at


class ItemShare(models.Model):
    """An item passed on inside: to colleagues, to a tag's followers and/or into an exercise, with a note."""

    item = models.ForeignKey(ListeningItem, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    recipients = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    exercise = models.ForeignKey(
        ListeningExercise, null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["item", "-created_at"], name="community_itemshare_item"),
            models.Index(fields=["exercise", "created_at", "id"], name="community_itemshare_exercise"),
        ]
