"""``import_content``: load an ``export_content`` file into an empty, migrated database, all or
nothing, then rebuild what is derived from the content (search index, embeddings, Wagtail's
reference index). docs/backup.md."""

import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from community.management import content


class Command(BaseCommand):
    help = "Import a Confer content export (JSON lines) into an empty, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("input", help="the export file ('-' for standard input)")
        parser.add_argument(
            "--no-index",
            action="store_true",
            help="skip rebuilding the search index afterwards (run `manage.py update_index` yourself)",
        )

    def handle(self, *args, input, no_index=False, **options):
        if input == "-":
            counts = content.import_lines(sys.stdin.buffer)
        else:
            try:
                source = open(input, "rb")  # closed by the with below
            except OSError as error:
                raise CommandError(f"Cannot read {input}: {error.strerror}.") from error
            with source:
                counts = content.import_lines(source)
        self.stdout.write(self.style.SUCCESS(f"Imported {sum(counts.values())} rows of {len(counts)} kinds."))
        if no_index:
            self.stdout.write("Search index not rebuilt: run `manage.py update_index` before people search.")
            return
        call_command("rebuild_references_index", stdout=self.stdout)
        call_command("update_index", stdout=self.stdout)
