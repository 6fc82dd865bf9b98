"""Skills, volunteering and buddy requests: the rules of matching live here.

A person declares skills on shared tags (a level, "can help with", "want to learn") and may offer
help as a digital buddy or ambassador on chosen topics, with a capacity. A colleague asks for a buddy;
Confer proposes the best-fitting volunteers, the colleague picks one, the volunteer accepts or
declines, and an accepted match is introduced by email and later marked done with an outcome.

Every action is a model method that checks who may do it, runs inside a transaction and raises
``PermissionDenied`` (this person may not do it at all) or ``ValidationError`` (not like this; the
message says why). Views only translate those into a 403 or a message.
"""

import datetime
import functools
import operator

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from modelsearch.queryset import SearchableQuerySetMixin
from taggit.managers import TaggableManager
from taggit.models import Tag, TaggedItemBase
from wagtail.search import index

from community.listening.notifications import notify
from community.models import Notification, Profile
from community.names import display_name

from .emails import email_later

MAX_SKILLS = 40
MAX_OFFER_TOPICS = 10
MAX_REQUEST_TOPICS = 5
MAX_CAPACITY = 10
MAX_AVAILABILITY_LENGTH = 200
MAX_NOTE_LENGTH = 500
MAX_OUTCOME_LENGTH = 200
MAX_OPEN_REQUESTS = 3
# How many volunteers a request offers its requester to choose from at a time.
PROPOSALS_SHOWN = 3
# Unanswered questions older than this (after the routing delay) are no longer routed: by then
# the helpdesk queue has them, and a volunteer joining today should not be told about last year.
ROUTE_WINDOW = datetime.timedelta(days=30)


def _today():
    return timezone.localdate()


def topic_phrase(names, conjunction: str = "and") -> str:
    """ "excel", "excel and vpn", "excel, vpn and word"."""
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def tags_named(names, create: bool = True) -> list[Tag]:
    """The shared tags with these names (case-insensitive), in the order given; missing ones are
    made when ``create`` (two people adding the same new tag at once end with one tag)."""
    names = [name for name in dict.fromkeys(names) if name]
    if not names:
        return []
    condition = functools.reduce(operator.or_, (Q(name__iexact=name) for name in names))
    found = {tag.name.lower(): tag for tag in Tag.objects.filter(condition)}
    tags = []
    for name in names:
        tag = found.get(name.lower())
        if tag is None and create:
            try:
                with transaction.atomic():
                    tag = Tag.objects.create(name=name)  # taggit makes a unique slug
            except IntegrityError:
                tag = Tag.objects.filter(name__iexact=name).first()
        if tag is not None:
            tags.append(tag)
    return tags


# --- skills ---------------------------------------------------------------------------------------


class Level(models.TextChoices):
    LEARNING = "learning", "Learning"
    PRACTISING = "practising", "Practising"
    EXPERT = "expert", "Expert"


class SkillQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def active(self):
        return self.filter(user__is_active=True)

    def for_topics(self, tag_ids):
        return self.filter(tag_id__in=list(tag_ids))


