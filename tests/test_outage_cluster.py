"""PostgreSQL stopped under load: the product answers 503 while it is down, never a bare 500,
gives a reply's text back, is answering again within 5 s of the database's return, and loses
no reply it confirmed (issue 13, finding 2).

Everything is real: a private PostgreSQL cluster started by this test (initdb, pg_ctl), the
schema and the demo data through `migrate` and `seed_demo`, gunicorn with production settings,
and clients that sign in through the login form and post replies while the cluster is
stopped and started again.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.live import Browser, free_port, gunicorn, product_env

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "demo-erfaring-2026"
DEMO_USERS = ["kari.nordmann", "ola.hansen"]
CLIENTS = 4
DOWN_SECONDS = 4.0
RECOVERY_LIMIT = 5.0


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    return str(candidates[0]) if candidates else None


def _as_postgres(cmd: list[str]) -> list[str]:
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class Cluster:
    def __init__(self, base: Path) -> None:
        self.data = base / "data"
        self.log = base / "postgres.log"
        self.port = free_port()
        self.pg_ctl = _pg_bin("pg_ctl")
        subprocess.run(
            _as_postgres([_pg_bin("initdb"), "-D", str(self.data), "-U", "postgres",
                          "-A", "trust", "--no-sync"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        subprocess.run(
            _as_postgres([self.pg_ctl, "-D", str(self.data), "-l", str(self.log), "-w",
                          "-o", options, "start"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> None:
        subprocess.run(
            _as_postgres([self.pg_ctl, "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


@pytest.fixture
def product(tmp_path_factory):
    if not _pg_bin("initdb") or not _pg_bin("pg_ctl"):
        pytest.fail("PostgreSQL's initdb and pg_ctl are needed for the outage test")
    base = Path(tempfile.mkdtemp(prefix="erf-outage-"))
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
    cluster = Cluster(base)
    cluster.start()
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE erf_outage")
    env = product_env(cluster.url("erf_outage"), free_port())
    manage = [sys.executable, "manage.py"]
    for command in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        subprocess.run(manage + command, cwd=ROOT, env=env, check=True, capture_output=True)
    try:
        with gunicorn(env, base / "gunicorn.log") as base_url:
            yield cluster, base_url
    finally:
        try:
            cluster.stop()
        finally:
            shutil.rmtree(base, ignore_errors=True)


def test_a_database_outage_under_load_gives_503s_loses_no_confirmed_reply_and_recovers(product):
    cluster, base_url = product
    with psycopg.connect(cluster.url("erf_outage")) as conn:
        thread_id = conn.execute(
            "SELECT t.id FROM forum_thread t JOIN forum_topic tp ON tp.id = t.topic_id "
            "WHERE tp.published_at IS NOT NULL AND tp.parent_id IS NOT NULL AND NOT t.locked "
            "ORDER BY t.id LIMIT 1"
        ).fetchone()[0]
    people = [Browser(base_url) for _ in range(CLIENTS)]
    for n, person in enumerate(people):
        person.sign_in(f"{DEMO_USERS[n % 2]}@erfaringsforum.example", DEMO_PASSWORD)

    results: list[tuple[float, str, int, str, str, dict]] = []
    lock = threading.Lock()
    stop = threading.Event()

    def work(person: Browser, n: int) -> None:
        count = 0
        while not stop.is_set():
            count += 1
            status, body, headers = person.request(f"/trad/{thread_id}/?page=last")
            with lock:
                results.append((time.monotonic(), "GET", status, body, "", headers))
            text = f"Svar under driftsavbrudd {n}-{count} {uuid.uuid4().hex}"
            status, body, headers = person.request(f"/trad/{thread_id}/svar/", {"body": text})
            with lock:
                results.append((time.monotonic(), "POST", status, body, text, headers))

    workers = [threading.Thread(target=work, args=(p, n)) for n, p in enumerate(people)]
    for worker in workers:
        worker.start()
    time.sleep(2)
    down_at = time.monotonic()
    cluster.stop()
    time.sleep(DOWN_SECONDS)
    cluster.start()
    up_at = time.monotonic()
    time.sleep(RECOVERY_LIMIT + 1)
    stop.set()
    for worker in workers:
        worker.join(timeout=30)

    statuses = [status for _, _, status, *_ in results]
    assert 500 not in statuses, "a bare server error during the outage"
    assert not [r for r in results if "Internal Server Error" in r[3]]
    assert all(status in {200, 302, 503} for status in statuses), sorted(set(statuses))
    outage = [r for r in results if r[2] == 503]
    assert outage, "no 503 while the database was down"
    assert all(int(r[5].get("Retry-After", "0")) > 0 for r in outage)
    assert all(down_at - 1 < r[0] < up_at + RECOVERY_LIMIT for r in outage)
    kept = [r for r in outage if r[1] == "POST"]
    assert kept, "no reply was sent while the database was down"
    assert all(r[4].split(" ")[-1] in r[3] for r in kept), "a reply's text was not given back"
    recovered = [r[0] for r in results if r[0] > up_at and r[2] == 200]
    assert recovered and recovered[0] - up_at < RECOVERY_LIMIT
    confirmed = [r[4] for r in results if r[1] == "POST" and r[2] == 302]
    assert confirmed, "no reply got through"
    with psycopg.connect(cluster.url("erf_outage")) as conn:
        stored = {
            row[0]
            for row in conn.execute(
                "SELECT body_md FROM forum_post WHERE thread_id = %s", [thread_id]
            )
        }
    missing = [text for text in confirmed if text not in stored]
    assert missing == [], f"{len(missing)} confirmed replies were lost"
    assert re.search(r"midlertidig utilgjengelig", kept[0][3])
