"""Keep the "who can help" scores (skills.ranking, TopicScore) up to date: whatever changes a
topic's evidence marks the topic stale in the same transaction and enqueues its refresh.

Skills reads the other parts, so it listens to their models; none of them knows it does. Saves that
cannot change a score (a vote moving an answer's score, a question's answer count) pass
``update_fields`` without any field below, and are ignored.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from community.profiles.models import Profile
from community.workshops.models import WorkshopPage, WorkshopPageTag, WorkshopSignup
from ideas.models import Idea, IdeaTag
from qa.models import Answer, Question, QuestionTag

from .models import HelpOffer, HelpOfferTopic, Skill, TopicScore


def topics_changed(tag_ids):
    from .ranking import mark_stale
    from .tasks import refresh_topic_scores

    stale = mark_stale(tag_ids)
    if stale:
        refresh_topic_scores.enqueue(stale)


def _matters(update_fields, fields) -> bool:
    return update_fields is None or bool(set(update_fields) & fields)


@receiver([post_save, post_delete], sender=Skill)
@receiver([post_save, post_delete], sender=HelpOfferTopic)
@receiver([post_save, post_delete], sender=QuestionTag)
@receiver([post_save, post_delete], sender=IdeaTag)
@receiver([post_save, post_delete], sender=WorkshopPageTag)
def _tagged(sender, instance, **kwargs):
    topics_changed([instance.tag_id])


@receiver(post_save, sender=HelpOffer)
def _offer_saved(sender, instance, update_fields=None, **kwargs):
    if _matters(update_fields, {"paused_at", "ends_on", "user"}):
        topics_changed(HelpOfferTopic.objects.filter(content_object=instance).values_list("tag_id", flat=True))


@receiver(post_save, sender=Question)
def _question_saved(sender, instance, update_fields=None, created=False, **kwargs):
    if not created and _matters(update_fields, {"is_hidden"}):
        topics_changed(QuestionTag.objects.filter(content_object=instance).values_list("tag_id", flat=True))


@receiver([post_save, post_delete], sender=Answer)
def _answer_changed(sender, instance, update_fields=None, **kwargs):
    if _matters(update_fields, {"is_accepted", "verified_at", "is_hidden", "author"}):
        tags = QuestionTag.objects.filter(content_object_id=instance.question_id).values_list("tag_id", flat=True)
        topics_changed(tags)


@receiver(post_save, sender=Idea)
def _idea_saved(sender, instance, update_fields=None, created=False, **kwargs):
    if not created and _matters(update_fields, {"status", "author"}):
        topics_changed(IdeaTag.objects.filter(content_object=instance).values_list("tag_id", flat=True))


@receiver(post_save, sender=WorkshopPage)
def _workshop_saved(sender, instance, **kwargs):
    topics_changed(WorkshopPageTag.objects.filter(content_object=instance).values_list("tag_id", flat=True))


@receiver([post_save, post_delete], sender=WorkshopSignup)
def _signup_changed(sender, instance, update_fields=None, **kwargs):
    if _matters(update_fields, {"attended"}):
        tags = WorkshopPageTag.objects.filter(content_object_id=instance.workshop_id).values_list("tag_id", flat=True)
        topics_changed(tags)


@receiver(post_save, sender=Profile)
def _profile_saved(sender, instance, **kwargs):
    # Ties are broken by name: keep it on the kept rows (one UPDATE through their user index).
    name = instance.display_name.lower()[:200]
    TopicScore.objects.filter(user_id=instance.user_id).exclude(sort_name=name).update(sort_name=name)
