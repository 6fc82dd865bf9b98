"""One tag vocabulary (django-taggit's Tag) for every part of Confer.

Each part adds what it has to a tag's page by registering a section here from its AppConfig.ready,
so the tag page never needs a hand-picked list of models.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from taggit.models import Tag

from .registry import Registry

MAX_TAG_LENGTH = 50
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


@dataclass(frozen=True)
class TagSection:
    """One block on a tag page: a heading, the items for a tag, and the template that lists them."""

    key: str
    title: str
    items: Callable  # (tag, request) -> iterable
    template: str
    order: int = 100


_sections = Registry("tag page sections")
register_tag_section = _sections.register
tag_sections = _sections.all


def popular_tags(related_name: str, limit: int):
    """Tag names used on one kind of item (``related_name``: the taggit through model's reverse name,
    e.g. "qa_questiontag_items"), most used first: suggestions for tag inputs."""
    return (
        Tag.objects.filter(**{f"{related_name}__isnull": False})
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