class Skill(index.Indexed, models.Model):
    """One person and one topic (a shared tag): the level they declare, whether they can help with
    it, and whether they want to learn it. One row per person per topic."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="skills")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="skills")
    level = models.CharField(max_length=20, choices=Level, blank=True)
    can_help = models.BooleanField("can help with", default=False)
    wants_to_learn = models.BooleanField("wants to learn", default=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SkillQuerySet.as_manager()

    search_fields = [
        index.RelatedFields("tag", [index.SearchField("name", boost=3), index.AutocompleteField("name")]),
        index.SearchField("summary"),
        index.RelatedFields("user", [index.FilterField("is_active")]),
        index.FilterField("id"),
        index.FilterField("user"),
        index.FilterField("level"),
        index.FilterField("can_help"),
    ]

    class Meta:
        ordering = ["tag__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="skills_skill_one_per_topic"),
            models.CheckConstraint(condition=Q(level__in=["", *Level.values]), name="skills_skill_level_is_known"),
            models.CheckConstraint(
                condition=~Q(level="") | Q(can_help=True) | Q(wants_to_learn=True), name="skills_skill_says_something"
            ),
            models.CheckConstraint(
                condition=~Q(can_help=True, wants_to_learn=True), name="skills_skill_help_or_learn"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.tag.name} ({self.summary()})"

    def get_absolute_url(self):
        return reverse("people:profile", args=[self.user.get_username()])

    @property
    def title(self) -> str:
        return f"{display_name(self.user)}: {self.tag.name}"

    def summary(self) -> str:
        """ "expert, can help with it": the words search finds besides the topic's name."""
        parts = [self.get_level_display().lower()] if self.level else []
        if self.can_help:
            parts.append("can help with it")
        if self.wants_to_learn:
            parts.append("wants to learn it")
        return ", ".join(parts)

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.active().select_related("tag", "user")

    @classmethod
    @transaction.atomic
    def set_for(cls, user, levels: dict[str, str], can_help=(), want_to_learn=()) -> bool:
        """Replace ``user``'s skills: ``levels`` maps topic names to a level; ``can_help`` and
        ``want_to_learn`` are topic names. Returns False when nothing changed."""
        can_help, want_to_learn = list(dict.fromkeys(can_help)), list(dict.fromkeys(want_to_learn))
        if any(level not in Level.values for level in levels.values()):
            raise ValidationError("Choose learning, practising or expert for each skill.")
        both = [name for name in can_help if name in want_to_learn]
        if both:
            raise ValidationError(
                f"“{both[0]}” is under both “I can help with” and “I want to learn”. Choose one of them."
            )
        names = list(dict.fromkeys([*levels, *can_help, *want_to_learn]))
        if len(names) > MAX_SKILLS:
            raise ValidationError(f"Add {MAX_SKILLS} topics or fewer in all.")
        tags = {tag.name.lower(): tag for tag in tags_named(names)}
        wanted = {}
        for name in names:
            tag = tags[name.lower()]
            wanted[tag.pk] = (tag, levels.get(name, ""), name in can_help, name in want_to_learn)
        existing = {skill.tag_id: skill for skill in cls.objects.select_for_update().filter(user=user)}
        changed = False
        for tag_id, skill in existing.items():
            if tag_id not in wanted:
                skill.delete()  # deleted one by one, so each leaves the search index too
                changed = True
        for tag_id, (tag, level, helps, learns) in wanted.items():
            skill = existing.get(tag_id)
            if skill is None:
                cls.objects.create(user=user, tag=tag, level=level, can_help=helps, wants_to_learn=learns)
                changed = True
            elif (skill.level, skill.can_help, skill.wants_to_learn) != (level, helps, learns):
                skill.level, skill.can_help, skill.wants_to_learn = level, helps, learns
                skill.save(update_fields=["level", "can_help", "wants_to_learn", "updated_at"])
                changed = True
        return changed


# --- volunteering ---------------------------------------------------------------------------------


class HelpOfferTopic(TaggedItemBase):
    content_object = models.ForeignKey("HelpOffer", on_delete=models.CASCADE, related_name="tagged_topics")


def _accepted_count(user_ref):
    """Subquery: how many colleagues the volunteer at ``user_ref`` is matched with right now."""
    accepted = (
        BuddyRequest.objects.filter(volunteer=user_ref, status=BuddyRequest.Status.ACCEPTED)
        .order_by()
        .values("volunteer")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(accepted), 0)


class HelpOfferQuerySet(SearchableQuerySetMixin, models.QuerySet):
    def active(self, today=None):
        """Taking requests: not paused, not past its end date, and the person still works here."""
        today = today or _today()
        return self.filter(paused_at__isnull=True, user__is_active=True).filter(
            Q(ends_on__isnull=True) | Q(ends_on__gte=today)
        )

    def with_places(self):
        """Annotate ``matched`` (colleagues being helped now) and ``free_places``."""
        return self.annotate(matched=_accepted_count(OuterRef("user_id"))).annotate(
            free_places=F("capacity") - F("matched")
        )


