from django.core.management.base import BaseCommand

from community.workshops.announcements import send_reminders


class Command(BaseCommand):
    help = (
        "Email a reminder to everyone with a place at a workshop that starts before the end of tomorrow. "
        "Safe to run as often as you like (daily or hourly from cron): each person gets one reminder per workshop."
    )

    def handle(self, *args, **options):
        sent = send_reminders()
        self.stdout.write(f"Sent {sent} workshop reminder{'s' if sent != 1 else ''}.")
