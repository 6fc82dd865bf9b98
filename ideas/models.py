"""Ideas: colleagues propose improvements, vote for them, and moderators answer with a status.

Every action (submit, vote, withdraw, change status, merge, undo a merge, record a benefit, run a
campaign) is a model method that checks who may do it, runs inside a transaction, and raises
``PermissionDenied`` (this person may not do it at all) or ``ValidationError`` (not like this; the
message says why). Views only translate those into a 403 or a message.
"""

import datetime
import decimal
import difflib

import django_comments
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, F, FloatField, Func, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Length, Power
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from modelsearch.queryset import SearchableQuerySetMixin
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from community.comments import tell_followers
from community.groups.visibility import (
    PostedInCommunity,
    check_can_post_in,
    is_member,
    members_only,
    who_of_them_may_see,
    within_reach,
)
from community.listening.follows import follow
from community.listening.notifications import notify, notify_from_worker
from community.markdown import render_markdown
from community.mentions import tell_mentioned
from community.models import Follow
from community.moderation.models import MODERATE, AuditEntry, Claim, Flag, can_moderate, close_flags
from community.roles import users_with_perm

MAX_TITLE_LENGTH = 150
MAX_DESCRIPTION_LENGTH = 10_000
MAX_RESPONSE_LENGTH = 10_000
MAX_EVIDENCE_LENGTH = 5_000
MAX_NOTE_LENGTH = 500
MAX_TAGS = 5

# Duplicate is reached only by merging, which moves the votes and keeps the comments reachable.
DUPLICATE_BY_MERGING = "To mark an idea as a duplicate, merge it into the original idea."

# Trending: how long it takes a vote's weight to halve (see IdeaQuerySet.with_trending_score).
TRENDING_HALF_LIFE = datetime.timedelta(days=3)
# Each idea keeps trending_key = Σ 2 ^ ((vote time - TRENDING_EPOCH) / half-life) over its votes. Every
# idea's score decays by the same factor as time passes, so ordering by the key is ordering by
# trending score at any moment, and an index serves it (docs/scaling.md). The key doubles every half-life
# and a float holds it until about 8 years after the epoch (2034): before then, move the epoch forward
# and run ``Idea.objects.all().refresh_trending()`` once.
TRENDING_EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


LISTED = Q(merged_into__isnull=True)


def trending_weight(moment: datetime.datetime) -> float:
    """A vote's weight in trending_key: 2 ^ (half-lives from the epoch to ``moment``)."""
    return 2.0 ** ((moment - TRENDING_EPOCH).total_seconds() / TRENDING_HALF_LIFE.total_seconds())


# --- roles --------------------------------------------------------------------------------------
# Each power beyond taking part is a permission (declared in Idea's and Campaign's Meta, given to the
# Moderators and Digital team groups by migration 0002): whoever holds it may act, whatever their
# group is called. ``has_perm`` reads a user's permissions once and keeps them on the user object.

SET_IDEA_STATUS = "ideas.set_idea_status"
MERGE_IDEAS = "ideas.merge_ideas"
RECORD_BENEFITS = "ideas.record_benefit"
RUN_CAMPAIGNS = "ideas.run_campaigns"


def can_set_status(user) -> bool:
    """Moving an idea on, with an official response, is for moderators."""
    return user.has_perm(SET_IDEA_STATUS)


def can_merge(user) -> bool:
    """Merging duplicate ideas, and undoing merges, is for moderators."""
    return user.has_perm(MERGE_IDEAS)


def can_run_campaigns(user) -> bool:
    """Campaigns are started by moderators and the digital team."""
    return user.has_perm(RUN_CAMPAIGNS)


def can_record_benefits(user) -> bool:
    """The benefit an implemented idea delivered is recorded by moderators and the digital team."""
    return user.has_perm(RECORD_BENEFITS)


def _when(moment) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


# --- campaigns ------------------------------------------------------------------------------------


class CampaignQuerySet(models.QuerySet):
    def open(self, now=None):
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def upcoming(self, now=None):
        return self.filter(opens_at__gt=now or timezone.now())

    def closed(self, now=None):
        return self.filter(closes_at__lte=now or timezone.now())

    def with_idea_count(self):
        return self.annotate(idea_count=Count("ideas", filter=Q(ideas__merged_into__isnull=True)))


