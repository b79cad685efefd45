"""The load benchmark behind `make bench` (issue 6).

Runs gunicorn with the production settings (DEBUG=0, a SECRET_KEY, sync workers) on
127.0.0.1 against the benchmark database, drives it with wrk from a separate process as
logged-in employees, and measures for every page that matters: requests per second at
concurrency 8, p50/p95/p99 latency, errors (non-2xx/3xx and socket errors), SQL queries per
request (in-process, one request with CaptureQueriesContext), and the gunicorn workers' peak
RSS. A trivial view through the same stack (/healthz: middleware, then one SELECT 1) is the
yardstick; each page's throughput is reported as a share of it.

Writes bench/results/<UTC date and time>.json and the table between the markers in
docs/performance.md. Needs a seeded database (bench/seed.py).

    .venv/bin/python bench/run.py [--duration 20] [--only thread-last,reply] [--queries-only]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOCS = ROOT / "docs" / "performance.md"
LUA = ROOT / "bench" / "wrk" / "bench.lua"
WRK = os.environ.get("WRK", "/usr/bin/wrk")
BEGIN, END = "<!-- bench:results:begin -->", "<!-- bench:results:end -->"
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/erf_bench"
SESSIONS = 64  # distinct employees whose sessions the load rotates through
# Targets of the issue: p95 in ms and share of the trivial view's throughput.
TARGETS = {
    "topic": (50, 0.35),
    "topic-p50": (50, 0.35),
    "topic-last": (50, 0.35),
    "thread-big-first": (50, 0.35),
    "thread-big-last": (50, 0.35),
    "thread-typical": (50, 0.35),
    "reply": (100, None),
}


def configure_django(database_url: str) -> None:
    """Production-like settings for the in-process parts (discovery, sessions, query counts)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "erfaringsforum.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["SECURE_COOKIES"] = "0"
    os.environ["FORUM_POST_INTERVAL_SECONDS"] = "0"
    os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ["AUTH_MODE"] = "local"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ["DB_CONN_MAX_AGE"] = os.environ.get("DB_CONN_MAX_AGE", "60")
    import django

    django.setup()