class HelpOffer(index.Indexed, models.Model):
    """Someone volunteering as a digital buddy or ambassador: on which topics, for how many
    colleagues at once, when, and until when. One offer per person; it can be paused."""

    class Role(models.TextChoices):
        BUDDY = "buddy", "Digital buddy"
        AMBASSADOR = "ambassador", "Digital ambassador"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="help_offer")
    role = models.CharField(max_length=20, choices=Role, default=Role.BUDDY)
    topics = TaggableManager(through=HelpOfferTopic, blank=True)
    capacity = models.PositiveSmallIntegerField(
        default=2, help_text="How many colleagues you can help at the same time."
    )
    availability = models.CharField(max_length=MAX_AVAILABILITY_LENGTH, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    paused_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HelpOfferQuerySet.as_manager()

    search_fields = [
        index.RelatedFields("topics", [index.SearchField("name", boost=3), index.AutocompleteField("name")]),
        index.SearchField("role_label"),
        index.SearchField("availability"),
        index.RelatedFields("user", [index.FilterField("is_active")]),
        index.FilterField("id"),
        index.FilterField("user"),
        index.FilterField("role"),
        index.FilterField("paused_at"),
        index.FilterField("ends_on"),
    ]

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="skills_offer_capacity_in_range"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("availability"), MAX_AVAILABILITY_LENGTH),
                name="skills_offer_availability_max_length",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()}: {self.user}"

    def get_absolute_url(self):
        return reverse("people:profile", args=[self.user.get_username()])

    @property
    def title(self) -> str:
        return f"{display_name(self.user)}, {self.get_role_display().lower()}"

    def role_label(self) -> str:
        return self.get_role_display()

    @classmethod
    def get_indexed_objects(cls):
        return cls.objects.select_related("user").prefetch_related("topics")

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def has_ended(self) -> bool:
        return self.ends_on is not None and self.ends_on < _today()

    @property
    def is_active(self) -> bool:
        return not self.is_paused and not self.has_ended and self.user.is_active

    def matched_count(self) -> int:
        return BuddyRequest.objects.filter(volunteer_id=self.user_id, status=BuddyRequest.Status.ACCEPTED).count()

    def topic_names(self) -> list[str]:
        return sorted(tag.name for tag in self.topics.all())

    @classmethod
    @transaction.atomic
    def save_for(cls, user, *, role, topics, capacity, availability="", ends_on=None) -> "HelpOffer":
        """Start or change ``user``'s offer. The capacity can never go below the colleagues they are
        helping now: the offer row is locked, so an accept cannot slip in between."""
        if role not in cls.Role.values:
            raise ValidationError("Choose whether you volunteer as a digital buddy or an ambassador.")
        if not topics:
            raise ValidationError("Add at least one topic you can help with.")
        if len(topics) > MAX_OFFER_TOPICS:
            raise ValidationError(f"Offer help on {MAX_OFFER_TOPICS} topics or fewer.")
        if not 1 <= capacity <= MAX_CAPACITY:
            raise ValidationError(f"Capacity must be between 1 and {MAX_CAPACITY}.")
        if ends_on is not None and ends_on < _today():
            raise ValidationError("The end date must be today or in the future.")
        offer = cls.objects.select_for_update().filter(user=user).first()
        matched = BuddyRequest.objects.filter(volunteer=user, status=BuddyRequest.Status.ACCEPTED).count()
        if capacity < matched:
            raise ValidationError(
                f"You are helping {matched} colleagues at the moment, so your capacity cannot be less than "
                f"{matched}. Mark a match as done first."
            )
        if offer is None:
            try:
                with transaction.atomic():
                    offer = cls.objects.create(user=user, capacity=capacity)
            except IntegrityError:  # a double click created it a moment ago
                offer = cls.objects.select_for_update().get(user=user)
        offer.role, offer.capacity, offer.availability, offer.ends_on = role, capacity, availability.strip(), ends_on
        offer.save()
        offer.topics.set(tags_named(topics))
        # Saving indexed the offer before its topics changed; index it again with them.
        index.insert_or_update_object(offer)
        if matched >= capacity:
            BuddyRequest.release_waiting_for(user)
        return offer

    @transaction.atomic
    def pause(self, by) -> None:
        if by.pk != self.user_id:
            raise PermissionDenied("Only the volunteer can pause their offer.")
        if not HelpOffer.objects.filter(pk=self.pk, paused_at__isnull=True).update(paused_at=timezone.now()):
            raise ValidationError("Your offer is already paused.")
        self.refresh_from_db(fields=["paused_at"])

    @transaction.atomic
    def resume(self, by) -> None:
        if by.pk != self.user_id:
            raise PermissionDenied("Only the volunteer can resume their offer.")
        if not HelpOffer.objects.filter(pk=self.pk, paused_at__isnull=False).update(paused_at=None):
            raise ValidationError("Your offer is not paused.")
        self.refresh_from_db(fields=["paused_at"])


def annotate_volunteering(profiles, today=None):
    """Annotate Profiles with their active offer, in the same query: ``volunteer_role`` (None for
    people who do not volunteer now), ``volunteer_capacity`` and ``volunteer_matched``."""
    # One offer per person: no order to keep (an ORDER BY here is a sort per row listed).
    offers = HelpOffer.objects.active(today).filter(user=OuterRef("user_id")).order_by()
    return profiles.annotate(
        volunteer_role=Subquery(offers.values("role")[:1]),
        volunteer_capacity=Subquery(offers.values("capacity")[:1]),
        volunteer_matched=_accepted_count(OuterRef("user_id")),
    )


def active_volunteers(directorate=None, topic=None):
    """Profiles of the people volunteering now (an active offer), optionally only those in
    ``directorate`` (a Directorate or its slug) and offering help with ``topic`` (a Tag or a tag
    name), by name. Each is annotated as by ``annotate_volunteering``: the buddy-network pages list these.
    """
    offers = HelpOffer.objects.active()
    if topic:
        offers = offers.filter(topics=topic) if isinstance(topic, Tag) else offers.filter(topics__name__iexact=topic)
    profiles = Profile.objects.active().filter(user__in=offers.values("user")).select_related("user", "directorate")
    if directorate:
        profiles = profiles.filter(directorate__slug=directorate if isinstance(directorate, str) else directorate.slug)
    return annotate_volunteering(profiles).order_by("display_name", "pk")


