"""Answer counts that stay right however an answer is deleted.

(Comments need no receivers: they are posted only through community.comments.post_comment, which
calls Question.comment_posted.)
"""

from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Answer, Question


@receiver(post_delete, sender=Answer)
def keep_answer_count_on_delete(sender, instance, **kwargs):
    """However an answer is deleted (the admin, or with its author's account), the question's count
    stays right. Hidden answers were already taken off it when they were hidden."""
    if not instance.is_hidden:
        Question.objects.filter(pk=instance.question_id, answer_count__gt=0).update(answer_count=F("answer_count") - 1)
