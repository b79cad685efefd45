"""Make sure a PostgreSQL database is there, and print the DATABASE_URL to use.

Order: DATABASE_URL when set (must answer); else the local server on 127.0.0.1:5432
(creating the `erfaringsforum` database if missing); else a private cluster under
var/postgres started with the PostgreSQL binaries found on the machine. Where none of
these works it stops with one sentence saying what to install.
"""

import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DB_NAME = os.environ.get("DB_NAME", "erfaringsforum")
LOCAL_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
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
    url = os.environ.get("DATABASE_URL")
    if url:
        if not answers(url):
            fail(f"DATABASE_URL is set but its database does not answer: {url}")
        print(url)
        return
    if answers("postgres://postgres@127.0.0.1:5432/postgres"):
        ensure_database("postgres://postgres@127.0.0.1:5432/postgres", DB_NAME)
        print(LOCAL_URL)
        return
    print(private_cluster())


if __name__ == "__main__":
    main()
