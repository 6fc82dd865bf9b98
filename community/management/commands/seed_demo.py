"""Load Confer's demo content: idempotent, so running it twice changes nothing.

Each part of Confer keeps its own demo data in ``<app>/demo.py`` with a ``seed(command)`` function;
this command runs them in INSTALLED_APPS order (community first: everyone else needs its people),
then each part's optional ``finish(command)``.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from community.demo import DEMO_PASSWORD, DEMO_PEOPLE


class Command(BaseCommand):
    help = "Load realistic demo content (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Only load when the database has no users yet.")

    def handle(self, *args, if_empty=False, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("The database already has users; demo content not loaded.")
        else:
            with transaction.atomic():
                modules = list(self.demo_modules())
                for module in modules:
                    module.seed(self)
                # A part may finish once every part has loaded (e.g. email preferences, set last
                # so that loading the demo sends nobody an email).
                for module in modules:
                    if hasattr(module, "finish"):
                        module.finish(self)
            self.stdout.write(self.style.SUCCESS("Demo content loaded."))
        self.print_logins()

    def demo_modules(self):
        for app_config in apps.get_app_configs():
            try:
                yield import_module(f"{app_config.name}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app_config.name}.demo":
                    raise

    def print_logins(self):
        usernames = [person["username"] for person in DEMO_PEOPLE]
        existing = set(get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True))
        if not existing:
            return
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for person in DEMO_PEOPLE:
            if person["username"] in existing:
                self.stdout.write(f"  {person['username']:<10} {person['role']}")
