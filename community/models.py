"""The community app's models.

Each lives with the part of Confer it belongs to (profiles, listening, workshops, the core pages)
and is imported here, so Django finds them all under the one app label "community": moving code
into sub-packages changed no table, migration or content type (docs/architecture.md says why).
"""

from django.db import models
from django.db.models import F
from django.db.models.signals import post_save
from django.dispatch import receiver
from taggit.models import Tag

from .comment_html import CommentHtml  # noqa: F401
from .groups.models import *  # noqa: F403
from .listening.models import *  # noqa: F403
from .listeningpost.models import *  # noqa: F403
from .moderation.models import AuditEntry, Claim, Flag  # noqa: F401
from .pages import *  # noqa: F403
from .profiles.models import *  # noqa: F403
from .sitesearch.models import *  # noqa: F403
from .workshops.models import *  # noqa: F403


class TagUsage(models.Model):
    """How many questions and ideas carry a tag, kept on a row so that /tags/ lists the most used
    tags in the order of an index instead of counting every tagged item on each request.

    qa and ideas move the counts as items are tagged and untagged (``TagUsage.count``), and recount
    after bulk work (``TagUsage.recount``). The counts include hidden and merged items."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, primary_key=True, related_name="usage")
    name = models.CharField(max_length=100)  # the tag's name, for the order and the search box
    questions = models.PositiveIntegerField(default=0)
    ideas = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)

    KINDS = ("questions", "ideas")

    class Meta:
        indexes = [
            models.Index(fields=["-total", "name", "tag"], name="community_tagusage_most_used"),
            models.Index(fields=["-questions", "name", "tag"], name="community_tagusage_questions"),
            models.Index(fields=["-ideas", "name", "tag"], name="community_tagusage_ideas"),
        ]

    def __str__(self):
        return f"{self.name}: {self.total}"

    @classmethod
    def most_used(cls, kind: str, limit: int):
        """Names of the tags most used on ``kind``, most first: the suggestions a list's tag
        filter offers, read in the order of an index instead of counting every tagged item."""
        if kind not in cls.KINDS:
            raise ValueError(kind)
        rows = cls.objects.filter(**{f"{kind}__gt": 0}).order_by(f"-{kind}", "name", "tag_id")
        return rows.values_list("name", flat=True)[:limit]

    @classmethod
    def count(cls, tag_id, kind: str, delta: int) -> None:
        """Add ``delta`` uses of the tag on ``kind`` ("questions" or "ideas"), with ``F()``."""
        if kind not in cls.KINDS:
            raise ValueError(kind)
        moved = {kind: F(kind) + delta, "total": F("total") + delta}
        if cls.objects.filter(tag_id=tag_id).update(**moved):
            return
        # A tag made before usage rows existed, or in bulk: give it its row first.
        name = Tag.objects.filter(pk=tag_id).values_list("name", flat=True).first()
        if name is not None:
            cls.objects.get_or_create(tag_id=tag_id, defaults={"name": name[:100]})
            cls.objects.filter(tag_id=tag_id).update(**moved)

    @classmethod
    def recount(cls, kind: str, through) -> None:
        """Count ``kind`` again for every tag from its taggit through model (after bulk_create)."""
        cls.recount_with(cls, Tag, kind, through)

    @staticmethod
    def recount_with(usage_model, tag_model, kind, through) -> None:
        """``recount`` with the models given: migrations pass their historical ones."""
        existing = set(usage_model.objects.values_list("tag_id", flat=True))
        usage_model.objects.bulk_create(
            usage_model(tag_id=pk, name=name)
            for pk, name in tag_model.objects.values_list("pk", "name")
            if pk not in existing
        )
        counts = dict(
            through.objects.order_by().values("tag_id").annotate(n=models.Count("pk")).values_list("tag_id", "n")
        )
        rows = list(usage_model.objects.all())
        for row in rows:
            setattr(row, kind, counts.get(row.tag_id, 0))
            row.total = sum(getattr(row, k) for k in ("questions", "ideas"))
        usage_model.objects.bulk_update(rows, [kind, "total"], batch_size=1_000)


@receiver(post_save, sender=Tag)
def _tag_saved(sender, instance, created=False, raw=False, **kwargs):
    # Every tag is listed on /tags/, used or not; a renamed tag keeps its place under its new name.
    if raw:
        return
    if created:
        TagUsage.objects.get_or_create(tag=instance, defaults={"name": instance.name[:100]})
    else:
        TagUsage.objects.filter(tag=instance).exclude(name=instance.name).update(name=instance.name[:100])
