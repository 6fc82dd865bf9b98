"""``@username`` in a post: telling the people it names, and finding people to name.

Markdown already links a mention of an active colleague (community/markdown.py). Each part calls
``tell_mentioned`` when a post is saved, created or edited: everyone newly named who may see the
post is told once ("community.mention"), through the same ``notify`` as every other event, so
their email preference applies. Someone already told about this post is not told again when it is
edited; the author is never told of their own mention; nobody unknown, deactivated or unable to
see the post is told. The view says which names found nobody (``unknown_mentions``).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.utils.text import Truncator

from .listening.notifications import notify
from .markdown import active_usernames, mentioned_names, plain_text
from .names import display_name, name_key

EVENT_TYPE = "community.mention"
MAX_TOLD = 20  # names in one post that are told; more is a broadcast, not a mention
AUTOCOMPLETE_LIMIT = 8


def tell_mentioned(author, target, text: str, *, can_see, title: str = "", url: str = "", excerpt: str = "") -> list:
    """Tell the active people named in ``text`` (who ``can_see(user_ids)``) about ``target``, once
    each per target. Returns the notifications made."""
    names = sorted(mentioned_names(text))[:MAX_TOLD]
    usernames = list(active_usernames(names).values())
    if not usernames:
        return []
    people = list(get_user_model().objects.filter(username__in=usernames, is_active=True))
    return notify(
        EVENT_TYPE,
        actor=author,
        target=target,
        recipients=people,
        title=title,
        url=url,
        data={"excerpt": Truncator(plain_text(excerpt)).words(30)} if excerpt else {},
        can_see=can_see,
        once=True,
    )


def unknown_mentions(text: str) -> list[str]:
    """The ``@names`` in ``text`` that belong to no active colleague, for a message to the author."""
    names = mentioned_names(text)
    known = active_usernames(names)
    return sorted(f"@{name}" for name in names if name.lower() not in known)


def unknown_mentions_message(text: str) -> str:
    """A sentence for the author about names that found nobody, or "" when every name found someone."""
    unknown = unknown_mentions(text)
    if not unknown:
        return ""
    names = ", ".join(unknown)
    return (
        f"Nobody was told about {names}: there is no colleague with that username, or their account is "
        "closed. Check the spelling on their profile page."
    )


def people_to_mention(typed: str, limit: int = AUTOCOMPLETE_LIMIT) -> list[dict]:
    """Active colleagues whose username or profile name starts with ``typed``: the @-autocomplete.
    Two prefix lookups, each on its own index (the username's, the profile's ``name_key``), so a
    keystroke costs the same however many people there are."""
    typed = typed.strip().lstrip("@")[:100]
    key = name_key(typed)
    if not key:
        return []
    people = get_user_model().objects.filter(is_active=True).select_related("profile")
    found = list(people.filter(username__startswith=typed.lower()).order_by("username")[:limit])
    found += people.filter(profile__name_key__startswith=key).exclude(pk__in=[p.pk for p in found])[:limit]
    return [{"username": person.get_username(), "name": display_name(person)} for person in found[:limit]]


def warn_unknown_mentions(request, text: str) -> None:
    """After a post is saved: a message naming the ``@names`` that told nobody (none if all did)."""
    message = unknown_mentions_message(text)
    if message:
        messages.warning(request, message)
