"""Keep stored embeddings in step with content: a save embeds the item after the commit (in the
background task path), a delete drops its row. Only models a search kind embeds are touched."""

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import semantic
from .models import Embedding


@receiver(post_save, dispatch_uid="confer_embed_on_save")
def embed_on_save(sender, instance, raw=False, **kwargs):
    if raw or sender is Embedding or not semantic.is_embedded(sender):
        return
    semantic.embed_later(instance)


@receiver(post_delete, dispatch_uid="confer_embedding_on_delete")
def drop_embedding(sender, instance, **kwargs):
    if sender is Embedding or not semantic.is_embedded(sender):
        return
    for search_type in semantic.types_for(sender):
        content_type = ContentType.objects.get_for_model(search_type.model, for_concrete_model=False)
        Embedding.objects.filter(content_type=content_type, object_id=instance.pk).delete()
