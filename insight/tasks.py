"""Background work (django-tasks) for insight."""

from django_tasks import task

from .models import purge_search_events as purge


@task()
def purge_search_events() -> int:
    """The scheduled run of ``manage.py purge_search_events``: enqueue it daily."""
    return purge()
