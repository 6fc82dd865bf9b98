"""PostgreSQL with the migrated schema copied from a template database (tests/databases/__init__.py)."""

from django.conf import settings
from django.db import DatabaseError
from django.db.backends.postgresql import base
from django.db.backends.postgresql.creation import DatabaseCreation

from tests.databases import fingerprint, one_at_a_time


class TemplatedCreation(DatabaseCreation):
    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        if keepdb:
            return super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        template = f"confer_schema_{fingerprint()}"
        with one_at_a_time(template):
            with self._nodb_cursor() as cursor:
                exists = self._database_exists(cursor, template)
            if exists:
                return self._copy_from(template, verbosity, autoclobber, serialize)
            name = super().create_test_db(verbosity, autoclobber, serialize, keepdb)
            # CREATE DATABASE … TEMPLATE needs the source without connections.
            self.connection.close()
            with self._nodb_cursor() as cursor:
                cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE 'confer\\_schema\\_%%'")
                for (stale,) in cursor.fetchall():
                    try:  # another checkout's run may be copying it: then it stays until the next build
                        cursor.execute(f"DROP DATABASE IF EXISTS {self._quote_name(stale)}")
                    except DatabaseError:
                        pass
                cursor.execute(f"CREATE DATABASE {self._quote_name(template)} TEMPLATE {self._quote_name(name)}")
            self.connection.ensure_connection()
            return name

    def _copy_from(self, template: str, verbosity, autoclobber, serialize):
        """What ``create_test_db`` does, with the migrations replaced by a copy of ``template``."""
        name = self._get_test_db_name()
        if verbosity >= 1:
            self.log(f"Copying the migrated schema {template} for alias {self.connection.alias!r}...")
        test_settings = self.connection.settings_dict["TEST"]
        test_settings["TEMPLATE"] = template
        try:
            self._create_test_db(verbosity, autoclobber, keepdb=False)
        finally:
            test_settings["TEMPLATE"] = None
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        self.connection.ensure_connection()
        return name


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = TemplatedCreation
