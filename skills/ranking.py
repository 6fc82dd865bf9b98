"""Who can help with X: one documented score, from a fixed number of queries.

For the topics asked about (shared tags), each person's score is the sum of:

==========================================================  ================================
what                                                        points
==========================================================  ================================
declared level, per topic                                   expert 5, practising 3, learning 0
"I can help with" the topic                                 2 per topic
an active volunteering offer (buddy or ambassador) on it    4 per topic
evidence, per registered source                             its weight × its count, counting
                                                            at most ``EVIDENCE_CAP`` (5) items
==========================================================  ================================

Evidence comes from ``EvidenceSource``s registered with the ``confer_skills_evidence`` hook: each
counts, in one query, what every person has done on the topics. skills/evidence.py pulls Confer's
own from the other parts: accepted answers on questions with the topic (3 each), answers the
helpdesk verified (4 each; an answer both accepted and verified counts in both), implemented ideas
(3), workshops run (3) and attended (1). The cap keeps one prolific answerer from burying everyone
else.

Only people scoring above zero are listed; ties go to more evidence, then the higher declared
level, then the name. Each result carries the reasons it is listed ("3 accepted answers on excel,
expert in excel"). The queries: one for declared skills, one for offers, one per evidence source and
one for the profiles, however many people there are.
"""

import functools
import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from community import hooks
from community.profiles.models import Profile
from community.tags import MAX_TAG_LENGTH, normalise_tag

from .models import (
    MAX_REQUEST_TOPICS,
    BuddyRequest,
    HelpOffer,
    HelpOfferTopic,
    Level,
    Skill,
    TopicRanking,
    TopicScore,
    annotate_volunteering,
    topic_phrase,
)

LEVEL_POINTS = {Level.EXPERT: 5, Level.PRACTISING: 3, Level.LEARNING: 0}
CAN_HELP_POINTS = 2
OFFER_POINTS = 4
EVIDENCE_CAP = 5
LEVEL_ORDER = {Level.EXPERT: 3, Level.PRACTISING: 2, Level.LEARNING: 1, "": 0}
# After the ranked helpers, /people/ lists up to this many people whose name, role or team match.
DIRECTORY_EXTRAS = 50
# /people/?q=<topic> lists at most this many of the best placed (the filters narrow them down).
PEOPLE_RANKED = 96


@dataclass(frozen=True)
class EvidenceSource:
    """Something people do that shows they know a topic.

    ``counts(tag_ids)`` returns ``{user_id: number of items}`` for items carrying any of those tags,
    in one query; ``label`` names one item ("accepted answer") and ``plural`` several (default:
    label + "s").
    """

    key: str
    label: str
    counts: Callable  # (list[int]) -> dict[int, int]
    weight: int
    plural: str = ""
    order: int = 100

    def describe(self, count: int, topics: str) -> str:
        noun = self.label if count == 1 else (self.plural or f"{self.label}s")
        return f"{count} {noun} on {topics}"


# The hook each source is registered with (skills/wagtail_hooks.py registers Confer's own).
EVIDENCE_HOOK = "confer_skills_evidence"


def evidence_sources() -> list[EvidenceSource]:
    return hooks.registered(EVIDENCE_HOOK)


def scoring_rules() -> list[dict]:
    """The score in words, for the "How people are ranked" note on /people/."""
    rules = [
        {"what": "Says they are an expert in the topic", "points": LEVEL_POINTS[Level.EXPERT]},
        {"what": "Says they are practising it", "points": LEVEL_POINTS[Level.PRACTISING]},
        {"what": "Says they can help with it", "points": CAN_HELP_POINTS},
        {"what": "Volunteers as a digital buddy or ambassador on it", "points": OFFER_POINTS},
    ]
    for source in evidence_sources():
        plural = source.plural or f"{source.label}s"
        rules.append({"what": f"Each of their {plural} on it (up to {EVIDENCE_CAP})", "points": source.weight})
    return rules


# --- topics ------------------------------------------------------------------------------------------


def _known_topics():
    """Tags someone has declared as a skill or offers help with."""
    return Tag.objects.filter(Q(skills__isnull=False) | Q(skills_helpoffertopic_items__isnull=False)).distinct()


