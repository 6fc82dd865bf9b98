"""Watches: what someone listens for, as words and "phrases" with AND, OR, NOT and brackets.

    budget AND ("autumn statement" OR "spending review") AND NOT sport

Words next to each other mean AND; AND binds tighter than OR; NOT applies to what follows it.
Operators may be written in any case; put a word in quotes to look for "and" itself. Words match
whole words in any case; ``tax*`` matches words starting with "tax". A watch must look for at
least one word (a watch of NOT alone would match nearly everything).
"""

import functools
import re
from dataclasses import dataclass
from html import escape

from django.core.exceptions import ValidationError
from django.utils.safestring import mark_safe

MAX_TERMS = 50
_TOKEN = re.compile(r'\s*(?:(?P<open>\()|(?P<close>\))|"(?P<phrase>[^"]*)(?P<endquote>"?)|(?P<word>[^\s()"]+))')
OPERATORS = {"AND", "OR", "NOT"}


@functools.lru_cache(maxsize=4096)
def _compiled(pattern: str):
    # Every watch is checked against every new item: each pattern is compiled once per process.
    return re.compile(pattern, re.IGNORECASE)


@dataclass(frozen=True)
class Term:
    text: str

    def pattern(self) -> str:
        words = self.text.split()
        parts = []
        for word in words:
            if word.endswith("*") and len(word) > 1:
                parts.append(re.escape(word[:-1]) + r"\w*")
            else:
                parts.append(re.escape(word))
        return r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)"

    def regex(self):
        return _compiled(self.pattern())

    def evaluate(self, text, cache):
        found = cache.get(self)
        if found is None:
            found = cache[self] = bool(self.regex().search(text))
        return found

    def positive_terms(self):
        return [self]


@dataclass(frozen=True)
class Not:
    operand: object

    def evaluate(self, text, cache):
        return not self.operand.evaluate(text, cache)

    def positive_terms(self):
        return []


@dataclass(frozen=True)
class Both:
    operator: str  # "AND" or "OR"
    operands: tuple

    def evaluate(self, text, cache):
        check = all if self.operator == "AND" else any
        return check(operand.evaluate(text, cache) for operand in self.operands)

    def positive_terms(self):
        return [term for operand in self.operands for term in operand.positive_terms()]


