"""What a search returns (hits, pages, similar threads) and the filters it takes."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from forum.models import Thread

PER_PAGE = 20
START, STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class Filters:
    topic: Any = None  # forum.models.Topic: the topic and its subtopics
    county_id: int | None = None  # the thread author's unit's county
    unit_id: int | None = None  # the thread author's unit
    date_from: date | None = None
    date_to: date | None = None
    kind: str = ""
    clarified_only: bool = False
    sort: str = "relevance"  # or "newest"


@dataclass(frozen=True)
class Person:
    pk: int
    name: str
    unit: Any = None


@dataclass(frozen=True)
class Named:
    name: str
    county: Any = None


@dataclass(frozen=True)
class SearchHit:
    thread_id: int
    post_id: int | None
    title_html: SafeString
    snippet_html: SafeString
    kind: str
    topic_name: str
    topic_slug: str
    author: Person
    created_at: datetime
    last_activity_at: datetime
    reply_count: int
    clarified: bool
    accepted: bool
    score: float

    @property
    def kind_label(self) -> str:
        return str(Thread.Kind(self.kind).label) if self.kind in Thread.Kind.values else ""


@dataclass(frozen=True)
class SearchPage:
    hits: list[SearchHit]
    total: int
    more: bool  # a candidate bound was reached: there are more matches than counted
    page: int
    num_pages: int

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PER_PAGE + 1


@dataclass(frozen=True)
class SimilarThread:
    thread_id: int
    title: str
    topic_name: str
    reply_count: int
    clarified: bool
    accepted: bool
    created_at: datetime


def highlight(text: str | None) -> SafeString:
    """Escape a ts_headline result; only the markers become HTML (<mark>)."""
    escaped = escape(text or "")
    # Safe: the text is escaped first; the only HTML added is the <mark> pair.
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308
