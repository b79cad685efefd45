"""Run work on real concurrent database connections: one thread and connection per worker."""

import threading

from django.db import connection


def run_concurrently(count: int, work) -> list:
    """Start `count` threads at once (a barrier) and return each one's result or exception."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def worker(n: int) -> None:
        try:
            barrier.wait()
            results[n] = work(n)
        except Exception as exc:  # reported by the test
            results[n] = exc
        finally:
            connection.close()

    workers = [threading.Thread(target=worker, args=(n,)) for n in range(count)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return results
