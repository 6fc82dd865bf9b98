"""How the parts of Confer plug into the shared core: the hook names, and what each hook returns.

Each part registers, in its ``wagtail_hooks.py``, a function that returns what it adds (one of the
small frozen dataclasses below, or a list of them)::

    @hooks.register(confer_hooks.SEARCH_TYPES)
    def question_search():
        return SearchType(key="questions", ...)

and the core reads them with ``registered(name)``, sorted by their ``order``. This is Wagtail's own
hook mechanism (``wagtail.hooks``), so tests swap entries with ``hooks.register_temporarily``. The
core never imports the parts; the parts import the core (docs/architecture.md).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from wagtail import hooks

SEARCH_TYPES = "confer_search_types"  # SearchType: site search, its facets and similar suggestions
HOME_PANELS = "confer_home_panels"  # HomePanel: live panels on the home page
TAG_SECTIONS = "confer_tag_sections"  # TagSection: what a tag page lists
FOLLOWABLES = "confer_followables"  # Followable: what people can follow
EVENT_TYPES = "confer_event_types"  # EventType: notifications, and their headings in digests
FEED_SOURCES = "confer_feed_sources"  # FeedSource: RSS and Atom feeds
PROFILE_SECTIONS = "confer_profile_sections"  # ProfileSection: parts of a colleague's profile page
PROFILE_ACTIVITY = "confer_profile_activity"  # ProfileActivity: what a person did, on their profile
VOLUNTEER_LISTS = "confer_volunteer_lists"  # VolunteerList: who a buddy-network page lists
SEARCH_RECORDERS = "confer_search_recorders"  # SearchRecorder: what the search page tells insight
ROLE_LINKS = "confer_role_links"  # RoleLink: "Helpdesk (n)", "Moderation (n)" in the header
CONTENT_EXPORTS = "confer_content_exports"  # ContentExport: what export_content / import_content carry
WORKSPACE_FIGURES = "confer_workspace_figures"  # WorkspaceFigure: headline figures on a role's workspace
COMMUNITY_FEED = "confer_community_feed"  # CommunityFeedSource: what a community's page lists


MODERATABLES = "confer_moderatables"  # Moderatable: what can be flagged and decided in the moderation queue


def registered(name: str) -> list:
    """Everything registered under hook ``name``, in ``order``. A key registered twice keeps the
    last registration, so a test can replace an entry by registering its key again."""
    entries: dict = {}
    for fn in hooks.get_hooks(name):
        result = fn()
        for entry in result if isinstance(result, list | tuple) else [result]:
            entries[entry.key] = entry
    return sorted(entries.values(), key=lambda entry: entry.order)


def find(name: str, key: str):
    """The entry registered under hook ``name`` with this ``key``, or None."""
    return next((entry for entry in registered(name) if entry.key == key), None)


@dataclass(frozen=True)
class SearchType:
    """A kind of content the site search covers.

    ``queryset(request)`` returns only what that person may see (live, public, not hidden);
    ``tag_model`` is the taggit through model whose ``content_object`` points at these items.
    """

    key: str
    label: str
    model: type
    queryset: Callable
    template: str
    snippet: Callable = lambda obj: ""
    tag_model: type | None = None
    order: int = 100
    # The ranked "All" list (community/sitesearch/ranking.py, docs/search.md):
    facet: str = ""  # the kind filter its results are counted under ("" for its own key)
    weight: float = 1.0  # how much a hit of this kind counts against hits of other kinds
    # (hits, request) -> [Found | None, …] in the same order: what each hit stands for in the list
    # (an answer stands for its question, a skill for its person); None leaves a hit out. In bulk:
    # a few queries for the whole list, never one per hit.
    resolve: Callable | None = None
    # (objects, request) -> {pk: ResultState}: how each result of this kind is labelled and how
    # much its state lifts it. In bulk, like ``resolve``.
    describe: Callable | None = None
    # obj -> the text its sentence embedding is made from (None: this kind has no semantic search).
    embed_text: Callable | None = None

    @property
    def facet_key(self) -> str:
        return self.facet or self.key


@dataclass(frozen=True)
class Found:
    """What one search hit stands for in the ranked list: ``obj`` is shown as a result of kind
    ``kind``; ``weight`` is how much this way of finding it counts (an answer the helpdesk verified
    counts for its question almost as much as the question's own words); ``snippet`` is the text
    that matched when it is not the result's own; ``reason`` says why a person is listed;
    ``also_asked_as`` is a duplicate question folded into ``obj``."""

    kind: str
    obj: object
    weight: float = 1.0
    snippet: str = ""
    reason: str = ""
    also_asked_as: object = None


@dataclass(frozen=True)
class ResultState:
    """How a result is labelled (``labels``, shown after its kind) and what its state is worth in
    the ranking (``prior`` multiplies its score); ``answer`` is a snippet of a question's best answer."""

    prior: float = 1.0
    labels: tuple = ()
    answer: str = ""
    detail: str = ""


@dataclass(frozen=True)
class Followable:
    """A kind of thing people follow.

    ``visible(user)`` returns the queryset of items that person may see and so may follow;
    ``label`` heads its group on the Following page.
    """

    key: str
    model: type
    label: str
    visible: Callable  # (user) -> QuerySet
    order: int = 100


@dataclass(frozen=True)
class EventType:
    """A kind of event. ``template`` renders one notification as a short phrase of inline HTML;
    ``label`` heads the group of these events in a digest."""

    key: str
    label: str
    template: str
    order: int = 100


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
    model: type | None = None  # lets a saved-search feed describe hits of this model the same way


@dataclass(frozen=True)
class WorkspaceFigure:
    """A headline figure a role's workspace page shows, worked out by a part that page does not
    import (insight's "calls avoided this month" on the helpdesk queue). ``workspace`` names the page
    ("helpdesk"); ``context(request)`` returns what ``template`` reads."""

    key: str
    workspace: str
    template: str
    context: Callable
    order: int = 100


@dataclass(frozen=True)
class HomePanel:
    """One panel on the home page: a heading, the items for the signed-in person, and the template
    that lists them."""

    key: str
    title: str
    items: Callable  # (request) -> iterable
    template: str
    link: str = ""  # URL name of the full list, if any
    link_text: str = ""
    order: int = 100
    hide_when_empty: bool = False  # leave the panel out for people it has nothing for
    personal: bool = False  # about this person (their questions, places, follows): shown first, under "For you"


@dataclass(frozen=True)
class VolunteerList:
    """Who a buddy-network page lists, from the part of Confer that keeps volunteers:
    ``people(directorate, topic)`` returns Profiles of people with an active help offer, optionally
    only those in ``directorate`` or offering help with ``topic``; ``card_template`` shows one."""

    key: str
    people: Callable  # (Directorate | None, str | None) -> QuerySet of Profile
    card_template: str
    order: int = 100


@dataclass(frozen=True)
class TagSection:
    """One block on a tag page: a heading, the items for a tag, and the template that lists them."""

    key: str
    title: str
    items: Callable  # (tag, request) -> iterable
    template: str
    order: int = 100


@dataclass(frozen=True)
class ProfileSection:
    """A part of a colleague's profile page that another part of Confer adds: ``template`` is
    included with the page's context
    (``person``, ``profile`` and ``is_own``)."""

    key: str
    template: str
    order: int = 100


@dataclass(frozen=True)
class ActivityItem:
    """One thing a person did, as their profile's "Recent activity" lists it: ``kind`` says what
    ("Asked", "Answered"...), ``title`` and ``url`` what it was about, ``snippet`` a line of it.
    ``state`` is set only for the person themselves, on what others no longer see ("Withdrawn",
    "Hidden by a moderator")."""

    date: datetime.datetime
    kind: str
    title: str
    url: str
    snippet: str = ""
    state: str = ""


@dataclass(frozen=True)
class ActivityBatch:
    """What a source that leaves some rows out after reading them returns instead of a list: the
    items it kept, and ``complete_to``, the date of the oldest row it read when it read a full
    ``limit`` of them (None when it read every row there was). The page stops there, so nothing
    between that date and the next page is skipped."""

    items: tuple
    complete_to: datetime.datetime | None = None


@dataclass(frozen=True)
class ProfileActivity:
    """A kind of thing people do that their profile lists under "Recent activity".

    ``items(person, viewer, before, limit)`` returns the newest at most ``limit`` of them by
    ``person`` dated before ``before`` (a datetime, or None for the newest), newest first, as
    ``ActivityItem``s (or an ``ActivityBatch``): only what ``viewer`` may see, except that the
    person sees their own withdrawn or hidden things with ``state`` saying so. It must cost a fixed
    number of queries, read in the order of an index on (author, date).
    """

    key: str
    items: Callable  # (person, viewer, before, limit) -> list[ActivityItem] | ActivityBatch
    order: int = 100


@dataclass(frozen=True)
class SearchRecorder:
    """Something told about every search page view (insight records them for helpdesk deflection).

    ``record(request, query, total)`` is called once per search page view with a query and must cost
    at most one insert; it returns a token (or None). ``link(token, obj)`` then gives the address a
    result should link to (so the click can be counted on the way), or "" for the object's own.
    """

    key: str
    record: Callable  # (request, query, total) -> token | None
    link: Callable = lambda token, obj: ""
    order: int = 100


@dataclass(frozen=True)
class RoleLink:
    """A workspace in the header for people holding ``permission``, with how much waits there.

    ``count()`` must be bounded: it counts at most ``ROLE_COUNT_CAP`` items (one cheap query), and
    the header shows "99+" beyond that, so the header costs the same however long a queue grows.
    """

    key: str
    label: str
    url_name: str
    permission: str
    count: Callable  # () -> int, at most ROLE_COUNT_CAP
    order: int = 100


ROLE_COUNT_CAP = 100


@dataclass(frozen=True)
class ContentExport:
    """Models a part of Confer keeps, for ``manage.py export_content`` and ``import_content``
    (docs/backup.md). ``models`` are labels ("qa.Question"), listed in the order they are loaded:
    what a row points at comes first. ``migrated`` are the models among them whose rows a freshly
    migrated database already holds (the page tree's root, the default site, the role groups): an
    import does not count those as content, and overwrites them. ``replaces`` are those of them
    the import deletes first (a tree keeps its root), because the export's rows stand for them.
    ``left_out`` are the part's models deliberately not carried, as ``(label, why)`` pairs (derived
    data that is worked out again, for example).
    """

    key: str
    models: tuple
    migrated: tuple = ()
    replaces: tuple = ()
    order: int = 100
    left_out: tuple = ()


@dataclass(frozen=True)
class Moderatable:
    """A kind of thing colleagues can flag, shown and decided in the moderation queue (``/moderation/``).

    The core keeps the flags, claims and audit entries (``community.moderation``) and talks to the
    thing only through these: ``load(pks)`` returns ``{pk: object}`` ready to show (author and whatever
    ``template`` reads already joined: no query per row); ``author(obj)`` is who wrote it;
    ``is_hidden(obj)``; ``hide(obj, by)`` hides it (raising ``ValidationError`` if it already is), and
    the core then closes the flags and records the decision; ``summary(obj)`` names it in
    notifications and the audit trail ("the idea “…”"); ``public_url(obj)`` is where someone who
    flagged it can still go once it is hidden (its thread, or the list); ``hidden_counts(author_ids)``
    is how many of each author's things of this kind are hidden (one grouped query); ``edit_url(obj,
    user)`` is where ``user`` may edit it, or "". ``url(obj)`` is where it is shown (a comment: its
    place on its page); ``visible_to(obj, user)`` whether ``user`` may see it (and so flag it).
    ``template`` renders one item inline in the queue (context: ``item``, with ``item.obj``).
    """

    key: str
    label: str
    model: type
    template: str
    load: Callable
    author: Callable
    is_hidden: Callable
    hide: Callable
    summary: Callable
    public_url: Callable
    hidden_counts: Callable
    url: Callable = lambda obj: obj.get_absolute_url()
    visible_to: Callable = lambda obj, user: True
    edit_url: Callable = lambda obj, user: ""
    order: int = 100


@dataclass(frozen=True)
class CommunityItem:
    """One entry in a community's feed: when, what kind ("Question"), its title, where it is, and a
    short plain-text snippet. ``pk`` lets a manager pin it."""

    date: object
    kind: str
    title: str
    url: str
    snippet: str = ""
    pk: int | None = None


@dataclass(frozen=True)
class CommunityFeedSource:
    """A kind of content a community's page lists (``community.groups``).

    ``items(community, viewer, before, limit)`` returns at most ``limit`` ``CommunityItem``s of this
    kind that ``viewer`` may see, posted into ``community`` or carrying one of its tags, newest
    first and dated strictly before ``before`` (a datetime, or None for the newest): the page's
    "Older" link walks back by date, so each source must serve this from an index.
    ``pinned(community, viewer, ids)`` returns the items with these ids that ``viewer`` may see, for
    the posts a manager pinned (a source without it cannot be pinned).
    """

    key: str
    label: str
    items: Callable  # (community, viewer, before, limit) -> [CommunityItem]
    order: int = 100
    pinned: Callable | None = None  # (community, viewer, ids) -> [CommunityItem]
