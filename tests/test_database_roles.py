"""The application's database role has only the DML it needs (least privilege, issue 13):
it reads and writes rows, and cannot TRUNCATE (which skips the publishing gate's row
triggers), switch triggers off with session_replication_role or ALTER TABLE, or change the
schema. The role and its grants come from scripts/db_roles.sql, which `make` applies."""

import importlib.util
from pathlib import Path

import psycopg
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _ensure_db():
    spec = importlib.util.spec_from_file_location("ensure_db", ROOT / "scripts" / "ensure_db.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def app_connection(transactional_db):
    """A connection to the test database as the application role, the grants of
    scripts/db_roles.sql applied to it (committed, so the other connection sees them)."""
    ensure_db = _ensure_db()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [ensure_db.APP_ROLE])
        if cursor.fetchone() is None:
            pytest.fail(f"run scripts/ensure_db.py first: no role {ensure_db.APP_ROLE}")
        _server_part, database_part = ensure_db._roles_sql(connection.connection, "unused")
        cursor.execute(database_part)
    settings = connection.settings_dict
    conninfo = psycopg.conninfo.make_conninfo(
        host=settings["HOST"] or "", port=settings["PORT"] or "", dbname=settings["NAME"],
        user=ensure_db.APP_ROLE,
    )  # fmt: skip
    with psycopg.connect(conninfo, autocommit=True) as app:
        yield app


def test_the_app_role_reads_and_writes_rows(app_connection):
    app_connection.execute(
        "INSERT INTO django_session (session_key, session_data, expire_date) "
        "VALUES ('least-privilege', '', now())"
    )
    assert app_connection.execute(
        "SELECT count(*) FROM django_session WHERE session_key = 'least-privilege'"
    ).fetchone() == (1,)
    app_connection.execute("DELETE FROM django_session WHERE session_key = 'least-privilege'")


def test_the_app_role_is_no_superuser(app_connection):
    row = app_connection.execute(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
        "WHERE rolname = current_user"
    ).fetchone()
    assert row == (False, False, False, False)


@pytest.mark.parametrize(
    "statement",
    [
        "TRUNCATE moderation_backofficemembership",
        "TRUNCATE forum_topic CASCADE",
        "SET session_replication_role = replica",
        "ALTER TABLE forum_topic DISABLE TRIGGER ALL",
        "ALTER TABLE moderation_backofficemembership DISABLE TRIGGER USER",
        "DROP TRIGGER topic_back_office_has_expert ON forum_topic",
        "ALTER TABLE forum_topic DROP CONSTRAINT topic_published_requires_staffing",
        "CREATE TABLE intruder (id int)",
    ],
)
def test_the_app_role_cannot_get_around_the_publishing_gate(app_connection, statement):
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        app_connection.execute(statement)
