from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from insight.models import purge_search_events


class Command(BaseCommand):
    help = "Delete recorded search page views older than INSIGHT_SEARCH_RETENTION_DAYS (run it daily)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Keep this many days instead (default {settings.INSIGHT_SEARCH_RETENTION_DAYS}).",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        deleted = purge_search_events(days)
        self.stdout.write(f"Deleted {deleted} search record{'s' if deleted != 1 else ''}.")
