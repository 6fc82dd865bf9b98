"""Rules for comments on ideas, applied however a comment arrives.

Comments are posted through Confer's own view; these receivers keep the same rules should a comment
arrive another way (django-comments-xtd's own post view, the admin), and keep the count on the idea.
"""

import django_comments
from django.db.models import F
from django.dispatch import receiver
from django_comments.signals import comment_was_posted, comment_will_be_posted
from django_comments_xtd import signals as xtd_signals

from community.comments import tell_followers
from community.listening.follows import follow

from .models import Idea
from .views import count_use, rate_limited


def _idea(comment):
    target = comment.content_object
    return target if isinstance(target, Idea) else None


@receiver(comment_will_be_posted)
def keep_comments_to_open_threads(sender, comment, request, **kwargs):
    """Refuse (return False) a comment on a merged idea, a reply to a comment on another idea, or
    one past the posting limit."""
    idea = _idea(comment)
    if idea is None:
        return None
    if idea.is_merged:
        return False
    parent_id = getattr(comment, "parent_id", 0) or 0
    if parent_id and not (
        django_comments.get_model()
        .objects.filter(pk=parent_id, content_type=comment.content_type, object_pk=str(idea.pk))
        .exists()
    ):
        return False
    if rate_limited(request, "ideas.comment"):
        return False
    count_use(request, "ideas.comment")
    return None


@receiver(comment_was_posted)
def count_and_tell(sender, comment, request, **kwargs):
    idea = _idea(comment)
    if idea is None or not comment.is_public or comment.is_removed:
        return
    Idea.objects.filter(pk=idea.pk).update(comment_count=F("comment_count") + 1)
    if comment.user is not None:
        follow(comment.user, idea, auto=True)


@receiver(xtd_signals.confirmation_received)
def tell_followers_about_the_comment(sender, comment, request, **kwargs):
    tell_followers(comment, _idea(comment), "ideas.new_comment")