def topics_in(query: str) -> list[Tag]:
    """The topics a people search is about: the whole text as one tag ("office 365"), or each
    comma-separated part ("excel, vpn"). Empty when none of it is a tag: then it is a name search."""
    candidates = {normalise_tag(query), *(normalise_tag(part) for part in query.split(","))}
    candidates = [name for name in candidates if name and len(name) <= MAX_TAG_LENGTH]
    if not candidates:
        return []
    condition = functools.reduce(operator.or_, (Q(name__iexact=name) for name in candidates))
    return list(Tag.objects.filter(condition).order_by("name")[:MAX_REQUEST_TOPICS])


def suggest_topics(query: str, limit: int = 5) -> list[str]:
    """Topics with helpers whose names contain a word of ``query``: "try excel" for "excel pivot"."""
    words = [word for word in normalise_tag(query).replace(",", " ").split() if len(word) > 1][:5]
    if not words:
        return []
    condition = functools.reduce(operator.or_, (Q(name__icontains=word) for word in words))
    return list(_known_topics().filter(condition).order_by("name").values_list("name", flat=True)[:limit])


# --- ranking --------------------------------------------------------------------------------------


@dataclass
class Match:
    """One person listed for some topics: their score and why."""

    user_id: int
    profile: Profile | None = None
    score: int = 0
    evidence_points: int = 0
    levels: dict = field(default_factory=lambda: defaultdict(list))  # level -> topic names
    can_help: list = field(default_factory=list)
    offer_topics: list = field(default_factory=list)
    evidence: list = field(default_factory=list)  # (source, count)
    extra_reason: str = ""

    @property
    def best_level(self) -> str:
        return max(self.levels, key=LEVEL_ORDER.get, default="") if self.levels else ""

    @property
    def free_places(self) -> int | None:
        profile = self.profile
        if profile is None or getattr(profile, "volunteer_role", None) is None:
            return None
        return max(profile.volunteer_capacity - profile.volunteer_matched, 0)

    @property
    def reasons(self) -> list[str]:
        reasons = [source.describe(count, topics) for source, count, topics in self.evidence]
        for level in (Level.EXPERT, Level.PRACTISING, Level.LEARNING):
            if self.levels.get(level):
                reasons.append(f"{Level(level).label.lower()} in {topic_phrase(self.levels[level])}")
        if self.can_help:
            reasons.append(f"can help with {topic_phrase(self.can_help)}")
        if self.offer_topics:
            role_code = getattr(self.profile, "volunteer_role", None)
            role = HelpOffer.Role(role_code).label.lower() if role_code else "volunteer"
            free = self.free_places
            places = "no places free just now" if free == 0 else f"{free} place{'s' if free != 1 else ''} free"
            reasons.append(f"{role} for {topic_phrase(self.offer_topics)} ({places})")
        if self.extra_reason:
            reasons.append(self.extra_reason)
        return reasons

    @property
    def why(self) -> str:
        """ "3 accepted answers on excel, expert in excel": why this person is listed."""
        return ", ".join(self.reasons)

    @classmethod
    def for_profile(cls, profile, reason: str) -> "Match":
        """A person listed for another reason than the score (their role matches the words typed)."""
        return cls(user_id=profile.user_id, profile=profile, extra_reason=reason)

    def sort_key(self):
        return (-self.score, -self.evidence_points, -LEVEL_ORDER[self.best_level], self.profile.display_name.lower())


