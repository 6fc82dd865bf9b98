"""Semantic search: stored sentence embeddings, and the nearest neighbours of a query among them.

Every kind of content whose ``SearchType`` has ``embed_text`` gets one ``Embedding`` row per item,
made when the item is saved (``embed_later``: a django-tasks task run after the commit) and by
``update_index``. Each process keeps the vectors in memory as one matrix per model and, before
each search, reads only the rows added since it last looked (rows are replaced, never updated, so
their ids only grow): one indexed query, usually returning nothing.

Neighbours are only candidates: each kind's ``queryset(request)`` (and the tag filter) decides
which of them this person may see, in one query per kind, so permissions and filters apply to
every semantic hit as they do to lexical ones. If the model cannot be loaded everything here
returns nothing and search is lexical (encoder.py logs why).
"""

import hashlib
import logging
import threading
from functools import lru_cache

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max
from django_tasks import task

from . import encoder as encoders
from .models import Embedding

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 2000  # what is embedded of a long post: the model reads 256 word pieces at most
NEIGHBOURS = 100  # nearest vectors read per kind before permissions and filters


def _search_types():
    from .search import search_types

    return [search_type for search_type in search_types() if search_type.embed_text is not None]


def types_for(model):
    """The kinds an item of ``model`` is searched as: its own, or else its nearest parent's
    (a content page is searched as a Page; a workshop page has a kind of its own)."""
    types = _search_types()
    exact = [t for t in types if t.model is model]
    return exact or [t for t in types if issubclass(model, t.model)]


def text_for(search_type, obj) -> str:
    return " ".join((search_type.embed_text(obj) or "").split())[:MAX_TEXT_CHARS]


