"""The fast paths use Django and psycopg through their documented APIs only (issue 12).

Two kinds of checks: the documented psycopg and Django pieces erfaringsforum.db and the
session store stand on still exist with the signatures we call (a library upgrade that
changes them fails here, loudly, rather than in production), and the modules that once
reached into private internals no longer name them.
"""

import inspect
import re
from pathlib import Path

import psycopg
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.db import connection
from django.db.models import Model

from erfaringsforum.db import PreparingCursor
from erfaringsforum.sessions import SessionStore

ROOT = Path(__file__).resolve().parent.parent

# The private names issue 12 found, and what replaced each.
PRIVATE = {
    r"\._prepare_cursor\b": "erfaringsforum.db: psycopg's cursor_factory under connection.cursor()",
    r"\b_get_session_from_db\b": "erfaringsforum.sessions: SessionBase.load()",
    r"\bModelState\b": "accounts.querysets.build: Model.from_db",
    r"\.__new__\(": "accounts.querysets.build: Model.from_db",
    r"_state\.fields_cache": "assign the related object through its descriptor",
    r"\bServerBindingCursor\b": "psycopg.Cursor (Django's subclass is not documented)",
    r"\b_mpttfield\(": "django-mptt's public attributes (item.level)",
}
# Every module of the apps and the project, migrations aside (they are history).
CLEANED = sorted(
    str(path.relative_to(ROOT))
    for app in ("accounts", "forum", "moderation", "erfaringsforum")
    for path in (ROOT / app).rglob("*.py")
    if "migrations" not in path.parts
)


def test_the_cleaned_modules_name_no_private_django_internals():
    found = []
    for name in CLEANED:
        for number, line in enumerate((ROOT / name).read_text().splitlines(), 1):
            found += [
                f"{name}:{number}: {line.strip()}  (use {instead})"
                for pattern, instead in PRIVATE.items()
                if re.search(pattern, line)
            ]
    assert not found, "\n".join(found)


def test_psycopg_still_offers_what_prepared_cursor_uses(db):
    # Cursor.execute(..., prepare=..., binary=...) and Connection.cursor_factory are
    # documented psycopg 3 API; if an upgrade changes them, re-check erfaringsforum/db.py.
    parameters = inspect.signature(psycopg.Cursor.execute).parameters
    assert {"query", "params", "prepare", "binary"} <= set(parameters), parameters
    assert issubclass(PreparingCursor, psycopg.Cursor)
    connection.ensure_connection()
    assert isinstance(connection.connection, psycopg.Connection)
    assert issubclass(connection.connection.cursor_factory, psycopg.Cursor)
    # Django passes prepare_threshold through OPTIONS to psycopg; None would turn every
    # prepare=True into a no-op (DB_PREPARED_STATEMENTS would silently do nothing).
    assert connection.connection.prepare_threshold is not None


def test_the_session_store_overrides_only_the_documented_load():
    overridden = {
        name
        for name, value in vars(SessionStore).items()
        if callable(value) and not name.startswith("__")
    }
    assert overridden == {"load"}
    assert "load" in vars(DjangoSessionStore)  # the method Django's store implements


def test_model_from_db_keeps_its_documented_signature():
    assert list(inspect.signature(Model.from_db).parameters) == ["db", "field_names", "values"]