def rank_people(
    tags,
    *,
    directorate=None,
    volunteers_only: bool = False,
    exclude_user_ids=(),
    user_ids=None,
) -> list[Match]:
    """Everyone scoring above zero on ``tags``, best first, each with the reasons.

    ``directorate`` (a Directorate) and ``volunteers_only`` (an active offer on any topic) narrow the
    list; ``user_ids`` limits it to those people (buddy proposals rank their candidates this way).
    """
    tags = list(tags)
    if not tags:
        return []
    names = {tag.pk: tag.name for tag in tags}
    tag_ids = list(names)
    matches: dict[int, Match] = {}

    def match_for(user_id) -> Match:
        if user_id not in matches:
            matches[user_id] = Match(user_id=user_id)
        return matches[user_id]

    skills = (
        Skill.objects.active().for_topics(tag_ids).order_by().values_list("user_id", "tag_id", "level", "can_help")
    )
    for user_id, tag_id, level, can_help in skills:
        match = match_for(user_id)
        if level:
            match.levels[level].append(names[tag_id])
            match.score += LEVEL_POINTS[level]
        if can_help:
            match.can_help.append(names[tag_id])
            match.score += CAN_HELP_POINTS
    offered = HelpOfferTopic.objects.filter(
        tag_id__in=tag_ids, content_object__in=HelpOffer.objects.active()
    ).values_list("content_object__user_id", "tag_id")
    for user_id, tag_id in offered:
        match = match_for(user_id)
        match.offer_topics.append(names[tag_id])
        match.score += OFFER_POINTS
    topics = topic_phrase(sorted(names.values()), "or")
    for source in evidence_sources():
        for user_id, count in source.counts(tag_ids).items():
            if count <= 0:
                continue
            points = source.weight * min(count, EVIDENCE_CAP)
            match = match_for(user_id)
            match.evidence.append((source, count, topics))
            match.score += points
            match.evidence_points += points

    wanted = {user_id for user_id, match in matches.items() if match.score > 0}
    wanted -= set(exclude_user_ids)
    if user_ids is not None:
        wanted &= set(user_ids)
    if not wanted:
        return []
    profiles = annotate_volunteering(
        Profile.objects.active().filter(user_id__in=wanted).select_related("user", "directorate")
    )
    if directorate is not None:
        profiles = profiles.filter(directorate=directorate)
    if volunteers_only:
        profiles = profiles.filter(volunteer_role__isnull=False)
    listed = []
    for profile in profiles:
        match = matches[profile.user_id]
        match.profile = profile
        for names_list in (match.can_help, match.offer_topics, *match.levels.values()):
            names_list.sort()
        listed.append(match)
    listed.sort(key=Match.sort_key)
    return listed


# --- one topic's helpers, kept ranked ----------------------------------------------------------------
#
# ``rank_people`` reads every helper of the topics asked about. For one topic (a tag page, most
# people searches, routing a question with one tag) the result is kept in TopicScore, one row per
# person and topic, and read in the order of the ``skills_topicscore_rank`` index: a page of helpers
# costs the same with 100 or 100,000 people. skills/signals.py marks a topic stale in the
# transaction that changes its evidence and enqueues ``refresh_topic_scores``; a daily run catches
# what changes with time alone (workshops starting, offers ending). See docs/scaling.md.


def refresh_topic_scores(tag_ids) -> int:
    """Work out again the kept scores of the topics whose ranking is stale or missing; returns how
    many topics were worked out. Each topic in its own transaction, under a lock on its ranking row."""
    refreshed = 0
    for tag in Tag.objects.filter(pk__in=list(tag_ids)).order_by("pk"):
        with transaction.atomic():
            TopicRanking.objects.get_or_create(tag=tag, defaults={"refreshed_at": timezone.now(), "stale": True})
            state = TopicRanking.objects.select_for_update().get(tag=tag)
            if not state.stale:
                continue  # another refresh got there first
            _store(tag, rank_people([tag]))
            state.stale = False
            state.refreshed_at = timezone.now()
            state.save(update_fields=["stale", "refreshed_at"])
        refreshed += 1
    return refreshed


def _store(tag, matches):
    TopicScore.objects.filter(tag=tag).delete()
    TopicScore.objects.bulk_create(
        TopicScore(
            user_id=match.user_id,
            tag=tag,
            score=match.score,
            evidence_points=match.evidence_points,
            level=match.best_level,
            level_rank=LEVEL_ORDER[match.best_level],
            can_help=bool(match.can_help),
            offers_help=bool(match.offer_topics),
            evidence={source.key: count for source, count, _topics in match.evidence},
            sort_name=match.profile.display_name.lower()[:200],
        )
        for match in matches
    )


def mark_stale(tag_ids) -> list[int]:
    """Mark these topics' kept scores out of date; returns those that were not already (a refresh for
    them is to be enqueued). Topics never worked out are left alone: they are worked out when read."""
    tag_ids = sorted(set(tag_ids))
    if not tag_ids:
        return []
    fresh = list(TopicRanking.objects.filter(tag_id__in=tag_ids, stale=False).values_list("tag_id", flat=True))
    if fresh:
        TopicRanking.objects.filter(tag_id__in=fresh, stale=False).update(stale=True)
    return fresh


