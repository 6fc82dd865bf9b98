from django import template

from ..models import BuddyRequest, HelpOffer, Level, Skill

register = template.Library()


@register.inclusion_tag("skills/includes/profile_skills_panel.html", takes_context=True)
def profile_skills(context, person, is_own=False):
    """The skills and volunteering part of a profile page (three queries)."""
    skills = list(Skill.objects.filter(user=person).select_related("tag").order_by("tag__name"))
    offer = HelpOffer.objects.filter(user=person).with_places().prefetch_related("topics").first()
    viewer = context["request"].user
    by_level = [
        {"level": level.label, "topics": [skill.tag for skill in skills if skill.level == level]}
        for level in (Level.EXPERT, Level.PRACTISING, Level.LEARNING)
    ]
    return {
        "request": context["request"],
        "person": person,
        "is_own": is_own,
        "by_level": [row for row in by_level if row["topics"]],
        "can_help": [skill.tag for skill in skills if skill.can_help],
        "want_to_learn": [skill.tag for skill in skills if skill.wants_to_learn],
        "offer": offer,
        "offer_active": offer is not None and offer.is_active,
        "can_ask": offer is not None and offer.is_active and offer.free_places > 0 and viewer.pk != person.pk,
        "topic_list": ", ".join(offer.topic_names()) if offer else "",
    }


@register.filter
def volunteer_role(code):
    """ "buddy" → "Digital buddy"."""
    return HelpOffer.Role(code).label if code in HelpOffer.Role.values else ""


@register.filter
def request_status_colour(status):
    return {
        BuddyRequest.Status.REQUESTED: "grey",
        BuddyRequest.Status.PROPOSED: "yellow",
        BuddyRequest.Status.ASKED: "blue",
        BuddyRequest.Status.ACCEPTED: "green",
        BuddyRequest.Status.DONE: "purple",
        BuddyRequest.Status.CANCELLED: "grey",
    }.get(status, "grey")
