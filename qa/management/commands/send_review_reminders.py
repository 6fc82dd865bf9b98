from django.core.management.base import BaseCommand

from qa.models import send_review_reminders


class Command(BaseCommand):
    help = (
        "Tell each helpdesk member whose verified answers have passed their review-by date (in the app, "
        "and by email as they chose). Safe to run as often as you like: each answer is reminded of once per date."
    )

    def handle(self, *args, **options):
        told = send_review_reminders()
        self.stdout.write(f"Reminded {told} {'person' if told == 1 else 'people'} of answers due for review.")
