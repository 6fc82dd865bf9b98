"""All of Confer's content as JSON lines, out of one database and into another (docs/backup.md).

What is carried is declared by each part through the ``confer_content_exports`` hook
(``community.hooks.ContentExport``), so the core never imports the parts. The file is a header line,
then one line per row, in Django's serialization format (``{"model", "pk", "fields"}``), written and
read a row at a time, so its size is bounded by the disk, not by memory.

Rows keep their primary keys, so every address (``/qa/12/…``, ``/ideas/7/…``, page ids) and every
reference between rows survives the move. Content types, permissions and groups are the exception:
their numbers depend on the order things were installed, so rows name them instead
(``["qa", "question"]``, and a group by its name).
"""

import datetime
import json
from collections import Counter
from collections.abc import Iterable

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.base import CommandError
from django.core.management.color import no_style
from django.core.serializers import base, jsonl, python
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, models, transaction
from django.db.models import Prefetch

from community import hooks as confer_hooks

FORMAT = "confer-content"
VERSION = 1
CHUNK_SIZE = 2000
# Rows named by their natural keys rather than their numbers (see the module docstring).
BY_NAME = (ContentType, Permission, Group)
NATURAL_ORDER = {Group: ("name",), Permission: ("content_type__app_label", "content_type__model", "codename")}

# Models deliberately not carried, and why (docs/backup.md). A test holds every model to be either
# exported or listed here, so a new model cannot be forgotten silently.
LEFT_OUT = {
    "contenttypes.ContentType": "made by migrate; rows name content types instead",
    "auth.Permission": "made by migrate; rows name permissions instead",
    "sessions.Session": "signed-in sessions: people sign in again",
    "axes.AccessAttempt": "failed sign-in records and lock-outs",
    "axes.AccessAttemptExpiration": "failed sign-in records and lock-outs",
    "axes.AccessFailureLog": "failed sign-in records and lock-outs",
    "axes.AccessLog": "sign-in records",
    "django_tasks_database.DBTaskResult": "background jobs, done or waiting",
    "community.Embedding": "derived: update_index remakes it",
    "wagtailsearch.IndexEntry": "derived: update_index remakes it",
    "wagtailsearch.SQLiteFTSIndexEntry": "derived: update_index remakes it",
    "wagtailcore.ReferenceIndex": "derived: rebuild_references_index remakes it",
    "wagtailimages.Rendition": "derived: resized images are made again when shown",
    "wagtailembeds.Embed": "a cache of embedded media",
    "wagtailadmin.Admin": "holds no rows",
    "wagtailadmin.EditingSession": "who is editing a page right now",
    "wagtailadmin.FormState": "unsaved admin form state",
    "wagtailcore.UploadedFile": "uploads not yet saved",
    "wagtailcore.APIToken": "API credentials: issue new ones on the new server",
    "wagtailcore.Workflow": "moderation workflows: Confer keeps Wagtail's default, which migrate makes",
    "wagtailcore.WorkflowContentType": "moderation workflows (as above)",
    "wagtailcore.WorkflowPage": "moderation workflows (as above)",
    "wagtailcore.WorkflowTask": "moderation workflows (as above)",
    "wagtailcore.WorkflowState": "moderation workflows (as above)",
    "wagtailcore.Task": "moderation workflows (as above)",
    "wagtailcore.GroupApprovalTask": "moderation workflows (as above)",
    "wagtailcore.TaskState": "moderation workflows (as above)",
}


def left_out() -> dict[str, str]:
    """Every model deliberately not carried, with why: the core's and those the parts declare."""
    declared = {
        label: why
        for export in confer_hooks.registered(confer_hooks.CONTENT_EXPORTS)
        for label, why in export.left_out
    }
    return {**LEFT_OUT, **declared}


def plan() -> list[tuple[type[models.Model], confer_hooks.ContentExport]]:
    """Every exported model with the declaration it came from, in load order (a model declared
    twice keeps its first place)."""
    seen: dict = {}
    for export in confer_hooks.registered(confer_hooks.CONTENT_EXPORTS):
        for label in export.models:
            seen.setdefault(apps.get_model(label), export)
    return list(seen.items())


