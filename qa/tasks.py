"""Background work (django-tasks) for Q&A: reminding the helpdesk of verifications that fall due.

Scheduled daily by ``manage.py run_scheduler`` (settings.PERIODIC_TASKS), or from cron with
``manage.py send_review_reminders``.
"""

from django_tasks import task


@task()
def send_review_reminders() -> int:
    from .models import send_review_reminders as run

    return run()
