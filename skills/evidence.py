"""What people have done that shows they know a topic, pulled from the other parts of Confer.

Each function takes tag ids and returns ``{user_id: number of items}`` carrying any of those tags,
in one query; skills/wagtail_hooks.py registers them as ``EvidenceSource``s for the ranking. The
dependency points this way only: skills reads qa, ideas and workshops; none of them knows skills.
"""

from django.db.models import Count
from django.utils import timezone

from community.workshops.models import WorkshopPage, WorkshopSignup
from ideas.models import Idea
from qa.models import Answer


def _count_by(rows, field: str, counted: str = "pk") -> dict[int, int]:
    rows = rows.order_by().values(field).annotate(count=Count(counted, distinct=True))
    return {row[field]: row["count"] for row in rows}


def _answers_on(tag_ids):
    return Answer.objects.filter(
        is_hidden=False, question__is_hidden=False, question__tagged_items__tag_id__in=list(tag_ids)
    )


def accepted_answer_counts(tag_ids) -> dict[int, int]:
    return _count_by(_answers_on(tag_ids).filter(is_accepted=True), "author_id")


def verified_answer_counts(tag_ids) -> dict[int, int]:
    return _count_by(_answers_on(tag_ids).filter(verified_at__isnull=False), "author_id")


def implemented_idea_counts(tag_ids) -> dict[int, int]:
    """Ideas someone suggested that were implemented, per author."""
    ideas = Idea.objects.filter(status=Idea.Status.IMPLEMENTED, tagged_items__tag_id__in=list(tag_ids))
    return _count_by(ideas, "author_id")


def _workshops_on(tag_ids):
    return WorkshopPage.objects.live().filter(tagged_items__tag_id__in=list(tag_ids))


def hosted_workshop_counts(tag_ids) -> dict[int, int]:
    """Workshops someone ran on these topics (that have started), per host."""
    workshops = _workshops_on(tag_ids).filter(host__isnull=False, start_at__lte=timezone.now())
    return _count_by(workshops, "host_id")


def attended_workshop_counts(tag_ids) -> dict[int, int]:
    """Workshops someone attended on these topics (attendance recorded), per person."""
    signups = WorkshopSignup.objects.filter(attended=True, workshop__in=_workshops_on(tag_ids))
    return _count_by(signups, "user_id", counted="workshop_id")