def _m2m_fields(model):
    return [
        field
        for field in model._meta.local_many_to_many
        if field.serialize and field.remote_field.through._meta.auto_created
    ]


class _Encoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds; a copy keeps them to the microsecond."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time) and o.microsecond:
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class _Serializer(jsonl.Serializer):
    """Django's JSON lines serializer, naming only ``BY_NAME`` rows by their natural keys, reading
    those names from a cache (they are few), and listing many-to-many values in a fixed order so
    two exports of the same content are identical byte for byte."""

    def __init__(self, *, with_passwords=False, names=None):
        super().__init__()
        self.with_passwords = with_passwords
        self.names = {} if names is None else names

    def name_of(self, model, pk):
        key = (model, pk)
        if key not in self.names:
            if model is ContentType:
                self.names[key] = list(ContentType.objects.get_for_id(pk).natural_key())
            else:
                self.names[key] = list(model._base_manager.get(pk=pk).natural_key())
        return self.names[key]

    def get_dump_object(self, obj):
        data = {"model": str(obj._meta), "fields": self._current}
        if type(obj) not in BY_NAME:
            data["pk"] = self._value_from_field(obj, obj._meta.pk)
        if isinstance(obj, get_user_model()) and not self.with_passwords:
            data["fields"].pop("password", None)
        return data

    def handle_fk_field(self, obj, field):
        related = field.remote_field.model
        if related not in BY_NAME:
            self._current[field.name] = self._value_from_field(obj, field)
            return
        pk = getattr(obj, field.attname)
        self._current[field.name] = None if pk is None else self.name_of(related, pk)

    def handle_m2m_field(self, obj, field):
        if not field.remote_field.through._meta.auto_created:
            return  # a model of its own (tags' through models), exported as such
        related = field.remote_field.model
        pks = [item.pk for item in getattr(obj, field.name).all()]  # prefetched by export()
        if related in BY_NAME:
            self._current[field.name] = sorted(self.name_of(related, pk) for pk in pks)
        else:
            self._current[field.name] = sorted(pks)


def export(out, *, with_passwords=False, using=DEFAULT_DB_ALIAS) -> Counter:
    """Write every exported row to the text stream ``out``; returns the rows written per model.

    Reads one consistent snapshot: a read-only repeatable-read transaction on PostgreSQL, a
    deferred (reading) transaction on SQLite, which in WAL mode never blocks the site's writers.
    """
    connection = connections[using]
    counts: Counter = Counter()
    outermost = not connection.in_atomic_block
    saved_mode = getattr(connection, "transaction_mode", None)
    if connection.vendor == "sqlite":
        connection.transaction_mode = "DEFERRED"
    try:
        with transaction.atomic(using=using):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            out.write(json.dumps({"format": FORMAT, "version": VERSION}) + "\n")
            names: dict = {}
            for model, _export in plan():
                queryset = model._base_manager.using(using).order_by(*NATURAL_ORDER.get(model, ("pk",)))
                for field in _m2m_fields(model):
                    queryset = queryset.prefetch_related(
                        Prefetch(field.name, queryset=field.remote_field.model._base_manager.only("pk"))
                    )
                serializer = _Serializer(with_passwords=with_passwords, names=names)
                rows = _counted(queryset.iterator(chunk_size=CHUNK_SIZE), counts, model)
                serializer.serialize(rows, stream=out, cls=_Encoder)
    finally:
        if connection.vendor == "sqlite":
            connection.transaction_mode = saved_mode
    return counts


def _counted(rows, counts, model):
    for row in rows:
        counts[model._meta.label] += 1
        yield row