# --- buddy requests -------------------------------------------------------------------------------


class BuddyRequestTopic(TaggedItemBase):
    content_object = models.ForeignKey("BuddyRequest", on_delete=models.CASCADE, related_name="tagged_topics")


class BuddyRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=BuddyRequest.OPEN_STATUSES)

    def involving(self, user):
        return self.filter(Q(requester=user) | Q(volunteer=user))


class BuddyRequest(models.Model):
    """A colleague asking for a buddy on some topics, and where that has got to.

    requested (no volunteer free) → proposed (the requester chooses one) → asked (waiting for the
    volunteer) → accepted (introduced by email) → done (with an outcome and a rating). A decline, no
    reply after a reminder, or the volunteer filling their last place with someone else's request takes
    it back to proposed with the next best volunteers. The requester
    may withdraw it until it is accepted.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", "Waiting for a volunteer to be free"
        PROPOSED = "proposed", "Choose a volunteer"
        ASKED = "asked", "Waiting for the volunteer to reply"
        ACCEPTED = "accepted", "Matched"
        DONE = "done", "Done"
        CANCELLED = "cancelled", "Withdrawn"

    OPEN_STATUSES = [Status.REQUESTED, Status.PROPOSED, Status.ASKED, Status.ACCEPTED]
    WITHDRAWABLE = [Status.REQUESTED, Status.PROPOSED, Status.ASKED]

    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buddy_requests")
    topics = TaggableManager(through=BuddyRequestTopic)
    note = models.TextField(max_length=MAX_NOTE_LENGTH)
    status = models.CharField(max_length=20, choices=Status, default=Status.REQUESTED)
    # The volunteer asked, then matched; cleared when they decline or do not reply.
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="buddy_matches"
    )
    created_at = models.DateTimeField(default=timezone.now)
    asked_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    matched_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=MAX_OUTCOME_LENGTH, blank=True)
    helpful = models.BooleanField(null=True, blank=True)

    objects = BuddyRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["volunteer", "status"], name="skills_request_volunteer")]
        constraints = [
            # No rule that a matched request has a volunteer: erasing an account sets it to NULL,
            # and that must never be blocked. The model methods set and clear it with the status.
            models.CheckConstraint(condition=~Q(volunteer=F("requester")), name="skills_request_not_to_self"),
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(outcome="") & Q(helpful__isnull=False)),
                name="skills_request_done_has_outcome",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), MAX_NOTE_LENGTH), name="skills_request_note_max_length"
            ),
        ]

    def __str__(self):
        return f"{display_name(self.requester)}: help with {self.topic_phrase()}"

    def get_absolute_url(self):
        return reverse("skills:request", args=[self.pk])

    @property
    def title(self) -> str:
        return f"Help with {self.topic_phrase()}"

    def topic_names(self) -> list[str]:
        return sorted(tag.name for tag in self.topics.all())

    def topic_phrase(self) -> str:
        return topic_phrase(self.topic_names())

    def is_party(self, user) -> bool:
        return user.pk in (self.requester_id, self.volunteer_id)

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    # Asking

    @classmethod
    @transaction.atomic
    def open_for(cls, requester, topics: list[Tag], note: str, volunteer=None) -> "BuddyRequest":
        """A new request on existing topics. With ``volunteer`` (from their profile or a search
        result) that person is asked straight away; otherwise Confer proposes volunteers."""
        note = note.strip()
        if not topics:
            raise ValidationError("Choose at least one topic you would like help with.")
        if len(topics) > MAX_REQUEST_TOPICS:
            raise ValidationError(f"Choose {MAX_REQUEST_TOPICS} topics or fewer.")
        if not note:
            raise ValidationError("Say in a sentence or two what you would like help with.")
        if len(note) > MAX_NOTE_LENGTH:
            raise ValidationError(f"The note must be {MAX_NOTE_LENGTH} characters or fewer.")
        if volunteer is not None and volunteer.pk == requester.pk:
            raise ValidationError("You cannot ask yourself for help. Choose a colleague, or let Confer suggest one.")
        if cls.objects.filter(requester=requester).open().count() >= MAX_OPEN_REQUESTS:
            raise ValidationError(
                f"You already have {MAX_OPEN_REQUESTS} open requests for help. "
                "Mark one as done or withdraw one, then ask again."
            )
        request = cls.objects.create(requester=requester, note=note)
        request.topics.set(topics)
        if volunteer is not None:
            offer = request._eligible_offer(volunteer)
            if offer is None:
                raise ValidationError(
                    f"{display_name(volunteer)} is not taking requests on {topic_phrase(t.name for t in topics)} "
                    "just now. Let Confer suggest someone else."
                )
            BuddyProposal.objects.create(
                request=request, volunteer=volunteer, rank=1, status=BuddyProposal.Status.PROPOSED
            )
            request.status = cls.Status.PROPOSED
            request._ask(volunteer)
        else:
            request.refresh_proposals()
        return request

    def _eligible_offer(self, volunteer):
        """The volunteer's offer if it is active, covers a topic of this request and has a free place."""
        return (
            HelpOffer.objects.active()
            .with_places()
            .filter(user=volunteer, topics__in=list(self.topics.all()), free_places__gt=0)
            .first()
        )

    def refresh_proposals(self, notify_requester: bool = False) -> list["BuddyProposal"]:
        """Drop suggestions that can no longer help and top the list up with the next best volunteers
        (see ``propose_volunteers``); the request becomes proposed, or requested if nobody is free."""
        from .ranking import propose_volunteers

        stale = [
            proposal
            for proposal in self.proposals.filter(status=BuddyProposal.Status.PROPOSED)
            if self._eligible_offer(proposal.volunteer) is None
        ]
        BuddyProposal.objects.filter(pk__in=[proposal.pk for proposal in stale]).delete()
        current = list(self.proposals.filter(status=BuddyProposal.Status.PROPOSED))
        wanted = PROPOSALS_SHOWN - len(current)
        added = []
        if wanted > 0:
            rank = max((proposal.rank for proposal in self.proposals.all()), default=0)
            for candidate in propose_volunteers(self, limit=wanted):
                rank += 1
                added.append(
                    BuddyProposal.objects.create(
                        request=self, volunteer=candidate.profile.user, rank=rank, reason=candidate.why[:200]
                    )
                )
        was = self.status
        self.status = self.Status.PROPOSED if current or added else self.Status.REQUESTED
        BuddyRequest.objects.filter(pk=self.pk).update(status=self.status)
        if notify_requester and self.status == self.Status.PROPOSED and (added or was != self.status):
            self._tell_requester("skills.buddy_proposed", actor=None, email="proposed")
        return current + added

    def proposed(self):
        """The volunteers the requester can choose from now, best first."""
        return (
            self.proposals.filter(status=BuddyProposal.Status.PROPOSED)
            .select_related("volunteer__profile__directorate")
            .order_by("rank")
        )

    def choose(self, by, volunteer) -> None:
        """The requester picks one of the proposed volunteers, who is then asked."""
        with transaction.atomic():
            still_free = self._choose(by, volunteer)
        if not still_free:
            raise ValidationError(
                f"{display_name(volunteer)} cannot take anyone else just now. Choose another volunteer."
            )

    def _choose(self, by, volunteer) -> bool:
        locked = BuddyRequest.objects.select_for_update().get(pk=self.pk)
        if by.pk != locked.requester_id:
            raise PermissionDenied("Only the colleague who asked for help can choose a volunteer.")
        if volunteer.pk == by.pk:
            raise ValidationError("You cannot ask yourself for help.")
        if locked.status == self.Status.ASKED:
            raise ValidationError(
                f"You have already asked {display_name(locked.volunteer)}. Wait for their reply, "
                "or withdraw the request."
            )
        if locked.status != self.Status.PROPOSED:
            raise ValidationError("This request is not waiting for you to choose a volunteer.")
        proposal = self.proposals.filter(volunteer=volunteer, status=BuddyProposal.Status.PROPOSED).first()
        if proposal is None:
            raise ValidationError("Choose one of the volunteers suggested for this request.")
        if self._eligible_offer(volunteer) is None:
            # Kept (not rolled back): the list the requester sees next leaves them out.
            self.refresh_proposals()
            return False
        self.status = locked.status
        self._ask(volunteer)
        return True

    def _ask(self, volunteer) -> None:
        now = timezone.now()
        BuddyProposal.objects.filter(request=self, volunteer=volunteer).update(
            status=BuddyProposal.Status.ASKED, asked_at=now
        )
        self.status, self.volunteer, self.asked_at, self.reminded_at = self.Status.ASKED, volunteer, now, None
        self.save(update_fields=["status", "volunteer", "asked_at", "reminded_at"])
        self._tell("skills.buddy_request", actor=self.requester, recipient=volunteer, email="asked", data=self._data())

    # Answering

    def _locked_for_volunteer(self, by) -> "BuddyRequest":
        locked = BuddyRequest.objects.select_for_update().get(pk=self.pk)
        if locked.volunteer_id != by.pk:
            if self.proposals.filter(volunteer=by, status=BuddyProposal.Status.FULL).exists():
                raise ValidationError(
                    "You were helping as many colleagues as you offered, so this request went back to "
                    f"{display_name(locked.requester)} to choose someone else."
                )
            raise PermissionDenied("This request was sent to someone else, so only they can answer it.")
        if locked.status == self.Status.ACCEPTED:
            raise ValidationError("You have already accepted this request.")
        if locked.status != self.Status.ASKED:
            raise ValidationError(f"This request is no longer waiting for your reply ({locked.get_status_display()}).")
        return locked

    @transaction.atomic
    def accept(self, by) -> None:
        """The volunteer agrees: both get an introduction email. Their offer row is locked while the
        matches are counted, so two accepts racing for the last place cannot both win. The accept that
        fills the last place hands the volunteer's other waiting requests back to their requesters.

        The offer is locked before any request: an accept then locks the volunteer's other requests
        to release them, and the opposite order would let two accepts deadlock on PostgreSQL."""
        offer = HelpOffer.objects.select_for_update().filter(user=by).first()
        self._locked_for_volunteer(by)
        if offer is None:
            raise ValidationError("You no longer offer help. Volunteer again, then accept.")
        matched = BuddyRequest.objects.filter(volunteer=by, status=self.Status.ACCEPTED).count()
        if matched >= offer.capacity:
            raise ValidationError(
                f"You are already helping {matched} colleague{'s' if matched != 1 else ''}, as many as you offered. "
                "Mark a match as done or raise your capacity, then accept."
            )
        now = timezone.now()
        BuddyProposal.objects.filter(request=self, volunteer=by).update(
            status=BuddyProposal.Status.ACCEPTED, answered_at=now
        )
        self.status, self.matched_at = self.Status.ACCEPTED, now
        self.save(update_fields=["status", "matched_at"])
        self._tell_requester("skills.buddy_accepted", actor=by, emailed=True)
        email_later("introduction", self, [self.requester, by])
        if matched + 1 >= offer.capacity:
            BuddyRequest.release_waiting_for(by)

    @classmethod
    def release_waiting_for(cls, volunteer) -> None:
        """``volunteer`` has filled their last place (an accept, or a lower capacity), so they can
        accept nobody else: every request waiting for their reply goes back to its requester with the
        next proposals, as a decline does, instead of waiting for a reply that can never be yes. The
        caller holds the lock on the volunteer's offer."""
        waiting = (
            cls.objects.select_for_update()
            .filter(volunteer=volunteer, status=cls.Status.ASKED)
            .order_by("pk")  # always locked in the same order
        )
        for other in waiting:
            other._release(volunteer, BuddyProposal.Status.FULL)
            other.refresh_proposals()
            other._tell_requester(
                "skills.buddy_full", actor=volunteer, email="next_match", reason="full", who=volunteer
            )

    @transaction.atomic
    def decline(self, by) -> None:
        """The volunteer cannot help this time: the requester is offered the next best volunteers."""
        self._locked_for_volunteer(by)
        self._release(by, BuddyProposal.Status.DECLINED)
        self.refresh_proposals()
        self._tell_requester("skills.buddy_declined", actor=by, email="next_match", reason="declined", who=by)

    def _release(self, volunteer, status) -> None:
        BuddyProposal.objects.filter(request=self, volunteer=volunteer).update(
            status=status, answered_at=timezone.now()
        )
        # Back to waiting; refresh_proposals() then offers the next volunteers, if any are free.
        self.status, self.volunteer, self.asked_at, self.reminded_at = self.Status.REQUESTED, None, None, None
        self.save(update_fields=["status", "volunteer", "asked_at", "reminded_at"])

    # Finishing

    @transaction.atomic
    def mark_done(self, by, outcome: str, helpful: bool) -> None:
        locked = BuddyRequest.objects.select_for_update().get(pk=self.pk)
        if not locked.is_party(by):
            raise PermissionDenied("Only the colleague who asked and their buddy can mark this as done.")
        if locked.status == self.Status.DONE:
            raise ValidationError("This has already been marked as done.")
        if locked.status != self.Status.ACCEPTED:
            raise ValidationError("Only a match the volunteer has accepted can be marked as done.")
        outcome = " ".join(outcome.split())
        if not outcome:
            raise ValidationError("Say in one line how it went.")
        if len(outcome) > MAX_OUTCOME_LENGTH:
            raise ValidationError(f"The outcome must be {MAX_OUTCOME_LENGTH} characters or fewer.")
        if helpful not in (True, False):
            raise ValidationError("Say whether it was helpful.")
        self.status, self.outcome, self.helpful = self.Status.DONE, outcome, helpful
        self.finished_at, self.finished_by = timezone.now(), by
        self.save(update_fields=["status", "outcome", "helpful", "finished_at", "finished_by"])
        other = self.volunteer if by.pk == self.requester_id else self.requester
        self._tell("skills.buddy_done", actor=by, recipient=other, data={**self._data(), "outcome": outcome})

    @transaction.atomic
    def withdraw(self, by) -> None:
        locked = BuddyRequest.objects.select_for_update().get(pk=self.pk)
        if by.pk != locked.requester_id:
            raise PermissionDenied("Only the colleague who asked for help can withdraw the request.")
        if locked.status not in self.WITHDRAWABLE:
            raise ValidationError(
                "A match that has been accepted cannot be withdrawn: mark it as done instead."
                if locked.status == self.Status.ACCEPTED
                else "This request is already closed."
            )
        asked = locked.volunteer if locked.status == self.Status.ASKED else None
        self.proposals.filter(status__in=[BuddyProposal.Status.PROPOSED, BuddyProposal.Status.ASKED]).update(
            status=BuddyProposal.Status.WITHDRAWN, answered_at=timezone.now()
        )
        self.status, self.finished_at, self.finished_by = self.Status.CANCELLED, timezone.now(), by
        self.save(update_fields=["status", "finished_at", "finished_by"])
        if asked is not None:
            self._tell("skills.buddy_withdrawn", actor=by, recipient=asked, data=self._data())

    # No reply

    @transaction.atomic
    def remind(self, now=None) -> bool:
        """Remind the volunteer once. False if someone else already did, or they have replied."""
        now = now or timezone.now()
        claimed = BuddyRequest.objects.filter(
            pk=self.pk, status=self.Status.ASKED, volunteer_id=self.volunteer_id, reminded_at__isnull=True
        ).update(reminded_at=now)
        if not claimed:
            return False
        self.reminded_at = now
        self._tell(
            "skills.buddy_reminder",
            actor=None,
            recipient=self.volunteer,
            email="reminder",
            data=self._data(requester=display_name(self.requester)),
        )
        return True

    @transaction.atomic
    def expire(self) -> bool:
        """The volunteer did not reply even after the reminder: offer the requester the next match."""
        locked = BuddyRequest.objects.select_for_update().get(pk=self.pk)
        if locked.status != self.Status.ASKED or locked.reminded_at is None:
            return False
        silent = locked.volunteer
        self._release(silent, BuddyProposal.Status.EXPIRED)
        self.refresh_proposals()
        self._tell_requester("skills.buddy_no_reply", actor=None, email="next_match", reason="no_reply", who=silent)
        return True

    # Telling people

    def _data(self, **extra) -> dict:
        return {"topics": self.topic_phrase(), **extra}

    def _tell(self, event_type, *, actor, recipient, email=None, data=None, emailed=False) -> None:
        """Notify ``recipient``; with ``email`` also send them that buddy email. A notification whose
        news goes by a buddy email (``emailed``) is marked as emailed, so no digest repeats it."""
        told = notify(event_type, actor=actor, target=self, recipients=[recipient], title=self.title, data=data or {})
        if email or emailed:
            Notification.objects.filter(pk__in=[n.pk for n in told]).update(emailed_at=timezone.now())
        if email:
            email_later(email, self, [recipient])

    def _tell_requester(self, event_type, *, actor, email=None, reason="", who=None, emailed=False) -> None:
        data = self._data(status=self.status, reason=reason, who=display_name(who) if who else "")
        self._tell(event_type, actor=actor, recipient=self.requester, email=email, data=data, emailed=emailed)


