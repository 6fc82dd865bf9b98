"""What ideas add to the rest of Confer: tag pages, the home page, site search, follows,
notifications and feeds read these through community.hooks; the core never imports ideas."""

from django.contrib.auth.models import Permission
from django.db.models import Count
from django.urls import reverse
from wagtail import hooks

from community import hooks as confer_hooks
from community.hooks import (
    CommunityFeedSource,
    CommunityItem,
    EventType,
    FeedSource,
    Followable,
    HomePanel,
    Moderatable,
    SearchType,
    TagSection,
)
from community.markdown import plain_text
from community.names import display_name

from .models import Campaign, Idea, IdeaTag

HOME_PANEL_SIZE = 5
HOME_CAMPAIGNS = 3
TAG_SECTION_SIZE = 20
FEED_LENGTH = 30


def _ideas(queryset):
    return queryset.select_related("author__profile", "campaign").prefetch_related("tags")


def _trending_ideas(request):
    # Only ideas still taking votes: the home page asks colleagues to join in.
    return _ideas(Idea.objects.listed().exclude(status__in=Idea.CLOSED_STATUSES).trending())[:HOME_PANEL_SIZE]


def _open_campaigns(request):
    # Campaigns are few (a handful a year), so closing soonest first costs a scan of a small table.
    return Campaign.objects.open().with_idea_count().order_by("closes_at", "pk")[:HOME_CAMPAIGNS]


def _ideas_for_tag(tag, request):
    return _ideas(Idea.objects.visible_to(request.user).listed().filter(tags=tag).top())[:TAG_SECTION_SIZE]


def _searchable_ideas(request):
    # Merged ideas stay out of search and suggestions: their votes and comments are on the original.
    # Hidden ones too: only their author and moderators may open them; and withdrawn ones.
    return Idea.objects.listed()


def _snippet(idea):
    return plain_text(idea.description_html)


def _visible_ideas(user):
    return Idea.objects.visible_to(user)


def _feed_ideas(user, tag):
    ideas = _ideas(Idea.objects.visible_to(user).listed())
    if tag is not None:
        ideas = ideas.filter(tags=tag)
    return ideas.newest()[:FEED_LENGTH]


def _author_name(idea):
    return display_name(idea.author)


EVENT_TYPES = [
    # key, digest heading, order
    ("ideas.new_idea", "New ideas", 30),
    ("ideas.status_changed", "Idea status changes", 31),
    ("ideas.new_comment", "New comments on ideas", 32),
    ("ideas.merged", "Ideas merged into others", 33),
    ("ideas.unmerged", "Merges of ideas undone", 34),
]


@hooks.register(confer_hooks.TAG_SECTIONS)
def ideas_tag_section():
    return TagSection(key="ideas", title="Ideas", items=_ideas_for_tag, template="ideas/includes/tag_ideas.html",
                      order=20)  # fmt: skip


@hooks.register(confer_hooks.HOME_PANELS)
def open_campaigns_panel():
    return HomePanel(key="open-campaigns", title="Open campaigns: have your say", items=_open_campaigns,
                     template="ideas/includes/home_campaigns.html", link="ideas:campaigns",
                     link_text="All campaigns", order=7, personal=True, hide_when_empty=True)  # fmt: skip


@hooks.register(confer_hooks.HOME_PANELS)
def trending_ideas_panel():
    return HomePanel(key="trending-ideas", title="Trending ideas", items=_trending_ideas,
                     template="ideas/includes/home_ideas.html", link="ideas:index", link_text="See all ideas",
                     order=30)  # fmt: skip


@hooks.register(confer_hooks.SEARCH_TYPES)
def ideas_search_type():
    return SearchType(key="ideas", label="Ideas", model=Idea, queryset=_searchable_ideas,
                      template="ideas/includes/search_idea.html", snippet=_snippet, tag_model=IdeaTag,
                      order=30, weight=0.8,
                      embed_text=lambda idea: f"{idea.title}. {_snippet(idea)}")  # fmt: skip