def import_lines(lines: Iterable[bytes], *, using=DEFAULT_DB_ALIAS) -> Counter:
    """Load an export into this database, all or nothing; returns the rows loaded per model.

    ``lines`` are the file's lines as bytes. Refuses (CommandError, nothing changed) a database that
    already holds content, and any line it cannot load, saying which line and why.
    """
    steps = plan()
    known = {model._meta.label_lower: (model, export) for model, export in steps}
    user_model = get_user_model()
    counts: Counter = Counter()
    deferred = []
    with transaction.atomic(using=using):
        _refuse_unless_empty(steps, using)
        _clear_migrated_rows(steps, using)
        number = 0
        for number, raw in enumerate(lines, start=1):
            data = _parse(number, raw)
            if number == 1:
                if data.get("format") != FORMAT:
                    raise CommandError("Line 1: this is not a Confer content export (no confer-content header).")
                if data.get("version") != VERSION:
                    version = data.get("version")
                    raise CommandError(f"Line 1: export format version {version!r}; this Confer reads {VERSION}.")
                continue
            if data is None:
                continue
            label = str(data.get("model", "")).lower()
            if label not in known:
                raise CommandError(f"Line {number}: {data.get('model')!r} is not a kind of content Confer exports.")
            model, export = known[label]
            if model is user_model and "password" not in data["fields"]:
                # Exported without password hashes: the account signs in through single sign-on or
                # after a password reset.
                data["fields"]["password"] = make_password(None)
            try:
                for obj in python.Deserializer([data], using=using, handle_forward_references=True):
                    # Rows a fresh database already has (the page tree's root, the default site)
                    # are overwritten; every other table is empty, so each row is one INSERT.
                    obj.save(using=using, force_insert=model._meta.label not in export.migrated)
                    if obj.deferred_fields:
                        deferred.append((number, obj))
            except (base.DeserializationError, DatabaseError, FieldDoesNotExist, LookupError, TypeError,
                    ValidationError, ValueError) as error:  # fmt: skip
                raise CommandError(f"Line {number} ({data.get('model')}): {error}") from error
            counts[model._meta.label] += 1
        if number == 0:
            raise CommandError("The file is empty: nothing was imported.")
        for number, obj in deferred:
            try:
                obj.save_deferred_fields(using=using)
            except (base.DeserializationError, DatabaseError, LookupError) as error:
                raise CommandError(f"Line {number} ({obj.object._meta.label}): {error}") from error
        connection = connections[using]
        try:
            connection.check_constraints(table_names=[model._meta.db_table for model, _export in steps])
        except IntegrityError as error:
            raise CommandError(f"The file refers to rows it does not hold: {error}") from error
        # PostgreSQL's sequences do not move when rows are inserted with their ids.
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [model for model, _export in steps]):
                cursor.execute(statement)
    return counts


def _parse(number, raw):
    """The JSON object on line ``number``, or None for a blank line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CommandError(f"Line {number}: not UTF-8 text (byte {error.start + 1}).") from error
    if not text.strip():
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CommandError(f"Line {number}: not valid JSON ({error.msg} at column {error.colno}).") from error
    if number == 1:
        if not isinstance(data, dict):
            raise CommandError("Line 1: this is not a Confer content export (no confer-content header).")
        return data
    if not (isinstance(data, dict) and isinstance(data.get("model"), str) and isinstance(data.get("fields"), dict)):
        raise CommandError(f'Line {number}: expected an object with "model" and "fields".')
    return data


def _refuse_unless_empty(steps, using):
    """Importing into a site already in use would mix two communities' rows and numbers: only an
    empty, migrated database is accepted (the rows migrations make do not count)."""
    held = [
        model._meta.label
        for model, export in steps
        if model._meta.label not in export.migrated and model._base_manager.using(using).exists()
    ]
    if held:
        shown = ", ".join(held[:5]) + (f" and {len(held) - 5} more" if len(held) > 5 else "")
        raise CommandError(
            f"This database already holds content ({shown}); nothing was imported. import_content loads "
            "into an empty database: create a new one, run `manage.py migrate`, then import."
        )


def _clear_migrated_rows(steps, using):
    """Delete what the export's rows replace: the default site and page, their permissions. A tree
    (pages, collections) keeps its root, which the export's root overwrites."""
    for model, export in reversed(steps):
        if model._meta.label not in export.replaces:
            continue
        rows = model._base_manager.using(using).all()
        if any(field.name == "depth" for field in model._meta.concrete_fields):
            rows = rows.filter(depth__gt=1)
        rows.delete()
