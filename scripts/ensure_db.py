"""Make sure a PostgreSQL database is there, and print the DATABASE_URL to use.

Order: DATABASE_URL when set (must answer); else the local server on 127.0.0.1:5432
(creating the `erfaringsforum` database if missing); else a private cluster under
var/postgres started with the PostgreSQL binaries found on the machine. Where none of
these works it stops with one sentence saying what to install.

On the local server and the private cluster it also sets up the two roles of
scripts/db_roles.sql (least privilege): it prints the application role's URL, or with
`--owner` the owner's, which runs migrations and the test suite. With DATABASE_URL set the
roles are yours to make; `--owner` then prints DATABASE_OWNER_URL when set.
"""

import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("DB_NAME", "erfaringsforum")
LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432"
OWNER_ROLE = os.environ.get("DB_OWNER_ROLE", "erfaringsforum_owner")
APP_ROLE = os.environ.get("DB_APP_ROLE", "erfaringsforum_app")
ROLES_SQL = ROOT / "scripts" / "db_roles.sql"
PRIVATE_DIR = ROOT / "var" / "postgres"
PRIVATE_PORT = 54329


def fail(message: str) -> None:
    print(f"ensure_db: {message}", file=sys.stderr)
    sys.exit(1)


def answers(conninfo: str) -> bool:
    try:
        with psycopg.connect(conninfo, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
        return True
    except psycopg.Error:
        return False


def ensure_database(server_conninfo: str, name: str) -> None:
    with psycopg.connect(server_conninfo, autocommit=True, connect_timeout=3) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def _roles_sql(conn: psycopg.Connection, name: str) -> tuple[str, str]:
    """scripts/db_roles.sql with its placeholders filled in: (server part, database part)."""
    values = {
        "owner": sql.Identifier(OWNER_ROLE).as_string(conn),
        "app": sql.Identifier(APP_ROLE).as_string(conn),
        "db": sql.Identifier(name).as_string(conn),
        # inside the file's own quotes: role names are plain identifiers, checked below
        "owner_literal": OWNER_ROLE,
        "app_literal": APP_ROLE,
    }
    text = ROLES_SQL.read_text()
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    server, _marker, database = text.partition("-- ==== in the database ====")
    return server, database


def ensure_roles(server_conninfo: str, database_conninfo: str, name: str) -> None:
    """Apply scripts/db_roles.sql to the database (idempotent), and give the owner the test
    databases an earlier run left behind, so the test suite (run as the owner) may drop them."""
    for role in (OWNER_ROLE, APP_ROLE):
        if not role.replace("_", "").isalnum():
            fail(f"role names are letters, digits and underscores: {role!r}")
    with psycopg.connect(server_conninfo, autocommit=True, connect_timeout=3) as conn:
        server_part, database_part = _roles_sql(conn, name)
        conn.execute(server_part)
        stale = conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s AND datdba <> %s::regrole",
            [f"test\\_{name}%", OWNER_ROLE],
        ).fetchall()
        for (test_db,) in stale:
            conn.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(test_db), sql.Identifier(OWNER_ROLE)
                )
            )
    with psycopg.connect(database_conninfo, autocommit=True, connect_timeout=3) as conn:
        conn.execute(database_part)


def role_url(url: str, role: str) -> str:
    """The same server and database, signed in as `role` (trust or peer authentication)."""
    scheme, _sep, rest = url.partition("://")
    return f"{scheme}://{role}@{rest.split('@', 1)[1]}"


def pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)
    return candidates[0] if candidates else None


def as_postgres_user(cmd: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; use the postgres system user when we are root.
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if not runuser:
            fail("running as root without runuser: start PostgreSQL yourself or set DATABASE_URL.")
        return [runuser, "-u", "postgres", "--", *cmd]
    return cmd


def private_cluster() -> str:
    initdb, pg_ctl = pg_bin("initdb"), pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        fail(
            "no PostgreSQL answers and none is installed: install PostgreSQL 15 or newer "
            "(Debian: apt-get install postgresql) or set DATABASE_URL."
        )
    socket_dir = ROOT / "var"
    socket_dir.mkdir(exist_ok=True)
    if os.geteuid() == 0:
        subprocess.run(["chown", "-R", "postgres", str(socket_dir)], check=True)
    if not (PRIVATE_DIR / "PG_VERSION").exists():
        subprocess.run(
            as_postgres_user([initdb, "-D", str(PRIVATE_DIR), "-U", "postgres", "-A", "trust"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    conninfo = f"host={socket_dir} port={PRIVATE_PORT} user=postgres dbname=postgres"
    if not answers(conninfo):
        subprocess.run(
            as_postgres_user(
                [
                    pg_ctl,
                    "-D",
                    str(PRIVATE_DIR),
                    "-l",
                    str(socket_dir / "postgres.log"),
                    "-w",
                    "-o",
                    f"-k {socket_dir} -p {PRIVATE_PORT} -c listen_addresses=''",
                    "start",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
    for _ in range(30):
        if answers(conninfo):
            break
        time.sleep(1)
    else:
        fail(
            f"the private PostgreSQL cluster in {PRIVATE_DIR} did not start; see var/postgres.log."
        )
    ensure_database(conninfo, DB_NAME)
    return f"postgres://postgres@/{DB_NAME}?host={socket_dir}&port={PRIVATE_PORT}"


def main() -> None:
    owner = "--owner" in sys.argv[1:]
    url = os.environ.get("DATABASE_URL")
    if url:
        if owner:
            url = os.environ.get("DATABASE_OWNER_URL") or url
        if not answers(url):
            fail(f"DATABASE_URL is set but its database does not answer: {url}")
        print(url)
        return
    if answers(f"{LOCAL_SERVER}/postgres"):
        ensure_database(f"{LOCAL_SERVER}/postgres", DB_NAME)
        url = f"{LOCAL_SERVER}/{DB_NAME}"
        ensure_roles(f"{LOCAL_SERVER}/postgres", url, DB_NAME)
    else:
        url = private_cluster()
        server = url.replace(f"/{DB_NAME}?", "/postgres?", 1)
        ensure_roles(server, url, DB_NAME)
    print(role_url(url, OWNER_ROLE if owner else APP_ROLE))


if __name__ == "__main__":
    main()
