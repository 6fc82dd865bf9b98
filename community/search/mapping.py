"""How a model's ``search_fields`` become Whoosh fields, and an object becomes a document.

One index holds a whole model family (a root model and its multi-table subclasses, as
``get_model_root`` gives). Each ``search_fields`` entry gets its own Whoosh field, so searches can
be restricted to fields and boosted per field:

* ``t_<column>``: full text (``SearchField``), stemmed, with positions for phrases;
* ``a_<column>``: word prefixes (``AutocompleteField``);
* ``f_<column>``: the exact value (``FilterField``), typed, and sortable when single-valued.

``<column>`` follows the Elasticsearch backend: the attribute name, ``<relation>__<name>`` inside
``RelatedFields``, and prefixed with ``<app>_<model>__`` when a subclass defines it (so two page
types may each have a ``colour`` field of different types).

Besides those, every document has ``pk`` (stored: the only thing read back), ``pkn`` (the
primary key as a number, for sorting), ``ct`` (the content types it belongs to), ``nulls`` (the
filter fields that are empty, for ``isnull``) and ``spell`` (its words unstemmed, the vocabulary
for "did you mean").
"""

import datetime
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from modelsearch.backends.base import get_model_root
from modelsearch.index import (
    AutocompleteField,
    FilterField,
    Indexed,
    RelatedFields,
    SearchField,
    get_indexed_models,
)
from whoosh import fields as whoosh_fields
from whoosh import formats
from whoosh.util.times import datetime_to_long, long_to_datetime

from .analysis import edge_ngram_analyzer, spelling_analyzer, text_analyzer

logger = logging.getLogger(__name__)

TEXT, AUTOCOMPLETE, FILTER = "text", "autocomplete", "filter"

INTEGER_TYPES = {
    "AutoField",
    "BigAutoField",
    "SmallAutoField",
    "IntegerField",
    "BigIntegerField",
    "SmallIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "PositiveBigIntegerField",
}


# --- typed filter values ----------------------------------------------------------------------


class FilterKind:
    """How one Django field type is stored in Whoosh and converted on the way in and out.

    ``to_index`` raises ``ValueError``/``TypeError`` for a value the field cannot hold.
    """

    #: Ranges use ``NumericRange`` when true, ``TermRange`` (string order) when false.
    numeric = False
    #: Whether ``startswith`` makes sense (it does for strings only).
    prefixable = False

    def whoosh_field(self, sortable):
        return whoosh_fields.ID(sortable=sortable)

    def to_index(self, value):
        return str(value)

    def from_index(self, value):
        return value


def numeric_field(numtype=int, sortable=False):
    # Whoosh indexes each number at several precisions so ranges need few terms; its defaults
    # (16 terms per 64-bit value, 8 per datetime) make those terms the bulk of a page's index and
    # of the time to build it. Four are plenty for the ranges people filter pages by.
    return whoosh_fields.NUMERIC(numtype, bits=64, signed=True, shift_step=16, sortable=sortable)


class IntegerKind(FilterKind):
    numeric = True

    def whoosh_field(self, sortable):
        return numeric_field(int, sortable)

    def to_index(self, value):
        if isinstance(value, float) and not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        return int(value)


class FloatKind(FilterKind):
    numeric = True

    def __init__(self, decimal=False):
        self.decimal = decimal

    def whoosh_field(self, sortable):
        return numeric_field(float, sortable)

    def to_index(self, value):
        return float(value)

    def from_index(self, value):
        return Decimal(str(value)) if self.decimal else value


class BooleanKind(FilterKind):
    # "0"/"1": one term per value, and sortable like any other string.
    def to_index(self, value):
        if value not in (True, False, 0, 1):
            raise ValueError(f"{value!r} is not a boolean")
        return "1" if value else "0"

    def from_index(self, value):
        return value == "1"


