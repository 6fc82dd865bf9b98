"""Rules for comments on questions, applied however a comment arrives; and answer counts that stay
right however an answer is deleted.

Comments are posted through Confer's own view, but django-comments-xtd's URLs (``/comments/post/``)
accept posts too; these receivers keep the same rules on both paths.
"""

import django_comments
from django.db.models import F
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django_comments.signals import comment_was_posted, comment_will_be_posted
from django_comments_xtd import signals as xtd_signals

from community.comments import tell_followers
from community.listening.follows import follow

from .models import Answer, Question
from .views import count_post, rate_limited


def _question(comment):
    target = comment.content_object
    return target if isinstance(target, Question) else None


@receiver(comment_will_be_posted)
def keep_comments_to_visible_questions(sender, comment, request, **kwargs):
    """Refuse (return False) a comment on a question this person cannot see, a reply to a comment on
    another question, or one past the posting limit."""
    question = _question(comment)
    if question is None:
        return None
    if not question.is_visible_to(request.user):
        return False
    parent_id = getattr(comment, "parent_id", 0) or 0
    if parent_id and not (
        django_comments.get_model()
        .objects.filter(pk=parent_id, content_type=comment.content_type, object_pk=str(question.pk))
        .exists()
    ):
        return False
    if rate_limited(request, "qa.comment"):
        return False
    count_post(request, "qa.comment")
    return None


@receiver(comment_was_posted)
def mark_question_active(sender, comment, request, **kwargs):
    question = _question(comment)
    if question is not None:
        Question.objects.filter(pk=question.pk).update(last_activity_at=timezone.now())
        if comment.user is not None and comment.is_public and not comment.is_removed:
            follow(comment.user, question, auto=True)


@receiver(xtd_signals.confirmation_received)
def tell_followers_about_the_comment(sender, comment, request, **kwargs):
    tell_followers(comment, _question(comment), "qa.new_comment")


@receiver(post_delete, sender=Answer)
def keep_answer_count_on_delete(sender, instance, **kwargs):
    """However an answer is deleted (the admin, or with its author's account), the question's count
    stays right. Hidden answers were already taken off it when they were hidden."""
    if not instance.is_hidden:
        Question.objects.filter(pk=instance.question_id, answer_count__gt=0).update(answer_count=F("answer_count") - 1)
