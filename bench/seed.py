"""Seed the benchmark database: `.venv/bin/python bench/seed.py --posts N [--if-empty]`.

A plain script (it sets Django up itself, with the settings and DATABASE_URL of the
environment); `make bench` runs it before bench/run.py. The data set and how it is loaded
fast are described in bench/seeding/__init__.py. Same --seed and --posts, same rows.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class SeedError(RuntimeError):
    """The seed cannot run as asked (the message says why)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Fill an empty benchmark database with a deterministic, realistic data "
        "set: 20,000 employees, 60 topics, N posts (default 1,000,000). Same --seed, same data."
    )
    parser.add_argument("--posts", type=int, default=1_000_000, help="number of posts")
    parser.add_argument("--seed", type=int, default=2026, help="random seed")
    parser.add_argument(
        "--flush",
        action="store_true",
        help="empty every project table first (only in a database whose name contains "
        "'bench' or 'test')",
    )
    parser.add_argument(
        "--drop-indexes",
        action="store_true",
        help="drop secondary indexes during the load and build them at the end (measured: "
        "no faster at 1,000,000 posts, so off by default)",
    )
    parser.add_argument(
        "--jobs", type=int, default=2, help="parallel connections loading posts (default 2)"
    )
    parser.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (successfully) when the database already holds posts",
    )
    parser.add_argument("--no-vacuum", action="store_true", help="ANALYZE only")
    return parser.parse_args(argv)


def run(
    *,
    posts: int = 1_000_000,
    seed: int = 2026,
    flush: bool = False,
    drop_indexes: bool = False,
    jobs: int = 2,
    if_empty: bool = False,
    no_vacuum: bool = False,
    log: Callable[[str], None] = print,
) -> None:
    """Seed the database Django is set up for. Raises SeedError when it cannot."""
    from django.db import connection

    from bench import seeding
    from forum.models import Post

    if posts < 1:
        raise SeedError("--posts must be at least 1.")
    name = connection.settings_dict["NAME"]
    if if_empty and not flush and Post.objects.exists():
        log(f"{name} already holds posts: not seeding (use --flush to redo).")
        return
    if flush:
        if "bench" not in name and "test" not in name:
            raise SeedError(
                f"refusing to flush database {name!r}: only a benchmark or test database."
            )
        seeding.flush_database()
    started = time.perf_counter()
    log(f"Seeding {posts:,} posts into {name} (seed {seed})")
    try:
        report = seeding.seed(
            posts,
            seed=seed,
            log=log,
            vacuum=not no_vacuum,
            drop_indexes=drop_indexes,
            jobs=max(1, jobs),
        )
    except RuntimeError as exc:
        raise SeedError(str(exc)) from exc
    elapsed = time.perf_counter() - started
    load = report.load_seconds
    log(
        f"{report.posts:,} posts in {report.threads:,} threads, {report.employees:,} "
        f"employees, {report.view_days:,} view days, {report.clarified} clarified "
        f"answers, {report.escalations} escalations. Load {load:.1f} s "
        f"({report.posts / max(load, 0.001):,.0f} posts/s), total with VACUUM ANALYZE "
        f"{elapsed:.1f} s ({report.posts / max(elapsed, 0.001):,.0f} posts/s)."
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erfaringsforum.settings")
    import django

    django.setup()
    try:
        run(**vars(args))
    except SeedError as exc:
        print(f"bench/seed.py: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