class DateTimeKind(FilterKind):
    """Instants as microseconds since year 1 (UTC), in a plain numeric field (see numeric_field)."""

    numeric = True

    def whoosh_field(self, sortable):
        return numeric_field(int, sortable)

    def to_index(self, value):
        if isinstance(value, datetime.datetime):
            if timezone.is_aware(value):
                value = timezone.make_naive(value, datetime.UTC)
            return datetime_to_long(value)
        if isinstance(value, datetime.date):
            return datetime_to_long(datetime.datetime.combine(value, datetime.time()))
        raise TypeError(f"{value!r} is not a date or datetime")

    def from_index(self, value):
        value = long_to_datetime(value)
        return timezone.make_aware(value, datetime.UTC) if settings.USE_TZ else value


class DateKind(DateTimeKind):
    def to_index(self, value):
        if isinstance(value, datetime.datetime):
            value = value.date()
        return super().to_index(value)

    def from_index(self, value):
        return long_to_datetime(value).date()


class TimeKind(FilterKind):
    # ISO 8601 times sort correctly as strings ("08:00:00" < "17:30:00").
    def to_index(self, value):
        if not isinstance(value, datetime.time):
            raise TypeError(f"{value!r} is not a time")
        return value.isoformat()

    def from_index(self, value):
        return datetime.time.fromisoformat(value)


class TextKind(FilterKind):
    prefixable = True


def kind_for_type(internal_type):
    if internal_type in INTEGER_TYPES:
        return IntegerKind()
    if internal_type in ("BooleanField", "NullBooleanField"):
        return BooleanKind()
    if internal_type == "FloatField":
        return FloatKind()
    if internal_type == "DecimalField":
        return FloatKind(decimal=True)
    if internal_type == "DateTimeField":
        return DateTimeKind()
    if internal_type == "DateField":
        return DateKind()
    if internal_type == "TimeField":
        return TimeKind()
    return TextKind()


# --- the fields of a model family ----------------------------------------------------------------


@dataclass(frozen=True)
class IndexField:
    """One Whoosh field holding one ``search_fields`` entry (possibly inside ``RelatedFields``)."""

    name: str
    role: str
    boost: float = 1.0
    kind: FilterKind | None = field(default=None, compare=False)
    multi: bool = False
    #: The ``search_fields`` entries leading to this one: ``RelatedFields``... then the field.
    path: tuple = field(default=(), compare=False, repr=False)

    @property
    def sortable(self):
        return self.role == FILTER and not self.multi

    def whoosh_field(self):
        if self.role == TEXT:
            return whoosh_fields.TEXT(analyzer=text_analyzer(), phrase=True)
        if self.role == AUTOCOMPLETE:
            return whoosh_fields.TEXT(analyzer=edge_ngram_analyzer(), phrase=False)
        return self.kind.whoosh_field(sortable=self.sortable)


def family_name(model):
    """The directory name of the index holding ``model``: its root model, e.g. "wagtailcore_page"."""
    root = get_model_root(model)
    return f"{root._meta.app_label}_{root._meta.model_name}"


def content_type_label(model):
    return f"{model._meta.app_label}.{model._meta.model_name}"


def family_models(model):
    """Every indexed model stored in the same index as ``model``."""
    root = get_model_root(model)
    return [candidate for candidate in get_indexed_models() if get_model_root(candidate) is root]


def pk_is_integer(model):
    pk = model._meta.pk
    while pk.is_relation:  # a primary key that is a one-to-one link: follow it to the real key
        pk = pk.target_field
    return pk.get_internal_type() in INTEGER_TYPES


def _is_to_many(search_field, model):
    try:
        django_field = search_field.get_field(model)
    except FieldDoesNotExist:
        return False
    return bool(getattr(django_field, "many_to_many", False) or getattr(django_field, "one_to_many", False))


def _internal_type(search_field, model):
    try:
        return search_field.get_type(model)
    except AttributeError:
        # Relations without a single target field (e.g. some tag managers): compare as text.
        return "CharField"


