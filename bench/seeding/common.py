"""What every part of the benchmark seed shares: the fixed time window and the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

END = datetime(2026, 11, 1, tzinfo=UTC)  # fixed, so the data does not depend on today
DAYS = 730
START = END - timedelta(days=DAYS)


@dataclass
class SeedReport:
    posts: int = 0
    threads: int = 0
    employees: int = 0
    view_days: int = 0
    clarified: int = 0
    escalations: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def load_seconds(self) -> float:
        return sum(v for k, v in self.timings.items() if k != "vacuum_analyze")
