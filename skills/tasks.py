"""Background work (django-tasks): buddy emails, reminders and routing unanswered questions.

With the default ImmediateBackend a task runs as soon as it is enqueued; schedule the two periodic
ones (or ``manage.py send_buddy_reminders`` and ``manage.py route_unanswered_questions``) hourly.
"""

from django_tasks import task


@task()
def send_buddy_emails(kind: str, request_id: int, user_ids: list[int]) -> int:
    from .emails import send

    return send(kind, request_id, user_ids)


@task()
def send_buddy_reminders() -> dict:
    from .models import send_buddy_reminders as run

    return run()


@task()
def route_unanswered_questions() -> int:
    from .models import route_unanswered_questions as run

    return run()


@task()
def refresh_topic_scores(tag_ids: list[int] | None = None) -> int:
    """Work out again the "who can help" scores of these topics (every topic already worked out
    when none are given: the daily run, for what changes with time alone)."""
    from .models import TopicRanking
    from .ranking import refresh_topic_scores as run

    if tag_ids is None:
        tag_ids = list(TopicRanking.objects.values_list("tag_id", flat=True))
        TopicRanking.objects.filter(tag_id__in=tag_ids).update(stale=True)
    return run(tag_ids)
