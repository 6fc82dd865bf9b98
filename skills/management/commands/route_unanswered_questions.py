from django.core.management.base import BaseCommand

from skills.models import route_unanswered_questions


class Command(BaseCommand):
    help = (
        "Tell the top three matching volunteers about each question with no answer after "
        "SKILLS_ROUTE_AFTER_HOURS. Each question is routed once; safe to run as often as you like."
    )

    def handle(self, *args, **options):
        routed = route_unanswered_questions()
        self.stdout.write(f"Routed {routed} unanswered question{'s' if routed != 1 else ''} to volunteers.")
