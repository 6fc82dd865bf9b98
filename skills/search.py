"""Skills and help offers in the ranked search list: each stands for its person, weighted so
that experts and volunteers come before learners, with the reason shown on the result
(docs/search.md)."""

from community.hooks import Found
from community.sitesearch import search as sitesearch
from community.sitesearch import semantic

from .models import Level

# How much a matching skill counts for its person, against a help offer on the topic (1.0).
SKILL_WEIGHTS = {Level.EXPERT: 1.0, Level.PRACTISING: 0.75, Level.LEARNING: 0.3}
LEVEL_PHRASES = {Level.EXPERT: "Expert in {topic}", Level.PRACTISING: "Practising {topic}",
                 Level.LEARNING: "Learning {topic}"}  # fmt: skip
CAN_HELP_WEIGHT = 0.8  # "can help with" and no level
WANTS_TO_LEARN_WEIGHT = 0.2


def _skill_weight_and_reason(skill) -> tuple[float, str]:
    topic = skill.tag.name
    if skill.level:
        weight = SKILL_WEIGHTS[skill.level]
        if skill.can_help and skill.level != Level.EXPERT:
            weight = max(weight, CAN_HELP_WEIGHT)
        reason = LEVEL_PHRASES[skill.level].format(topic=topic)
        return weight, f"{reason}, can help with it" if skill.can_help else reason
    if skill.can_help:
        return CAN_HELP_WEIGHT, f"Can help with {topic}"
    return WANTS_TO_LEARN_WEIGHT, f"Wants to learn {topic}"


def skill_text(skill) -> str:
    return f"{skill.tag.name}: {skill.summary()}"


def offer_text(offer) -> str:
    return f"{offer.get_role_display()}, helps with {', '.join(offer.topic_names())}. {offer.availability}"


def resolve_skills(skills, request) -> list:
    found = []
    for skill in skills:
        profile = getattr(skill.user, "profile", None)
        if profile is None:
            found.append(None)
            continue
        weight, reason = _skill_weight_and_reason(skill)
        found.append(Found("people", profile, weight=weight, reason=reason))
    return found


def resolve_offers(offers, request) -> list:
    found = []
    for offer in offers:
        profile = getattr(offer.user, "profile", None)
        if profile is None:
            found.append(None)
            continue
        topics = ", ".join(offer.topic_names())
        found.append(Found("people", profile, reason=f"{offer.get_role_display()}: helps with {topics}"))
    return found


TOPIC_MIN_SIMILARITY = 0.4  # a skill this close in meaning to what was typed names its topic
MEANING_TOPICS = 3


def topics_by_meaning(query: str, request) -> list:
    """The topics (tags) of the skills and help offers nearest in meaning to ``query``, best first:
    "who can help with X" when X is not the name of a topic. Empty without semantic search."""
    topics = []
    for key in ("skills", "help-offers"):
        search_type = sitesearch.get_search_type(key)
        if search_type is None:
            continue
        for item, _ in semantic.neighbours(query, search_type, request, k=20, min_similarity=TOPIC_MIN_SIMILARITY):
            for tag in [item.tag] if hasattr(item, "tag") else item.topics.all():
                if tag not in topics:
                    topics.append(tag)
    return topics[:MEANING_TOPICS]