class ModelMapping:
    """The Whoosh fields for one indexed model, and the documents for its objects."""

    def __init__(self, model):
        self.model = model
        self.root = get_model_root(model)
        self.pk_is_integer = pk_is_integer(self.root)
        self.fields = list(self._walk(model.get_search_fields(), model, "", multi=False, top=True, path=()))
        self._by_name = {index_field.name: index_field for index_field in self.fields}

    # Field naming and discovery

    def _column_prefix(self, search_field, model):
        definition = search_field.get_definition_model(model)
        if (
            isinstance(definition, type)
            and issubclass(definition, models.Model)
            and not definition._meta.abstract
            and definition is not self.root
            and issubclass(definition, self.root)
        ):
            return f"{definition._meta.app_label}_{definition._meta.model_name}__"
        return ""

    def _walk(self, search_fields, model, prefix, multi, top, path):
        for search_field in search_fields:
            own_prefix = prefix + (self._column_prefix(search_field, model) if top else "")
            if isinstance(search_field, RelatedFields):
                try:
                    relation = search_field.get_field(model)
                except FieldDoesNotExist:
                    logger.warning("%s.search_fields: no relation %r", model.__name__, search_field.field_name)
                    continue
                yield from self._walk(
                    search_field.fields,
                    relation.related_model,
                    f"{own_prefix}{search_field.field_name}__",
                    multi=multi or _is_to_many(search_field, model),
                    top=False,
                    path=(*path, search_field),
                )
                continue
            column = own_prefix + search_field.get_attname(model)
            leaf_path = (*path, search_field)
            if isinstance(search_field, SearchField):
                yield IndexField(f"t_{column}", TEXT, boost=float(search_field.boost or 1.0), path=leaf_path)
            elif isinstance(search_field, AutocompleteField):
                yield IndexField(f"a_{column}", AUTOCOMPLETE, path=leaf_path)
            elif isinstance(search_field, FilterField):
                kind = kind_for_type(_internal_type(search_field, model))
                to_many = multi or _is_to_many(search_field, model)
                yield IndexField(f"f_{column}", FILTER, kind=kind, multi=to_many, path=leaf_path)

    def by_role(self, role):
        return [index_field for index_field in self.fields if index_field.role == role]

    def field_for_path(self, path):
        """The ``IndexField`` for a filter path as the query compiler's base class reports it."""
        path = tuple(path)
        for index_field in self.fields:
            if index_field.path == path:
                return index_field
        raise LookupError(f"{self.model.__name__}: no index field for {path!r}")

    def top_level(self, search_field):
        """The ``IndexField`` for a top-level ``search_fields`` entry (``SearchField`` etc.)."""
        return self.field_for_path((search_field,))

    def content_types(self):
        """This model and its concrete parents, as labels: what a search on any of them matches."""
        return [content_type_label(self.model)] + [
            content_type_label(parent) for parent in self.model._meta.get_parent_list() if issubclass(parent, Indexed)
        ]

    # Documents

    def document(self, obj):
        """The Whoosh document (a dict of field name to value) for one object of this model."""
        collected = {index_field.name: [] for index_field in self.fields}
        self._collect(obj, self.model.get_search_fields(), self.model, "", True, collected)

        document = {"pk": str(obj.pk), "ct": " ".join(self.content_types())}
        if self.pk_is_integer:
            document["pkn"] = int(obj.pk)
        nulls, spelling = [], []
        for index_field in self.fields:
            values = collected[index_field.name]
            if index_field.role == FILTER:
                if not values:
                    nulls.append(index_field.name)
                else:
                    document[index_field.name] = values if index_field.multi else values[0]
            elif values:
                document[index_field.name] = "\n".join(values)
                if index_field.role == TEXT:
                    spelling.extend(values)
        if nulls:
            document["nulls"] = " ".join(nulls)
        if spelling:
            document["spell"] = "\n".join(spelling)
        return document

    def _collect(self, obj, search_fields, model, prefix, top, collected):
        for search_field in search_fields:
            own_prefix = prefix + (self._column_prefix(search_field, model) if top else "")
            if isinstance(search_field, RelatedFields):
                try:
                    relation = search_field.get_field(model)
                except FieldDoesNotExist:
                    continue
                for related in _related_objects(search_field.get_value(obj)):
                    self._collect(
                        related,
                        search_field.fields,
                        relation.related_model,
                        f"{own_prefix}{search_field.field_name}__",
                        False,
                        collected,
                    )
                continue
            column = own_prefix + search_field.get_attname(model)
            if isinstance(search_field, SearchField):
                _append_text(collected.get(f"t_{column}"), search_field.get_value(obj))
            elif isinstance(search_field, AutocompleteField):
                _append_text(collected.get(f"a_{column}"), search_field.get_value(obj))
            elif isinstance(search_field, FilterField):
                index_field = self._by_name.get(f"f_{column}")
                if index_field is not None:
                    values = _filter_values(index_field.kind, search_field.get_value(obj), index_field.name)
                    collected[index_field.name].extend(values)


