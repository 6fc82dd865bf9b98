"""The page types every Confer site has: the home page with its live panels, plain content pages,
and the buddy-network page. Workshop pages live in ``community.workshops``.

Parts of Confer add panels to the home page and volunteers to buddy-network pages through hooks
(``community.hooks``), so these pages never import them.
"""

from django.core.paginator import Paginator
from django.db import models
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from . import hooks
from .blocks import BodyBlock
from .profiles.models import Directorate, Profile

__all__ = ["BuddyNetworkPage", "HomePage", "StandardPage", "StandardPageTag"]

VOLUNTEERS_PER_PAGE = 24


class HomePage(Page):
    """The site root: an editable introduction above live panels."""

    intro = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["profile"] = Profile.for_user(request.user)
        context["new_colleagues"] = (
            Profile.objects.active()
            .select_related("user", "directorate")
            .exclude(user=request.user)
            .order_by("-created_at", "-id")[:5]
        )
        # What is for this person (their questions' answers, their places, what they follow) comes
        # first, right under the search box and "Ask a question"; then what is new everywhere.
        # A panel with nothing to show and ``hide_when_empty`` is left out.
        shown = []
        for panel in hooks.registered(hooks.HOME_PANELS):
            items = list(panel.items(request))
            if items or not panel.hide_when_empty:
                shown.append({"panel": panel, "items": items})
        context["personal_panels"] = [entry for entry in shown if entry["panel"].personal]
        context["panels"] = [entry for entry in shown if not entry["panel"].personal]
        return context


class StandardPageTag(TaggedItemBase):
    content_object = ParentalKey("StandardPage", on_delete=models.CASCADE, related_name="tagged_items")


class StandardPage(Page):
    """A plain content page the digital team writes: guidance, news, how-tos."""

    summary = models.CharField(max_length=250, blank=True, help_text="One or two sentences for lists and search.")
    body = StreamField(BodyBlock(), blank=True)
    tags = ClusterTaggableManager(through=StandardPageTag, blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("body"), FieldPanel("tags")]
    search_fields = Page.search_fields + [
        index.SearchField("summary", boost=2),
        index.SearchField("body"),
        index.RelatedFields("tags", [index.SearchField("name", boost=2)]),
    ]
    parent_page_types = ["community.HomePage", "community.StandardPage"]


# --- the buddy network ----------------------------------------------------------------------------


def buddy_volunteers(directorate: Directorate | None = None, topic: str = ""):
    """The colleagues a buddy-network page lists (none until a part registers a volunteer list)."""
    source = next(iter(hooks.registered(hooks.VOLUNTEER_LISTS)), None)
    if source is None:
        return Profile.objects.none()
    return source.people(directorate, topic or None)


def buddy_topics() -> list[str]:
    """Topics people can filter the buddy network by: the shared tag vocabulary."""
    return list(Tag.objects.order_by("name").values_list("name", flat=True)[:300])


class BuddyNetworkPage(Page):
    """An editorial introduction to a volunteer network, above a live list of the volunteers."""

    summary = models.CharField(max_length=250, blank=True, help_text="One or two sentences for lists and search.")
    intro = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + [FieldPanel("summary"), FieldPanel("intro")]
    search_fields = Page.search_fields + [index.SearchField("summary", boost=2), index.SearchField("intro")]
    parent_page_types = ["community.HomePage", "community.StandardPage"]
    subpage_types = []

    class Meta:
        verbose_name = "buddy network page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        directorate_slug = request.GET.get("directorate", "")[:100]
        topic = " ".join(request.GET.get("topic", "").split())[:50]
        directorate = Directorate.objects.filter(slug=directorate_slug).first() if directorate_slug else None
        if directorate_slug and directorate is None:
            volunteers = Profile.objects.none()
        else:
            volunteers = buddy_volunteers(directorate, topic)
        context.update(
            {
                "volunteers": Paginator(volunteers, VOLUNTEERS_PER_PAGE).get_page(request.GET.get("page")),
                "directorates": Directorate.objects.all(),
                "selected_directorate": directorate_slug,
                "topic": topic,
                "topics": buddy_topics(),
                "filtered": bool(directorate_slug or topic),
                "card_template": next(
                    (source.card_template for source in hooks.registered(hooks.VOLUNTEER_LISTS)), ""
                ),
            }
        )
        return context
