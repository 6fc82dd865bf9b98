"""The listening post's scheduled work (settings.PERIODIC_TASKS, ``manage.py run_scheduler``)."""

from django_tasks import task


@task()
def fetch_sources() -> dict:
    """Fetch every active source; a failing one is recorded on it and the run goes on."""
    from .fetching import fetch_all

    return fetch_all()


@task()
def purge_old_items() -> int:
    """Delete unshared items older than LISTENING_POST["RETENTION_DAYS"]."""
    from .fetching import purge_old_items as purge

    return purge()
