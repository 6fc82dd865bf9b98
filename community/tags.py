"""One tag vocabulary (django-taggit's Tag) for every part of Confer: its rules, the form field
that takes tags, and suggestions.

Each part adds what it has to a tag's page with a ``TagSection`` (the ``confer_tag_sections``
hook), so the tag page never needs a hand-picked list of models.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from taggit.models import Tag

from . import hooks
from .hooks import TagSection

MAX_TAG_LENGTH = 50
MAX_TAGS = 5  # on one question, idea or page: enough to find it, few enough to mean something
# Letters (any script), digits, and the few marks real topic names use: "c#", "c++", "office 365",
# ".net", "q&a". Nothing that could be markup.
TAG_PATTERN = re.compile(r"^\.?[^\W_][\w +#.&'-]*$")


def normalise_tag(name: str) -> str:
    return " ".join(name.split()).lower()


def clean_tag_names(names, max_tags: int | None = None) -> list[str]:
    """Validate and normalise tag names; raise ValidationError with a message a person can act on."""
    cleaned: list[str] = []
    for raw in names:
        name = normalise_tag(raw)
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise ValidationError(f"Tags must be {MAX_TAG_LENGTH} characters or fewer: “{name[:20]}…” is too long.")
        if not TAG_PATTERN.match(name):
            raise ValidationError(f"“{name}” is not a valid tag. Use letters, numbers, spaces and + # . & ' - only.")
        if name not in cleaned:
            cleaned.append(name)
    if max_tags is not None and len(cleaned) > max_tags:
        raise ValidationError(f"Use {max_tags} tags or fewer.")
    return cleaned


def tag_sections() -> list[TagSection]:
    return hooks.registered(hooks.TAG_SECTIONS)


def split_tags(value: str) -> list[str]:
    return [part for part in re.split(r"[,\n]", value or "") if part.strip()]


class TagsField(forms.CharField):
    """Comma-separated tag names, checked against the shared vocabulary's rules."""

    def __init__(self, *, min_tags=1, max_tags=MAX_TAGS, **kwargs):
        self.min_tags, self.max_tags = min_tags, max_tags
        kwargs.setdefault("max_length", 1000)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        names = clean_tag_names(split_tags(value), max_tags=self.max_tags)
        if len(names) < self.min_tags:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return names


def popular_tags(related_name: str, limit: int):
    """Tag names used on one kind of item (``related_name``: the taggit through model's reverse name,
    e.g. "qa_questiontag_items"), most used first: suggestions for tag inputs."""
    return (
        Tag.objects.filter(**{f"{related_name}__isnull": False})
        .annotate(uses=Count(related_name))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:limit]
    )


def suggest_tags(text: str, related_name: str, limit: int = 5, exclude=()) -> list[str]:
    """Tags of the existing vocabulary that the words of ``text`` name ("my VPN drops when I use
    Excel" → ["vpn", "excel"]): every run of one to three words, and a word without its plural
    "s", looked up by name in one indexed query. Nothing new is ever suggested; the ones in
    ``exclude`` (already chosen) are left out; those used most on this kind of item come first."""
    words = re.findall(r"[^\W_][\w+#.&'-]*", (text or "")[:2000].lower())
    words = [word.rstrip(".'-") for word in words]
    candidates = set()
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            candidates.add(" ".join(words[start : start + size]))
    candidates |= {word[:-1] for word in words if len(word) > 3 and word.endswith("s")}
    candidates -= {normalise_tag(name) for name in exclude}
    candidates = {name for name in candidates if 0 < len(name) <= MAX_TAG_LENGTH}
    if not candidates:
        return []
    return list(
        Tag.objects.filter(name__in=sorted(candidates))
        .annotate(uses=Count(related_name))
        .order_by("-uses", "name")
        .values_list("name", flat=True)[:limit]
    )


def complete_tags(typed: str, related_name: str, limit: int = 10) -> list[str]:
    """Completions of the last tag in a comma-separated list being typed, keeping the ones before it:
    "vpn, exc" → ["vpn, excel", ...]. Tags used most on this kind of item come first."""
    parts = typed[:1000].split(",")
    done, current = [part.strip() for part in parts[:-1] if part.strip()], parts[-1].strip().lower()
    prefix = "".join(f"{name}, " for name in done)
    if current:
        names = (
            Tag.objects.filter(name__icontains=current)
            .annotate(uses=Count(related_name))
            .order_by("-uses", "name")
            .values_list("name", flat=True)[:limit]
        )
    else:
        names = popular_tags(related_name, limit)
    return [f"{prefix}{name}" for name in names if name not in done]
