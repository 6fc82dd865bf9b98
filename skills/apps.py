from django.apps import AppConfig

TAG_SECTION_SIZE = 5

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


def _who_can_help(tag, request):
    from .ranking import rank_people

    return rank_people([tag])[:TAG_SECTION_SIZE]


def _skills(request):
    from .models import Skill

    return Skill.objects.active().select_related("tag", "user__profile__directorate")


def _offers(request):
    from .models import HelpOffer

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
    from community.models import Profile

    from .models import HelpOffer, annotate_volunteering

    # One query: the newest active offers' people, with their role and free places.
    profiles = Profile.objects.filter(user__help_offer__in=HelpOffer.objects.active()).select_related(
        "user", "directorate"
    )
    return annotate_volunteering(profiles).order_by("-user__help_offer__created_at")[:5]


class SkillsConfig(AppConfig):
    name = "skills"
    verbose_name = "Skills and matching"

    def ready(self):
        from community.notifications import EventType, register_event_type
        from community.panels import HomePanel, register_home_panel
        from community.sitesearch import SearchType, register_search_type
        from community.tags import TagSection, register_tag_section

        from .models import HelpOffer, HelpOfferTopic, Skill
        from .ranking import QA_SOURCES, register_evidence_source

        for source in QA_SOURCES:
            register_evidence_source(source)
        register_home_panel(
            HomePanel(key="new-volunteers", title="New digital buddies and ambassadors", items=_new_volunteers,
                      template="skills/includes/home_volunteers.html", link="skills:offer",
                      link_text="Offer to help colleagues", order=50)
        )  # fmt: skip
        register_tag_section(
            TagSection(key="who-can-help", title="Who can help", items=_who_can_help,
                       template="skills/includes/tag_who_can_help.html", order=25)
        )  # fmt: skip
        register_search_type(
            SearchType(key="skills", label="Skills", model=Skill, queryset=_skills,
                       template="skills/includes/search_skill.html", snippet=_person_snippet, order=62)
        )  # fmt: skip
        register_search_type(
            SearchType(key="help-offers", label="Help offers", model=HelpOffer, queryset=_offers,
                       template="skills/includes/search_offer.html", snippet=_offer_snippet,
                       tag_model=HelpOfferTopic, order=64)
        )  # fmt: skip
        for key, label, name, order in EVENT_TYPES:
            template = f"skills/notifications/{name}.html"
            register_event_type(EventType(key=key, label=label, template=template, order=order))
