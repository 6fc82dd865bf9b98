"""What the listening post adds to the rest of Confer: its notifications (and their digest
headings), items in the site search, on tag pages and in the feeds of communities with the same
tags, and items as something to follow (the people who comment on one hear about the next comment)."""

from django.contrib.auth.models import Permission
from wagtail import hooks

from .. import hooks as confer_hooks
from ..hooks import CommunityFeedSource, CommunityItem, EventType, Followable, SearchType, TagSection
from .models import ListeningItem, ListeningSource

TAG_SECTION_SIZE = 10

EVENT_TYPES = [
    # key, digest heading, order
    ("listening.match", "Heard by your watches on the listening post", 60),
    ("listening.shared", "Shared with you from the listening post", 61),
    ("listening.new_comment", "New comments on listening post items", 62),
]


def _newest_heard(sources, limit, before=None):
    """The newest items of ``sources`` (at most 20 of them), newest first: read source by source in
    the order of an index (community_litem_source_newest), then merged. A tag has few sources."""
    items = []
    for source_id in sources.filter(active=True).values_list("pk", flat=True)[:20]:
        heard = ListeningItem.objects.filter(source_id=source_id)
        if before is not None:
            heard = heard.filter(published_at__lt=before)
        items += list(heard.select_related("source").newest()[:limit])
    items.sort(key=lambda item: (item.published_at, item.pk), reverse=True)
    return items[:limit]


def _items_for_tag(tag, request):
    return _newest_heard(tag.listening_sources.all(), TAG_SECTION_SIZE)


def _community_item(item):
    return CommunityItem(date=item.published_at, kind=f"Heard outside: {item.source.name}", title=item.title,
                         url=item.get_absolute_url(), snippet=_snippet(item)[:200], pk=item.pk)  # fmt: skip


def _community_items(community, viewer, before, limit):
    # What the sources carrying the community's tags heard, as on a tag page.
    tag_ids = [tag.pk for tag in community.tags.all()]
    if not tag_ids:
        return []
    sources = ListeningSource.objects.filter(tags__in=tag_ids).distinct()
    return [_community_item(item) for item in _newest_heard(sources, limit, before)]


def _pinned_items(community, viewer, ids):
    return [_community_item(item) for item in ListeningItem.objects.filter(pk__in=ids).select_related("source")]


def _searchable_items(request):
    return ListeningItem.objects.select_related("source")


def _snippet(item):
    return item.summary_text[:300]


@hooks.register(confer_hooks.EVENT_TYPES)
def listening_post_event_types():
    return [
        EventType(key=key, label=label, template=f"community/notifications/{key.replace('.', '_')}.html", order=order)
        for key, label, order in EVENT_TYPES
    ]


@hooks.register(confer_hooks.SEARCH_TYPES)
def listening_items_search_type():
    return SearchType(key="listening", label="Heard outside", model=ListeningItem, queryset=_searchable_items,
                      template="community/includes/search_listening_item.html", snippet=_snippet, order=95,
                      weight=0.6, embed_text=lambda item: f"{item.title}. {_snippet(item)}")  # fmt: skip


@hooks.register(confer_hooks.TAG_SECTIONS)
def listening_tag_section():
    return TagSection(key="listening", title="Heard outside (listening post)", items=_items_for_tag,
                      template="community/includes/tag_listening_items.html", order=95)  # fmt: skip


@hooks.register(confer_hooks.COMMUNITY_FEED)
def listening_community_feed():
    return CommunityFeedSource(key="listening", label="Heard outside", items=_community_items,
                               pinned=_pinned_items, order=40)  # fmt: skip


@hooks.register(confer_hooks.FOLLOWABLES)
def listening_item_followable():
    return Followable(key="listening-item", model=ListeningItem, label="Listening post items",
                      visible=lambda user: ListeningItem.objects.all(), order=95)  # fmt: skip


@hooks.register("register_permissions")
def listening_post_permissions():
    """Adding sources and running exercises, offered in the admin's group editor for any group."""
    codenames = [codename for codename, _ in ListeningSource._meta.permissions]
    return Permission.objects.filter(content_type__app_label="community", codename__in=codenames)


# Sources, items, watches, shares and exercises load after accounts and tags and before questions
# and ideas, which may point at the item they were made from.
@hooks.register(confer_hooks.CONTENT_EXPORTS)
def listening_post_content_exports():
    return confer_hooks.ContentExport(
        key="listening-post",
        models=("community.ListeningSource", "community.ListeningItem", "community.Watch", "community.WatchMatch",
                "community.ListeningExercise", "community.ItemShare"),
        order=35,
    )  # fmt: skip
