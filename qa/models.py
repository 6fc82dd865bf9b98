"""Questions and answers: the rules of Q&A live here, on the models and their querysets.

Every action (ask, answer, vote, accept, verify, close, edit, hide, flag, feedback) is a model method
that checks who may do it, runs inside a transaction, and raises ``PermissionDenied`` (the person may
not do this at all) or ``ValidationError`` (not like this; the message says why). Views only translate
those into a 403 or a message.
"""

import calendar
import datetime
import difflib

import django_comments
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator, slugify
from modelsearch.queryset import SearchableQuerySetMixin
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase
from wagtail.search import index

from community.comments import comment_url, tell_followers
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
from community.moderation.models import AuditEntry, Claim, Decision, Flag, close_flags  # noqa: F401
from community.names import display_name
from community.roles import users_with_perm

MAX_TITLE_LENGTH = 150
MAX_BODY_LENGTH = 30_000
MAX_TAGS = 5
DEFAULT_REVIEW_PERIOD = datetime.timedelta(days=182)


# --- roles --------------------------------------------------------------------------------------
# Each power beyond taking part is a permission (declared in Question's and Answer's Meta, given to
# the Helpdesk and Moderators groups by migration 0003): whoever holds it may act, whatever their
# group is called. ``has_perm`` reads a user's permissions once and keeps them on the user object.

VERIFY_ANSWERS = "qa.verify_answer"
CLOSE_QUESTIONS = "qa.close_question"
EDIT_ANY_POST = "qa.edit_any_post"
WORK_HELPDESK_QUEUE = "qa.work_helpdesk_queue"
MODERATE_POSTS = "qa.moderate_posts"


def can_verify(user) -> bool:
    """Verifying answers (and editing a verified answer without withdrawing its label) is the helpdesk's."""
    return user.has_perm(VERIFY_ANSWERS)


def can_curate(user) -> bool:
    """Closing and reopening questions is for the helpdesk and moderators."""
    return user.has_perm(CLOSE_QUESTIONS)


def can_edit_any_post(user) -> bool:
    """Editing other people's questions and answers is the helpdesk's."""
    return user.has_perm(EDIT_ANY_POST)


def can_work_helpdesk_queue(user) -> bool:
    """The helpdesk queue, and retagging questions in bulk from it, are the helpdesk's."""
    return user.has_perm(WORK_HELPDESK_QUEUE)


def can_moderate(user) -> bool:
    """Hiding posts, seeing hidden ones and deciding flags is for moderators."""
    return user.has_perm(MODERATE_POSTS)


def _today():
    return timezone.localdate()


REVIEW_PERIODS = (3, 6, 12)  # months the helpdesk picks from when it verifies an answer


def months_after(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the last day of a shorter month: 31 August + 6 months is 28 or
    29 February)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


# --- shared behaviour of questions and answers ---------------------------------------------------


