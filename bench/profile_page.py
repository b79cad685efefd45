"""What one page costs, without the load: Python instructions (callgrind) and CPU per request.

`make bench` measures throughput, which on a shared 2-core VM moves with everything else
that runs; the share of the trivial view comes from two such figures. This script measures
what a request costs the machine instead, in this process through Django's WSGI handler as
gunicorn calls it (production settings, DEBUG=0, one signed-in employee of the benchmark
database, fragment caches warm):

- CPU per request: this process's (Python) and the PostgreSQL backend's (from /proc), over
  `--requests` requests after `--warmup`;
- with `--callgrind`: the Python process's instructions per request, counted by valgrind's
  callgrind for `--requests` requests minus the count of a run with none (same start-up and
  warm-up), which does not depend on the machine's load at all.

    .venv/bin/python bench/profile_page.py --pages thread-big-first,healthz --requests 2000
    .venv/bin/python bench/profile_page.py --pages thread-big-first --callgrind --requests 30
    .venv/bin/python bench/profile_page.py --pages thread-big-first --cprofile 500

Pages: healthz, home, topic, thread-big-first, thread-big-last, thread-typical.
"""

from __future__ import annotations

import argparse
import io
import math
import os
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import DEFAULT_DB, ROOT, _backend_cpu_seconds, configure_django

PAGES = ("healthz", "home", "topic", "thread-big-first", "thread-big-last", "thread-typical")


def page_paths() -> dict[str, str]:
    """The benchmark's pages (as bench/run.py finds them), by name."""
    from django.conf import settings
    from django.urls import reverse

    from forum.models import Thread, Topic

    big = Thread.objects.order_by("-post_count", "id").first()
    if big is None:
        raise SystemExit("profile_page: the database has no threads; run bench/seed.py")
    typical = Thread.objects.order_by("post_count", "id")[Thread.objects.count() // 2]
    topic = Topic.objects.filter(published_at__isnull=False).order_by("-thread_count").first()
    big_last = max(1, math.ceil(big.post_count / settings.FORUM_POSTS_PER_PAGE))
    return {
        "healthz": "/healthz",
        "home": reverse("forum:home"),
        "topic": topic.get_absolute_url(),
        "thread-big-first": f"{big.get_absolute_url()}?page=1",
        "thread-big-last": f"{big.get_absolute_url()}?page={big_last}",
        "thread-typical": f"{typical.get_absolute_url()}?page=1",
    }


def session_cookie() -> str:
    """A session of an active poster who is not an admin, as bench/run.py makes them."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import Employee

    employee = Employee.objects.filter(is_active=True, is_staff=False, posts__isnull=False)
    employee = employee.order_by("id").first()
    store = SessionStore()
    store[SESSION_KEY] = str(employee.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.EmployeeBackend"
    store[HASH_SESSION_KEY] = employee.get_session_auth_hash()
    store.create()
    return f"sessionid={store.session_key}; csrftoken={'c' * 32}"


def requester(path: str, cookie: str):
    """A function making one GET request of `path` through Django's WSGI handler."""
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    path_info, _, query = path.partition("?")

    def start_response(status: str, headers: list) -> None:
        if not status.startswith(("200", "302")):
            raise SystemExit(f"profile_page: {path} answered {status}")

    def request() -> int:
        environ = {
            "REQUEST_METHOD": "GET", "PATH_INFO": path_info, "QUERY_STRING": query,
            "SCRIPT_NAME": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8765",
            "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1",
            "HTTP_COOKIE": cookie, "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http", "wsgi.version": (1, 0), "wsgi.multithread": False,
            "wsgi.multiprocess": True, "wsgi.run_once": False,
        }  # fmt: skip
        response = handler(environ, start_response)
        try:
            return sum(len(chunk) for chunk in response)
        finally:
            response.close()

    return request


def measure(args: argparse.Namespace) -> None:
    configure_django(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG=0's manifest
    paths = page_paths()
    cookie = session_cookie()
    for name in args.pages.split(","):
        request = requester(paths[name], cookie)
        for _ in range(args.warmup):
            size = request()
        if args.cprofile:
            import cProfile
            import pstats

            profiler = cProfile.Profile(time.process_time) if args.cpu_clock else cProfile.Profile()
            profiler.enable()
            for _ in range(args.cprofile):
                request()
            profiler.disable()
            stats = pstats.Stats(profiler).sort_stats(args.sort)
            stats.print_stats(args.top)
            continue
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        cpu0, db0, wall0 = time.process_time(), _backend_cpu_seconds(backend), time.perf_counter()
        for _ in range(args.requests):
            request()
        n = max(args.requests, 1)
        cpu = (time.process_time() - cpu0) / n * 1e6
        try:
            db = (_backend_cpu_seconds(backend) - db0) / n * 1e6
        except OSError:  # the connection was recycled (CONN_MAX_AGE) during a slow run
            db = math.nan
        wall = (time.perf_counter() - wall0) / n * 1e6
        print(
            f"{name:18} {args.requests} requests: app {cpu:7.0f} us  db {db:6.0f} us  "
            f"wall {wall:7.0f} us  ({size:,} bytes)",
            flush=True,
        )


def callgrind(args: argparse.Namespace) -> None:
    """Instructions per request: a run of N requests minus a run of none, under callgrind."""
    out = Path(args.out_dir)
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, PYTHONHASHSEED="0")
    for name in args.pages.split(","):
        totals = []
        for n in (0, args.requests):
            target = out / f"callgrind.{name}.{n}"
            cmd = [
                "valgrind", "--tool=callgrind", f"--callgrind-out-file={target}",
                sys.executable, __file__, "--database-url", args.database_url,
                "--pages", name, "--requests", str(n), "--warmup", str(args.warmup),
            ]  # fmt: skip
            run = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
            match = re.search(r"Collected : (\d+)", run.stderr)
            if run.returncode or not match:
                raise SystemExit(f"profile_page: callgrind failed:\n{run.stderr[-2000:]}")
            totals.append(int(match.group(1)))
        per_request = (totals[1] - totals[0]) / args.requests
        print(f"{name:18} {per_request / 1e6:6.3f} M instructions/request "
              f"({args.requests} requests; {target})", flush=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--pages", default="thread-big-first,healthz", help=", ".join(PAGES))
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--callgrind", action="store_true", help="count instructions")
    parser.add_argument("--out-dir", default=str(ROOT / "var" / "callgrind"))
    parser.add_argument("--cprofile", type=int, default=0, metavar="N", help="profile N requests")
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--cpu-clock", action="store_true", help="cProfile on CPU time")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    if args.callgrind:
        callgrind(args)
    else:
        measure(args)


if __name__ == "__main__":
    main()
