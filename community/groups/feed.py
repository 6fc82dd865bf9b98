"""A community's live feed: the questions, ideas, workshops (and anything else registered with the
``confer_community_feed`` hook) posted into it or carrying one of its tags, newest first, paged by
date ("Older" carries the date of the last item shown), so a page costs the same however much the
community holds: each source reads at most one page from an index."""

import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from .. import hooks
from ..hooks import CommunityFeedSource

FEED_PAGE = 20


def sources() -> list[CommunityFeedSource]:
    return hooks.registered(hooks.COMMUNITY_FEED)


def parse_before(value: str) -> datetime.datetime | None:
    """The "Older" link's date, or None (the newest) when missing or not a date."""
    try:
        before = parse_datetime((value or "")[:40].replace(" ", "+"))
    except ValueError:
        return None
    if before is not None and timezone.is_naive(before):
        before = timezone.make_aware(before, datetime.UTC)
    return before


def page(community, viewer, before=None, limit: int = FEED_PAGE):
    """One page of the feed: ([(source key, item)], the ``before`` value of the next page or None)."""
    found = []
    for source in sources():
        found.extend((source.key, item) for item in source.items(community, viewer, before, limit + 1))
    found.sort(key=lambda pair: (pair[1].date, pair[1].pk or 0), reverse=True)
    items = found[:limit]
    older = items[-1][1].date.isoformat() if len(found) > limit else None
    return items, older


def pinned(community, viewer, pins):
    """The pinned posts ``viewer`` may see, newest pin first, each as (pin, item)."""
    by_kind: dict[str, list] = {}
    for pin in pins:
        by_kind.setdefault(pin.kind, []).append(pin)
    shown = []
    for source in sources():
        kind_pins = by_kind.get(source.key)
        if not kind_pins or source.pinned is None:
            continue
        items = {item.pk: item for item in source.pinned(community, viewer, [pin.object_id for pin in kind_pins])}
        shown.extend((pin, items[pin.object_id]) for pin in kind_pins if pin.object_id in items)
    shown.sort(key=lambda pair: pair[0].pinned_at, reverse=True)
    return shown