class BuddyProposal(models.Model):
    """One volunteer suggested for one request, and what became of it. A volunteer is suggested at
    most once per request, so one who declined is never offered again."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Suggested"
        ASKED = "asked", "Asked"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Could not help this time"
        EXPIRED = "expired", "Did not reply"
        FULL = "full", "Became fully booked"
        WITHDRAWN = "withdrawn", "Request withdrawn"

    request = models.ForeignKey(BuddyRequest, on_delete=models.CASCADE, related_name="proposals")
    volunteer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=20, choices=Status, default=Status.PROPOSED)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    asked_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "volunteer"], name="skills_proposal_once_per_volunteer"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(status__in=["asked", "accepted"]), name="skills_proposal_one_asked"
            ),
        ]

    def __str__(self):
        return f"{self.volunteer} for request {self.request_id}: {self.get_status_display()}"


# --- routing unanswered questions -----------------------------------------------------------------


class QuestionRoute(models.Model):
    """A question that waited too long for an answer, and the volunteers told about it (once)."""

    question = models.OneToOneField("qa.Question", on_delete=models.CASCADE, related_name="skills_route")
    routed_at = models.DateTimeField(default=timezone.now)
    volunteers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)

    def __str__(self):
        return f"Question {self.question_id} routed at {self.routed_at:%Y-%m-%d %H:%M}"


def route_unanswered_questions(now=None) -> int:
    """Tell the top three matching volunteers about each question that has had no answer for
    ``SKILLS_ROUTE_AFTER_HOURS`` (by the "who can help" score; never the asker). Each question is
    routed once, even when two runs overlap. Returns how many questions were routed."""
    from qa.models import Question

    from .ranking import who_can_help

    now = now or timezone.now()
    waited = datetime.timedelta(hours=getattr(settings, "SKILLS_ROUTE_AFTER_HOURS", 24))
    window = ROUTE_WINDOW
    questions = (
        Question.objects.unanswered()
        .filter(created_at__lte=now - waited, created_at__gte=now - waited - window, skills_route__isnull=True)
        .select_related("author")
        .prefetch_related("tags")
        .order_by("created_at")
    )
    routed = 0
    for question in questions:
        tags = list(question.tags.all())
        helpers = [
            match.profile.user
            for match in who_can_help(tags, limit=3, volunteers_only=True, exclude_user_ids=[question.author_id])
        ]
        if not helpers:
            continue  # tried again on the next run: a volunteer may come forward
        with transaction.atomic():
            try:
                with transaction.atomic():
                    route = QuestionRoute.objects.create(question=question, routed_at=now)
            except IntegrityError:
                continue  # another run got there first
            route.volunteers.set(helpers)
            names = sorted(tag.name for tag in tags)
            notify(
                "skills.question_routed",
                actor=None,
                target=question,
                recipients=helpers,
                title=question.title,
                tags=names,
                data={"topics": topic_phrase(names)},
            )
        routed += 1
    return routed


def send_buddy_reminders(now=None) -> dict:
    """Requests waiting ``SKILLS_BUDDY_REMINDER_DAYS`` for the volunteer's reply remind them once;
    after as long again, the requester is offered the next match. Requests nobody could take are
    offered any volunteer who has come free since."""
    now = now or timezone.now()
    wait = datetime.timedelta(days=getattr(settings, "SKILLS_BUDDY_REMINDER_DAYS", 3))
    asked = BuddyRequest.objects.filter(status=BuddyRequest.Status.ASKED).select_related("requester", "volunteer")
    reminded = sum(request.remind(now) for request in asked.filter(asked_at__lte=now - wait, reminded_at__isnull=True))
    expired = sum(request.expire() for request in asked.filter(reminded_at__lte=now - wait))
    proposed = 0
    for pk in BuddyRequest.objects.filter(status=BuddyRequest.Status.REQUESTED).values_list("pk", flat=True):
        with transaction.atomic():
            # Locked, so two runs at once cannot both suggest the same volunteers.
            request = BuddyRequest.objects.select_for_update().filter(pk=pk, status=BuddyRequest.Status.REQUESTED)
            request = request.select_related("requester").first()
            if request is not None and request.refresh_proposals(notify_requester=True):
                proposed += 1
    return {"reminded": reminded, "rematched": expired, "proposed": proposed}


# --- "who can help" kept ranked -----------------------------------------------------------------------


class TopicScore(models.Model):
    """One person's "who can help" score on one topic, kept so that a topic's helpers are read in
    order from an index, however many people there are (skills.ranking.refresh_topic_scores writes
    them; docs/scaling.md). What the reasons need is kept with it: the declared level, "can help",
    an offer on the topic, and each evidence source's count by its key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveIntegerField()
    evidence_points = models.PositiveIntegerField(default=0)
    level = models.CharField(max_length=20, choices=Level, blank=True)
    level_rank = models.PositiveSmallIntegerField(default=0)
    can_help = models.BooleanField(default=False)
    offers_help = models.BooleanField(default=False)
    evidence = models.JSONField(default=dict)  # evidence source key -> count
    sort_name = models.CharField(max_length=200, blank=True)  # the display name, lower case: ties

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tag", "user"], name="skills_topicscore_one_per_topic")]
        # The page's order, after the topic: the database walks it and stops after the page.
        indexes = [
            models.Index(
                fields=["tag", "-score", "-evidence_points", "-level_rank", "sort_name", "user"],
                name="skills_topicscore_rank",
            ),
            models.Index(fields=["user"], name="skills_topicscore_user"),
        ]

    def __str__(self):
        return f"{self.user_id} on {self.tag_id}: {self.score}"


class TopicRanking(models.Model):
    """When a topic's scores were last worked out, and whether they are out of date. A topic without
    one is worked out when it is first read."""

    tag = models.OneToOneField(Tag, on_delete=models.CASCADE, primary_key=True, related_name="+")
    refreshed_at = models.DateTimeField()
    # Set in the same transaction as a change to the topic's evidence; the refresh clears it under a
    # row lock, so a change made while a refresh runs waits for it and asks for another.
    stale = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.tag_id} at {self.refreshed_at:%Y-%m-%d %H:%M}"