class Campaign(models.Model):
    """A time-boxed question put to everyone ("What should we change after the Autumn Statement?").

    Ideas can be submitted to it, and its ideas voted on, only while it is open:
    from ``opens_at`` up to (not including) ``closes_at``.
    """

    title = models.CharField("question", max_length=MAX_TITLE_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=True, editable=False)
    description = models.TextField(blank=True)
    description_html = models.TextField(blank=True, editable=False)
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at", "-pk"]
        permissions = [("run_campaigns", "Can start, change and close idea campaigns")]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="ideas_campaign_title_not_empty"),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="ideas_campaign_closes_after_opens"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title, allow_unicode=True)[:80].strip("-") or "campaign"
        self.description_html = render_markdown(self.description)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "slug", "description_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("ideas:campaign", args=[self.pk, self.slug])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    @property
    def state(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"

    def refusal(self, taking: str, now=None) -> str | None:
        """Why the campaign is not taking ``taking`` ("ideas" or "votes") now, or None if it is."""
        now = now or timezone.now()
        if now < self.opens_at:
            return f"The campaign “{self.title}” opens on {_when(self.opens_at)}, so it is not taking {taking} yet."
        if now >= self.closes_at:
            return (
                f"The campaign “{self.title}” closed on {_when(self.closes_at)}, so it is no longer taking {taking}."
            )
        return None

    @classmethod
    @transaction.atomic
    def start(cls, by, title: str, description: str, opens_at, closes_at) -> "Campaign":
        if not can_run_campaigns(by):
            raise PermissionDenied("Only moderators and the digital team can start campaigns.")
        cls._check_window(opens_at, closes_at)
        if closes_at <= timezone.now():
            raise ValidationError("The closing date must be in the future.")
        return cls.objects.create(
            title=title, description=description, opens_at=opens_at, closes_at=closes_at, created_by=by
        )

    @transaction.atomic
    def edit(self, by, title: str, description: str, opens_at, closes_at) -> None:
        if not can_run_campaigns(by):
            raise PermissionDenied("Only moderators and the digital team can change campaigns.")
        self._check_window(opens_at, closes_at)
        self.title, self.description, self.opens_at, self.closes_at = title, description, opens_at, closes_at
        self.save(update_fields=["title", "description", "opens_at", "closes_at"])

    @transaction.atomic
    def close_now(self, by) -> None:
        if not can_run_campaigns(by):
            raise PermissionDenied("Only moderators and the digital team can close campaigns.")
        now = timezone.now()
        if self.closes_at <= now:
            raise ValidationError("This campaign has already closed.")
        if self.opens_at > now:
            raise ValidationError("This campaign has not opened yet. Change its dates instead.")
        self.closes_at = now
        self.save(update_fields=["closes_at"])

    @staticmethod
    def _check_window(opens_at, closes_at) -> None:
        if closes_at <= opens_at:
            raise ValidationError("The closing date must be after the opening date.")


# --- trending -------------------------------------------------------------------------------------


class SecondsBetween(Func):
    """Seconds from the second expression to the first (``later - earlier``), as a float.

    Date arithmetic is spelt differently by each database; this is the one place that knows how.
    """

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        # PostgreSQL (and any database with EXTRACT(EPOCH FROM interval)).
        return super().as_sql(
            compiler,
            connection,
            template="CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )


# --- ideas ----------------------------------------------------------------------------------------


class IdeaTag(TaggedItemBase):
    content_object = models.ForeignKey("Idea", on_delete=models.CASCADE, related_name="tagged_items")


class IdeaQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def visible_to(self, user):
        """Every colleague may see every idea (merged ones lead to the idea they were merged into)
        except those a moderator hid, which only their author and moderators see, and those posted
        in an invite-only community, which only its members and the author see (a moderator who is
        not a member opens one only from a flag: ``is_visible_to``)."""
        in_reach = within_reach(user) | Q(author=user.pk)
        if can_moderate(user):
            return self.filter(in_reach)
        return self.filter(Q(is_hidden=False) | Q(author=user.pk)).filter(in_reach)

    def listed(self):
        """What lists show by default: merged ideas are left out (their votes count on the original),
        and so are hidden ones and those their author withdrew. Those posted in an invite-only
        community are listed only in it (``in_community``), never site-wide."""
        return self.filter(merged_into__isnull=True, is_hidden=False, withdrawn_at__isnull=True, members_only=False)

    def in_community(self, community, tag_ids, viewer, before, limit):
        """The newest ideas ``viewer`` may see posted in ``community`` or carrying one of ``tag_ids``."""
        posted_in = Q(community=community)
        if tag_ids:
            posted_in |= Q(pk__in=IdeaTag.objects.filter(tag_id__in=tag_ids).values("content_object_id"))
        ideas = self.visible_to(viewer).filter(
            posted_in, merged_into__isnull=True, is_hidden=False, withdrawn_at__isnull=True
        )
        if before is not None:
            ideas = ideas.filter(created_at__lt=before)
        return ideas.order_by("-created_at", "-pk")[:limit]

    def closed(self):
        return self.filter(status__in=Idea.CLOSED_STATUSES)

    def newest(self):
        return self.order_by("-created_at", "-pk")

    def top(self):
        return self.order_by("-vote_count", "-created_at", "-pk")

    def most_discussed(self):
        return self.order_by("-comment_count", "-vote_count", "-created_at", "-pk")

    def with_trending_score(self, now=None):
        """Annotate ``trending_score``: recent votes weigh more, whatever the idea's own age.

            trending_score = Σ over the idea's votes cast up to ``now`` of 0.5 ^ (age of the vote / H)

        with the half-life H = TRENDING_HALF_LIFE (3 days): a vote cast just now counts 1, one cast
        3 days ago 0.5, a week ago about 0.2, a month ago about 0.001. An old idea with a fresh burst
        of support therefore rises above a newer idea whose votes came weeks ago. Votes moved in by a
        merge keep the time they were cast. The whole ranking is one SQL query (a correlated
        subquery summing the weights), never a loop over ideas.
        """
        now = now or timezone.now()
        age = SecondsBetween(Value(now, output_field=models.DateTimeField()), F("created_at"))
        weight = Power(Value(0.5), age / Value(TRENDING_HALF_LIFE.total_seconds()))
        weights = (
            Vote.objects.filter(idea=OuterRef("pk"), created_at__lte=now)
            .order_by()
            .values("idea")
            .annotate(total=Sum(weight, output_field=FloatField()))
            .values("total")
        )
        return self.annotate(trending_score=Coalesce(Subquery(weights, output_field=FloatField()), Value(0.0)))

    def trending(self, now=None):
        """Highest trending score first, read in the order of the ``ideas_idea_trending`` index.

        ``trending_score`` is annotated from the kept key (exact for votes cast up to ``now``)."""
        now = now or timezone.now()
        decay = 1.0 / trending_weight(now)
        return self.annotate(trending_score=F("trending_key") * Value(decay, output_field=FloatField())).order_by(
            "-trending_key", "-created_at", "-pk"
        )

    def refresh_trending(self) -> int:
        """Recompute trending_key from the votes (after votes move in a merge, or to move the epoch)."""
        half_lives = SecondsBetween(
            F("created_at"), Value(TRENDING_EPOCH, output_field=models.DateTimeField())
        ) / Value(TRENDING_HALF_LIFE.total_seconds())
        weights = (
            Vote.objects.filter(idea=OuterRef("pk"))
            .order_by()
            .values("idea")
            .annotate(total=Sum(Power(Value(2.0), half_lives), output_field=FloatField()))
            .values("total")
        )
        return self.update(trending_key=Coalesce(Subquery(weights, output_field=FloatField()), Value(0.0)))

    def with_vote_of(self, user):
        """Annotate ``has_voted``: whether ``user`` has voted for each idea."""
        return self.annotate(has_voted=Exists(Vote.objects.filter(idea=OuterRef("pk"), user=user.pk)))

    # For the insight dashboard: the ideas funnel and the benefits delivered.

    def implemented(self):
        return self.filter(status=Idea.Status.IMPLEMENTED)

    def implemented_between(self, start=None, end=None):
        """Ideas implemented from ``start`` up to (not including) ``end`` (datetimes; None is open-ended)."""
        queryset = self.implemented()
        if start is not None:
            queryset = queryset.filter(implemented_at__gte=start)
        if end is not None:
            queryset = queryset.filter(implemented_at__lt=end)
        return queryset

    def status_counts(self) -> dict[str, int]:
        """How many ideas are at each status (merged ones count as duplicates): the ideas funnel."""
        counts = dict.fromkeys(Idea.Status.values, 0)
        counts.update(self.order_by().values_list("status").annotate(n=Count("pk")))
        return counts

    def benefit_totals(self) -> dict:
        """The estimated and realised benefit of the implemented ideas in this queryset, in one query.

        ``ideas`` counts implemented ideas, ``with_benefit`` those with a benefit recorded; hours are
        hours saved per year and money is pounds saved per year (zero when nothing is recorded).
        """
        totals = self.implemented().aggregate(
            ideas=Count("pk"),
            with_benefit=Count("benefit"),
            estimated_hours=Sum("benefit__estimated_hours_per_year"),
            realised_hours=Sum("benefit__realised_hours_per_year"),
            estimated_money=Sum("benefit__estimated_money_per_year"),
            realised_money=Sum("benefit__realised_money_per_year"),
        )
        for key in ("estimated_hours", "realised_hours"):
            totals[key] = totals[key] or 0
        for key in ("estimated_money", "realised_money"):
            totals[key] = totals[key] or decimal.Decimal("0.00")
        return totals


def _locked(pk) -> "Idea":
    """The idea's row, locked until the transaction ends, as it is now.

    Related rows are read afterwards, not joined: on PostgreSQL a row that was waited for is re-read,
    but columns joined from other tables would still show what they were before the wait.
    """
    return Idea.objects.select_for_update().get(pk=pk)


class Idea(index.Indexed, PostedInCommunity):
    """An improvement a colleague proposes, in Markdown, with one to five tags and perhaps a campaign."""

    class Status(models.TextChoices):
        NEW = "new", "New"
        UNDER_REVIEW = "under_review", "Under review"
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        IMPLEMENTED = "implemented", "Implemented"
        DECLINED = "declined", "Declined"
        DUPLICATE = "duplicate", "Duplicate"

    # Closed ideas take no votes; the votes already cast stay.
    CLOSED_STATUSES = (Status.IMPLEMENTED, Status.DECLINED, Status.DUPLICATE)

    # Turned from an item heard on the listening post ("Turn into a question/an idea"): the link
    # back to the outside source. Such an item is kept (never purged).
    from_listening_item = models.ForeignKey(
        "community.ListeningItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=True, editable=False)
    description = models.TextField()
    description_html = models.TextField(blank=True, editable=False)
    # PROTECT: people who leave are deactivated, never deleted with their ideas (docs/people-leaving.md).
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas")
    campaign = models.ForeignKey(
        Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="ideas", editable=False
    )
    tags = TaggableManager(through=IdeaTag, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    status = models.CharField(max_length=20, choices=Status, default=Status.NEW, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    implemented_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_ideas", editable=False
    )

    # Hidden by a moderator (community.moderation): seen only by its author and moderators.
    is_hidden = models.BooleanField(default=False, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Set when its author withdrew it after someone had replied (``withdraw_by``): the page shows
    # "Withdrawn by the author" in place of the description; comments, votes and history stay.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    flags = GenericRelation(Flag)
    claims = GenericRelation(Claim)

    vote_count = models.PositiveIntegerField(default=0, editable=False)
    trending_key = models.FloatField(default=0.0, editable=False)
    # Comments reachable from this idea: its own, plus those of ideas merged into it.
    comment_count = models.PositiveIntegerField(default=0, editable=False)

    objects = IdeaQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("description"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2), index.FilterField("slug")]),
        index.FilterField("id"),
        index.FilterField("status"),
        index.FilterField("merged_into"),
        index.FilterField("is_hidden"),
        index.FilterField("members_only"),
        index.FilterField("withdrawn_at"),
        index.FilterField("campaign"),
        index.FilterField("author"),
        index.FilterField("created_at"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("set_idea_status", "Can set an idea's status with an official response"),
            ("merge_ideas", "Can merge duplicate ideas and undo merges"),
            ("record_benefit", "Can record the benefits of implemented ideas"),
        ]
        indexes = [
            # A person's ideas, newest first, on their profile (ideas.activity).
            models.Index(fields=["author", "created_at", "id"], name="ideas_idea_by_author"),
            # Ideas of one status, in each order (the status is an equality: it comes first).
            models.Index(fields=["status", "created_at", "id"], name="ideas_idea_status_newest"),
            # A community's feed: what was posted in it, newest first.
            models.Index(fields=["community", "created_at", "id"], name="ideas_idea_in_community"),
            models.Index(fields=["status", "vote_count", "created_at", "id"], name="ideas_idea_status_top"),
            models.Index(fields=["status", "trending_key", "created_at", "id"], name="ideas_idea_status_trending"),
            models.Index(
                fields=["status", "comment_count", "vote_count", "created_at", "id"],
                name="ideas_idea_status_discussed",
            ),
            # Lists leave merged ideas out, then read in one of these orders. SQLite takes
            # "merged_into IS NULL" as an equality and walks the first three; PostgreSQL does not (it
            # would sort) and walks the partial ones, whose condition has no parameter.
            models.Index(fields=["merged_into", "vote_count", "created_at", "id"], name="ideas_idea_top"),
            models.Index(fields=["merged_into", "trending_key", "created_at", "id"], name="ideas_idea_trending"),
            models.Index(fields=["merged_into", "created_at", "id"], name="ideas_idea_newest"),
            models.Index(
                fields=["merged_into", "comment_count", "vote_count", "created_at", "id"], name="ideas_idea_discussed"
            ),
            models.Index(fields=["vote_count", "created_at", "id"], condition=LISTED, name="ideas_idea_top_listed"),
            models.Index(
                fields=["trending_key", "created_at", "id"], condition=LISTED, name="ideas_idea_trending_listed"
            ),
            models.Index(fields=["created_at", "id"], condition=LISTED, name="ideas_idea_newest_listed"),
            models.Index(
                fields=["comment_count", "vote_count", "created_at", "id"],
                condition=LISTED,
                name="ideas_idea_discussed_listed",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="ideas_idea_title_not_empty"),
            models.CheckConstraint(condition=~Q(description=""), name="ideas_idea_description_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), MAX_DESCRIPTION_LENGTH),
                name="ideas_idea_description_max_length",
            ),
            models.CheckConstraint(condition=~Q(merged_into=F("id")), name="ideas_idea_not_merged_into_itself"),
            # A duplicate is always merged into the original, and only duplicates are.
            models.CheckConstraint(
                condition=Q(status="duplicate", merged_into__isnull=False)
                | (~Q(status="duplicate") & Q(merged_into__isnull=True)),
                name="ideas_idea_duplicate_is_merged",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title, allow_unicode=True)[:80].strip("-") or "idea"
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "description" in update_fields:
            self.description_html = render_markdown(self.description)
        if update_fields is not None:
            extra = {"slug"} | ({"description_html"} if "description" in update_fields else set())
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("ideas:idea", args=[self.pk, self.slug])

    @classmethod
    def comment_activity_targets(cls, pks, viewer) -> dict:
        """Of the ideas ``pks``, those a colleague sees (not hidden) or ``viewer`` proposed, as
        ``{pk: (title, url)}`` in one query: what a person's comments are on, on their profile."""
        rows = cls.objects.filter(Q(is_hidden=False) | Q(author=viewer.pk), pk__in=pks).only("id", "slug", "title")
        return {idea.pk: (idea.title, idea.get_absolute_url()) for idea in rows}

    @property
    def url(self) -> str:
        # Like a Wagtail page's .url; shared templates (search, similar) read either.
        return self.get_absolute_url()

    # State

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def is_visible_to(self, user) -> bool:
        if self.author_id == user.pk or can_moderate(user):
            return True
        if self.is_hidden:
            return False
        return not self.members_only or is_member(user, self.community_id)

    def who_can_see(self, user_ids) -> set:
        """Of the people ``user_ids``, those who may see this idea (``is_visible_to``, in one query)."""
        user_ids = set(user_ids)
        if self.is_hidden and user_ids:
            moderators = set(users_with_perm(MODERATE).filter(pk__in=user_ids).values_list("pk", flat=True))
            user_ids = ({self.author_id} & user_ids) | moderators
        return who_of_them_may_see(self, user_ids)

    # Moderation (the rules of flags and decisions: community.moderation)

    def flag(self, user, reason: str, note: str = "") -> Flag:
        return Flag.raise_flag(user, self, reason, note)

    @transaction.atomic
    def hide(self, by, why: str = "", action: str = "") -> None:
        """Hide the idea from everyone but its author and moderators; its open flags close as hidden."""
        if not can_moderate(by):
            raise PermissionDenied("Only moderators can hide ideas.")
        if _locked(self.pk).is_hidden:
            raise ValidationError("This idea is already hidden.")
        self.is_hidden, self.hidden_by, self.hidden_at = True, by, timezone.now()
        self.save(update_fields=["is_hidden", "hidden_by", "hidden_at"])
        index.insert_or_update_object(self)
        close_flags(by, self, action or AuditEntry.Action.HIDDEN, why)

    @transaction.atomic
    def unhide(self, by, why: str = "") -> None:
        if not can_moderate(by):
            raise PermissionDenied("Only moderators can show hidden ideas again.")
        if not _locked(self.pk).is_hidden:
            raise ValidationError("This idea is not hidden.")
        self.is_hidden, self.hidden_by, self.hidden_at = False, None, None
        self.save(update_fields=["is_hidden", "hidden_by", "hidden_at"])
        index.insert_or_update_object(self)
        AuditEntry.record(by, self, AuditEntry.Action.SHOWN, why)

    def tag_names(self) -> list[str]:
        return sorted(tag.name for tag in self.tags.all())

    @classmethod
    def get_indexed_objects(cls):
        # Withdrawn ideas leave the search index (``withdraw_by`` removes them), for good.
        return super().get_indexed_objects().filter(withdrawn_at__isnull=True)

    # Owning your idea: delete it while nobody has replied, otherwise withdraw it.

    def deletion_refusal(self, user) -> str | None:
        """Why ``user`` may not delete this idea now, or None if they may: only its author, and only
        while nobody has replied (a comment, a moderator's response or another idea merged into it;
        votes are not replies) and it was not merged into another."""
        if self.author_id != user.pk:
            return "Only the person who proposed this idea can delete it."
        if self.withdrawn_at:
            return "You have withdrawn this idea already."
        instead = "so it can no longer be deleted. You can withdraw it instead."
        if self.is_merged:
            return f"This idea was merged into another, {instead}"
        if django_comments.get_model().objects.for_model(self).exists():
            return f"Someone has commented on this idea, {instead}"
        if self.status_changes.exists():
            return f"A moderator has responded to this idea, {instead}"
        if self.merges_in.exists():
            return f"Other ideas were merged into this one, {instead}"
        return None

    def delete_by(self, user) -> None:
        """Delete the idea for good, with its votes and follows, if ``user`` may
        (``deletion_refusal``, checked again on the locked row)."""
        with transaction.atomic():
            idea = _locked(self.pk)
            refusal = idea.deletion_refusal(user)
            if refusal:
                raise PermissionDenied(refusal)
            Follow.objects.filter(content_type=ContentType.objects.get_for_model(Idea), object_id=idea.pk).delete()
            idea.delete()

    def withdrawal_refusal(self, user) -> str | None:
        if self.author_id != user.pk:
            return "Only the person who proposed this idea can withdraw it."
        if self.withdrawn_at:
            return "You have withdrawn this idea already."
        return None

    @transaction.atomic
    def withdraw_by(self, user) -> None:
        """The author takes the idea back: others see "Withdrawn by the author" in place of its
        description; its comments, votes and history stay; it leaves lists and search, and takes
        no more votes or comments."""
        refusal = self.withdrawal_refusal(user)
        if refusal:
            raise PermissionDenied(refusal)
        if _locked(self.pk).withdrawn_at:
            raise PermissionDenied("You have withdrawn this idea already.")
        self.withdrawn_at = timezone.now()
        self.save(update_fields=["withdrawn_at"])
        index.remove_object(self)

    def voting_refusal(self, now=None) -> str | None:
        """Why nobody can vote for (or withdraw a vote from) this idea now, or None if they can."""
        if self.withdrawn_at:
            return "Its author withdrew this idea, so it is no longer taking votes."
        if self.is_merged:
            return f"This idea was merged into “{self.merged_into.title}”. Vote for that idea instead."
        if self.is_closed:
            return (
                f"This idea is {self.get_status_display().lower()}, so it is no longer taking votes. "
                "The votes already cast still count."
            )
        if self.campaign_id is not None:
            return self.campaign.refusal("votes", now)
        return None

    # Submitting

    @classmethod
    @transaction.atomic
    def submit(
        cls, author, title: str, description: str, tags: list[str], campaign: Campaign | None = None, community=None
    ):
        check_can_post_in(author, community)
        if campaign is not None:
            # Read the campaign's window as it is now, not as the form saw it.
            campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
            refusal = campaign.refusal("ideas")
            if refusal:
                raise ValidationError(refusal)
        idea = cls.objects.create(
            author=author, title=title, description=description, campaign=campaign,
            community=community, members_only=members_only(community),
        )  # fmt: skip
        idea.tags.set(tags)
        idea.record_revision(author, "Suggested")
        # Saving indexed the idea before it had tags; index it again with them.
        index.insert_or_update_object(idea)
        follow(author, idea, auto=True)
        tags = list(idea.tags.all())
        notify_from_worker(
            "ideas.new_idea",
            actor=author,
            target=idea,
            followed=[*tags, author, *([community] if community else [])],
            tags=[tag.name for tag in tags],
            data={"campaign": campaign.title if campaign else ""},
            can_see="who_can_see",
        )
        idea.tell_mentioned(author)
        return idea

    # Editing, with a history of changes (as questions have)

    def revision_snapshot(self) -> dict:
        return {"title": self.title, "description": self.description, "tags": ", ".join(self.tag_names())}

    def record_revision(self, editor, summary: str = "") -> "IdeaRevision":
        return IdeaRevision.objects.create(idea=self, editor=editor, summary=summary, **self.revision_snapshot())

    def edit_refusal(self, user) -> str | None:
        if self.author_id != user.pk:
            return "Only the person who proposed this idea can edit it."
        if self.withdrawn_at:
            return "You withdrew this idea, so it can no longer be edited."
        if self.is_merged:
            return "This idea was merged into another, so it can no longer be edited."
        return None

    @transaction.atomic
    def edit(self, by, title: str, description: str, tags: list[str], summary: str = "") -> bool:
        """Change the idea, keeping a revision, and tell only the people newly ``@named``. Returns
        False when nothing changed. An idea edited for the first time since before ideas had a
        history gets its original words recorded first, so the history starts where it did."""
        stored = _locked(self.pk)
        refusal = stored.edit_refusal(by)
        if refusal:
            raise PermissionDenied(refusal)
        same_tags = sorted(name.lower() for name in stored.tag_names()) == sorted(name.lower() for name in tags)
        if (stored.title, stored.description) == (title, description) and same_tags:
            return False
        if not stored.revisions.exists():
            IdeaRevision.objects.create(
                idea=stored, editor=stored.author, created_at=stored.created_at, **stored.revision_snapshot()
            )
        self.title, self.description, self.edited_at = title, description, timezone.now()
        self.save(update_fields=["title", "description", "edited_at"])
        self.tags.set(tags)
        getattr(self, "_prefetched_objects_cache", {}).pop("tags", None)  # read the new tags below
        self.record_revision(by, summary)
        index.insert_or_update_object(self)
        self.tell_mentioned(by)
        return True

    def tell_mentioned(self, by) -> None:
        """Tell the colleagues ``@named`` in the description, once each per idea (every colleague
        may see every idea). Call it again after an edit: only newly named people hear."""
        tell_mentioned(by, self, self.description, can_see=set, title=self.title, excerpt=self.description_html)

    # Voting

    @transaction.atomic
    def vote(self, user) -> None:
        """One vote per person (the ``ideas_vote_one_per_user`` constraint), counted on the row with F().

        The idea's row is locked first, so a vote cannot slip in while a moderator closes or merges it.
        """
        idea = _locked(self.pk)
        refusal = idea.voting_refusal()
        if refusal:
            raise ValidationError(refusal)
        now = timezone.now()
        try:
            with transaction.atomic():
                Vote.objects.create(idea=idea, user=user, created_at=now)
        except IntegrityError:
            raise ValidationError("You have already voted for this idea.") from None
        Idea.objects.filter(pk=self.pk).update(
            vote_count=F("vote_count") + 1, trending_key=F("trending_key") + trending_weight(now)
        )
        self.refresh_from_db(fields=["vote_count"])
        follow(user, idea, auto=True)

    @transaction.atomic
    def withdraw_vote(self, user) -> None:
        idea = _locked(self.pk)
        refusal = idea.voting_refusal()
        if refusal:
            raise ValidationError(refusal)
        vote = Vote.objects.filter(idea=idea, user=user).first()
        if vote is None:
            raise ValidationError("You have not voted for this idea.")
        vote.delete()
        Idea.objects.filter(pk=self.pk).update(
            vote_count=F("vote_count") - 1, trending_key=F("trending_key") - trending_weight(vote.created_at)
        )
        self.refresh_from_db(fields=["vote_count"])

    def has_vote_from(self, user) -> bool:
        return Vote.objects.filter(idea=self, user=user.pk).exists()

    def voters(self):
        """The people who voted for this idea (only their ids are loaded: enough to notify them)."""
        return get_user_model().objects.filter(idea_votes__idea=self).only("pk")

    # Statuses

    @transaction.atomic
    def change_status(self, by, status: str, response: str) -> "StatusChange":
        """A moderator moves the idea on, with an official response that voters and followers hear about."""
        if not can_set_status(by):
            raise PermissionDenied("Only moderators can change the status of an idea.")
        if status == self.Status.DUPLICATE:
            raise ValidationError(DUPLICATE_BY_MERGING)
        if status not in self.Status.values:
            raise ValidationError("Choose a status.")
        response = (response or "").strip()
        if not response:
            raise ValidationError("Enter the official response: say why the status is changing.")
        if len(response) > MAX_RESPONSE_LENGTH:
            raise ValidationError(f"The response must be {MAX_RESPONSE_LENGTH:,} characters or fewer.")
        idea = _locked(self.pk)
        if idea.is_merged:
            raise ValidationError(f"This idea was merged into “{idea.merged_into.title}”. Undo the merge first.")
        if idea.status == status:
            raise ValidationError(f"This idea is already “{idea.get_status_display()}”. Choose another status.")
        now = timezone.now()
        change = StatusChange.objects.create(
            idea=idea, previous_status=idea.status, status=status, response=response, changed_by=by, created_at=now
        )
        self.status, self.status_changed_at = status, now
        self.implemented_at = now if status == self.Status.IMPLEMENTED else None
        self.save(update_fields=["status", "status_changed_at", "implemented_at"])
        self.notify_followers(
            "ideas.status_changed",
            actor=by,
            recipients=[*self.voters(), self.author],
            data={
                "status": status,
                "status_label": self.get_status_display(),
                "previous_label": self.Status(change.previous_status).label,
            },
        )
        return change

    def notify_followers(self, event_type: str, actor, recipients=(), data=None, target=None, url="") -> None:
        """Tell the people following this idea (and ``recipients``) about something that happened to it;
        the notification links to ``url`` if given, else to ``target`` (the idea itself by default)."""
        notify(
            event_type,
            actor=actor,
            target=target or self,
            followed=[self],
            recipients=recipients,
            title=self.title,
            url=url,
            tags=self.tag_names(),
            data=data,
        )

    # Comments (posted through community.comments.post_comment)

    def check_can_comment(self, user) -> None:
        if self.is_merged:
            raise PermissionDenied(f"This idea was merged into “{self.merged_into.title}”. Comment there instead.")
        if self.withdrawn_at:
            raise PermissionDenied("Its author withdrew this idea, so it takes no comments.")

    def comment_posted(self, comment) -> None:
        """A comment was saved: the idea counts it, the commenter follows it, followers hear."""
        if comment.user is None or not comment.is_public or comment.is_removed:
            return
        Idea.objects.filter(pk=self.pk).update(comment_count=F("comment_count") + 1)
        follow(comment.user, self, auto=True)
        tell_followers(comment, self, "ideas.new_comment")
        self.comment_edited(comment)

    def comment_edited(self, comment) -> None:
        """Tell the people ``@named`` in the comment (once each: after an edit, only the newly named)."""
        if comment.user is None or not comment.is_public or comment.is_removed:
            return
        tell_mentioned(
            comment.user, comment, comment.comment, can_see=set, title=self.title,
            url=f"{self.get_absolute_url()}#c{comment.pk}", excerpt=comment.comment,
        )  # fmt: skip

    def comment_deleted(self, comment) -> None:
        """Its author deleted a comment: the idea (and, if merged, the idea it is counted on now)
        counts one fewer, and so does the merge, so undoing it later takes off only what is left."""
        Idea.objects.filter(pk=self.pk, comment_count__gt=0).update(comment_count=F("comment_count") - 1)
        if self.is_merged:
            Idea.objects.filter(pk=self.merged_into_id, comment_count__gt=0).update(
                comment_count=F("comment_count") - 1
            )
            IdeaMerge.objects.active().filter(source=self, comments_moved__gt=0).update(
                comments_moved=F("comments_moved") - 1
            )

    # Merging

    @transaction.atomic
    def merge_into(self, target: "Idea", by, note: str = "") -> "IdeaMerge":
        """Merge this idea (B) into ``target`` (A), losing nothing, in a way that can be undone.

        Votes move to A, one per person: someone who voted for both keeps their vote on A. Every vote
        B had is kept on the merge record, so undoing restores B's own votes exactly (same people,
        same times). B's followers also follow A; B's comments are shown on A. B becomes a duplicate
        that points at A.
        """
        if not can_merge(by):
            raise PermissionDenied("Only moderators can merge ideas.")
        if target.pk == self.pk:
            raise ValidationError("An idea cannot be merged into itself.")
        if len(note) > MAX_NOTE_LENGTH:
            raise ValidationError(f"The note must be {MAX_NOTE_LENGTH} characters or fewer.")
        # Lock both rows, so B→A and A→B at the same moment cannot both succeed.
        locked = {idea.pk: idea for idea in Idea.objects.select_for_update().filter(pk__in=[self.pk, target.pk])}
        source, target = locked[self.pk], locked.get(target.pk)
        if target is None:
            raise ValidationError("That idea does not exist.")
        if target.is_hidden:
            raise ValidationError(f"“{target.title}” is hidden, so it cannot be the original.")
        if target.withdrawn_at:
            raise ValidationError(f"“{target.title}” was withdrawn by its author, so it cannot be the original.")
        if source.is_merged:
            raise ValidationError(f"This idea has already been merged into “{source.merged_into.title}”.")
        if target.is_merged:
            raise ValidationError(
                f"“{target.title}” has itself been merged into “{target.merged_into.title}”. "
                "Merge into that idea instead."
            )
        if Idea.objects.filter(merged_into=source).exists():
            raise ValidationError(
                f"Other ideas have been merged into “{source.title}”. Merge “{target.title}” into it instead, "
                "or undo those merges first."
            )
        now = timezone.now()
        merge = IdeaMerge.objects.create(
            source=source,
            target=target,
            merged_by=by,
            merged_at=now,
            note=note.strip(),
            previous_status=source.status,
            previous_status_changed_at=source.status_changed_at,
            previous_implemented_at=source.implemented_at,
            comments_moved=source.comment_count,
        )
        votes = list(Vote.objects.filter(idea=source).values_list("user_id", "created_at"))
        on_target = set(
            Vote.objects.filter(idea=target, user_id__in=[user_id for user_id, _ in votes]).values_list(
                "user_id", flat=True
            )
        )
        MergedVote.objects.bulk_create(
            [
                MergedVote(merge=merge, user_id=user_id, created_at=cast_at, moved=user_id not in on_target)
                for user_id, cast_at in votes
            ]
        )
        Vote.objects.filter(idea=source, user_id__in=on_target).delete()
        moved = Vote.objects.filter(idea=source).update(idea=target, merge=merge)

        source_followers = set(Follow.objects.of(source).values_list("user_id", flat=True))
        target_followers = set(Follow.objects.of(target).values_list("user_id", flat=True))
        added = sorted(source_followers - target_followers)
        Follow.objects.bulk_create(
            [Follow(user_id=user_id, target=target, created_at=now) for user_id in added], ignore_conflicts=True
        )

        merge.votes_moved, merge.votes_already_on_target, merge.followers_added = moved, len(on_target), added
        merge.save(update_fields=["votes_moved", "votes_already_on_target", "followers_added"])
        Idea.objects.filter(pk=target.pk).update(
            vote_count=F("vote_count") + moved, comment_count=F("comment_count") + source.comment_count
        )
        Idea.objects.filter(pk=source.pk).update(
            vote_count=F("vote_count") - len(votes),
            status=self.Status.DUPLICATE,
            merged_into=target,
            status_changed_at=now,
            implemented_at=None,
        )
        Idea.objects.filter(pk__in=[source.pk, target.pk]).refresh_trending()
        StatusChange.objects.create(
            idea=source,
            previous_status=merge.previous_status,
            status=self.Status.DUPLICATE,
            response=f"Merged into “{target.title}”." + (f"\n\n{merge.note}" if merge.note else ""),
            changed_by=by,
            created_at=now,
            merge=merge,
        )
        self.refresh_from_db()
        target.refresh_from_db()
        index.insert_or_update_object(self)
        AuditEntry.record(by, self, AuditEntry.Action.MERGED, f"Into “{target.title}”. {merge.note}".strip())
        # Its author, its voters and its followers hear once each, with the link to the original.
        self.notify_followers(
            "ideas.merged",
            actor=by,
            target=target,
            recipients=get_user_model()
            .objects.filter(Q(pk__in=merge.votes.values("user_id")) | Q(pk=self.author_id))
            .only("pk"),
            data={"source_title": self.title, "target_title": target.title},
        )
        return merge

    # Benefits

    @transaction.atomic
    def record_benefit(self, by, **values) -> "IdeaBenefit":
        """Record (or correct) the benefit an implemented idea delivered, for the insight dashboard."""
        if not can_record_benefits(by):
            raise PermissionDenied("Only moderators and the digital team can record benefits.")
        idea = Idea.objects.select_for_update().get(pk=self.pk)
        if idea.status != self.Status.IMPLEMENTED:
            raise ValidationError("Benefits can be recorded once an idea is implemented.")
        fields = {name: values.get(name) for name in IdeaBenefit.VALUE_FIELDS}
        fields["evidence"] = (values.get("evidence") or "").strip()
        if all(fields[name] is None for name in IdeaBenefit.VALUE_FIELDS):
            raise ValidationError("Enter at least one estimated or realised benefit.")
        if any(fields[name] is not None and fields[name] < 0 for name in IdeaBenefit.VALUE_FIELDS):
            raise ValidationError("Benefits cannot be negative.")
        if len(fields["evidence"]) > MAX_EVIDENCE_LENGTH:
            raise ValidationError(f"The evidence must be {MAX_EVIDENCE_LENGTH:,} characters or fewer.")
        benefit, _ = IdeaBenefit.objects.update_or_create(
            idea=idea, defaults={**fields, "recorded_by": by, "updated_at": timezone.now()}
        )
        return benefit


class Vote(models.Model):
    """One person's vote for one idea. ``merge`` is set when the vote arrived by merging another idea."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="votes")
    # PROTECT: deleting the voter would leave the idea's vote count counting a vote that is gone.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="idea_votes")
    created_at = models.DateTimeField(default=timezone.now)
    merge = models.ForeignKey(
        "IdeaMerge", null=True, blank=True, on_delete=models.SET_NULL, related_name="moved_votes"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "idea"], name="ideas_vote_one_per_user")]
        indexes = [models.Index(fields=["idea", "created_at"], name="ideas_vote_by_time")]

    def __str__(self):
        return f"{self.user} for “{self.idea}”"


class StatusChange(models.Model):
    """One step in an idea's history: the new status and the moderator's official response."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="status_changes")
    previous_status = models.CharField(max_length=20, choices=Idea.Status)
    status = models.CharField(max_length=20, choices=Idea.Status)
    response = models.TextField()
    response_html = models.TextField(blank=True, editable=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    merge = models.ForeignKey(
        "IdeaMerge", null=True, blank=True, on_delete=models.SET_NULL, related_name="status_changes"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(response=""), name="ideas_status_change_has_response"),
        ]

    def __str__(self):
        return f"{self.idea}: {self.get_previous_status_display()} → {self.get_status_display()}"

    def save(self, *args, **kwargs):
        self.response_html = render_markdown(self.response)
        super().save(*args, **kwargs)


class IdeaRevision(models.Model):
    """The full text of an idea after one change by its author: who, when, and what it then said."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    description = models.TextField()
    tags = models.CharField(max_length=500, blank=True)
    summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # The history page reads one idea's revisions in order.
        indexes = [models.Index(fields=["idea", "created_at", "id"], name="ideas_revision_by_idea")]

    def __str__(self):
        return f"Revision of {self.idea} at {self.created_at:%Y-%m-%d %H:%M}"

    def changes_from(self, previous: "IdeaRevision | None") -> list[dict]:
        """What changed since ``previous``: one entry per changed field, with a line diff."""
        changes = []
        for field, label in (("title", "Title"), ("tags", "Tags"), ("description", "Description")):
            old = getattr(previous, field) if previous else ""
            new = getattr(self, field)
            if old == new:
                continue
            lines = [line for line in difflib.ndiff(old.splitlines(), new.splitlines()) if not line.startswith("?")]
            kinds = {"+": "added", "-": "removed"}
            changes.append(
                {"field": label, "lines": [{"kind": kinds.get(line[:1], "same"), "text": line[2:]} for line in lines]}
            )
        return changes


class IdeaMergeQuerySet(models.QuerySet):
    def active(self):
        return self.filter(undone_at__isnull=True)


class IdeaMerge(models.Model):
    """The record of merging one idea (``source``, B) into another (``target``, A): who, when, what moved.

    Kept after an undo, with who undid it and when.
    """

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    merged_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=MAX_NOTE_LENGTH, blank=True)
    # B as it was, so an undo puts it back.
    previous_status = models.CharField(max_length=20, choices=Idea.Status)
    previous_status_changed_at = models.DateTimeField(null=True, blank=True)
    previous_implemented_at = models.DateTimeField(null=True, blank=True)
    # What moved.
    votes_moved = models.PositiveIntegerField(default=0)
    votes_already_on_target = models.PositiveIntegerField(default=0)
    comments_moved = models.PositiveIntegerField(default=0)
    followers_added = models.JSONField(default=list, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    objects = IdeaMergeQuerySet.as_manager()

    class Meta:
        ordering = ["-merged_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"], condition=Q(undone_at__isnull=True), name="ideas_merge_one_active_per_source"
            ),
            models.CheckConstraint(condition=~Q(source=F("target")), name="ideas_merge_not_into_itself"),
        ]

    def __str__(self):
        return f"“{self.source}” merged into “{self.target}”"

    @property
    def is_active(self) -> bool:
        return self.undone_at is None

    @transaction.atomic
    def undo(self, by) -> None:
        """Put B back as it was: its own votes (same people, same times), its status, A's counts."""
        if not can_merge(by):
            raise PermissionDenied("Only moderators can undo a merge.")
        merge = IdeaMerge.objects.select_for_update().get(pk=self.pk)
        if not merge.is_active:
            raise ValidationError("This merge has already been undone.")
        locked = {
            idea.pk: idea for idea in Idea.objects.select_for_update().filter(pk__in=[self.source_id, self.target_id])
        }
        source, target = locked[self.source_id], locked[self.target_id]
        now = timezone.now()
        # The votes that moved to A leave it (any withdrawn since are simply gone)...
        removed, _ = Vote.objects.filter(idea=target, merge=merge).delete()
        # ...and B gets back every vote it had, including those of people who had also voted for A.
        restored = Vote.objects.bulk_create(
            [Vote(idea=source, user_id=row.user_id, created_at=row.created_at) for row in merge.votes.all()]
        )
        Follow.objects.of(target).filter(user_id__in=merge.followers_added).delete()
        Idea.objects.filter(pk=target.pk).update(
            vote_count=F("vote_count") - removed, comment_count=F("comment_count") - merge.comments_moved
        )
        Idea.objects.filter(pk=source.pk).update(
            vote_count=F("vote_count") + len(restored),
            status=merge.previous_status,
            merged_into=None,
            status_changed_at=merge.previous_status_changed_at,
            implemented_at=merge.previous_implemented_at,
        )
        Idea.objects.filter(pk__in=[source.pk, target.pk]).refresh_trending()
        StatusChange.objects.create(
            idea=source,
            previous_status=Idea.Status.DUPLICATE,
            status=merge.previous_status,
            response=f"The merge into “{target.title}” was undone.",
            changed_by=by,
            created_at=now,
            merge=merge,
        )
        merge.undone_by, merge.undone_at = by, now
        merge.save(update_fields=["undone_by", "undone_at"])
        self.undone_by, self.undone_at = by, now
        source.refresh_from_db()
        index.insert_or_update_object(source)
        AuditEntry.record(by, source, AuditEntry.Action.UNMERGED, f"Out of “{target.title}”.")
        # The same people as the merge told (its author, voters and followers) hear it is back.
        source.notify_followers(
            "ideas.unmerged",
            actor=by,
            recipients=get_user_model()
            .objects.filter(Q(pk__in=self.votes.values("user_id")) | Q(pk=source.author_id))
            .only("pk"),
            data={"source_title": source.title, "target_title": target.title},
        )


class MergedVote(models.Model):
    """One vote idea B had when it was merged: kept so an undo can restore it exactly.

    ``moved`` is False when the person had already voted for A (their vote there was kept instead).
    """

    merge = models.ForeignKey(IdeaMerge, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    moved = models.BooleanField()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["merge", "user"], name="ideas_merged_vote_once_per_merge")]

    def __str__(self):
        return f"{self.user}'s vote in {self.merge}"


class IdeaBenefit(models.Model):
    """What an implemented idea saved: estimated beforehand and realised afterwards, with evidence."""

    VALUE_FIELDS = (
        "estimated_hours_per_year",
        "realised_hours_per_year",
        "estimated_money_per_year",
        "realised_money_per_year",
    )

    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="benefit")
    estimated_hours_per_year = models.PositiveIntegerField(null=True, blank=True)
    realised_hours_per_year = models.PositiveIntegerField(null=True, blank=True)
    estimated_money_per_year = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    realised_money_per_year = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    evidence = models.TextField(blank=True)
    evidence_html = models.TextField(blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_money_per_year__gte=0) | Q(estimated_money_per_year__isnull=True),
                name="ideas_benefit_estimated_money_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(realised_money_per_year__gte=0) | Q(realised_money_per_year__isnull=True),
                name="ideas_benefit_realised_money_not_negative",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("evidence"), MAX_EVIDENCE_LENGTH),
                name="ideas_benefit_evidence_max_length",
            ),
        ]

    def __str__(self):
        return f"Benefit of “{self.idea}”"

    def save(self, *args, **kwargs):
        self.evidence_html = render_markdown(self.evidence)
        super().save(*args, **kwargs)
