"""What skills adds to the rest of Confer: "who can help" on tag pages, new volunteers on the home
page, skills and help offers in site search, volunteers on buddy-network pages, skills on profile
pages, its notifications; and the evidence the ranking counts, pulled from Q&A, ideas and
workshops (skills/evidence.py)."""

from wagtail import hooks

from community import hooks as confer_hooks
from community.hooks import EventType, HomePanel, ProfileSection, SearchType, TagSection, VolunteerList
from community.profiles.models import Profile

from . import evidence, search
from .models import HelpOffer, HelpOfferTopic, Skill, active_volunteers, annotate_volunteering
from .ranking import EVIDENCE_HOOK, EvidenceSource, helpers_for

EVENT_TYPES = [
    # key, digest heading, template name, order
    ("skills.buddy_request", "Requests to be someone's buddy", "buddy_request", 70),
    ("skills.buddy_accepted", "Buddy requests accepted", "buddy_accepted", 71),
    ("skills.buddy_declined", "Buddy requests declined", "buddy_declined", 72),
    ("skills.buddy_no_reply", "Buddy requests with no reply", "buddy_no_reply", 73),
    ("skills.buddy_proposed", "Volunteers free to help you", "buddy_proposed", 74),
    ("skills.buddy_reminder", "Buddy requests waiting for your reply", "buddy_reminder", 75),
    ("skills.buddy_withdrawn", "Buddy requests withdrawn", "buddy_withdrawn", 76),
    ("skills.buddy_done", "Buddy matches marked as done", "buddy_done", 77),
    ("skills.question_routed", "Questions waiting for someone like you", "question_routed", 78),
    ("skills.buddy_full", "Volunteers you asked who are now fully booked", "buddy_full", 79),
]

TAG_SECTION_SIZE = 5


def _who_can_help(tag, request):
    return helpers_for(tag, limit=TAG_SECTION_SIZE)


def _skills(request):
    return Skill.objects.active().select_related("tag", "user__profile__directorate")


def _offers(request):
    return HelpOffer.objects.active().select_related("user__profile__directorate").prefetch_related("topics")


def _person_snippet(obj):
    profile = getattr(obj.user, "profile", None)
    if profile is None:
        return ""
    parts = (profile.job_title, getattr(profile.directorate, "name", ""), profile.team)
    return " · ".join(part for part in parts if part)


def _offer_snippet(offer):
    return offer.availability or _person_snippet(offer)


def _new_volunteers(request):
    # One query: the newest active offers' people, with their role and free places.
    profiles = Profile.objects.filter(user__help_offer__in=HelpOffer.objects.active()).select_related(
        "user", "directorate"
    )
    return annotate_volunteering(profiles).order_by("-user__help_offer__created_at")[:5]


@hooks.register(EVIDENCE_HOOK)
def confer_evidence():
    return [
        EvidenceSource(key="qa.accepted", label="accepted answer", counts=evidence.accepted_answer_counts,
                       weight=3, order=10),
        EvidenceSource(key="qa.verified", label="verified answer", counts=evidence.verified_answer_counts,
                       weight=4, order=11),
        EvidenceSource(key="ideas.implemented", label="implemented idea", counts=evidence.implemented_idea_counts,
                       weight=3, order=20),
        EvidenceSource(key="workshops.hosted", label="workshop run", plural="workshops run",
                       counts=evidence.hosted_workshop_counts, weight=3, order=30),
        EvidenceSource(key="workshops.attended", label="workshop attended", plural="workshops attended",
                       counts=evidence.attended_workshop_counts, weight=1, order=31),
    ]  # fmt: skip


@hooks.register(confer_hooks.HOME_PANELS)
def new_volunteers_panel():
    return HomePanel(key="new-volunteers", title="New digital buddies and ambassadors", items=_new_volunteers,
                     template="skills/includes/home_volunteers.html", link="skills:offer",
                     link_text="Offer to help colleagues", order=50)  # fmt: skip


@hooks.register(confer_hooks.TAG_SECTIONS)
def who_can_help_tag_section():
    return TagSection(key="who-can-help", title="Who can help", items=_who_can_help,
                      template="skills/includes/tag_who_can_help.html", order=25)  # fmt: skip


@hooks.register(confer_hooks.SEARCH_TYPES)
def skills_search_types():
    return [
        # Shown as their people, under People, with the skill or offer as the reason.
        SearchType(key="skills", label="Skills", model=Skill, queryset=_skills,
                   template="skills/includes/search_skill.html", snippet=_person_snippet, order=62,
                   facet="people", resolve=search.resolve_skills, embed_text=search.skill_text),
        SearchType(key="help-offers", label="Help offers", model=HelpOffer, queryset=_offers,
                   template="skills/includes/search_offer.html", snippet=_offer_snippet,
                   tag_model=HelpOfferTopic, order=64, facet="people", resolve=search.resolve_offers,
                   embed_text=search.offer_text),
    ]  # fmt: skip


@hooks.register(confer_hooks.EVENT_TYPES)
def skills_event_types():
    return [
        EventType(key=key, label=label, template=f"skills/notifications/{name}.html", order=order)
        for key, label, name, order in EVENT_TYPES
    ]


@hooks.register(confer_hooks.VOLUNTEER_LISTS)
def buddy_network_volunteers():
    return VolunteerList(key="volunteers", people=lambda directorate, topic: active_volunteers(directorate, topic),
                         card_template="skills/includes/person_card.html")  # fmt: skip


@hooks.register(confer_hooks.PROFILE_SECTIONS)
def profile_skills_section():
    return ProfileSection(key="skills", template="skills/includes/profile_skills.html")


@hooks.register(confer_hooks.CONTENT_EXPORTS)
def skills_content_exports():
    return confer_hooks.ContentExport(
        key="skills",
        models=("skills.Skill", "skills.HelpOffer", "skills.HelpOfferTopic", "skills.BuddyRequest",
                "skills.BuddyRequestTopic", "skills.BuddyProposal", "skills.QuestionRoute"),
        order=60,
        left_out=(("skills.TopicScore", "derived: each topic's scores are worked out again when first read"),
                  ("skills.TopicRanking", "derived: says when a topic's scores were last worked out")),
    )  # fmt: skip