@hooks.register(confer_hooks.FOLLOWABLES)
def idea_followable():
    return Followable(key="idea", model=Idea, label="Ideas", visible=_visible_ideas, order=30)


@hooks.register(confer_hooks.EVENT_TYPES)
def idea_event_types():
    return [
        EventType(key=key, label=label, template=f"ideas/notifications/{key.split('.', 1)[1]}.html", order=order)
        for key, label, order in EVENT_TYPES
    ]


@hooks.register(confer_hooks.FEED_SOURCES)
def ideas_feed():
    return FeedSource(key="ideas", title="Ideas", items=_feed_ideas, item_title=lambda idea: idea.title,
                      item_description=lambda idea: idea.description_html, item_author=_author_name, model=Idea,
                      order=30)  # fmt: skip


@hooks.register("register_permissions")
def ideas_role_permissions():
    """The powers over ideas (Idea's and Campaign's Meta), offered in the admin's group editor so they
    can be given to any group."""
    codenames = [codename for model in (Idea, Campaign) for codename, _ in model._meta.permissions]
    return Permission.objects.filter(content_type__app_label="ideas", codename__in=codenames)


@hooks.register(confer_hooks.CONTENT_EXPORTS)
def ideas_content_exports():
    return confer_hooks.ContentExport(
        key="ideas",
        models=("ideas.Campaign", "ideas.Idea", "ideas.IdeaTag", "ideas.IdeaMerge", "ideas.Vote", "ideas.StatusChange",
                "ideas.MergedVote", "ideas.IdeaBenefit", "ideas.IdeaRevision"),
        order=50,
    )  # fmt: skip


# --- ideas in the moderation queue (community.moderation) ---------------------------------------------


def _hidden_ideas(author_ids):
    rows = Idea.objects.filter(author_id__in=author_ids, is_hidden=True).values("author_id")
    return {row["author_id"]: row["n"] for row in rows.annotate(n=Count("pk"))}


@hooks.register(confer_hooks.MODERATABLES)
def idea_moderatable():
    return Moderatable(
        key="idea",
        label="idea",
        model=Idea,
        template="moderation/includes/idea.html",
        load=lambda pks: Idea.objects.select_related("author__profile").in_bulk(pks),
        author=lambda idea: idea.author,
        is_hidden=lambda idea: idea.is_hidden,
        hide=lambda idea, by, **how: idea.hide(by, **how),
        summary=lambda idea: idea.title,
        public_url=lambda idea: reverse("ideas:index"),
        hidden_counts=_hidden_ideas,
        visible_to=lambda idea, user: idea.is_visible_to(user),
        order=30,
    )


@hooks.register(confer_hooks.PROFILE_ACTIVITY)
def ideas_profile_activity():
    from .activity import idea_activity

    return confer_hooks.ProfileActivity(key="ideas", items=idea_activity, order=30)


# --- communities -----------------------------------------------------------------------------------


def _community_item(idea):
    return CommunityItem(date=idea.created_at, kind="Idea", title=idea.title, url=idea.get_absolute_url(),
                         snippet=plain_text(idea.description_html)[:200], pk=idea.pk)  # fmt: skip


def _community_ideas(community, viewer, before, limit):
    tag_ids = [tag.pk for tag in community.tags.all()]
    return [_community_item(idea) for idea in Idea.objects.in_community(community, tag_ids, viewer, before, limit)]


def _pinned_ideas(community, viewer, ids):
    ideas = Idea.objects.visible_to(viewer).filter(pk__in=ids, is_hidden=False, withdrawn_at__isnull=True)
    return [_community_item(idea) for idea in ideas]


@hooks.register(confer_hooks.COMMUNITY_FEED)
def community_ideas():
    return CommunityFeedSource(key="ideas", label="Ideas", items=_community_ideas, pinned=_pinned_ideas, order=20)
