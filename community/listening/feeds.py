"""Feeds (RSS 2.0 and Atom): each part of Confer offers its content as a ``FeedSource`` (the
``confer_feed_sources`` hook)."""

import re
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from taggit.models import Tag

from .. import hooks
from ..hooks import FeedSource
from ..sitesearch import search as sitesearch
from .models import ListeningPreferences

FEED_LENGTH = 30

# Characters XML 1.0 cannot carry at all, not even escaped: C0 controls other than tab, line feed
# and carriage return, lone surrogates and U+FFFE/U+FFFF. One form feed pasted from Word into a
# post made every feed holding it fail for everyone, so feeds drop them (docs/traps.md).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    return NOT_XML.sub("", text) if isinstance(text, str) else text


def feed_sources() -> list[FeedSource]:
    return hooks.registered(hooks.FEED_SOURCES)


def get_feed_source(key: str) -> FeedSource | None:
    return hooks.find(hooks.FEED_SOURCES, key)


# --- the feeds ------------------------------------------------------------------------------------


class ConferFeed(Feed):
    """RSS 2.0 feed of one kind of content, one tag, or one saved search, as one person sees it.

    The intranet is behind login and feed readers cannot sign in, so the address carries that
    person's secret feed token (``ListeningPreferences.feed_token``); a wrong or revoked token is
    a plain 404 that says nothing about what exists.
    """

    feed_type = Rss201rev2Feed

    def get_object(self, request, token, kind, value=""):
        preferences = (
            ListeningPreferences.objects.select_related("user").filter(feed_token=token, user__is_active=True).first()
        )
        if preferences is None or not token:
            raise Http404("No such feed")
        # Everything below sees what this person may see, and nothing more.
        request.user = preferences.user
        if kind == "tag":
            tag = Tag.objects.filter(slug=value).first()
            if tag is None:
                raise Http404("No such tag")
            return FeedSelection(
                request, "tag", tag=tag, title=f"Confer: {tag.name}", link=reverse("tag", args=[tag.slug])
            )
        if kind == "search":
            query = sitesearch.clean_query(request.GET.get("q"))
            if not query:
                raise Http404("A search feed needs a query")
            link = f"{reverse('search')}?{urlencode({'q': query})}"
            return FeedSelection(request, "search", query=query, title=f"Confer: search for “{query}”", link=link)
        source = get_feed_source(value)
        if source is None:
            raise Http404("No such feed")
        return FeedSelection(request, "source", source=source, title=f"Confer: {source.title.lower()}", link="/")

    def title(self, selection):
        return xml_safe(selection.title)

    def link(self, selection):
        return selection.link

    def description(self, selection):
        return xml_safe(f"{selection.title}, newest first.")

    def items(self, selection):
        return selection.entries()

    def item_title(self, entry):
        return xml_safe(entry.title)

    def item_description(self, entry):
        return xml_safe(entry.description)

    def item_link(self, entry):
        return entry.link

    def item_guid(self, entry):
        return entry.guid

    item_guid_is_permalink = False

    def item_pubdate(self, entry):
        return entry.pubdate

    def item_author_name(self, entry):
        return xml_safe(entry.author) or None

    def item_categories(self, entry):
        return [xml_safe(category) for category in entry.categories]


class ConferAtomFeed(ConferFeed):
    feed_type = Atom1Feed
    subtitle = ConferFeed.description


@dataclass
class FeedEntry:
    title: str
    description: str
    link: str
    guid: str
    pubdate: object
    author: str
    categories: list


class FeedSelection:
    """What one feed shows: newest items first, from every source that matches."""

    def __init__(self, request, kind, *, source=None, tag=None, query="", title="", link=""):
        self.request, self.kind, self.source, self.tag, self.query = request, kind, source, tag, query
        self.title, self.link = title, link

    def entries(self) -> list[FeedEntry]:
        if self.kind == "search":
            return self._search_entries()
        sources = [self.source] if self.source is not None else feed_sources()
        entries = []
        for source in sources:
            entries += [self._entry(source, item) for item in source.items(self.request.user, self.tag)]
        entries.sort(key=lambda entry: entry.pubdate, reverse=True)
        return entries[:FEED_LENGTH]

    def _search_entries(self) -> list[FeedEntry]:
        by_model = {source.model: source for source in feed_sources() if source.model is not None}
        entries = []
        for search_type in sitesearch.search_types():
            source = by_model.get(search_type.model)
            results = sitesearch.run_search(self.query, search_type, self.request)
            for item in list(results[:FEED_LENGTH]):
                if source is not None:
                    entries.append(self._entry(source, item))
                else:
                    link = sitesearch.link_for(item)
                    entries.append(self._plain_entry(search_type, item, link))
        entries.sort(key=lambda entry: entry.pubdate, reverse=True)
        return entries[:FEED_LENGTH]

    def _entry(self, source: FeedSource, item) -> FeedEntry:
        link = item.get_absolute_url()
        return FeedEntry(
            title=source.item_title(item),
            description=source.item_description(item),
            link=link,
            guid=f"{settings.SITE_URL}{link}",
            pubdate=source.item_pubdate(item),
            author=source.item_author(item),
            categories=[tag.name for tag in item.tags.all()] if hasattr(item, "tags") else [],
        )

    def _plain_entry(self, search_type, item, link) -> FeedEntry:
        pubdate = (
            getattr(item, "created_at", None)
            or getattr(item, "first_published_at", None)
            or getattr(item, "last_published_at", None)
            or timezone.now()
        )
        return FeedEntry(
            title=f"{search_type.label}: {link['title']}",
            description=str(sitesearch.highlight(search_type.snippet(item), "")),
            link=link["url"],
            guid=f"{settings.SITE_URL}{link['url']}",
            pubdate=pubdate,
            author="",
            categories=[],
        )
