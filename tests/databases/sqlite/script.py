"""The migrated SQLite schema as a script kept in the repository (``schema.sql`` beside this file).

Running every migration takes about half a minute on this machine, and a fresh checkout (CI's, a
newcomer's) has no ``var/test-schema-*`` to copy. Like a framework's committed schema file, the
script holds the tables, indexes and rows the migrations make (groups, permissions, the Wagtail
root page and site), headed by the fingerprint it was made for; loading it takes milliseconds. It
is used only when its fingerprint is the current one, so a stale script costs time, never
correctness: the suite then migrates as before, and ``tests/test_databases.py`` fails until it is
made again with ``make test-schema``. PostgreSQL's runs always migrate (tests/databases/postgresql).
"""

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

SCRIPT = Path(__file__).with_name("schema.sql")
HEADER = "-- Confer's migrated test schema (tests/databases/sqlite/script.py), fingerprint "


def script_fingerprint(path: Path = SCRIPT) -> str | None:
    """The fingerprint the script was made for, or None if there is no script."""
    try:
        with open(path, encoding="utf-8") as script:
            first = script.readline().rstrip("\n")
    except FileNotFoundError:
        return None
    return first.removeprefix(HEADER) if first.startswith(HEADER) else None


def load(path: Path, target: sqlite3.Connection) -> None:
    target.executescript(path.read_text(encoding="utf-8"))


def dump(source: sqlite3.Connection) -> Iterator[str]:
    """SQL statements that make a database like ``source``: tables (virtual ones by their own
    ``CREATE VIRTUAL TABLE``, which makes their shadow tables), rows, then indexes and triggers.
    Python's ``iterdump`` writes virtual tables straight into ``sqlite_master``, which leaves a
    full-text table unusable until the database is opened again; hence this one."""
    objects = source.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
    ).fetchall()
    virtual = [name for kind, name, sql in objects if kind == "table" and sql.upper().startswith("CREATE VIRTUAL")]

    def shadow(name):
        return any(name.startswith(f"{table}_") for table in virtual)

    tables = [
        name for kind, name, sql in objects if kind == "table" and not name.startswith("sqlite_") and not shadow(name)
    ]
    yield "BEGIN TRANSACTION;"
    yield from (f"{sql};" for kind, name, sql in objects if name in tables)
    for table in tables:
        columns = [row[1] for row in source.execute(f'PRAGMA table_info("{table}")')]
        values = " || ',' || ".join(f'quote("{column}")' for column in columns)
        query = f"""SELECT 'INSERT INTO "{table}" VALUES(' || {values} || ');' FROM "{table}" ORDER BY rowid"""
        yield from (row[0] for row in source.execute(query))
    if source.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").fetchone():
        yield "DELETE FROM sqlite_sequence;"
        for name, seq in source.execute("SELECT name, seq FROM sqlite_sequence ORDER BY name"):
            yield f"INSERT INTO sqlite_sequence(name, seq) VALUES('{name}', {seq});"
    yield from (f"{sql};" for kind, name, sql in objects if kind in ("index", "trigger", "view") and not shadow(name))
    yield "COMMIT;"


def write(source: sqlite3.Connection, fingerprint: str, path: Path = SCRIPT) -> None:
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="utf-8") as script:
        script.write(f"{HEADER}{fingerprint}\n")
        for statement in dump(source):
            script.write(f"{statement}\n")
    os.replace(partial, path)


def main() -> None:
    """``make test-schema``: migrate an empty database with the test settings and write the script."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tests.databases import fingerprint

    with tempfile.TemporaryDirectory() as directory:
        database = Path(directory) / "schema.sqlite3"
        connection.settings_dict["NAME"] = str(database)
        # As the test runner migrates (apps without migrations, such as modelsearch's test app,
        # get their tables from their models).
        call_command("migrate", run_syncdb=True, interactive=False, verbosity=0)
        connection.close()
        source = sqlite3.connect(database)
        write(source, fingerprint())
        source.close()
    print(f"Wrote {SCRIPT.relative_to(Path.cwd())} for fingerprint {fingerprint()}")  # noqa: T201


if __name__ == "__main__":
    main()