class Post(models.Model):
    """What questions and answers share: an author, a Markdown body rendered once, a vote score,
    hiding by moderators, flags and a revision history."""

    # PROTECT: a colleague's account going must never take what they wrote, nor the answers
    # others gave to it (docs/people-leaving.md); people who leave are deactivated instead.
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    body_html = models.TextField(blank=True, editable=False)
    score = models.IntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)
    is_hidden = models.BooleanField(default=False, editable=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    hidden_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Flags and claims go with the post (audit entries stay: community.moderation).
    flags = GenericRelation(Flag)
    claims = GenericRelation(Claim)

    # The name of this model's foreign key on Vote and Revision.
    post_field = ""
    kind = ""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Rendered once, here, whenever the body is written ("rendered once" in community.markdown).
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "body" in update_fields:
            self.body_html = render_markdown(self.body)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    @property
    def url(self) -> str:
        # Like a Wagtail page's .url; shared templates (search, similar) read either.
        return self.get_absolute_url()

    def is_visible_to(self, user) -> bool:
        return not self.is_hidden or self.author_id == user.pk or can_moderate(user)

    def who_can_see(self, user_ids) -> set:
        """Of the people ``user_ids``, those who may see this post (``is_visible_to``, in one query):
        notifications go only to them, so nobody hears of what they cannot open."""
        user_ids = set(user_ids)
        if not self.is_hidden or not user_ids:
            return user_ids
        moderators = users_with_perm(MODERATE_POSTS).filter(pk__in=user_ids)
        return {pk for pk in user_ids if pk == self.author_id} | set(moderators.values_list("pk", flat=True))

    def can_edit(self, user) -> bool:
        return self.author_id == user.pk or can_edit_any_post(user)

    def tell_mentioned(self, by) -> None:
        """Tell the colleagues ``@named`` in the body who can see this post, once each per post."""
        question = self.thread

        def can_see(user_ids):
            audience = question.who_can_see(user_ids)
            return self.who_can_see(audience) if self is not question else audience

        tell_mentioned(
            by, self, self.body, can_see=can_see, title=question.title, url=self.get_absolute_url(),
            excerpt=self.body_html,
        )  # fmt: skip

    # Votes

    @transaction.atomic
    def vote(self, user, value: int) -> None:
        """Vote up (1), down (-1) or withdraw (0). One vote per person, never on your own post.

        The score moves with F() in the same transaction as the vote row, and the unique constraint
        on (user, post) is what makes concurrent double votes impossible (docs/traps.md).
        """
        if value not in (1, -1, 0):
            raise ValidationError("Choose to vote up or down.")
        if user.pk == self.author_id:
            raise PermissionDenied(f"You cannot vote on your own {self.kind}.")
        lookup = {"user": user, self.post_field: self}
        existing = Vote.objects.select_for_update().filter(**lookup).first()
        if existing is None and value != 0:
            try:
                with transaction.atomic():
                    Vote.objects.create(value=value, **lookup)
            except IntegrityError:
                # Someone (this person, in another tab) voted between our read and our write.
                existing = Vote.objects.select_for_update().get(**lookup)
            else:
                self._move_score(value)
                follow(user, self.thread, auto=True)
                return
        if existing is None:
            raise ValidationError(f"You have not voted on this {self.kind}.")
        old = existing.value
        if old == value:
            direction = "up" if value == 1 else "down"
            raise ValidationError(f"You have already voted this {self.kind} {direction}.")
        if value == 0:
            existing.delete()
        else:
            existing.value = value
            existing.save(update_fields=["value"])
        self._move_score(value - old)

    def _move_score(self, delta: int) -> None:
        type(self).objects.filter(pk=self.pk).update(score=F("score") + delta)
        self.refresh_from_db(fields=["score"])

    def vote_of(self, user) -> int:
        vote = Vote.objects.filter(user=user, **{self.post_field: self}).first()
        return vote.value if vote else 0

    # Moderation

    @transaction.atomic
    def hide(self, by, why: str = "", action: str = "") -> None:
        """Hide the post from everyone but its author and moderators; every open flag on it is
        decided as "hidden", and the audit trail records who did it and why."""
        if not can_moderate(by):
            raise PermissionDenied("Only moderators can hide posts.")
        if type(self).objects.select_for_update().get(pk=self.pk).is_hidden:
            raise ValidationError(f"This {self.kind} is already hidden.")
        self.is_hidden, self.hidden_by, self.hidden_at = True, by, timezone.now()
        self.save(update_fields=["is_hidden", "hidden_by", "hidden_at"])
        self._after_visibility_change(hidden=True)
        # Hidden is the decision on every open flag, however the moderator hid it (as Flag.decide),
        # and the people who flagged it hear that it was dealt with.
        close_flags(by, self, action or AuditEntry.Action.HIDDEN, why)

    @transaction.atomic
    def unhide(self, by, why: str = "") -> None:
        if not can_moderate(by):
            raise PermissionDenied("Only moderators can show hidden posts again.")
        if not type(self).objects.select_for_update().get(pk=self.pk).is_hidden:
            raise ValidationError(f"This {self.kind} is not hidden.")
        self.is_hidden, self.hidden_by, self.hidden_at = False, None, None
        self.save(update_fields=["is_hidden", "hidden_by", "hidden_at"])
        AuditEntry.record(by, self, AuditEntry.Action.SHOWN, why)
        self._after_visibility_change(hidden=False)

    def _after_visibility_change(self, hidden: bool) -> None:
        pass

    def flag(self, user, reason: str, note: str = "") -> "Flag":
        """``user`` tells the moderators about this post (the rules: ``community.moderation``)."""
        return Flag.raise_flag(user, self, reason, note)

    def flag_summary(self) -> str:
        return self.thread.title if self.kind == "answer" else self.title

    # Revisions

    def revision_snapshot(self) -> dict:
        return {"body": self.body}

    def record_revision(self, editor, summary: str = "") -> "Revision":
        return Revision.objects.create(
            editor=editor, summary=summary, **{self.post_field: self}, **self.revision_snapshot()
        )


# --- questions ------------------------------------------------------------------------------------


class QuestionTag(TaggedItemBase):
    content_object = models.ForeignKey("Question", on_delete=models.CASCADE, related_name="tagged_items")


def _visible_answers():
    # A withdrawn answer stays on the page (its comments with it) but no longer counts as an answer.
    return Answer.objects.filter(question=OuterRef("pk"), is_hidden=False, withdrawn_at__isnull=True)


class PostQuerySet(SearchableQuerySetMixin, models.QuerySet):
    """Visibility rules shared by questions and answers."""

    def public(self):
        """Not hidden by a moderator."""
        return self.filter(is_hidden=False)

    def visible_to(self, user):
        """Hidden posts are visible only to moderators and their author."""
        if can_moderate(user):
            return self
        return self.filter(Q(is_hidden=False) | Q(author=user.pk))


class QuestionQuerySet(PostQuerySet):
    def public(self):
        """Not hidden by a moderator, and not posted in an invite-only community (those are seen by
        its members only: ``visible_to``)."""
        return self.filter(is_hidden=False, members_only=False)

    def visible_to(self, user):
        """Hidden questions are visible only to moderators and their author; those posted in an
        invite-only community only to its members and their author. A moderator who is not a member
        does not see them listed: they open one only from a flag (``is_visible_to``)."""
        in_reach = within_reach(user) | Q(author=user.pk)
        if can_moderate(user):
            return self.filter(in_reach)
        return self.filter(Q(is_hidden=False) | Q(author=user.pk)).filter(in_reach)

    def in_community(self, community, tag_ids, viewer, before, limit):
        """The newest questions ``viewer`` may see posted in ``community`` or carrying one of
        ``tag_ids``, before ``before`` (the community page's feed, a keyset page)."""
        posted_in = Q(community=community)
        if tag_ids:
            posted_in |= Q(pk__in=QuestionTag.objects.filter(tag_id__in=tag_ids).values("content_object_id"))
        questions = self.visible_to(viewer).listed().filter(posted_in, is_hidden=False)
        if before is not None:
            questions = questions.filter(created_at__lt=before)
        return questions.order_by("-created_at", "-pk")[:limit]

    def listed(self):
        """What lists show by default: duplicates are left out (their canonical question is listed)."""
        return self.exclude(status=Question.Status.DUPLICATE)

    def open(self):
        return self.filter(status=Question.Status.OPEN)

    def recent(self):
        """Newest first, for the home page panel."""
        return self.public().listed().order_by("-created_at")

    def unanswered(self):
        """Open questions nobody has answered yet (hidden answers do not count)."""
        return self.public().open().filter(answer_count=0)

    def with_accepted_answer(self):
        return self.filter(has_accepted_answer=True)

    def without_accepted_answer(self):
        return self.filter(has_accepted_answer=False)

    def with_verified_answer(self):
        return self.filter(has_verified_answer=True)

    def needs_helpdesk(self):
        """The helpdesk queue: open questions with no verified answer, or a verified answer that is
        past its review-by date; oldest first."""
        return (
            self.public()
            .open()
            .filter(Q(has_verified_answer=False) | Q(review_due_on__lt=_today()))
            .order_by("created_at", "pk")
        )

    # The helpdesk queue's three tabs split needs_helpdesk() between them; each is read in the order
    # of an index of its own (docs/scaling.md): qa_question_unanswered, qa_question_unverified and
    # qa_question_review_due.

    def helpdesk_unanswered(self):
        """Open questions nobody has answered, oldest first."""
        return self.unanswered().order_by("created_at", "pk")

    def helpdesk_unverified(self):
        """Open questions with answers but none verified, oldest first."""
        # "Answered" as not-equal, not as a range: SQLite would take a range on answer_count as a
        # reason to use the unanswered indexes and then sort; this way qa_question_unverified serves it.
        answered = ~Q(answer_count=0)
        return self.public().open().filter(answered, has_verified_answer=False).order_by("created_at", "pk")

    def helpdesk_due(self, today=None):
        """Open questions with a verified answer past its review-by date, most overdue first."""
        return self.public().open().filter(review_due_on__lt=today or _today()).order_by("review_due_on", "pk")

    def refresh_answer_state(self) -> int:
        """Recompute what lists read on every row (has_accepted_answer, has_verified_answer,
        review_due_on) from the questions' visible answers, in one UPDATE.

        Lists read these flags from the row instead of asking the answers table three times per row
        (docs/scaling.md); the Answer signals call this whenever an answer is saved or deleted.
        """
        visible = _visible_answers()
        verified = visible.filter(verified_at__isnull=False)
        return self.update(
            has_accepted_answer=Exists(visible.filter(is_accepted=True)),
            has_verified_answer=Exists(verified),
            review_due_on=Subquery(verified.order_by("review_by").values("review_by")[:1]),
        )

    def with_vote_of(self, user):
        return self.annotate(
            my_vote=Subquery(Vote.objects.filter(question=OuterRef("pk"), user=user.pk).values("value")[:1])
        )


class Question(index.Indexed, Post, PostedInCommunity):
    """A question a colleague asks, in Markdown, with one to five tags."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        DUPLICATE = "duplicate", "Duplicate"

    class CloseReason(models.TextChoices):
        DUPLICATE = "duplicate", "It is a duplicate of another question"
        RESOLVED = "resolved", "It has been resolved elsewhere"
        OFF_TOPIC = "off_topic", "It is not something colleagues here can answer"
        UNCLEAR = "unclear", "It needs more detail to be answered"
        OUTDATED = "outdated", "It is no longer relevant"

    # Turned from an item heard on the listening post ("Turn into a question/an idea"): the link
    # back to the outside source. Such an item is kept (never purged).
    from_listening_item = models.ForeignKey(
        "community.ListeningItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    title = models.CharField(max_length=MAX_TITLE_LENGTH)
    slug = models.SlugField(max_length=80, allow_unicode=True, editable=False)
    tags = TaggableManager(through=QuestionTag, blank=True)
    last_activity_at = models.DateTimeField(default=timezone.now, editable=False)
    answer_count = models.PositiveIntegerField(default=0, editable=False)
    # Kept from the visible answers by refresh_answer_state, so lists never look at the answers.
    has_accepted_answer = models.BooleanField(default=False, editable=False)
    has_verified_answer = models.BooleanField(default=False, editable=False)
    review_due_on = models.DateField(
        null=True, blank=True, editable=False, help_text="The earliest review-by date of its verified answers."
    )

    status = models.CharField(max_length=20, choices=Status, default=Status.OPEN, editable=False)
    close_reason = models.CharField(max_length=20, choices=CloseReason, blank=True, editable=False)
    close_note = models.CharField(max_length=500, blank=True, editable=False)
    duplicate_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="duplicates", editable=False
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Who in the helpdesk is dealing with it (the queue shows it; anyone in the helpdesk may change it).
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    objects = QuestionQuerySet.as_manager()

    post_field = "question"
    kind = "question"

    search_fields = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2), index.FilterField("slug")]),
        index.FilterField("id"),
        index.FilterField("is_hidden"),
        index.FilterField("members_only"),
        index.FilterField("status"),
        index.FilterField("author"),
        index.FilterField("answer_count"),
        index.FilterField("created_at"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("close_question", "Can close and reopen questions"),
            ("edit_any_post", "Can edit anyone's questions and answers"),
            ("work_helpdesk_queue", "Can work the helpdesk queue and retag its questions in bulk"),
            ("moderate_posts", "Can hide and show questions and answers, see hidden ones and decide flags"),
        ]
        # One index per order a list asks for, ending in the pk that breaks ties, so a page is read
        # by walking an index and stopping after it (docs/scaling.md). The filters (duplicates,
        # hidden, answered, accepted, verified) are tested on the rows walked.
        indexes = [
            models.Index(fields=["status", "created_at", "id"], name="qa_question_listing"),
            models.Index(fields=["created_at", "id"], name="qa_question_newest"),
            models.Index(fields=["last_activity_at", "id"], name="qa_question_activity"),
            models.Index(fields=["score", "created_at", "id"], name="qa_question_votes"),
            # "Unanswered" is an equality (open, no answers): with an index of its own per order,
            # SQLite and PostgreSQL walk just those rows in order. (Partial indexes would be smaller,
            # but SQLite cannot use one for a query whose values are bound parameters, as Django's are.)
            models.Index(fields=["status", "answer_count", "created_at", "id"], name="qa_question_unanswered"),
            models.Index(
                fields=["status", "answer_count", "last_activity_at", "id"], name="qa_question_unanswered_active"
            ),
            models.Index(
                fields=["status", "answer_count", "score", "created_at", "id"], name="qa_question_unanswered_votes"
            ),
            # The helpdesk queue's "not yet verified" and "due for review" tabs (helpdesk_unverified,
            # helpdesk_due): the equalities first, then the order.
            models.Index(fields=["status", "has_verified_answer", "created_at", "id"], name="qa_question_unverified"),
            models.Index(fields=["status", "review_due_on", "id"], name="qa_question_review_due"),
            # The home page's "answers to your questions": one person's questions, latest activity first.
            models.Index(fields=["author", "last_activity_at", "id"], name="qa_question_by_author_active"),
            # A person's questions, newest first, on their profile (qa.activity).
            models.Index(fields=["author", "created_at", "id"], name="qa_question_by_author"),
            # A community's feed: what was posted in it, newest first.
            models.Index(fields=["community", "created_at", "id"], name="qa_question_in_community"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="qa_question_title_not_empty"),
            models.CheckConstraint(condition=~Q(body=""), name="qa_question_body_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_BODY_LENGTH), name="qa_question_body_max_length"
            ),
            models.CheckConstraint(condition=~Q(duplicate_of=F("id")), name="qa_question_not_duplicate_of_itself"),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="qa_question_duplicate_has_canonical",
            ),
        ]

    def __str__(self):
        return self.title

    def notification_title(self, user) -> str | None:
        """What notifications about this question call it, shown to ``user`` (None: not at all)."""
        return self.title if self.is_visible_to(user) else None

    def is_visible_to(self, user) -> bool:
        if not super().is_visible_to(user):
            return False
        if not self.members_only or self.author_id == user.pk or can_moderate(user):
            return True
        return is_member(user, self.community_id)

    def who_can_see(self, user_ids) -> set:
        return who_of_them_may_see(self, super().who_can_see(user_ids))

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title, allow_unicode=True)[:80].strip("-") or "question"
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "slug"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("qa:question", args=[self.pk, self.slug])

    @classmethod
    def comment_activity_targets(cls, pks, viewer) -> dict:
        """Of the questions ``pks``, those a colleague sees (not hidden) or ``viewer`` asked, as
        ``{pk: (title, url)}`` in one query: what a person's comments are on, on their profile."""
        rows = cls.objects.filter(Q(is_hidden=False) | Q(author=viewer.pk), pk__in=pks).only("id", "slug", "title")
        return {question.pk: (question.title, question.get_absolute_url()) for question in rows}

    def _after_visibility_change(self, hidden: bool) -> None:
        # Answers carry their question's is_hidden in the index (search_fields): re-index them, or
        # search would count answers to a hidden question that it then cannot list.
        for answer in self.answers.all():
            index.insert_or_update_object(answer)

    # State

    @property
    def thread(self) -> "Question":
        return self

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def review_due(self) -> bool:
        """A verified answer here is past its review-by date."""
        return self.review_due_on is not None and self.review_due_on < _today()

    @property
    def days_overdue(self) -> int:
        """How many days ago its earliest review-by date passed (0 when none has)."""
        return (_today() - self.review_due_on).days if self.review_due else 0

    @property
    def is_duplicate(self) -> bool:
        return self.status == self.Status.DUPLICATE

    def tag_names(self) -> list[str]:
        return sorted(tag.name for tag in self.tags.all())

    def revision_snapshot(self) -> dict:
        return {"title": self.title, "body": self.body, "tags": ", ".join(self.tag_names())}

    # Asking and answering

    @classmethod
    @transaction.atomic
    def ask(cls, author, title: str, body: str, tags: list[str], community=None) -> "Question":
        check_can_post_in(author, community)
        question = cls.objects.create(
            author=author, title=title, body=body, community=community, members_only=members_only(community)
        )
        question.tags.set(tags)
        question.record_revision(author, "Asked")
        # Saving indexed the question before it had tags; index it again with them.
        index.insert_or_update_object(question)
        follow(author, question, auto=True)
        tags = list(question.tags.all())
        notify_from_worker(
            "qa.new_question",
            actor=author,
            target=question,
            followed=[*tags, author, *([community] if community else [])],
            tags=[tag.name for tag in tags],
            can_see="who_can_see",
        )
        question.tell_mentioned(author)
        return question

    @transaction.atomic
    def add_answer(self, author, body: str) -> "Answer":
        question = Question.objects.select_for_update().get(pk=self.pk)
        if not question.is_open:
            raise ValidationError("This question is closed, so it cannot take new answers.")
        answer = Answer.objects.create(question=question, author=author, body=body)
        answer.record_revision(author, "Answered")
        now = timezone.now()
        Question.objects.filter(pk=self.pk).update(answer_count=F("answer_count") + 1, last_activity_at=now)
        self.refresh_from_db(fields=["answer_count", "last_activity_at"])
        follow(author, question, auto=True)
        question.notify_followers("qa.new_answer", actor=author, target=answer, also=[author])
        answer.tell_mentioned(author)
        return answer

    def notify_followers(
        self, event_type: str, actor, target=None, also=(), recipients=(), data=None, once=False, url=""
    ) -> None:
        """Tell the people following this question (and any of ``also``) about something on it.

        Only people who can see the question (and the answer, when ``target`` is one) are told: on a
        hidden question that is its author and the moderators, whoever else follows it.
        """
        target = target or self

        def can_see(user_ids):
            audience = self.who_can_see(user_ids)
            return target.who_can_see(audience) if target is not self else audience

        notify(
            event_type,
            actor=actor,
            target=target,
            followed=[self, *also],
            recipients=recipients,
            title=self.title,
            url=url,
            tags=self.tag_names(),
            data=data,
            can_see=can_see,
            once=once,
        )

    # Editing

    @transaction.atomic
    def deletion_refusal(self, user) -> str | None:
        """Why ``user`` may not delete this question now, or None if they may: only its author, and
        only while nobody has replied (an answer, even a hidden one, or a comment)."""
        if self.author_id != user.pk:
            return "Only the person who asked can delete this question."
        if Answer.objects.filter(question=self).exists():
            return "Someone has answered this question, so it can no longer be deleted. You can still edit it."
        if django_comments.get_model().objects.for_model(self).exists():
            return "Someone has commented on this question, so it can no longer be deleted. You can still edit it."
        return None

    def delete_by(self, user) -> None:
        """Delete the question for good, if ``user`` may (``deletion_refusal``): under a row lock, so
        an answer posted meanwhile makes the deletion refuse rather than vanish with it."""
        with transaction.atomic():
            question = Question.objects.select_for_update().get(pk=self.pk)
            refusal = question.deletion_refusal(user)
            if refusal:
                raise PermissionDenied(refusal)
            question.delete()

    def edit(self, by, title: str, body: str, tags: list[str], summary: str = "") -> bool:
        """Change the question, keeping a revision. Returns False when nothing changed."""
        if not self.can_edit(by):
            raise PermissionDenied("Only the person who asked and the helpdesk can edit this question.")
        stored = Question.objects.get(pk=self.pk)
        self.title, self.body = title, body
        # Tags are case-insensitive (TAGGIT_CASE_INSENSITIVE): "VPN" and "vpn" are the same tag.
        same_tags = sorted(name.lower() for name in stored.tag_names()) == sorted(name.lower() for name in tags)
        if (stored.title, stored.body) == (title, body) and same_tags:
            return False
        now = timezone.now()
        self.edited_at = self.last_activity_at = now
        self.save(update_fields=["title", "body", "edited_at", "last_activity_at"])
        self.tags.set(tags)
        self.record_revision(by, summary)
        index.insert_or_update_object(self)
        # Answers are found by their question's title and tags too.
        for answer in self.answers.all():
            index.insert_or_update_object(answer)
        self.tell_mentioned(by)
        return True

    @transaction.atomic
    def set_tags(self, by, tags: list[str], summary: str = "") -> bool:
        return self.edit(by, self.title, self.body, tags, summary)

    # Accepting

    @transaction.atomic
    def accept(self, answer, by) -> None:
        """The asker marks one answer as the one that solved it; accepting another moves the mark."""
        if by.pk != self.author_id:
            raise PermissionDenied("Only the person who asked can accept an answer.")
        if answer.question_id != self.pk:
            raise ValidationError("That answer belongs to another question.")
        # Lock the question so two accepts at once are applied one after the other.
        Question.objects.select_for_update().filter(pk=self.pk).first()
        answer.refresh_from_db()
        if answer.is_hidden:
            raise ValidationError("A hidden answer cannot be accepted.")
        if answer.withdrawn_at:
            raise ValidationError("Its author withdrew this answer, so it cannot be accepted.")
        if answer.is_accepted:
            raise ValidationError("You have already accepted this answer.")
        # The partial unique index allows one accepted answer at a time: unmark before marking.
        for previous in Answer.objects.filter(question=self, is_accepted=True):
            previous.is_accepted, previous.accepted_at = False, None
            previous.save(update_fields=["is_accepted", "accepted_at"])
        answer.is_accepted, answer.accepted_at = True, timezone.now()
        answer.save(update_fields=["is_accepted", "accepted_at"])
        # Each person hears once that this answer was accepted: changing one's mind back and forth
        # (accept 11, then 12, then 11 again) is not news the second time.
        self.notify_followers("qa.answer_accepted", actor=by, target=answer, recipients=[answer.author], once=True)

    @transaction.atomic
    def unaccept(self, answer, by) -> None:
        if by.pk != self.author_id:
            raise PermissionDenied("Only the person who asked can change the accepted answer.")
        Question.objects.select_for_update().filter(pk=self.pk).first()
        answer.refresh_from_db()
        if answer.question_id != self.pk or not answer.is_accepted:
            raise ValidationError("That answer is not the accepted one.")
        answer.is_accepted, answer.accepted_at = False, None
        answer.save(update_fields=["is_accepted", "accepted_at"])

    # The helpdesk queue: who is on it

    @transaction.atomic
    def assign(self, by, to) -> bool:
        """Someone in the helpdesk puts ``to`` (themselves or a colleague in the helpdesk) on this
        question. Returns False when ``to`` already has it."""
        if not can_work_helpdesk_queue(by):
            raise PermissionDenied("Only the helpdesk can assign questions.")
        if to is None or not to.is_active or not can_work_helpdesk_queue(to):
            name = display_name(to) if to is not None else "That person"
            raise ValidationError(f"{name} is not in the helpdesk, so questions cannot be assigned to them.")
        if Question.objects.select_for_update().get(pk=self.pk).assignee_id == to.pk:
            return False
        self.assignee = to
        self.save(update_fields=["assignee"])
        AuditEntry.record(by, self, AuditEntry.Action.ASSIGNED, f"Assigned to {display_name(to)}")
        # A colleague who is given a question hears of it (notify never tells the person who acted).
        notify("qa.question_assigned", actor=by, target=self, recipients=[to], title=self.title,
               can_see=self.who_can_see)  # fmt: skip
        return True

    @transaction.atomic
    def unassign(self, by) -> bool:
        """Nobody is on it any more. Returns False when nobody was."""
        if not can_work_helpdesk_queue(by):
            raise PermissionDenied("Only the helpdesk can unassign questions.")
        # Locked on its own: PostgreSQL cannot lock the nullable side of the join to the assignee.
        previous_id = Question.objects.select_for_update().values_list("assignee_id", flat=True).get(pk=self.pk)
        if previous_id is None:
            return False
        previous = get_user_model().objects.get(pk=previous_id)
        self.assignee = None
        self.save(update_fields=["assignee"])
        AuditEntry.record(by, self, AuditEntry.Action.UNASSIGNED, f"Was assigned to {display_name(previous)}")
        return True

    # Closing

    CLOSE_FIELDS = ["status", "close_reason", "close_note", "duplicate_of", "closed_by", "closed_at"]

    @transaction.atomic
    def close(self, by, reason: str, duplicate_of: "Question | None" = None, note: str = "") -> None:
        """Close the question, as a duplicate of a canonical question or for another reason."""
        if not can_curate(by):
            raise PermissionDenied("Only the helpdesk and moderators can close questions.")
        if reason not in self.CloseReason.values:
            raise ValidationError("Choose why you are closing this question.")
        # Closing again would silently replace the reason (and drop a duplicate's link).
        if Question.objects.select_for_update().get(pk=self.pk).status != self.Status.OPEN:
            raise ValidationError("This question is already closed. Reopen it first.")
        canonical = None
        if reason == self.CloseReason.DUPLICATE:
            if duplicate_of is None:
                raise ValidationError("Enter the question this one duplicates.")
            if duplicate_of.pk == self.pk:
                raise ValidationError("A question cannot be a duplicate of itself.")
            # Lock both rows, so A→B and B→A at the same moment cannot both succeed.
            locked = {q.pk: q for q in Question.objects.select_for_update().filter(pk__in=[self.pk, duplicate_of.pk])}
            canonical = locked.get(duplicate_of.pk)
            if canonical is None:
                raise ValidationError("That question does not exist.")
            if canonical.is_duplicate:
                raise ValidationError(
                    f"“{canonical.title}” is itself a duplicate. Choose the question it duplicates instead."
                )
            if canonical.is_hidden:
                raise ValidationError("That question is hidden, so it cannot be the original.")
            if canonical.status == self.Status.CLOSED:
                raise ValidationError(f"“{canonical.title}” is closed. Choose an open question as the original.")
        self.status = self.Status.DUPLICATE if canonical else self.Status.CLOSED
        self.duplicate_of = canonical
        self.close_reason, self.close_note = reason, note.strip()
        self.closed_by, self.closed_at = by, timezone.now()
        self.save(update_fields=self.CLOSE_FIELDS)
        if canonical:
            # Questions that pointed here now point at the canonical one: no chains of duplicates.
            Question.objects.filter(duplicate_of=self).update(duplicate_of=canonical)
        action = AuditEntry.Action.CLOSED_DUPLICATE if canonical else AuditEntry.Action.CLOSED
        why = self.get_close_reason_display() + (f": {self.close_note}" if self.close_note else "")
        AuditEntry.record(by, self, action, why)
        data = {"reason": self.get_close_reason_display(), "note": self.close_note}
        if canonical:
            data.update(original_title=canonical.title, original_url=canonical.get_absolute_url())
        self._tell_thread("qa.question_closed", by, data)

    def _tell_thread(self, event_type: str, by, data: dict) -> None:
        """The asker, everyone who answered and everyone following the question hear, once each."""
        answerers = Answer.objects.filter(question=self, is_hidden=False).values_list("author_id", flat=True)
        people = get_user_model().objects.filter(Q(pk=self.author_id) | Q(pk__in=answerers))
        notify(event_type, actor=by, target=self, followed=[self], recipients=people, data=data,
               can_see=self.who_can_see)  # fmt: skip

    @transaction.atomic
    def reopen(self, by) -> None:
        if not can_curate(by):
            raise PermissionDenied("Only the helpdesk and moderators can reopen questions.")
        if Question.objects.select_for_update().get(pk=self.pk).status == self.Status.OPEN:
            raise ValidationError("This question is already open.")
        self.status, self.duplicate_of, self.close_reason, self.close_note = self.Status.OPEN, None, "", ""
        self.closed_by = self.closed_at = None
        self.save(update_fields=self.CLOSE_FIELDS)
        AuditEntry.record(by, self, AuditEntry.Action.REOPENED)
        self._tell_thread("qa.question_reopened", by, {})

    # "Did this solve your problem?"

    def feedback_refusal(self, user, answer_author_ids=None) -> str:
        """Why ``user`` is not asked "Did this solve your problem?" here ("" when they are).

        The asker's "solved" is accepting an answer; the people who answered would be marking their
        own work. Everyone else's yes is what the helpdesk counts as a call avoided."""
        if self.answer_count == 0:
            return "This question has no answers yet."
        if user.pk == self.author_id:
            return "You asked this question: accept the answer that solved your problem instead."
        if answer_author_ids is None:
            answered = Answer.objects.filter(question=self, author=user.pk).exists()
        else:  # the page has the answers already (all of this person's are visible to them)
            answered = user.pk in answer_author_ids
        if answered:
            return "You answered this question, so you are not asked whether it solved your problem."
        return ""

    def record_feedback(self, user, solved: bool) -> "SolvedFeedback":
        refusal = self.feedback_refusal(user)
        if refusal:
            raise ValidationError(refusal)
        try:
            with transaction.atomic():
                return SolvedFeedback.objects.create(user=user, question=self, solved=solved)
        except IntegrityError:
            raise ValidationError("You have already told us whether this solved your problem.") from None

    # Comments (posted through community.comments.post_comment)

    def check_can_comment(self, user) -> None:
        if not self.is_visible_to(user):
            raise PermissionDenied("This question is hidden, so it takes no comments.")

    def comment_posted(self, comment) -> None:
        """A comment was saved: the question is active again, the commenter follows it, followers hear."""
        Question.objects.filter(pk=self.pk).update(last_activity_at=timezone.now())
        if comment.user is not None and comment.is_public and not comment.is_removed:
            follow(comment.user, self, auto=True)
            tell_followers(comment, self, "qa.new_comment")
            self.comment_edited(comment)

    def comment_edited(self, comment) -> None:
        """Tell the people ``@named`` in the comment who can see the question (once each: after an
        edit, only the newly named)."""
        if comment.user is not None and comment.is_public and not comment.is_removed:
            tell_mentioned(
                comment.user, comment, comment.comment, can_see=self.who_can_see, title=self.title,
                url=f"{self.get_absolute_url()}#c{comment.pk}", excerpt=comment.comment,
            )  # fmt: skip


# --- answers --------------------------------------------------------------------------------------


class AnswerQuerySet(PostQuerySet):
    def public(self):
        """Not hidden, and not an answer to a question posted in an invite-only community."""
        return self.filter(is_hidden=False, question__members_only=False)

    def for_notifications(self):
        return self.select_related("question")

    def verified(self):
        return self.filter(verified_at__isnull=False)

    def due_for_review(self, today=None):
        return self.public().verified().filter(review_by__lt=today or _today())

    def in_display_order(self):
        """Verified answers first, then the accepted one, then by votes, oldest first among equals."""
        return self.order_by(F("verified_at").desc(nulls_last=True), "-is_accepted", "-score", "created_at", "pk")

    def with_vote_of(self, user):
        return self.annotate(
            my_vote=Subquery(Vote.objects.filter(answer=OuterRef("pk"), user=user.pk).values("value")[:1])
        )


class Answer(index.Indexed, Post):
    """An answer to a question; the asker may accept one, and the helpdesk may verify it."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    is_accepted = models.BooleanField(default=False, editable=False)
    accepted_at = models.DateTimeField(null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_by = models.DateField(null=True, blank=True, editable=False)
    # The review-by date its verifier was reminded of (send_review_reminders): once per date, so a
    # new verification that falls due in turn brings a new reminder.
    review_reminded_for = models.DateField(null=True, blank=True, editable=False)
    # Set when its author withdrew it after someone had commented (``withdraw_by``): the page shows
    # "Withdrawn by the author" in its place, its comments and history stay.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AnswerQuerySet.as_manager()

    post_field = "answer"
    kind = "answer"

    search_fields = [
        index.SearchField("body"),
        index.RelatedFields(
            "question",
            [
                index.SearchField("title", boost=2),
                index.RelatedFields("tags", [index.SearchField("name")]),
                index.FilterField("is_hidden"),
                index.FilterField("members_only"),
                index.FilterField("status"),
            ],
        ),
        index.FilterField("id"),
        index.FilterField("is_hidden"),
        index.FilterField("question"),
        index.FilterField("author"),
        index.FilterField("is_accepted"),
        index.FilterField("verified_at"),
        index.FilterField("withdrawn_at"),
    ]

    class Meta:
        ordering = ["created_at", "pk"]
        permissions = [("verify_answer", "Can verify answers with a review-by date and remove verifications")]
        # The daily reminder reads verified answers past their date.
        indexes = [
            models.Index(fields=["review_by"], name="qa_answer_review_by"),
            # A person's answers, newest first, on their profile (qa.activity).
            models.Index(fields=["author", "created_at", "id"], name="qa_answer_by_author"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_accepted=True), name="qa_answer_one_accepted_per_question"
            ),
            models.CheckConstraint(condition=~Q(body=""), name="qa_answer_body_not_empty"),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("body"), MAX_BODY_LENGTH), name="qa_answer_body_max_length"
            ),
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(review_by__isnull=False),
                name="qa_answer_verified_has_review_date",
            ),
        ]

    def __str__(self):
        return f"Answer to “{self.question.title}”"

    def notification_title(self, user) -> str | None:
        """Notifications about an answer carry its question's title (None: ``user`` may not see it)."""
        visible = self.is_visible_to(user) and self.question.is_visible_to(user)
        return self.question.title if visible else None

    @property
    def thread(self) -> Question:
        return self.question

    def get_absolute_url(self):
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"

    @classmethod
    def comment_activity_targets(cls, pks, viewer) -> dict:
        """Of the answers ``pks``, those a colleague sees on a question a colleague sees (or that
        ``viewer`` wrote), as ``{pk: (question title, url)}`` in one query (see Question's)."""
        rows = (
            cls.objects.filter(Q(is_hidden=False) | Q(author=viewer.pk), pk__in=pks)
            .filter(Q(question__is_hidden=False) | Q(question__author=viewer.pk))
            .select_related("question")
            .only("id", "question__id", "question__slug", "question__title")
        )
        return {answer.pk: (answer.question.title, answer.get_absolute_url()) for answer in rows}

    @property
    def title(self) -> str:
        return self.question.title

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None

    @property
    def is_due_for_review(self) -> bool:
        return self.is_verified and self.review_by is not None and self.review_by < _today()

    @property
    def days_overdue(self) -> int:
        return (_today() - self.review_by).days if self.is_due_for_review else 0

    @classmethod
    def get_indexed_objects(cls):
        # Withdrawn answers leave the search index (``withdraw_by`` removes them), for good. Each
        # answer is indexed with its question's tags: fetched for a whole chunk at once (a rebuild
        # otherwise asked for one answer's tags up to five times: 12,000 queries for 2,500 answers).
        return super().get_indexed_objects().filter(withdrawn_at__isnull=True).prefetch_related("question__tags")

    def _after_visibility_change(self, hidden: bool) -> None:
        if self.withdrawn_at:
            return  # taken off the count when it was withdrawn
        Question.objects.filter(pk=self.question_id).update(answer_count=F("answer_count") + (-1 if hidden else 1))

    def can_edit(self, user) -> bool:
        return self.withdrawn_at is None and super().can_edit(user)

    # Owning your answer: delete it while nobody has commented on it, otherwise withdraw it.

    def deletion_refusal(self, user) -> str | None:
        """Why ``user`` may not delete this answer now, or None if they may: only its author, and only
        while nobody has commented on it (votes are not replies)."""
        if self.author_id != user.pk:
            return "Only the person who answered can delete this answer."
        if self.withdrawn_at:
            return "You have withdrawn this answer already."
        if django_comments.get_model().objects.for_model(self).exists():
            return "Someone has commented on this answer, so it can no longer be deleted. You can withdraw it instead."
        return None

    def delete_by(self, user) -> None:
        """Delete the answer for good, if ``user`` may (``deletion_refusal``, checked again on the
        stored row, under a lock on its question, so a comment seen meanwhile makes it refuse)."""
        with transaction.atomic():
            Question.objects.select_for_update().filter(pk=self.question_id).first()
            answer = Answer.objects.get(pk=self.pk)
            refusal = answer.deletion_refusal(user)
            if refusal:
                raise PermissionDenied(refusal)
            answer.delete()

    def withdrawal_refusal(self, user) -> str | None:
        if self.author_id != user.pk:
            return "Only the person who answered can withdraw this answer."
        if self.withdrawn_at:
            return "You have withdrawn this answer already."
        return None

    @transaction.atomic
    def withdraw_by(self, user) -> None:
        """The author takes the answer back: others see "Withdrawn by the author" in its place, its
        comments and revisions stay, it no longer counts as an answer nor appears in search."""
        refusal = self.withdrawal_refusal(user)
        if refusal:
            raise PermissionDenied(refusal)
        stored = Answer.objects.select_for_update().get(pk=self.pk)
        if stored.withdrawn_at:
            raise PermissionDenied("You have withdrawn this answer already.")
        self.withdrawn_at = timezone.now()
        self.save(update_fields=["withdrawn_at"])  # the save signal recomputes the question's flags
        if not stored.is_hidden:
            Question.objects.filter(pk=self.question_id, answer_count__gt=0).update(answer_count=F("answer_count") - 1)
        index.remove_object(self)

    @transaction.atomic
    def edit(self, by, body: str, summary: str = "") -> bool:
        if self.withdrawn_at:
            raise PermissionDenied("This answer was withdrawn by its author, so it can no longer be edited.")
        if not self.can_edit(by):
            raise PermissionDenied("Only the person who answered and the helpdesk can edit this answer.")
        if body == Answer.objects.values_list("body", flat=True).get(pk=self.pk):
            return False
        now = timezone.now()
        self.body, self.edited_at = body, now
        fields = ["body", "edited_at"]
        if self.is_verified and not can_verify(by):
            # The helpdesk vouched for the words it read, not for these: the answer goes back to the
            # helpdesk queue, and the revision says why the label went.
            self.verified_by = self.verified_at = self.review_by = None
            fields += ["verified_by", "verified_at", "review_by"]
            note = self.VERIFICATION_WITHDRAWN
            summary = f"{summary[: 197 - len(note)]} · {note}" if summary else note
        self.save(update_fields=fields)
        Question.objects.filter(pk=self.question_id).update(last_activity_at=now)
        self.record_revision(by, summary)
        self.tell_mentioned(by)
        return True

    VERIFICATION_WITHDRAWN = "Helpdesk verification withdrawn: the answer changed after it was verified"

    # Comments (posted through community.comments.post_comment; shown under the answer)

    def check_can_comment(self, user) -> None:
        if not (self.is_visible_to(user) and self.question.is_visible_to(user)):
            raise PermissionDenied("This answer is hidden, so it takes no comments.")
        if self.is_hidden:
            raise PermissionDenied("This answer is hidden, so it takes no comments.")
        if self.withdrawn_at:
            raise PermissionDenied("This answer was withdrawn by its author, so it takes no comments.")

    def comment_posted(self, comment) -> None:
        """A comment was saved: the question is active again, the commenter follows it, and the
        answer's author and the question's followers hear (those who may see the answer)."""
        question = self.question
        Question.objects.filter(pk=question.pk).update(last_activity_at=timezone.now())
        if comment.user is None or not comment.is_public or comment.is_removed:
            return
        follow(comment.user, question, auto=True)
        url = comment_url(self, comment)
        question.notify_followers(
            "qa.new_answer_comment", actor=comment.user, target=self, recipients=[self.author], url=url,
            data={"comment": Truncator(comment.comment).words(30), "comment_id": comment.pk},
        )  # fmt: skip
        self.comment_edited(comment)

    def comment_edited(self, comment) -> None:
        """Tell the people ``@named`` in the comment who can see the answer (once each: after an
        edit, only the newly named)."""
        if comment.user is None or not comment.is_public or comment.is_removed:
            return
        question = self.question
        tell_mentioned(
            comment.user, comment, comment.comment, can_see=lambda ids: self.who_can_see(question.who_can_see(ids)),
            title=question.title, url=comment_url(self, comment), excerpt=comment.comment,
        )  # fmt: skip

    @transaction.atomic
    def verify(self, by, review_by: datetime.date | None = None) -> None:
        """The helpdesk vouches for this answer until ``review_by``; after that it is due for review."""
        if not can_verify(by):
            raise PermissionDenied("Only the helpdesk can verify answers.")
        if self.is_hidden:
            raise ValidationError("A hidden answer cannot be verified.")
        review_by = review_by or (_today() + DEFAULT_REVIEW_PERIOD)
        if review_by <= _today():
            raise ValidationError("The review-by date must be in the future.")
        again = Answer.objects.filter(pk=self.pk, verified_at__isnull=False).exists()
        self.verified_by, self.verified_at, self.review_by = by, timezone.now(), review_by
        self.save(update_fields=["verified_by", "verified_at", "review_by"])
        action = AuditEntry.Action.REVERIFIED if again else AuditEntry.Action.VERIFIED
        AuditEntry.record(by, self, action, f"Verified until {review_by:%-d %B %Y}")
        # Each person hears once that this answer was verified: a new review date is the helpdesk's
        # housekeeping, not news.
        self.question.notify_followers(
            "qa.answer_verified",
            actor=by,
            target=self,
            recipients=[self.author],
            data={"review_by": review_by.isoformat()},
            once=True,
        )

    @transaction.atomic
    def unverify(self, by) -> None:
        if not can_verify(by):
            raise PermissionDenied("Only the helpdesk can remove a verification.")
        if not self.is_verified:
            raise ValidationError("This answer is not verified.")
        self.verified_by = self.verified_at = self.review_by = None
        self.save(update_fields=["verified_by", "verified_at", "review_by"])
        AuditEntry.record(by, self, AuditEntry.Action.UNVERIFIED)


def send_review_reminders(today=None) -> int:
    """Tell each helpdesk member whose verified answers have passed their review-by date, once per
    batch: one notification (emailed as they chose) for all of theirs that fell due since the last
    run. Each answer is reminded of once per review-by date, however often this runs, and two runs
    at once cannot both remind of it: the conditional UPDATE claims the rows, and only the run that
    claimed them tells. Returns how many people were told."""
    today = today or _today()
    due = (
        Answer.objects.due_for_review(today)
        .filter(verified_by__isnull=False, question__is_hidden=False)
        .filter(Q(review_reminded_for__isnull=True) | ~Q(review_reminded_for=F("review_by")))
    )
    owners: dict[int, list[int]] = {}
    for pk, owner_id in due.values_list("pk", "verified_by_id"):
        owners.setdefault(owner_id, []).append(pk)
    told = 0
    url = reverse("qa:helpdesk") + "?tab=due"
    for owner in get_user_model().objects.filter(pk__in=owners, is_active=True):
        with transaction.atomic():
            claimed = due.filter(pk__in=owners[owner.pk]).update(review_reminded_for=F("review_by"))
            if not claimed:
                continue  # another run reminded them first
            answers = "answer" if claimed == 1 else "answers"
            notify(
                "qa.reviews_due",
                actor=None,
                target=None,
                recipients=[owner],
                url=url,
                title=f"{claimed} {answers} you verified {'is' if claimed == 1 else 'are'} due for review",
                data={"count": claimed},
            )
            told += 1
    return told


# --- votes, flags, revisions, feedback -------------------------------------------------------------


def _one_post():
    return Q(question__isnull=False, answer__isnull=True) | Q(question__isnull=True, answer__isnull=False)


class Vote(models.Model):
    """One person's up or down vote on one question or answer."""

    class Value(models.IntegerChoices):
        UP = 1, "Up"
        DOWN = -1, "Down"

    # PROTECT: deleting the voter would leave the post's score counting a vote that is gone.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="qa_votes")
    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # NULLs are distinct in both SQLite and PostgreSQL, so each constraint only bites for its own kind.
            models.UniqueConstraint(fields=["user", "question"], name="qa_vote_one_per_user_per_question"),
            models.UniqueConstraint(fields=["user", "answer"], name="qa_vote_one_per_user_per_answer"),
            models.CheckConstraint(condition=_one_post(), name="qa_vote_on_one_post"),
            models.CheckConstraint(condition=Q(value__in=[1, -1]), name="qa_vote_up_or_down"),
        ]

    def __str__(self):
        return f"{self.user} {self.get_value_display().lower()} on {self.question or self.answer}"


