"""``export_content``: every question, answer, idea, profile, page and the rest, as JSON lines
(docs/backup.md). Written to a file next to the destination and renamed into place when complete,
so a failed export never leaves a file that looks like a backup."""

import io
import os
import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand

from community.management import content


class Command(BaseCommand):
    help = "Export all of Confer's content as JSON lines (to a file, or to standard output)."

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", default="-", help="file to write (default: standard output)")
        parser.add_argument(
            "--with-passwords",
            action="store_true",
            help="include password hashes (only for sites whose people sign in with local passwords)",
        )

    def handle(self, *args, output="-", with_passwords=False, **options):
        if output == "-":
            # UTF-8 whatever the terminal's locale says: the file is read back as UTF-8.
            out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n", write_through=True)
            counts = content.export(out, with_passwords=with_passwords)
            out.flush()
            out.detach()
            report = self.stderr
        else:
            target = Path(output)
            handle, temporary = tempfile.mkstemp(dir=target.parent or ".", prefix=f".{target.name}.", suffix=".part")
            try:
                with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
                    counts = content.export(out, with_passwords=with_passwords)
                os.replace(temporary, target)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            report = self.stdout
        total = sum(counts.values())
        report.write(f"Exported {total} rows of {len(counts)} kinds.")
        if not with_passwords:
            report.write("Password hashes left out: people sign in through single sign-on or reset their password.")
