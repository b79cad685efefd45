"""The busy-Monday mix under load (issue 13), part of `make bench`.

For --duration seconds (default 120) --concurrency people (default 16) work at once against
gunicorn with production settings on the benchmark database: authors reply and edit their
posts, moderators hide, restore, edit, clarify, lock and move in the same threads, readers
read. The mix is the soak test's (tests/live.py: Mix, tests/test_soak.py), at the
benchmark's scale. Reports requests, errors (must be 0), latency per kind and overall, and
whether every confirmed reply is stored and the touched threads' counters equal their rows.
Writes bench/results/soak-<UTC time>.json.

    .venv/bin/python bench/soak.py [--database-url URL] [--duration 120] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import django
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live import Mix, free_port, gunicorn, product_env  # noqa: E402

DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/erf_bench"
THREADS = 6  # the threads of one busy topic the mix works in


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)] if ordered else 0


def _bench_password(database_url: str) -> str:
    # The seeder's constant lives beside Django models: set Django up to import it.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erfaringsforum.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DATABASE_URL", database_url)
    django.setup()
    from bench.seeding.org import BENCH_PASSWORD

    return BENCH_PASSWORD


def cast(conn: psycopg.Connection, concurrency: int, password: str) -> dict:
    """A busy topic's newest threads, its moderator, deputy and an admin, and employees to
    write and read there: 3 moderators, then authors and readers half and half."""
    topic_id, moderator, deputy = conn.execute(
        "SELECT t.id, m.email, d.email FROM forum_topic t "
        "JOIN accounts_employee m ON m.id = t.moderator_id "
        "JOIN accounts_employee d ON d.id = t.deputy_moderator_id "
        "WHERE t.published_at IS NOT NULL AND t.parent_id IS NOT NULL "
        "ORDER BY t.thread_count DESC LIMIT 1"
    ).fetchone()
    # Another published topic to move threads to; the admin moves them (a topic's own
    # moderator moderates only it in the benchmark's data).
    other_topic = conn.execute(
        "SELECT id FROM forum_topic WHERE published_at IS NOT NULL AND parent_id IS NOT NULL "
        "AND id <> %s ORDER BY thread_count DESC LIMIT 1",
        [topic_id],
    ).fetchone()
    admin = conn.execute(
        "SELECT email FROM accounts_employee WHERE is_staff AND is_active ORDER BY id LIMIT 1"
    ).fetchone()[0]
    threads = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM forum_thread WHERE topic_id = %s AND NOT locked "
            "ORDER BY last_activity_at DESC LIMIT %s",
            [topic_id, THREADS],
        )
    ]
    posts = [
        row[0]
        for row in conn.execute(
            "SELECT id FROM forum_post WHERE thread_id = ANY(%s) AND position > 1 LIMIT 200",
            [threads],
        )
    ]
    writers = concurrency - 3
    people = [
        row[0]
        for row in conn.execute(
            "SELECT email FROM accounts_employee WHERE is_active AND NOT is_staff "
            "AND email NOT IN (%s, %s) ORDER BY id LIMIT %s",
            [moderator, deputy, writers],
        )
    ]
    return {
        "topic_ids": [topic_id] + ([other_topic[0]] if other_topic else []),
        "thread_ids": threads,
        "post_ids": posts,
        "people": {
            "moderators": [(moderator, password), (deputy, password), (admin, password)],
            "authors": [(email, password) for email in people[: writers // 2]],
            "readers": [(email, password) for email in people[writers // 2 :]],
        },
    }


def check(conn: psycopg.Connection, mix: Mix) -> dict:
    """Every confirmed reply stored (as it is, or as an edit's earlier version), and the
    touched threads' counters equal to their rows."""
    stored = {
        row[0]
        for row in conn.execute(
            "SELECT body_md FROM forum_post WHERE thread_id = ANY(%s) "
            "UNION SELECT r.body_md FROM forum_postrevision r "
            "JOIN forum_post p ON p.id = r.post_id WHERE p.thread_id = ANY(%s)",
            [mix.thread_ids, mix.thread_ids],
        )
    }
    wrong = conn.execute(
        "SELECT count(*) FROM forum_thread t WHERE t.id = ANY(%s) AND ("
        " t.post_count <> (SELECT max(position) FROM forum_post p WHERE p.thread_id = t.id) OR"
        " t.reply_count <> (SELECT count(*) FROM forum_post p WHERE p.thread_id = t.id"
        "   AND p.position > 1 AND p.hidden_at IS NULL AND p.deleted_at IS NULL))",
        [mix.thread_ids],
    ).fetchone()[0]
    return {
        "confirmed_replies": len(mix.confirmed),
        "lost_replies": sum(1 for text in mix.confirmed if text not in stored),
        "threads_with_wrong_counters": wrong,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--duration", type=float, default=120)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    with psycopg.connect(args.database_url) as conn:
        plan = cast(conn, args.concurrency, _bench_password(args.database_url))
    mix = Mix("", plan["thread_ids"], plan["post_ids"], plan["topic_ids"])
    env = product_env(args.database_url, free_port(), GUNICORN_WORKERS="5")
    env.pop("STATIC_PLAIN", None)
    with tempfile.TemporaryDirectory() as folder, gunicorn(env, Path(folder) / "g.log") as url:
        mix.base_url = url
        mix.run(plan["people"], args.duration)
    with psycopg.connect(args.database_url) as conn:
        checked = check(conn, mix)
    kinds = sorted({kind for kind, _, _ in mix.results})
    report = {
        "when": datetime.now(UTC).strftime("%Y-%m-%dT%H%MZ"),
        "duration_s": args.duration,
        "concurrency": args.concurrency,
        "requests": len(mix.results),
        "per_second": round(len(mix.results) / args.duration, 1),
        "errors": len(mix.errors()),
        "p50_ms": round(_percentile([s for _, _, s in mix.results], 0.50) * 1000, 1),
        "p95_ms": round(_percentile([s for _, _, s in mix.results], 0.95) * 1000, 1),
        "p99_ms": round(_percentile([s for _, _, s in mix.results], 0.99) * 1000, 1),
        "by_kind": {
            kind: {
                "requests": len(times := [s for k, _, s in mix.results if k == kind]),
                "p95_ms": round(_percentile(times, 0.95) * 1000, 1),
                "statuses": sorted({status for k, status, _ in mix.results if k == kind}),
            }
            for kind in kinds
        },
        **checked,
    }
    out = ROOT / "bench" / "results" / f"soak-{report['when']}.json"
    out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))
    ok = report["errors"] == 0 and not checked["lost_replies"]
    return 0 if ok and not checked["threads_with_wrong_counters"] else 1


if __name__ == "__main__":
    sys.exit(main())
