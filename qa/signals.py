"""Rules for comments on questions, applied however a comment arrives.

Comments are posted through Confer's own view, but django-comments-xtd's URLs (``/comments/post/``)
accept posts too; these receivers keep the same rules on both paths.
"""

import django_comments
from django.dispatch import receiver
from django.utils import timezone
from django.utils.text import Truncator
from django_comments.signals import comment_was_posted, comment_will_be_posted

from community.follows import follow

from .models import Question
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
            question.notify_followers(
                "qa.new_comment",
                actor=comment.user,
                data={"comment": Truncator(comment.comment).words(30), "comment_id": comment.pk},
            )
