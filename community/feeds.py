"""Feeds (RSS 2.0 and Atom): each part of Confer registers the content it offers as a ``FeedSource``."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FeedSource:
    """A kind of content offered as feeds.

    ``items(user, tag)`` returns the newest items that person may see, optionally only those with
    ``tag`` (a taggit Tag or None), newest first, at most ``FEED_LENGTH``. Each item needs
    ``get_absolute_url()``; the other callables turn an item into the feed entry's parts.
    """

    key: str
    title: str
    items: Callable  # (user, tag) -> iterable
    item_title: Callable = str
    item_description: Callable = lambda item: ""  # HTML, already sanitised
    item_pubdate: Callable = lambda item: item.created_at
    item_author: Callable = lambda item: ""
    order: int = 100


FEED_LENGTH = 30

_sources: dict[str, FeedSource] = {}


def register_feed_source(source: FeedSource) -> None:
    _sources[source.key] = source


def feed_sources() -> list[FeedSource]:
    return sorted(_sources.values(), key=lambda source: source.order)


def get_feed_source(key: str) -> FeedSource | None:
    return _sources.get(key)
