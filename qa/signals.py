"""Answer counts and answer flags that stay right however an answer is saved or deleted.

(Comments need no receivers: they are posted only through community.comments.post_comment, which
calls Question.comment_posted.)
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from community.models import TagUsage

from .models import Answer, Question, QuestionTag


@receiver(post_save, sender=Answer)
def keep_answer_flags_on_save(sender, instance, raw=False, **kwargs):
    """Accepting, verifying, hiding or editing an answer (on the site, in the admin or in a script)
    updates the flags its question's row keeps for lists."""
    if not raw:
        Question.objects.filter(pk=instance.question_id).refresh_answer_state()


@receiver(post_delete, sender=Answer)
def keep_answer_count_on_delete(sender, instance, **kwargs):
    """However an answer is deleted (the admin, or with its author's account), the question's count
    and flags stay right. Hidden and withdrawn answers were already taken off the count."""
    questions = Question.objects.filter(pk=instance.question_id)
    if not instance.is_hidden and not instance.withdrawn_at:
        questions.filter(answer_count__gt=0).update(answer_count=F("answer_count") - 1)
    questions.refresh_answer_state()


@receiver(post_save, sender=QuestionTag)
def count_tag_use(sender, instance, created=False, raw=False, **kwargs):
    """/tags/ shows how many questions carry each tag (community.models.TagUsage)."""
    if created and not raw:
        TagUsage.count(instance.tag_id, "questions", 1)


@receiver(post_delete, sender=QuestionTag)
def uncount_tag_use(sender, instance, **kwargs):
    TagUsage.count(instance.tag_id, "questions", -1)
