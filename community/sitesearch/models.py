"""Synonym groups the helpdesk curates: words and phrases that mean the same to the people
searching ("staff restaurant, canteen, café"). Search applies them when it reads a query, on every
backend, so a change counts from the next search without rebuilding the index (docs/search.md)."""

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import strip_tags

__all__ = ["Embedding", "SynonymGroup"]

MAX_TERMS = 20
MAX_TERM_LENGTH = 60
MAX_TERM_WORDS = 4
# Letters, digits, spaces, hyphens, apostrophes and full stops: what people type, never markup.
ALLOWED_TERM = re.compile(r"^[\w][\w .'’-]*$")


def split_terms(text: str) -> list[str]:
    """The terms of a group as written: one per line or separated by commas, blanks dropped."""
    return [term.strip() for term in re.split(r"[,\n;]", text or "") if term.strip()]


def normalise_term(term: str) -> str:
    """What a term matches: its words, lowercased, with any markup left out."""
    return " ".join(re.findall(r"\w+", strip_tags(term).casefold()))


class SynonymGroup(models.Model):
    """A group of words and phrases search treats as one: a search for any of them finds the others."""

    terms = models.TextField(
        help_text="Words or phrases that mean the same, one per line or separated by commas, "
        f"such as “staff restaurant, canteen, café”. Two to {MAX_TERMS}, each up to {MAX_TERM_WORDS} words."
    )
    note = models.CharField(max_length=200, blank=True, help_text="Why these belong together (optional).")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )

    class Meta:
        ordering = ["terms"]
        verbose_name = "synonym group"

    def __str__(self):
        return ", ".join(split_terms(self.terms))[:100]

    def term_list(self) -> list[str]:
        """The group's distinct terms, normalised for matching."""
        return list(dict.fromkeys(term for term in map(normalise_term, split_terms(self.terms)) if term))

    def clean(self):
        terms = split_terms(self.terms)
        problems = []
        for term in terms:
            if not ALLOWED_TERM.match(term):
                problems.append(f"“{term}” has characters other than letters, digits, spaces, hyphens and apostrophes")
            elif len(term) > MAX_TERM_LENGTH or len(term.split()) > MAX_TERM_WORDS:
                problems.append(f"“{term[:MAX_TERM_LENGTH]}…” is too long: use up to {MAX_TERM_WORDS} words")
        if problems:
            raise ValidationError({"terms": [*problems[:5]]})
        distinct = list(dict.fromkeys(normalise_term(term) for term in terms))
        if len(distinct) < 2:
            raise ValidationError({"terms": "Enter at least two different words or phrases."})
        if len(distinct) > MAX_TERMS:
            raise ValidationError({"terms": f"Enter at most {MAX_TERMS} words or phrases; split the group."})
        # Stored one per line, as they will be matched.
        self.terms = "\n".join(dict.fromkeys(term for term in terms if normalise_term(term)))


class Embedding(models.Model):
    """The sentence embedding of one searchable item, stored so a restart does not recompute it.

    A row is replaced, never updated, when its text changes: rows only ever get higher ids, so
    each process reads just the rows added since it last looked (community/sitesearch/semantic.py).
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    model_name = models.CharField(max_length=60)  # the encoder that made it: another model recomputes
    text_hash = models.CharField(max_length=40)  # unchanged text is not embedded again
    vector = models.BinaryField()  # float32, little-endian, unit length
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="community_embedding_one_per_item")
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}"
