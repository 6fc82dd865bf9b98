"""How many ideas carry each tag, kept on the tag's usage row for /tags/ (community.models.TagUsage)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from community.models import TagUsage

from .models import IdeaTag


@receiver(post_save, sender=IdeaTag)
def count_tag_use(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        TagUsage.count(instance.tag_id, "ideas", 1)


@receiver(post_delete, sender=IdeaTag)
def uncount_tag_use(sender, instance, **kwargs):
    TagUsage.count(instance.tag_id, "ideas", -1)
