"""Background work (django-tasks): emails leave the request that caused them.

With the default ImmediateBackend a task runs as soon as it is enqueued (after the transaction
commits); a real worker backend (``TASKS_BACKEND``) moves them out of the web process.
"""

from django_tasks import task

from .models import Notification


@task()
def send_immediate_emails(event_id: str, user_ids: list[int]) -> int:
    from .emails import send_immediate

    ids = Notification.objects.filter(event_id=event_id, recipient_id__in=user_ids).values_list("pk", flat=True)
    return send_immediate(list(ids))


@task()
def fan_out(event_type: str, actor_id, target: list, followed: list, tags: list, data: dict, can_see: str) -> int:
    """Tell everyone following what a new post concerns (``notifications.notify_from_worker``)."""
    from .notifications import fan_out_now

    return fan_out_now(event_type, actor_id, target, followed, tags, data, can_see)


@task()
def send_digests() -> dict:
    """The scheduled run of ``manage.py send_digests``: enqueue it daily, at the hour digests should go."""
    from .emails import send_digests as send

    return send()
