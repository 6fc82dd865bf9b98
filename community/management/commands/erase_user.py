from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from community.profiles.leaving import erase, what_keeps


class Command(BaseCommand):
    help = (
        "Erase the personal data of someone who has left and asked for it. Their questions, answers, "
        "ideas, votes and comments stay, shown as by 'A former colleague'; their name, email, profile, "
        "follows, notifications, skills and sign-ups are removed and the account can no longer sign in."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--yes", action="store_true", help="Do it without asking.")

    def handle(self, *args, username, yes=False, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account with the username {username!r}.")
        kept = ", ".join(f"{holding.count} {holding.label}" for holding in what_keeps(user)) or "nothing"
        self.stdout.write(f"Kept, shown as by a former colleague: {kept}.")
        if not yes and input(f"Erase {username}'s personal data? This cannot be undone. [y/N] ").lower() != "y":
            raise CommandError("Nothing was changed.")
        removed = erase(user)
        gone = ", ".join(f"{holding.count} {holding.label}" for holding in removed) or "nothing else"
        self.stdout.write(self.style.SUCCESS(f"Erased {username}: now former-colleague-{user.pk}. Removed: {gone}."))