def _hash(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()  # a change detector, not security


# --- computing and storing ------------------------------------------------------------------------


def embed_objects(search_type, objects, force=False) -> int:
    """Embed and store ``objects`` of one kind (those whose text changed, unless ``force``).
    Returns how many were embedded."""
    encoder = encoders.get_encoder()
    if encoder is None or not objects:
        return 0
    content_type = ContentType.objects.get_for_model(search_type.model, for_concrete_model=False)
    stored = {
        row["object_id"]: row
        for row in Embedding.objects.filter(content_type=content_type, object_id__in=[o.pk for o in objects]).values(
            "object_id", "text_hash", "model_name"
        )
    }
    todo = []
    for obj in objects:
        text = text_for(search_type, obj)
        row = stored.get(obj.pk)
        if force or row is None or row["text_hash"] != _hash(text) or row["model_name"] != encoder.name:
            todo.append((obj.pk, text))
    if not todo:
        return 0
    vectors = encoder.encode([text for _, text in todo])
    with transaction.atomic():
        Embedding.objects.filter(content_type=content_type, object_id__in=[pk for pk, _ in todo]).delete()
        Embedding.objects.bulk_create(
            Embedding(
                content_type=content_type,
                object_id=pk,
                model_name=encoder.name,
                text_hash=_hash(text),
                vector=vector.astype("<f4").tobytes(),
            )
            for (pk, text), vector in zip(todo, vectors, strict=True)
        )
    return len(todo)


def embed_all(stdout=None, batch=256) -> int:
    """Embed every item of every kind whose text changed: ``update_index`` runs this."""
    total = 0
    for search_type in _search_types():
        queryset = search_type.queryset(None)  # what search may show: hidden items are not embedded
        pks = list(queryset.order_by("pk").values_list("pk", flat=True))
        done = 0
        for start in range(0, len(pks), batch):
            chunk = list(queryset.filter(pk__in=pks[start : start + batch]))
            done += embed_objects(search_type, chunk)
        if stdout is not None:
            stdout.write(f"Embedded {done} of {len(pks)} {search_type.label.lower()} for semantic search")
        total += done
    return total


@task()
def embed_items(model_label: str, pks: list[int]) -> None:
    """The background task a save enqueues: embed these items of ``model_label`` ("qa.question")."""
    from django.apps import apps

    model = apps.get_model(model_label)
    for search_type in types_for(model):
        queryset = search_type.queryset(None).filter(pk__in=pks)
        try:
            embed_objects(search_type, list(queryset))
        except Exception:  # a failed embedding must never fail the save it follows
            logger.exception("Could not embed %s %s", model_label, pks)


def embed_later(instance) -> None:
    """After the save commits, embed the item in the background (no-op without the model)."""
    if not types_for(type(instance)) or encoders.get_encoder() is None:
        return
    label = instance._meta.label_lower
    pk = instance.pk
    after_commit(lambda: embed_items.enqueue(label, [pk]))


def after_commit(fn) -> None:
    # A name of its own so tests, which never commit, can run the task at once.
    transaction.on_commit(fn)


def is_embedded(model) -> bool:
    """Whether a search kind embeds items of ``model`` (cached: every save of anything asks)."""
    if model not in _EMBEDDED:
        _EMBEDDED[model] = bool(types_for(model))
    return _EMBEDDED[model]


_EMBEDDED: dict = {}


# --- nearest neighbours ---------------------------------------------------------------------------


class VectorStore:
    """This process's copy of the stored vectors: per content type, a matrix and its object ids."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.last_id = 0
        self.vectors: dict[int, dict[int, object]] = {}  # content type id -> {object id: vector}
        self.built: dict[int, tuple[list[int], object]] = {}  # content type id -> (ids, matrix)
        self.model_name = None

    def refresh(self, model_name: str) -> None:
        import numpy as np

        with self.lock:
            newest = Embedding.objects.aggregate(newest=Max("id"))["newest"] or 0
            if model_name != self.model_name or newest < self.last_id:
                # Another model, or rows this process read are gone (a flushed or restored database).
                self.reset()
                self.model_name = model_name
            if newest == self.last_id:
                return
            new = (
                Embedding.objects.filter(id__gt=self.last_id, model_name=model_name)
                .order_by("id")
                .values_list("id", "content_type_id", "object_id", "vector")
            )
            for row_id, content_type_id, object_id, vector in new:
                self.vectors.setdefault(content_type_id, {})[object_id] = np.frombuffer(bytes(vector), dtype="<f4")
                self.built.pop(content_type_id, None)  # rebuilt on next use
                self.last_id = max(self.last_id, row_id)

    def _matrix(self, content_type_id: int):
        import numpy as np

        with self.lock:
            if content_type_id not in self.built:
                vectors = self.vectors.get(content_type_id, {})
                ids = list(vectors)
                matrix = np.vstack([vectors[i] for i in ids]) if ids else None
                self.built[content_type_id] = (ids, matrix)
            return self.built[content_type_id]

    def nearest(self, content_type_id: int, query_vector, k: int) -> list[tuple[int, float]]:
        import numpy as np

        ids, matrix = self._matrix(content_type_id)
        if matrix is None:
            return []
        scores = matrix @ query_vector
        k = min(k, len(scores))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best])]
        return [(ids[i], float(scores[i])) for i in best]


STORE = VectorStore()


@lru_cache(maxsize=256)
def _query_vector(text: str):
    encoder = encoders.get_encoder()
    return encoder.encode([text])[0]


def refresh() -> bool:
    """Read the vectors stored since this process last looked; False without the model."""
    encoder = encoders.get_encoder()
    if encoder is None:
        return False
    STORE.refresh(encoder.name)
    return True


def neighbours(
    text: str, search_type, request, tag=None, k: int = NEIGHBOURS, min_similarity: float = 0.0, fresh=False
):
    """The items of one kind nearest in meaning to ``text`` that this person may see (and that
    carry ``tag``), best first, as ``[(item, similarity), …]``. Empty without the model.
    ``fresh``: the caller has just called ``refresh()`` (one search over many kinds reads once)."""
    encoder = encoders.get_encoder()
    if encoder is None or search_type.embed_text is None or not text.strip():
        return []
    if not fresh:
        STORE.refresh(encoder.name)
    content_type = ContentType.objects.get_for_model(search_type.model, for_concrete_model=False)
    near = [
        (pk, score) for pk, score in STORE.nearest(content_type.pk, _query_vector(text), k) if score >= min_similarity
    ]
    if not near:
        return []
    queryset = search_type.queryset(request)
    if tag is not None:
        if search_type.tag_model is None:
            return []
        tagged = search_type.tag_model.objects.filter(tag=tag, content_object_id__in=[pk for pk, _ in near])
        queryset = queryset.filter(pk__in=tagged.values("content_object_id"))
    allowed = queryset.in_bulk([pk for pk, _ in near])
    return [(allowed[pk], score) for pk, score in near if pk in allowed]