class _FormFinder(HTMLParser):
    """The first POST form with a textarea: its action and its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._current: dict | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._current = {"action": a.get("action") or "", "fields": {}, "textarea": None}
            self.forms.append(self._current)
        elif self._current is not None and tag == "input" and a.get("name"):
            if (a.get("type") or "text") in {"hidden", "text"}:
                self._current["fields"][a["name"]] = a.get("value") or ""
        elif self._current is not None and tag == "textarea" and a.get("name"):
            self._current["textarea"] = a["name"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None


def discover(args: argparse.Namespace) -> dict:
    """Pages to measure, found in the database and by URL name; and benchmark sessions."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count
    from django.urls import NoReverseMatch, reverse

    from accounts.models import Employee
    from forum.models import Post, Thread, Topic

    per_page = settings.FORUM_POSTS_PER_PAGE
    threads_per_page = settings.FORUM_THREADS_PER_PAGE
    posts = Post.objects.count()
    big = Thread.objects.order_by("-post_count", "id").first()
    if big is None:
        raise SystemExit("bench: the database has no threads; run bench/seed.py")
    # A typical thread: the median length, among threads of a published topic.
    n_threads = Thread.objects.count()
    typical = Thread.objects.order_by("post_count", "id")[n_threads // 2]
    topic = Topic.objects.filter(published_at__isnull=False).order_by("-thread_count").first()
    topic_pages = max(1, math.ceil(topic.thread_count / threads_per_page))
    topic_page = min(50, topic_pages)
    big_last = max(1, math.ceil(big.post_count / per_page))
    pages: list[dict] = [
        {"name": "healthz", "label": "trivial view (/healthz: SELECT 1)", "path": "/healthz"},
        {"name": "home", "label": "home", "path": reverse("forum:home")},
        {
            "name": "topic",
            "label": f"topic page 1 ({topic.thread_count:,} threads)",
            "path": topic.get_absolute_url(),
        },
        {
            "name": "topic-p50",
            "label": f"topic page {topic_page} of {topic_pages}",
            "path": f"{topic.get_absolute_url()}?page={topic_page}",
        },
        {
            # The deepest page: OFFSET counts past every thread before it unless the read
            # starts from the nearer end.
            "name": "topic-last",
            "label": f"topic page {topic_pages} of {topic_pages} (the last)",
            "path": f"{topic.get_absolute_url()}?page={topic_pages}",
        },
        {
            "name": "thread-big-first",
            "label": f"largest thread ({big.post_count:,} posts), page 1",
            # ?page=1: without it a thread opens at the reader's first unread post (a redirect).
            "path": f"{big.get_absolute_url()}?page=1",
        },
        {
            "name": "thread-big-last",
            "label": f"largest thread, last page ({big_last})",
            "path": f"{big.get_absolute_url()}?page={big_last}",
        },
        {
            "name": "thread-typical",
            "label": f"typical thread ({typical.post_count} posts), page 1",
            "path": f"{typical.get_absolute_url()}?page=1",
        },
    ]
    try:
        search = reverse("forum:search")
        pages += [
            {
                "name": "search-common",
                "label": "search, common word (sykepenger)",
                "path": f"{search}?q=sykepenger",
            },
            {
                "name": "search-rare",
                "label": "search, rare word (Svalbardtillegget)",
                "path": f"{search}?q=Svalbardtillegget",
            },
        ]
    except NoReverseMatch:
        pass
    try:
        reply_path = reverse("forum:thread-reply", kwargs={"pk": big.pk})
    except NoReverseMatch:
        reply_path = None
    if reply_path:
        pages.append(
            {
                "name": "reply",
                "label": "reply POST (largest thread, live-chat peak)",
                "path": reply_path,
                "method": "POST",
                "thread_id": big.pk,
            }
        )
    # Sessions of active posters (not the admin): as if each had logged in.
    employees = list(
        Employee.objects.filter(is_active=True, is_staff=False)
        .annotate(n=Count("posts"))
        .filter(n__gt=0)
        .order_by("-n", "id")[:SESSIONS]
    )
    cookies = []
    for employee in employees:
        store = SessionStore()
        store[SESSION_KEY] = str(employee.pk)
        store[BACKEND_SESSION_KEY] = "accounts.backends.EmployeeBackend"
        store[HASH_SESSION_KEY] = employee.get_session_auth_hash()
        store.create()
        cookies.append((store.session_key, secrets.token_hex(16)))
    return {
        "posts": posts,
        "threads": n_threads,
        "pages": pages,
        "cookies": cookies,
        "employees": employees,
        "big_thread": big.pk,
    }


def reply_form(found: dict) -> tuple[str, str, str]:
    """(url-encoded form fields, submission-key field, textarea) of the reply form, read
    from the reply page itself so the benchmark follows the forum's form."""
    from django.test import Client

    client = Client()
    client.force_login(found["employees"][0])
    page = next(p for p in found["pages"] if p["name"] == "reply")
    response = client.get(page["path"])
    finder = _FormFinder()
    finder.feed(response.content.decode())
    form = next((f for f in finder.forms if f["textarea"]), None)
    if form is None:
        raise SystemExit(f"bench: no reply form with a textarea on {page['path']}")
    fields = {k: v for k, v in form["fields"].items() if k != "csrfmiddlewaretoken"}
    key_field = next((k for k in fields if "submission" in k), "submission_key")
    fields.pop(key_field, None)
    fields[form["textarea"]] = (
        "Takk for svaret. Vi gjør det samme ved NAV-kontoret: sykefraværsoppfølging og "
        "dialogmøte innen fristen, og vi dokumenterer vurderingen i Modia."
    )
    return urlencode(fields), key_field, form["textarea"]


def _backend_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a local PostgreSQL backend process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure_in_process(found: dict, repeat: int = 20) -> dict[str, dict]:
    """Per page, in this process through Django's test client (no HTTP server): SQL queries
    of one request (CaptureQueriesContext, after a warm-up request), and CPU milliseconds per
    request spent in Python and in the PostgreSQL backend (mean of `repeat` requests).

    CPU time, unlike wall time, hardly depends on what else runs on a shared machine, so
    2 cores / (CPU per request) estimates the throughput of an otherwise idle machine.
    """
    import uuid
    from urllib.parse import parse_qsl

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(found["employees"][1])
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    out: dict[str, dict] = {}
    for page in found["pages"]:
        post = page.get("method") == "POST"
        if post:
            form, key_field, _textarea = found["reply_form"]
            base = dict(parse_qsl(form))

            def request(base: dict = base, key_field: str = key_field, page: dict = page):
                return client.post(page["path"], {**base, key_field: str(uuid.uuid4())})
        else:

            def request(page: dict = page):
                return client.get(page["path"])

        response = request()
        with CaptureQueriesContext(connection) as ctx:
            response = request()
        n_queries = len(ctx.captured_queries)  # now: each request resets the query log
        if response.status_code not in (200, 302):
            raise SystemExit(f"bench: {page['path']} answered {response.status_code}")
        n = max(3, repeat // 4) if post or page["name"].startswith("search") else repeat
        cpu0, db0, wall0 = time.process_time(), _backend_cpu_seconds(backend), time.perf_counter()
        for _ in range(n):
            request()
        cpu = (time.process_time() - cpu0) / n * 1000
        db = (_backend_cpu_seconds(backend) - db0) / n * 1000
        wall = (time.perf_counter() - wall0) / n * 1000
        out[page["name"]] = {
            "queries": n_queries,
            "app_cpu_ms": round(cpu, 1),
            "db_cpu_ms": round(db, 1),
            "wall_ms": round(wall, 1),
            "bytes": len(response.content),
        }
    return out


class RssSampler(threading.Thread):
    """Samples the RSS of a gunicorn master's worker processes every 0.25 s."""

    def __init__(self, master_pid: int) -> None:
        super().__init__(daemon=True)
        self.master = master_pid
        self.peak_worker_kb = 0
        self.peak_total_kb = 0
        self.running = True

    def _workers(self) -> list[int]:
        path = Path(f"/proc/{self.master}/task/{self.master}/children")
        try:
            return [int(p) for p in path.read_text().split()]
        except OSError:
            return []

    @staticmethod
    def _rss_kb(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def reset(self) -> None:
        self.peak_worker_kb = self.peak_total_kb = 0

    def run(self) -> None:
        while self.running:
            sizes = [self._rss_kb(pid) for pid in self._workers()]
            if sizes:
                self.peak_worker_kb = max(self.peak_worker_kb, max(sizes))
                self.peak_total_kb = max(self.peak_total_kb, sum(sizes))
            time.sleep(0.25)


# The tables a run writes: replies into the live chat (posts, its thread's and topic's
# counters) and every page view (view buckets, read marks).
WRITTEN_TABLES = (
    "forum_post", "forum_thread", "forum_topic", "forum_threadviewday", "forum_threadread",
)  # fmt: skip


def vacuum_if_autovacuum_is_off() -> None:
    """VACUUM (ANALYZE) what earlier runs wrote, where the server runs without autovacuum.

    This machine's PostgreSQL has autovacuum off (/etc/postgresql/15/main/conf.d/90-ci.conf),
    so each run's 7,000 replies left the live-chat thread's and topic's rows with thousands
    of dead versions (forum_thread: 49,392 after four runs) for the next run to step over. A
    production server vacuums them in the background; so does the benchmark, before it
    measures."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        if cursor.fetchone()[0] == "on":
            return
        began = time.perf_counter()
        for table in WRITTEN_TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
        # Tables never analyzed (a database seeded before the seeder analyzed them all):
        # without statistics the generic plans of the viewer's grants scan every grant (F34).
        cursor.execute(
            "SELECT relname FROM pg_stat_user_tables "
            "WHERE last_analyze IS NULL AND last_autoanalyze IS NULL"
        )
        never = [name for (name,) in cursor.fetchall()]
        for table in never:
            cursor.execute(f'ANALYZE "{table}"')
    print(f"autovacuum is off on this server: vacuumed {', '.join(WRITTEN_TABLES)}"
          f"{', analyzed ' + ', '.join(never) if never else ''} "
          f"in {time.perf_counter() - began:.1f} s")  # fmt: skip


def start_gunicorn(args: argparse.Namespace, log_path: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        {
            "GUNICORN_BIND": f"127.0.0.1:{args.port}",
            "GUNICORN_WORKERS": str(args.workers),
            "GUNICORN_THREADS": str(args.threads),
            # Worker recycling off during the runs: a restart mid-run measures start-up.
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_ACCESSLOG": str(log_path.with_suffix(".access.log")),
        }
    )
    log = log_path.open("w")
    proc = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "-c", "gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{args.port}/healthz"
    for _ in range(120):
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return proc
        except OSError:
            time.sleep(0.25)
        if proc.poll() is not None:
            break
    proc.terminate()
    raise SystemExit(f"bench: gunicorn did not answer on {url}; see {log_path}")


def run_wrk(url: str, args: argparse.Namespace, env: dict, duration: int) -> dict:
    cmd = [
        WRK,
        f"-t{args.wrk_threads}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
    match = re.search(r"^BENCH_JSON (.*)$", out, re.M)
    if not match:
        raise SystemExit(f"bench: wrk gave no summary:\n{out}")
    return json.loads(match.group(1))


def thread_consistency(thread_id: int) -> dict:
    """Do the thread's and its topic's counters equal what the rows say?"""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT t.post_count, COUNT(p.id), MIN(p.position), MAX(p.position),
                   COUNT(DISTINCT p.position),
                   t.reply_count,
                   COUNT(p.id) FILTER (WHERE p.hidden_at IS NULL AND p.deleted_at IS NULL
                                         AND p.position > 1),
                   t.last_post_id,
                   (SELECT id FROM forum_post WHERE thread_id = t.id
                    ORDER BY position DESC LIMIT 1)
            FROM forum_thread t JOIN forum_post p ON p.thread_id = t.id
            WHERE t.id = %s GROUP BY t.id
            """,
            [thread_id],
        )
        pc, n, lo, hi, distinct, rc, visible_replies, last, real_last = cursor.fetchone()
        cursor.execute(
            """
            SELECT tp.post_count, SUM(t.post_count), tp.thread_count, COUNT(t.id)
            FROM forum_topic tp JOIN forum_thread t ON t.topic_id = tp.id
            WHERE tp.id = (SELECT topic_id FROM forum_thread WHERE id = %s)
            GROUP BY tp.id
            """,
            [thread_id],
        )
        tpc, sum_pc, ttc, n_threads = cursor.fetchone()
    return {
        "post_count": pc,
        "posts": n,
        "positions_contiguous": lo == 1 and hi == n and distinct == n,
        "reply_count": rc,
        "visible_replies": visible_replies,
        "last_post_ok": last == real_last,
        "topic_post_count": tpc,
        "topic_posts_in_threads": sum_pc,
        "topic_thread_count_ok": ttc == n_threads,
        "consistent": pc == n
        and lo == 1
        and hi == n
        and distinct == n
        and rc == visible_replies
        and last == real_last
        and tpc == sum_pc
        and ttc == n_threads,
    }


def environment() -> dict:
    """Machine, versions and commit, for the record."""
    import django
    from django.db import connection

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    wrk_version = subprocess.run([WRK, "-v"], capture_output=True, text=True).stdout.split("\n")[0]
    gunicorn_version = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "--version"], capture_output=True, text=True
    ).stdout.strip()

    def git(*a: str) -> str:
        return subprocess.run(["git", *a], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "postgresql": pg,
        "gunicorn": gunicorn_version,
        "wrk": wrk_version.strip(),
        "commit": git("rev-parse", "--short", "HEAD"),
        "tree_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    }


def markdown_table(result: dict) -> str:
    env = result["environment"]
    base = result["pages"][0]["rps"] or 1
    lines = [
        f"Run {result['started']} on {env['cpu']} ({env['cores']} cores, {env['memory_gb']} GB), "
        f"Linux {env['kernel']}; Python {env['python']}, Django {env['django']}, "
        f"PostgreSQL {env['postgresql']}, {env['gunicorn']} ({result['config']['workers']} "
        f"sync workers), {env['wrk']}; commit `{env['commit']}`"
        f"{' (working tree had uncommitted changes)' if env['tree_dirty'] else ''}. "
        f"Data: {result['data']['posts']:,} posts in {result['data']['threads']:,} threads. "
        f"wrk: {result['config']['connections']} connections, {result['config']['duration']} s "
        f"per page after a {result['config']['warmup']} s warm-up"
        + (
            f", each page between two {result['config']['pair']} s runs of the trivial view "
            "(its share is of those)"
            if result["config"].get("pair")
            else ""
        )
        + ". Load average before/after: "
        f"{result['load_before']} / {result['load_after']} (shared machine).",
        "",
        "| page | req/s | trivial view alongside, req/s | share of trivial | p50 ms | p95 ms "
        "| p99 ms | errors | SQL queries | CPU ms/req app + db | idle-machine estimate req/s "
        "| worker RSS peak MB | target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| --- |",
    ]
    for page in result["pages"]:
        # Against the trivial view measured right before and after the page (A-B-A) where
        # the run paired them; against the run's one trivial-view figure otherwise.
        alongside = page.get("paired_trivial_rps")
        share = page["rps"] / (alongside or base)
        target = TARGETS.get(page["name"])
        verdict = ""
        if target:
            p95_ok = page["p95_ms"] < target[0]
            share_ok = target[1] is None or share >= target[1]
            errors_ok = page["errors"] == 0
            extra_ok = page.get("consistency", {}).get("consistent", True)
            ok = p95_ok and share_ok and errors_ok and extra_ok
            verdict = "met" if ok else "**missed**"
            verdict += f" (p95 < {target[0]} ms" + (f", ≥ {target[1]:.0%})" if target[1] else ")")
        cpu = page.get("app_cpu_ms", 0) + page.get("db_cpu_ms", 0)
        cpu_cell = f"{page.get('app_cpu_ms', 0):.1f} + {page.get('db_cpu_ms', 0):.1f}"
        estimate = f"{2000 / cpu:.0f}" if cpu else "–"
        lines.append(
            f"| {page['label']} | {page['rps']:.1f} | "
            f"{f'{alongside:.1f}' if alongside else '–'} | {share:.0%} | {page['p50_ms']:.1f} | "
            f"{page['p95_ms']:.1f} | {page['p99_ms']:.1f} | {page['errors']} | "
            f"{page.get('queries', '–')} | {cpu_cell} | {estimate} | "
            f"{page['worker_rss_mb']:.0f} | {verdict} |"
        )
    reply = next((p for p in result["pages"] if p["name"] == "reply"), None)
    if reply and "consistency" in reply:
        c = reply["consistency"]
        verdict_word = "consistent" if c["consistent"] else "NOT consistent"
        lines += [
            "",
            f"Reply POST: {reply['created']:,} replies created for {reply['requests']:,} "
            f"requests; afterwards the thread's post_count {c['post_count']:,} = "
            f"{c['posts']:,} rows, positions 1..n contiguous: {c['positions_contiguous']}, "
            f"reply_count {c['reply_count']:,} = {c['visible_replies']:,} visible replies, "
            f"last_post right: {c['last_post_ok']}, topic post_count {c['topic_post_count']:,} = "
            f"{c['topic_posts_in_threads']:,}: **{verdict_word}**.",
        ]
    return "\n".join(lines)


def write_docs(table: str) -> None:
    text = (
        DOCS.read_text(encoding="utf-8") if DOCS.exists() else f"# Performance\n\n{BEGIN}\n{END}\n"
    )
    if BEGIN not in text:
        text += f"\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOCS.write_text(f"{head}{BEGIN}\n{table}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--duration", type=int, default=20, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up seconds per page")
    parser.add_argument(
        "--pair",
        type=int,
        default=5,
        help="seconds of the trivial view right before and after each page (0: off)",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("GUNICORN_WORKERS", 5)))
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--only", default="", help="comma-separated page names")
    parser.add_argument(
        "--queries-only",
        action="store_true",
        help="only the in-process part: SQL queries and CPU per request",
    )
    parser.add_argument("--no-docs", action="store_true", help="do not update docs/performance.md")
    parser.add_argument(
        "--docs-from",
        metavar="JSON",
        help="only rewrite the table in docs/performance.md from a saved result",
    )
    args = parser.parse_args()
    if args.docs_from:
        write_docs(markdown_table(json.loads(Path(args.docs_from).read_text(encoding="utf-8"))))
        return

    configure_django(args.database_url)
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)  # the manifest DEBUG=0 needs
    if not args.queries_only:
        vacuum_if_autovacuum_is_off()
    started = datetime.now(UTC)
    found = discover(args)
    if any(p["name"] == "reply" for p in found["pages"]):
        found["reply_form"] = reply_form(found)
    if args.only:
        wanted = set(args.only.split(",")) | {"healthz"}
        found["pages"] = [p for p in found["pages"] if p["name"] in wanted]
    in_process = measure_in_process(found)
    if args.queries_only:
        print(json.dumps({"posts": found["posts"], "in_process": in_process}, indent=2))
        return

    work = Path(tempfile.mkdtemp(prefix="erf-bench-"))
    cookie_file = work / "cookies.tsv"
    cookie_file.write_text("".join(f"{sid}\t{csrf}\n" for sid, csrf in found["cookies"]))
    load_before = [round(x, 2) for x in os.getloadavg()]
    proc = start_gunicorn(args, work / "gunicorn.log")
    sampler = RssSampler(proc.pid)
    sampler.start()
    results = []
    from forum.models import Post

    trivial_url = f"http://127.0.0.1:{args.port}/healthz"
    trivial_env = dict(os.environ, BENCH_COOKIES=str(cookie_file))
    try:
        for page in found["pages"]:
            url = f"http://127.0.0.1:{args.port}{page['path']}"
            env = dict(os.environ, BENCH_COOKIES=str(cookie_file))
            if page.get("method") == "POST":
                form, key_field, _textarea = found["reply_form"]
                env.update(BENCH_METHOD="POST", BENCH_FORM=form, BENCH_KEY_FIELD=key_field)
            before = Post.objects.count() if page.get("method") == "POST" else 0
            if args.warmup and page.get("method") != "POST":
                run_wrk(url, args, env, args.warmup)
            paired = args.pair and page["name"] != "healthz"
            # The trivial view right before and right after the page (A-B-A), so its share
            # compares the two under the same machine conditions: on a shared VM the
            # trivial view alone moved by a factor of 4 between runs.
            trivial = [run_wrk(trivial_url, args, trivial_env, args.pair)] if paired else []
            sampler.reset()
            load = os.getloadavg()[0]
            summary = run_wrk(url, args, env, args.duration)
            if paired:
                trivial.append(run_wrk(trivial_url, args, trivial_env, args.pair))
            e = summary["errors"]
            lat = summary["latency_us"]
            row = {
                "name": page["name"],
                "label": page["label"],
                "path": page["path"],
                "requests": summary["requests"],
                "rps": round(summary["requests"] / (summary["duration_us"] / 1e6), 1),
                "p50_ms": lat["p50"] / 1000,
                "p95_ms": lat["p95"] / 1000,
                "p99_ms": lat["p99"] / 1000,
                "max_ms": lat["max"] / 1000,
                "errors": e["connect"] + e["read"] + e["write"] + e["status"] + e["timeout"],
                "error_detail": e,
                **in_process.get(page["name"], {}),
                "worker_rss_mb": sampler.peak_worker_kb / 1024,
                "workers_rss_total_mb": sampler.peak_total_kb / 1024,
                "load_at_start": round(load, 2),
            }
            if trivial:
                row["paired_trivial_rps"] = round(
                    sum(t["requests"] for t in trivial)
                    / (sum(t["duration_us"] for t in trivial) / 1e6),
                    1,
                )
            if page.get("method") == "POST":
                row["created"] = Post.objects.count() - before
                row["consistency"] = thread_consistency(page["thread_id"])
            results.append(row)
            alongside = (
                f"  trivial alongside {row['paired_trivial_rps']:.1f} req/s "
                f"({row['rps'] / row['paired_trivial_rps']:.0%})"
                if trivial
                else ""
            )
            print(
                f"{page['name']:18} {row['rps']:8.1f} req/s  p50 {row['p50_ms']:6.1f}  "
                f"p95 {row['p95_ms']:6.1f}  p99 {row['p99_ms']:6.1f} ms  errors {row['errors']}"
                f"  queries {row['queries']}  rss {row['worker_rss_mb']:.0f} MB{alongside}",
                flush=True,
            )
    finally:
        sampler.running = False
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()

    result = {
        "started": started.strftime("%Y-%m-%d %H:%M UTC"),
        "environment": environment(),
        "config": {
            "workers": args.workers,
            "threads": args.threads,
            "connections": args.connections,
            "wrk_threads": args.wrk_threads,
            "duration": args.duration,
            "warmup": args.warmup,
            "pair": args.pair,
            "sessions": len(found["cookies"]),
            "database": args.database_url.rsplit("/", 1)[-1],
        },
        "data": {"posts": found["posts"], "threads": found["threads"]},
        "load_before": load_before,
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "pages": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{started.strftime('%Y-%m-%dT%H%MZ')}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    table = markdown_table(result)
    print(f"\n{table}\n\nWrote {out.relative_to(ROOT)}")
    if not args.no_docs and not args.only:
        write_docs(table)
        print(f"Updated {DOCS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
