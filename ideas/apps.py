from django.apps import AppConfig

HOME_PANEL_SIZE = 5
TAG_SECTION_SIZE = 20
FEED_LENGTH = 30


def _ideas(queryset):
    return queryset.select_related("author__profile", "campaign").prefetch_related("tags")


def _trending_ideas(request):
    from .models import Idea

    # Only ideas still taking votes: the home page asks colleagues to join in.
    return _ideas(Idea.objects.listed().exclude(status__in=Idea.CLOSED_STATUSES).trending())[:HOME_PANEL_SIZE]


def _ideas_for_tag(tag, request):
    from .models import Idea

    return _ideas(Idea.objects.visible_to(request.user).listed().filter(tags=tag).top())[:TAG_SECTION_SIZE]


def _searchable_ideas(request):
    from .models import Idea

    # Merged ideas stay out of search and suggestions: their votes and comments are on the original.
    return Idea.objects.filter(merged_into__isnull=True)


def _snippet(idea):
    from community.sitesearch import plain_text

    return plain_text(idea.description_html)


def _visible_ideas(user):
    from .models import Idea

    return Idea.objects.visible_to(user)


def _feed_ideas(user, tag):
    from .models import Idea

    ideas = _ideas(Idea.objects.visible_to(user).listed())
    if tag is not None:
        ideas = ideas.filter(tags=tag)
    return ideas.newest()[:FEED_LENGTH]


def _author_name(idea):
    profile = getattr(idea.author, "profile", None)
    return profile.display_name if profile else idea.author.get_username()


EVENT_TYPES = [
    # key, digest heading, order
    ("ideas.new_idea", "New ideas", 30),
    ("ideas.status_changed", "Idea status changes", 31),
    ("ideas.new_comment", "New comments on ideas", 32),
    ("ideas.merged", "Ideas merged into others", 33),
]


def _implemented_idea_counts(tag_ids) -> dict[int, int]:
    """Skills evidence: ideas someone suggested that were implemented, per author, in one query."""
    from django.db.models import Count

    from .models import Idea

    rows = (
        Idea.objects.filter(status=Idea.Status.IMPLEMENTED, tagged_items__tag_id__in=tag_ids)
        .order_by()
        .values("author_id")
        .annotate(count=Count("pk", distinct=True))
    )
    return {row["author_id"]: row["count"] for row in rows}


class IdeasConfig(AppConfig):
    name = "ideas"
    verbose_name = "Ideas"

    def ready(self):
        from community.feeds import FeedSource, register_feed_source
        from community.follows import Followable, register_followable
        from community.notifications import EventType, register_event_type
        from community.panels import HomePanel, register_home_panel
        from community.sitesearch import SearchType, register_search_type
        from community.tags import TagSection, register_tag_section

        from . import signals  # noqa: F401  (connects the comment rules)
        from .models import Idea, IdeaTag

        register_tag_section(
            TagSection(key="ideas", title="Ideas", items=_ideas_for_tag, template="ideas/includes/tag_ideas.html",
                       order=20)
        )  # fmt: skip
        register_home_panel(
            HomePanel(key="trending-ideas", title="Trending ideas", items=_trending_ideas,
                      template="ideas/includes/home_ideas.html", link="ideas:index", link_text="See all ideas",
                      order=30)
        )  # fmt: skip
        register_search_type(
            SearchType(key="ideas", label="Ideas", model=Idea, queryset=_searchable_ideas,
                       template="ideas/includes/search_idea.html", snippet=_snippet, tag_model=IdeaTag, order=30)
        )  # fmt: skip
        register_followable(Followable(key="idea", model=Idea, label="Ideas", visible=_visible_ideas, order=30))
        for key, label, order in EVENT_TYPES:
            name = key.split(".", 1)[1]
            register_event_type(
                EventType(key=key, label=label, template=f"ideas/notifications/{name}.html", order=order)
            )
        register_feed_source(
            FeedSource(key="ideas", title="Ideas", items=_feed_ideas, item_title=lambda idea: idea.title,
                       item_description=lambda idea: idea.description_html, item_author=_author_name, model=Idea,
                       order=30)
        )  # fmt: skip
        from skills.ranking import EvidenceSource, register_evidence_source

        register_evidence_source(
            EvidenceSource(key="ideas.implemented", label="implemented idea", counts=_implemented_idea_counts,
                           weight=3, order=20)
        )  # fmt: skip
