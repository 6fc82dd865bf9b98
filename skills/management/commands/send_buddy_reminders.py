from django.core.management.base import BaseCommand

from skills.models import send_buddy_reminders


class Command(BaseCommand):
    help = (
        "Remind volunteers who have not replied to a buddy request for SKILLS_BUDDY_REMINDER_DAYS (once), "
        "offer the requester the next match when the reminder went unanswered as long again, and suggest "
        "volunteers for requests that were waiting for one. Safe to run as often as you like (hourly from cron)."
    )

    def handle(self, *args, **options):
        done = send_buddy_reminders()
        self.stdout.write(
            f"Reminded {done['reminded']}, offered the next match on {done['rematched']}, "
            f"found volunteers for {done['proposed']} waiting request{'s' if done['proposed'] != 1 else ''}."
        )