class Revision(models.Model):
    """The full text of a question or answer after one change: who, when, and what it then said."""

    question = models.ForeignKey(Question, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    answer = models.ForeignKey(Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    title = models.CharField(max_length=MAX_TITLE_LENGTH, blank=True)
    body = models.TextField()
    tags = models.CharField(max_length=500, blank=True)
    summary = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [models.CheckConstraint(condition=_one_post(), name="qa_revision_of_one_post")]

    def __str__(self):
        return f"Revision of {self.question or self.answer} at {self.created_at:%Y-%m-%d %H:%M}"

    def changes_from(self, previous: "Revision | None") -> list[dict]:
        """What changed since ``previous``: one entry per changed field, with a line diff."""
        changes = []
        for field, label in (("title", "Title"), ("tags", "Tags"), ("body", "Body")):
            old = getattr(previous, field) if previous else ""
            new = getattr(self, field)
            if old == new:
                continue
            lines = list(difflib.ndiff(old.splitlines(), new.splitlines()))
            changes.append(
                {
                    "field": label,
                    "lines": [
                        {"kind": {"+": "added", "-": "removed"}.get(line[:1], "same"), "text": line[2:]}
                        for line in lines
                        if not line.startswith("?")
                    ],
                }
            )
        return changes


class SolvedFeedbackQuerySet(models.QuerySet):
    def in_period(self, start=None, end=None):
        """Feedback given from ``start`` up to and including ``end`` (dates or datetimes)."""
        queryset = self
        if start is not None:
            queryset = queryset.filter(created_at__gte=_start_of(start))
        if end is not None:
            if isinstance(end, datetime.datetime):
                queryset = queryset.filter(created_at__lte=end)
            else:
                queryset = queryset.filter(created_at__lt=_start_of(end + datetime.timedelta(days=1)))
        return queryset

    def calls_avoided(self, start=None, end=None) -> int:
        """Helpdesk calls avoided: people who said an answer here solved their problem."""
        return self.in_period(start, end).filter(solved=True).count()


def _start_of(value):
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


class SolvedFeedback(models.Model):
    """“Did this solve your problem?”: one yes or no per person per question."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qa_feedback")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="feedback")
    solved = models.BooleanField()
    created_at = models.DateTimeField(default=timezone.now)

    objects = SolvedFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "solved feedback"
        verbose_name_plural = "solved feedback"
        constraints = [
            models.UniqueConstraint(fields=["user", "question"], name="qa_solved_feedback_one_per_user"),
        ]

    def __str__(self):
        return f"{self.user} on “{self.question}”: {'solved' if self.solved else 'not solved'}"
