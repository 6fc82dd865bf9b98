"""A person's recent activity on their profile: what they asked, answered, proposed, commented and
hosted, newest first, from every part that registers a ``ProfileActivity`` (``confer_profile_activity``).

Each source reads at most one page of its own items, newest first, in the order of an index on
(author, date), so a page costs the same few queries however much a person wrote; the page is the
newest ``limit`` of them all. "Older activity" links carry the date of the last item shown
(``?before=``): keyset paging, never a count or an offset. Two items stamped with the very same
microsecond on either side of a page break could be passed over; nothing else is.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.text import Truncator

from .. import hooks
from ..hooks import ActivityBatch, ActivityItem
from ..markdown import plain_text

PAGE_SIZE = 15
SNIPPET_CHARS = 160
BAD_CURSOR = "That link to older activity is not right, so the newest activity is shown."


def snippet(html: str) -> str:
    """A line of a post, from its stored HTML."""
    return Truncator(plain_text(html or "")).chars(SNIPPET_CHARS)


@dataclass(frozen=True)
class ActivityPage:
    items: list[ActivityItem]
    older: datetime.datetime | None  # the ``before`` of the next page; None on the last page

    @property
    def older_param(self) -> str:
        return self.older.isoformat() if self.older else ""


def parse_before(value: str | None) -> tuple[datetime.datetime | None, str]:
    """The ``before`` of an "Older activity" link, and an error message if it is not a date."""
    if not value:
        return None, ""
    try:
        when = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None, BAD_CURSOR
    if timezone.is_naive(when):
        when = timezone.make_aware(when, datetime.UTC)
    return when, ""


def recent_activity(person, viewer, before=None, limit: int = PAGE_SIZE) -> ActivityPage:
    """The newest ``limit`` things ``person`` did before ``before`` that ``viewer`` may see."""
    items: list[ActivityItem] = []
    complete_to = None  # the page may not reach below this: a source read no further
    for source in hooks.registered(hooks.PROFILE_ACTIVITY):
        got = source.items(person, viewer, before, limit)
        if isinstance(got, ActivityBatch):
            read_to, got = got.complete_to, list(got.items)
        else:
            got = list(got)
            read_to = got[-1].date if len(got) >= limit else None
        if read_to is not None and (complete_to is None or read_to > complete_to):
            complete_to = read_to
        items.extend(got)
    items.sort(key=lambda item: item.date, reverse=True)
    if complete_to is not None:
        items = [item for item in items if item.date >= complete_to]
    page = items[:limit]
    if len(items) > limit:
        return ActivityPage(page, page[-1].date)
    return ActivityPage(page, complete_to)
