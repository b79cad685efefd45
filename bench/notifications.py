"""Issue 15's scale figures, measured in-process on a seeded database (`make run`'s demo
data is enough: it adds WATCHERS employees of its own).

- reply: post_reply into a thread of a topic that WATCHERS employees watch, through the
  service as the view calls it (the transaction and the enqueue after the commit);
  p50/p95 over REPLIES replies. The request only enqueues, so the watchers do not count.
- fan-out: the worker's fan_out_post for one of those replies (one INSERT ... SELECT that
  tells all WATCHERS), wall time and rows.
- list: GET /varsler/ for a watcher with LIST_SIZE notifications (Django's test client,
  in-process: middleware, view, template), p50/p95 and queries.
- digest: the daily digest for every watcher: queue_digests (one INSERT ... SELECT) and the
  delivery loop (compose in the reader's language, send, stamp) to a local aiosmtpd.

    DATABASE_URL=... .venv/bin/python bench/notifications.py [--watchers 20000] [--replies 50]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erfaringsforum.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["DEBUG"] = "0"
    os.environ["FORUM_POST_INTERVAL_SECONDS"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["LOG_LEVEL"] = "WARNING"
    os.environ.setdefault("STATIC_PLAIN", "1")  # no collectstatic manifest needed
    import django

    django.setup()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--watchers", type=int, default=20_000)
    parser.add_argument("--replies", type=int, default=50)
    parser.add_argument("--list-requests", type=int, default=50)
    parser.add_argument("--skip-digest", action="store_true")
    parser.add_argument(
        "--digest-sample", type=int, default=None,
        help="deliver only this many digests and extrapolate to all (a busy machine)",
    )  # fmt: skip
    args = parser.parse_args()
    setup()

    from aiosmtpd.controller import Controller
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Employee, Unit
    from forum import services as forum_services
    from forum.models import Topic
    from forum.notifications import mail, services
    from forum.notifications.models import Notification, OutboxMail, Watch
    from forum.querysets import TREE_PUBLISHED

    topic = Topic.objects.filter(TREE_PUBLISHED).order_by("pk").first()
    unit = Unit.objects.order_by("pk").first()
    emp, watch = Employee._meta.db_table, Watch._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {emp} (password, is_superuser, email, name, title, unit_id,
                                   is_staff, is_active, date_joined)
            SELECT '!', false, 'bench.watcher.' || g || '@bench.example', 'Følger ' || g, '',
                   %s, false, true, now()
              FROM generate_series(1, %s) g
            ON CONFLICT (email) DO NOTHING""",  # noqa: S608
            [unit.pk, args.watchers],
        )
        cursor.execute(
            f"""INSERT INTO {watch} (employee_id, topic_id, level, created_at)
            SELECT id, %s, 'watching', now() FROM {emp} WHERE email LIKE 'bench.watcher.%%'
            ON CONFLICT (employee_id, topic_id) WHERE topic_id IS NOT NULL DO NOTHING""",  # noqa: S608
            [topic.pk],
        )
        cursor.execute("ANALYZE")
    watchers = Watch.objects.filter(topic=topic, level="watching").count()
    author = Employee.objects.filter(email__startswith="bench.watcher.1@").get()
    writer = Employee.objects.filter(email__startswith="bench.watcher.2@").get()
    thread = forum_services.start_thread(
        topic, author=author, title=f"Benk {timezone.now():%H%M%S}", body="Hvordan?"
    )

    # The reply as the view calls it: the service's transaction, then the enqueue.
    times, posts = [], []
    for n in range(args.replies):
        started = time.perf_counter()
        post = forum_services.post_reply(thread, author=writer, body=f"Svar {n}")
        times.append((time.perf_counter() - started) * 1000)
        posts.append(post)
    reply = {"p50_ms": round(statistics.median(times), 2), "p95_ms": round(pct(times, 0.95), 2)}

    started = time.perf_counter()
    told, mailed = services.fan_out_post(posts[0].pk)
    fan_out = {"seconds": round(time.perf_counter() - started, 2), "told": told, "mailed": mailed}
    for post in posts[1:4]:
        services.fan_out_post(post.pk)  # a reader with several notifications

    reader = Employee.objects.get(email__startswith="bench.watcher.3@")
    client = Client()
    client.force_login(reader)
    client.get("/varsler/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/varsler/")
    list_times = []
    for _ in range(args.list_requests):
        started = time.perf_counter()
        response = client.get("/varsler/")
        list_times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    listing = {
        "p50_ms": round(statistics.median(list_times), 2),
        "p95_ms": round(pct(list_times, 0.95), 2), "queries": len(ctx.captured_queries),
        "notifications": Notification.objects.filter(recipient=reader).count(),
    }  # fmt: skip

    result = {"watchers": watchers, "reply": reply, "fan_out": fan_out, "list": listing}
    if not args.skip_digest:

        class Sink:
            count = 0

            async def handle_DATA(self, server, session, envelope):
                Sink.count += 1
                return "250 OK"

        controller = Controller(Sink(), hostname="127.0.0.1", port=8025 + os.getpid() % 1000)
        controller.start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        end = timezone.now() + timezone.timedelta(seconds=1)
        OutboxMail.objects.filter(sent_at__isnull=True).delete()  # a second run measures again
        OutboxMail.objects.filter(digest="daily").delete()
        started = time.perf_counter()
        queued = mail.queue_digests("daily", end=end)
        queue_seconds = time.perf_counter() - started
        sending = time.perf_counter()
        counts = mail.deliver_due(now=end, limit=args.digest_sample)
        done = sum(counts.values())
        send_seconds = time.perf_counter() - sending
        controller.stop()
        per_mail = send_seconds / max(done, 1)
        result["digest"] = {
            "queued": queued, "queue_seconds": round(queue_seconds, 2), "delivered": done,
            "send_seconds": round(send_seconds, 1), "received": Sink.count, **counts,
            "per_mail_ms": round(per_mail * 1000, 2),
            "all_queued_minutes": round((queue_seconds + per_mail * queued) / 60, 1),
        }  # fmt: skip
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