def _tokens(expression: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    expression = expression.rstrip()
    while position < len(expression):
        match = _TOKEN.match(expression, position)
        if match is None:  # only whitespace left
            break
        position = match.end()
        if match["open"]:
            tokens.append(("(", "("))
        elif match["close"]:
            tokens.append((")", ")"))
        elif match["phrase"] is not None:
            if not match["endquote"]:
                raise ValidationError(f'The phrase "{match["phrase"].strip()} has no closing quotation mark.')
            text = " ".join(match["phrase"].split())
            if not text:
                raise ValidationError('There is an empty phrase (""): put words between the quotation marks.')
            tokens.append(("term", text))
        else:
            word = match["word"]
            tokens.append((word.upper(), word) if word.upper() in OPERATORS else ("term", word))
    return tokens


class _Parser:
    def __init__(self, tokens):
        self.tokens, self.position, self.terms = tokens, 0, 0

    def peek(self):
        return self.tokens[self.position][0] if self.position < len(self.tokens) else None

    def take(self):
        token = self.tokens[self.position]
        self.position += 1
        return token

    def parse(self):
        node = self.or_expression()
        if self.peek() == ")":
            raise ValidationError("There is a closing bracket “)” with no opening bracket “(” before it.")
        if self.peek() is not None:
            raise ValidationError(f"“{self.tokens[self.position][1]}” is not where it can be read.")
        return node

    def or_expression(self):
        operands = [self.and_expression()]
        while self.peek() == "OR":
            self.take()
            operands.append(self.and_expression("OR"))
        return operands[0] if len(operands) == 1 else Both("OR", tuple(operands))

    def and_expression(self, after=None):
        operands = [self.unary(after)]
        while self.peek() in ("AND", "NOT", "term", "("):
            operator = None
            if self.peek() == "AND":
                self.take()
                operator = "AND"
            operands.append(self.unary(operator))
        return operands[0] if len(operands) == 1 else Both("AND", tuple(operands))

    def unary(self, after=None):
        if self.peek() == "NOT":
            self.take()
            return Not(self.unary("NOT"))
        return self.primary(after)

    def primary(self, after=None):
        kind = self.peek()
        if kind == "term":
            self.terms += 1
            if self.terms > MAX_TERMS:
                raise ValidationError(f"A watch can look for at most {MAX_TERMS} words and phrases.")
            return Term(self.take()[1])
        if kind == "(":
            self.take()
            if self.peek() == ")":
                raise ValidationError("There are empty brackets “()”: put words between them or take them out.")
            node = self.or_expression()
            if self.peek() != ")":
                raise ValidationError("An opening bracket “(” is never closed: add a “)”.")
            self.take()
            return node
        if after:
            raise ValidationError(f"{after} needs a word, a phrase or brackets after it.")
        if kind in ("AND", "OR"):
            raise ValidationError(f"{kind} needs a word, a phrase or brackets before it.")
        if kind == ")":
            raise ValidationError("There is a closing bracket “)” with no opening bracket “(” before it.")
        raise ValidationError("Enter at least one word or “phrase” to watch for.")


def parse(expression: str):
    """The expression as a tree, or ValidationError saying what is wrong with it."""
    if not (expression or "").strip():
        raise ValidationError("Enter at least one word or “phrase” to watch for.")
    tree = _Parser(_tokens(expression)).parse()
    if not tree.positive_terms():
        raise ValidationError("A watch needs at least one word it looks for, not only words it leaves out (NOT).")
    return tree


def item_text(item) -> str:
    return f"{item.title}\n{item.summary_text}"


def matches(tree, item) -> bool:
    return tree.evaluate(item_text(item), {})


def highlight(text: str, terms) -> str:
    """``text`` escaped, with each of ``terms`` found in it in <mark>: safe to show as it is."""
    spans = []
    for term in terms:
        spans.extend(match.span() for match in term.regex().finditer(text))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, position = [], 0
    for start, end in merged:
        out.append(escape(text[position:start]))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        position = end
    out.append(escape(text[position:]))
    return mark_safe("".join(out))


# --- matching items against watches --------------------------------------------------------------


def _applies(watch, item, source_tags) -> bool:
    """Whether ``watch`` listens to ``item``'s source: all sources when it names none, else the
    sources it names and those carrying the tags it names."""
    if not watch.limit_sources and not watch.limit_tags:
        return True
    return item.source_id in watch.limit_sources or bool(watch.limit_tags & source_tags.get(item.source_id, set()))


def _loaded_watches(queryset):
    from .models import Watch

    watches = []
    for watch in (queryset if queryset is not None else Watch.objects.all()).prefetch_related("sources", "tags"):
        try:
            watch.tree = parse(watch.expression)
        except ValidationError:  # saved before a rule changed: it matches nothing until edited
            continue
        watch.limit_sources = {source.pk for source in watch.sources.all()}
        watch.limit_tags = {tag.pk for tag in watch.tags.all()}
        watches.append(watch)
    return watches


def _source_tags(items) -> dict[int, set]:
    from .models import ListeningSource

    through = ListeningSource.tags.through
    tags: dict[int, set] = {}
    for source_id, tag_id in through.objects.filter(
        listeningsource_id__in={item.source_id for item in items}
    ).values_list("listeningsource_id", "tag_id"):
        tags.setdefault(source_id, set()).add(tag_id)
    return tags


def _source_tag_names(source_ids) -> dict[int, list[str]]:
    from .models import ListeningSource

    names: dict[int, list[str]] = {}
    through = ListeningSource.tags.through.objects.filter(listeningsource_id__in=source_ids).order_by("tag__name")
    for source_id, name in through.values_list("listeningsource_id", "tag__name"):
        names.setdefault(source_id, []).append(name)
    return names


def find_matches(items, watches) -> dict:
    """{item: [watches it matches]} for the items that match any."""
    source_tags = _source_tags(items)
    found = {}
    for item in items:
        text, cache = item_text(item), {}
        hits = [w for w in watches if _applies(w, item, source_tags) and w.tree.evaluate(text, cache)]
        if hits:
            found[item] = hits
    return found


def _listeners(watch, members: dict, followers: dict) -> set[int]:
    """Who hears through ``watch``: its owner, its team's members, its tag's followers."""
    from django.contrib.auth import get_user_model

    from ..listening.follows import follower_ids

    ids = {watch.owner_id}
    if watch.shared_with_group_id:
        if watch.shared_with_group_id not in members:
            members[watch.shared_with_group_id] = set(
                get_user_model().objects.filter(groups=watch.shared_with_group_id).values_list("pk", flat=True)
            )
        ids |= members[watch.shared_with_group_id]
    if watch.shared_with_tag_id:
        if watch.shared_with_tag_id not in followers:
            followers[watch.shared_with_tag_id] = follower_ids([watch.shared_with_tag])
        ids |= followers[watch.shared_with_tag_id]
    return ids


def match_new_items(items, watches=None) -> int:
    """Record which watches new items match, and tell each person who listens through them once
    per item (through notifications: immediate, daily or weekly as they chose), however many of
    their watches found it. Each is told the names of the watches that reach them only: someone
    else's private watch is never named. Returns how many matches were recorded."""
    from django.contrib.auth import get_user_model

    from ..listening.notifications import notify
    from .models import WatchMatch

    items = list(items)
    if not items:
        return 0
    found = find_matches(items, watches if watches is not None else _loaded_watches(None))
    tag_names = _source_tag_names({item.source_id for item in found})
    members, followers = {}, {}
    recorded = 0
    for item, hits in found.items():
        created = WatchMatch.objects.bulk_create(
            [WatchMatch(watch=watch, item=item) for watch in hits], ignore_conflicts=True
        )
        recorded += len(created)
        hearing: dict[int, set] = {}
        for watch in hits:
            for user_id in _listeners(watch, members, followers):
                hearing.setdefault(user_id, set()).add(watch.name)
        # One notification per person: people reached by the same watches share one event.
        audiences: dict[frozenset, list] = {}
        for user_id, names in hearing.items():
            audiences.setdefault(frozenset(names), []).append(user_id)
        for names, user_ids in audiences.items():
            notify(
                "listening.match", actor=None, target=item,
                recipients=get_user_model().objects.filter(pk__in=user_ids, is_active=True),
                title=item.title, tags=tag_names.get(item.source_id, []),
                data={"source": item.source.name, "watches": sorted(names)}, once=True,
            )  # fmt: skip
    return recorded


RECENT_ITEMS = 500


def match_recent(watch) -> int:
    """A watch just saved: record its matches among the newest items, so the Listening page shows
    them at once. Nobody is notified about these: the owner is looking at them."""
    from .models import ListeningItem, WatchMatch

    [loaded] = _loaded_watches(type(watch).objects.filter(pk=watch.pk)) or [None]
    if loaded is None:
        return 0
    items = list(ListeningItem.objects.newest()[:RECENT_ITEMS])
    found = find_matches(items, [loaded])
    created = WatchMatch.objects.bulk_create(
        [WatchMatch(watch=watch, item=item, matched_at=item.published_at) for item in found], ignore_conflicts=True
    )
    return len(created)
