from django.core.management.base import BaseCommand

from community.listening.emails import send_digests
from community.models import Digest


class Command(BaseCommand):
    help = (
        "Send the daily and weekly digest emails that are due, and retry emails that failed. "
        "Safe to run as often as you like (hourly from cron is fine): each person gets one digest per period."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--period", choices=[choice for choice, _ in Digest.Period.choices], help="Only this kind of digest."
        )

    def handle(self, *args, period=None, **options):
        periods = [period] if period else [choice for choice, _ in Digest.Period.choices]
        stats = send_digests(periods=periods)
        self.stdout.write(
            f"Sent {stats['immediate']} waiting notification email(s), "
            + ", ".join(f"{stats[name]} {name} digest(s)" for name in periods)
            + "."
        )
