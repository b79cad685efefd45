"""`manage.py seed_benchmark --posts N`: the benchmark data set (see forum/benchdata.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from forum import benchdata
from forum.models import Post


class Command(BaseCommand):
    help = (
        "Fill an empty benchmark database with a deterministic, realistic data set: 20,000 "
        "employees, 60 topics, N posts (default 1,000,000). Same --seed, same data."
    )

    def add_arguments(self, parser) -> None:
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

    def handle(self, *args, **options) -> None:
        n_posts: int = options["posts"]
        if n_posts < 1:
            raise CommandError("--posts must be at least 1.")
        name = connection.settings_dict["NAME"]
        if options["if_empty"] and not options["flush"] and Post.objects.exists():
            self.stdout.write(f"{name} already holds posts: not seeding (use --flush to redo).")
            return
        if options["flush"]:
            if "bench" not in name and "test" not in name:
                raise CommandError(
                    f"refusing to flush database {name!r}: only a benchmark or test database."
                )
            benchdata.flush_database()
        started = time.perf_counter()
        self.stdout.write(f"Seeding {n_posts:,} posts into {name} (seed {options['seed']})")
        try:
            report = benchdata.seed(
                n_posts,
                seed=options["seed"],
                log=self.stdout.write,
                vacuum=not options["no_vacuum"],
                drop_indexes=options["drop_indexes"],
                jobs=max(1, options["jobs"]),
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        load = report.load_seconds
        self.stdout.write(
            self.style.SUCCESS(
                f"{report.posts:,} posts in {report.threads:,} threads, {report.employees:,} "
                f"employees, {report.view_days:,} view days, {report.clarified} clarified "
                f"answers, {report.escalations} escalations. Load {load:.1f} s "
                f"({report.posts / max(load, 0.001):,.0f} posts/s), total with VACUUM ANALYZE "
                f"{elapsed:.1f} s ({report.posts / max(elapsed, 0.001):,.0f} posts/s)."
            )
        )
