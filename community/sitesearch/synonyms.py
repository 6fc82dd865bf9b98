"""Applying the helpdesk's synonym groups to a query, as it is read.

A word or phrase of the query that is in a group is searched as "it, or any other term of its
groups": ``Or([PlainText("canteen"), Phrase("staff restaurant"), PlainText("café")])``. It is one
step: a term in two groups brings both groups' terms, but not the terms of groups those terms are
in, so groups that chain or loop ("café, canteen" and "canteen, café") expand once and stop. The
longest phrase wins ("staff restaurant" before "staff"). Nothing is indexed, so every backend
applies a change from the next search.
"""

from modelsearch.query import Or, Phrase, PlainText

from .models import MAX_TERM_WORDS, SynonymGroup

MAX_ALTERNATIVES = 12  # per word or phrase of the query: a group this big is a mistake, not a synonym


class Synonyms:
    """The groups, read once per search: ``{normalised term: [other terms, …]}``."""

    def __init__(self, groups: list[list[str]]):
        self.alternatives: dict[str, list[str]] = {}
        for terms in groups:
            for term in terms:
                others = self.alternatives.setdefault(term, [])
                others.extend(other for other in terms if other != term and other not in others)

    @classmethod
    def load(cls) -> "Synonyms":
        return cls([group.term_list() for group in SynonymGroup.objects.only("terms")])

    def __bool__(self):
        return bool(self.alternatives)

    def expand(self, words: list[str]) -> list:
        """The query's words as units: a plain word (``str``), or for a word or phrase in a group,
        ``(the matched text, [its alternatives])``."""
        units, position = [], 0
        lowered = [word.casefold() for word in words]
        while position < len(words):
            for size in range(min(MAX_TERM_WORDS, len(words) - position), 0, -1):
                candidate = " ".join(lowered[position : position + size])
                if candidate in self.alternatives:
                    units.append((candidate, self.alternatives[candidate][:MAX_ALTERNATIVES]))
                    position += size
                    break
            else:
                units.append(words[position])
                position += 1
        return units

    def words_of(self, words: list[str]) -> list[str]:
        """Every alternative's words, for highlighting and for word-based similarity."""
        extra = []
        for unit in self.expand(words):
            if isinstance(unit, tuple):
                extra.extend(word for term in unit[1] for word in term.split())
        return extra


def term_query(term: str):
    return Phrase(term) if " " in term else PlainText(term)


def unit_query(matched: str, alternatives: list[str]):
    return Or([term_query(matched), *(term_query(term) for term in alternatives)])
