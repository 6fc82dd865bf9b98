"""SQLite with the migrated schema copied from a file in ``var/`` (tests/databases/__init__.py),
made from the repository's schema script when it is current (tests/databases/sqlite/script.py)."""

import os
import sqlite3
from pathlib import Path

from django.conf import settings
from django.db.backends.sqlite3 import base
from django.db.backends.sqlite3.creation import DatabaseCreation

from tests.databases import fingerprint, one_at_a_time
from tests.databases.sqlite import script


class TemplatedCreation(DatabaseCreation):
    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        if keepdb:
            return super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        current = fingerprint()
        schema = Path(settings.VAR_DIR) / f"test-schema-{current}.sqlite3"
        with one_at_a_time(schema.name):
            if schema.exists():
                return self._copy_from(schema, verbosity, autoclobber, serialize)
            for stale in schema.parent.glob("test-schema-*.sqlite3*"):
                if not stale.name.startswith(schema.name):
                    stale.unlink(missing_ok=True)
            partial = schema.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            if script.script_fingerprint() == current:
                target = sqlite3.connect(partial)
                script.load(script.SCRIPT, target)
                target.close()
                os.replace(partial, schema)
                return self._copy_from(schema, verbosity, autoclobber, serialize)
            if verbosity >= 1:
                self.log(f"{script.SCRIPT.name} is not for these migrations: migrating (make test-schema)")
            name = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
            target = sqlite3.connect(partial)
            self.connection.connection.backup(target)
            target.close()
            os.replace(partial, schema)
            return name

    def _copy_from(self, schema: Path, verbosity, autoclobber, serialize):
        """What ``create_test_db`` does, with the migrations replaced by a copy of ``schema``."""
        name = self._get_test_db_name()
        if verbosity >= 1:
            self.log(f"Copying the migrated schema {schema.name} for alias {self.connection.alias!r}...")
        self._create_test_db(verbosity, autoclobber, keepdb=False)  # removes an old file database
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        self.connection.ensure_connection()
        source = sqlite3.connect(schema)
        source.backup(self.connection.connection)
        source.close()
        if not self.is_in_memory_db(name):
            # The copy carries the template's journal mode: a file database goes back to WAL, as set.
            with self.connection.cursor() as cursor:
                cursor.execute("PRAGMA journal_mode=WAL")
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        return name


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = TemplatedCreation