def helpers_for(tag, *, directorate=None, volunteers_only=False, exclude_user_ids=(), limit=20) -> list[Match]:
    """The first ``limit`` people scoring above zero on one topic, best first, each with the reasons:
    the same list as ``rank_people([tag])``, read from the kept scores in a fixed number of queries."""
    if not TopicRanking.objects.filter(tag=tag).exists():
        refresh_topic_scores([tag.pk])  # first read of this topic
    rows = annotate_volunteering(
        TopicScore.objects.filter(tag=tag, user__is_active=True, user__profile__isnull=False).select_related(
            "user__profile__directorate"
        )
    )
    if directorate is not None:
        rows = rows.filter(user__profile__directorate=directorate)
    if volunteers_only:
        rows = rows.filter(volunteer_role__isnull=False)
    if exclude_user_ids:
        rows = rows.exclude(user_id__in=list(exclude_user_ids))
    rows = rows.order_by("-score", "-evidence_points", "-level_rank", "sort_name", "user_id")[:limit]
    sources = evidence_sources()
    return [_match_from(row, tag.name, sources) for row in rows]


def _match_from(row, name, sources) -> Match:
    profile = row.user.profile
    profile.user = row.user
    for attribute in ("volunteer_role", "volunteer_capacity", "volunteer_matched"):
        setattr(profile, attribute, getattr(row, attribute))
    match = Match(user_id=row.user_id, profile=profile, score=row.score, evidence_points=row.evidence_points)
    if row.level:
        match.levels[row.level].append(name)
    if row.can_help:
        match.can_help.append(name)
    if row.offers_help:
        match.offer_topics.append(name)
    match.evidence = [(source, row.evidence[source.key], name) for source in sources if source.key in row.evidence]
    return match


def who_can_help(tags, *, limit, **filters) -> list[Match]:
    """The first ``limit`` helpers on ``tags``: from the kept scores for one topic, ranked afresh for
    several (their evidence counts items carrying any of them, which per-topic rows cannot add up)."""
    tags = list(tags)
    if len(tags) == 1:
        return helpers_for(tags[0], limit=limit, **filters)
    return rank_people(tags, **filters)[:limit]


# --- buddy proposals --------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A volunteer who could take a buddy request, and why they fit."""

    match: Match
    overlap: list
    same_directorate: bool
    free_places: int

    @property
    def profile(self):
        return self.match.profile

    @property
    def why(self) -> str:
        parts = [f"offers help with {topic_phrase(self.overlap)}"]
        if self.same_directorate:
            parts.append("in your directorate")
        parts.append(f"{self.free_places} place{'s' if self.free_places != 1 else ''} free")
        parts += [reason for reason in self.match.reasons if not reason.startswith(("digital buddy", "digital amb"))]
        return ", ".join(parts)


def propose_volunteers(request: BuddyRequest, limit: int) -> list[Candidate]:
    """The best volunteers for a request who have not been suggested for it yet: an active offer on
    at least one of its topics, a free place, never the requester. Same directorate as the requester
    first, then the most topics in common, then the "who can help" score, then the most free places."""
    topics = list(request.topics.all())
    tag_ids = [tag.pk for tag in topics]
    already = set(request.proposals.values_list("volunteer_id", flat=True)) | {request.requester_id}
    offers = (
        HelpOffer.objects.active()
        .filter(topics__in=tag_ids)
        .exclude(user_id__in=already)
        .with_places()
        .filter(free_places__gt=0)
        .values_list("user_id", "free_places")
    )
    free = dict(offers)
    if not free:
        return []
    ranked = {match.user_id: match for match in rank_people(topics, user_ids=free)}
    home = Profile.objects.filter(user_id=request.requester_id).values_list("directorate_id", flat=True).first()
    candidates = []
    for user_id, match in ranked.items():
        overlap = sorted(match.offer_topics)
        if not overlap:
            continue
        same = home is not None and match.profile.directorate_id == home
        candidates.append(Candidate(match=match, overlap=overlap, same_directorate=same, free_places=free[user_id]))
    candidates.sort(
        key=lambda c: (not c.same_directorate, -len(c.overlap), -c.match.score, -c.free_places,
                       c.profile.display_name.lower())
    )  # fmt: skip
    return candidates[:limit]