def _related_objects(value):
    if value is None:
        return []
    if isinstance(value, (models.Manager, models.QuerySet)):
        return list(value.all())
    if callable(value):
        value = value()
    if isinstance(value, models.Model):
        return [value]
    if isinstance(value, (list, tuple, set)):
        return [item for item in value if isinstance(item, models.Model)]
    return []


def text_of(value):
    """Searchable text from a field value: strings as they are, lists and dicts item by item."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)):
        return "\n".join(text_of(item) for item in value)
    if isinstance(value, dict):
        return "\n".join(text_of(item) for item in value.values())
    if isinstance(value, (models.Manager, models.QuerySet)):
        return "\n".join(text_of(item) for item in value.all())
    return force_str(value)


def _append_text(target, value):
    text = text_of(value).strip()
    if target is not None and text:
        target.append(text)


def _filter_values(kind, value, name):
    if value is None:
        return []
    if isinstance(value, (models.Manager, models.QuerySet)):
        raw = list(value.values_list("pk", flat=True))
    elif isinstance(value, (list, tuple, set)):
        raw = [item.pk if isinstance(item, models.Model) else item for item in value]
    elif isinstance(value, models.Model):
        raw = [value.pk]
    else:
        raw = [value]
    converted = []
    for item in raw:
        if item is None:
            continue
        try:
            converted.append(kind.to_index(item))
        except (TypeError, ValueError):
            # An odd value must not stop the object being found by its text; it just can't be
            # filtered on.
            logger.warning("Cannot index %r in %s as %s", item, name, type(kind).__name__)
    return converted


class FamilySchema:
    """The Whoosh schema for one index: the fixed fields plus every model's fields."""

    def __init__(self, model):
        self.root = get_model_root(model)
        self.models = family_models(model) or [model]
        self.mappings = {member: ModelMapping(member) for member in self.models}

    def index_fields(self):
        seen = {}
        for mapping in self.mappings.values():
            for index_field in mapping.fields:
                seen.setdefault(index_field.name, index_field)
        return seen

    def whoosh_fields(self):
        """``{name: FieldType}`` for every field the family's documents may have."""
        result = {
            "pk": whoosh_fields.ID(unique=True, stored=True),
            "ct": whoosh_fields.KEYWORD(lowercase=False, commas=False, scorable=False),
            "nulls": whoosh_fields.KEYWORD(lowercase=False, commas=False, scorable=False),
            # The spelling vocabulary: only which items have each word, no counts or lengths.
            "spell": whoosh_fields.FieldType(formats.Existence(), spelling_analyzer()),
        }
        if pk_is_integer(self.root):
            result["pkn"] = numeric_field(int, sortable=True)
        for name, index_field in self.index_fields().items():
            result[name] = index_field.whoosh_field()
        for field_type in result.values():
            # Whoosh keeps a length column (a byte per item) for "scorable" fields. Without one,
            # writing a segment checks the disk for it once per posting: giving every field one
            # makes rebuilds about a third faster. Filters never score, so nothing else changes.
            field_type.scorable = True
        return result

    def schema(self):
        return whoosh_fields.Schema(**self.whoosh_fields())
