"""Questions asked and answers given, for the asker's profile ("Recent activity",
``community.profiles.activity``): what a colleague may see, and the person's own withdrawn or hidden
answers and hidden or duplicate questions, marked, for themselves. Each read walks an index on
(author, created_at)."""

from django.db.models import Q

from community.groups.visibility import within_reach
from community.hooks import ActivityItem
from community.profiles.activity import snippet

from .models import Answer, Question

HIDDEN = "Hidden by a moderator"


def question_activity(person, viewer, before, limit):
    own = viewer.pk == person.pk
    rows = Question.objects.filter(author=person)
    if not own:
        rows = rows.filter(is_hidden=False).exclude(status=Question.Status.DUPLICATE)
        # Posted in an invite-only community: only on the profile as its members see it.
        rows = rows.filter(within_reach(viewer))
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    rows = rows.only("id", "slug", "title", "body_html", "created_at", "is_hidden", "status").order_by(
        "-created_at", "-pk"
    )
    return [
        ActivityItem(
            date=question.created_at,
            kind="Asked",
            title=question.title,
            url=question.get_absolute_url(),
            snippet=snippet(question.body_html),
            state=HIDDEN if question.is_hidden else "Closed as a duplicate" if question.is_duplicate else "",
        )
        for question in rows[:limit]
    ]


def answer_activity(person, viewer, before, limit):
    own = viewer.pk == person.pk
    rows = Answer.objects.filter(author=person).select_related("question")
    if own:
        # Their own answers, but not on a question a moderator hid from them.
        rows = rows.filter(Q(question__is_hidden=False) | Q(question__author=person))
    else:
        rows = rows.filter(is_hidden=False, withdrawn_at__isnull=True, question__is_hidden=False).filter(
            within_reach(viewer, "question__")
        )
    if before is not None:
        rows = rows.filter(created_at__lt=before)
    rows = rows.only(
        "id", "body_html", "created_at", "is_hidden", "withdrawn_at", "question__id", "question__slug",
        "question__title",
    ).order_by("-created_at", "-pk")  # fmt: skip
    return [
        ActivityItem(
            date=answer.created_at,
            kind="Answered",
            title=answer.question.title,
            url=answer.get_absolute_url(),
            snippet="" if answer.withdrawn_at and not own else snippet(answer.body_html),
            state=HIDDEN if answer.is_hidden else "Withdrawn" if answer.withdrawn_at else "",
        )
        for answer in rows[:limit]
    ]
