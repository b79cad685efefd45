"""Deterministic benchmark data for `manage.py seed_benchmark` (issue 6).

Contract: `seed(n_posts, seed=...)` fills an *empty* (or flushed) database with an agency of
15 counties, 450 units and 20,000 employees, 60 staffed and published topics under 9 staffed
groups, threads whose lengths follow a long-tailed distribution (three giants of 0.5-0.8 % of
all posts each, i.e. 5,000-8,000 posts at 1,000,000), Norwegian text drawn from
`bench/words_nb.txt`, two years of per-day view counts, clarified answers and escalations.

The data looks as if it had been posted through the product: Thread.post_count /
reply_count / last_post / last_activity_at / view_count and Topic.thread_count / post_count /
last_activity_at equal what the rows say; Post.position is 1..n per thread; topic tree fields
come from django-mptt (topics are created through the ORM); body_html is render_markdown()
of body_md. The same seed and post count always give the same rows (ids included).

How it is fast: posts, threads, employees and view days go in with PostgreSQL COPY
(psycopg 3 `cursor.copy()`), as pre-escaped text lines. Bodies are 1-4 paragraphs picked from
a pool of generated paragraphs; each pool paragraph is rendered through render_markdown once,
and a body's HTML is the concatenation of its paragraphs' HTML (for plain paragraphs
CommonMark renders "a\\n\\nb" exactly as render("a") + render("b"); the test checks a sample).
Posts load over several connections in parallel (PostgreSQL computes each row's generated
search vector, the costliest part, on every core); the big tables' foreign keys are dropped
around the load and added back afterwards (PostgreSQL then validates each with one join).
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils.text import slugify

from accounts.demo import COUNTIES, FIRST, LAST
from accounts.models import County, Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP, LEADERS_GROUP
from forum.models import Post, Thread, ThreadViewDay, Topic
from moderation.models import (
    AuditEntry,
    BackOffice,
    BackOfficeMembership,
    ClarifiedAnswer,
    Escalation,
)

WORDS_FILE = Path(settings.BASE_DIR) / "bench" / "words_nb.txt"
BENCH_PASSWORD = "bench-erfaring-2026"  # noqa: S105  (benchmark database only)
DOMAIN = "bench.erfaringsforum.example"
END = datetime(2026, 11, 1, tzinfo=UTC)  # fixed, so the data does not depend on today
DAYS = 730
START = END - timedelta(days=DAYS)
N_EMPLOYEES = 20_000
N_UNITS = 450
PARAGRAPH_POOL = 6_000
GIANT_SHARES = (0.008, 0.006, 0.0052)  # of all posts: 8,000 / 6,000 / 5,200 at 1,000,000
CHAT_TOPIC = "nettprat-med-ledelsen"
CHAT_PEAK_VIEWS = 2_000_000  # 100 x the source's 20,000 views on a live-chat day

TOPIC_TREE: list[tuple[str, list[str]]] = [
    (
        "Arbeid og oppfølging",
        [
            "Sykefraværsoppfølging",
            "Arbeidsrettet oppfølging",
            "Tiltak og virkemidler",
            "Markedsarbeid og arbeidsgivere",
            "Ungdomsgarantien",
            "Jobbspesialister og IPS",
            "Inkluderingstilskudd og lønnstilskudd",
            "Arbeidsevnevurdering",
        ],
    ),
    (
        "Ytelser",
        [
            "Arbeidsavklaringspenger",
            "Sykepenger",
            "Dagpenger",
            "Uføretrygd",
            "Foreldrepenger",
            "Pleiepenger og omsorgspenger",
            "Alderspensjon",
            "Tilleggsstønader",
            "Barnetrygd og kontantstøtte",
        ],
    ),
    (
        "Sosiale tjenester",
        [
            "Økonomisk sosialhjelp",
            "Kvalifiseringsprogrammet",
            "Gjeldsrådgivning",
            "Bolig og bostøtte",
            "Introduksjonsprogrammet",
            "Ansvarsgrupper og individuell plan",
        ],
    ),
    (
        "Hjelpemidler og tilrettelegging",
        [
            "Hjelpemiddelsentralen",
            "Bilstønad",
            "Syn og hørsel",
            "Kommunikasjonshjelpemidler",
            "Utprøving og tilpasning",
            "Gjenbruk og lager",
            "Grunnstønad og hjelpestønad",
        ],
    ),
    (
        "Regelverk og saksbehandling",
        [
            "Faglig veiledning på regelverksspørsmål",
            "Forvaltningsloven",
            "Klage og anke",
            "Feilutbetaling og tilbakekreving",
            "Taushetsplikt og personvern",
            "Vedtaksbrev og begrunnelse",
            "Saksbehandlingstid",
            "Vergemål og fullmakt",
        ],
    ),
    (
        "Kontaktsenter og brukerdialog",
        [
            "Kontaktsenteret",
            "Chat og telefon",
            "Digital dialog",
            "Modia og Gosys",
            "Skjema og ettersending",
            "Tolk og språk",
        ],
    ),
    (
        "Ledelse og organisasjon",
        [
            "Nettprat med ledelsen",
            "Høringer",
            "Omstilling og sammenslåing",
            "Arbeidsmiljø og nærvær",
            "Kompetanse og læring",
            "Statistikk og målstyring",
        ],
    ),
    (
        "Innovasjon",
        [
            "Idéer og innovasjon",
            "Digitalisering og automatisering",
            "Idéer til nye hjelpemidler",
            "Selvbetjening på nav.no",
            "Robotisering",
        ],
    ),
    (
        "Fylker og samarbeid",
        [
            "Samarbeid med kommunen",
            "Samarbeid med helsetjenesten",
            "Utdanning og opplæring",
            "Flyktninger og integrering",
            "Erfaringer fra fylkene",
        ],
    ),
]

PLACES = [
    "Frogner", "Grünerløkka", "Alna", "Bjerke", "Sagene", "Gamle Oslo", "Nordre Aker",
    "Stavanger", "Sandnes", "Haugesund", "Egersund", "Ålesund", "Molde", "Kristiansund",
    "Bodø", "Narvik", "Vestvågøy", "Mo i Rana", "Mosjøen", "Halden", "Sarpsborg",
    "Fredrikstad", "Moss", "Bærum", "Asker", "Lillestrøm", "Lørenskog", "Drammen",
    "Kongsberg", "Ringerike", "Hamar", "Lillehammer", "Gjøvik", "Elverum", "Tønsberg",
    "Larvik", "Sandefjord", "Skien", "Porsgrunn", "Notodden", "Kristiansand", "Arendal",
    "Grimstad", "Mandal", "Bergen sør", "Bergen nord", "Sogndal", "Førde", "Voss",
    "Trondheim", "Steinkjer", "Levanger", "Namsos", "Tromsø", "Harstad", "Finnsnes",
    "Alta", "Hammerfest", "Vadsø", "Kirkenes",
]  # fmt: skip
TITLES = {
    Unit.Kind.LOCAL_OFFICE: ["Veileder", "Saksbehandler", "Rådgiver", "Fagkoordinator"],
    Unit.Kind.SPECIALIST_UNIT: ["Saksbehandler", "Fagkoordinator", "Rådgiver"],
    Unit.Kind.CONTACT_CENTRE: ["Veileder kontaktsenter", "Teamleder kontaktsenter"],
    Unit.Kind.ASSISTIVE_AIDS_CENTRE: ["Rådgiver hjelpemidler", "Ergoterapeut", "Tekniker"],
    Unit.Kind.DIRECTORATE_DEPARTMENT: ["Seniorrådgiver", "Jurist", "Rådgiver"],
    Unit.Kind.NATIONAL_UNIT: ["Seniorrådgiver", "Rådgiver"],
}
TITLE_TEMPLATES = [
    "Hvordan håndterer dere {a} ved {b}?",
    "Spørsmål om {a} og {b}",
    "Erfaringer med {a} i {b}",
    "{A}: praksis for {b}?",
    "Rutine for {a} når {b} mangler",
    "Hvem har ansvar for {a}?",
    "Tips om {a} og {b}",
    "Uklart regelverk: {a} og {b}",
    "God praksis: {a}",
    "Frist for {a} ved {b}?",
]
LEGAL_REFERENCES = ["ftrl. § 8-7", "ftrl. § 11-5", "ftrl. § 11-6", "fvl. § 17", "fvl. § 25",
                    "ftrl. § 22-15", "sotjl. § 18", "ftrl. § 10-5"]  # fmt: skip


def _ascii(text: str) -> str:
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = text.replace("Æ", "Ae").replace("Ø", "O").replace("Å", "A")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def topic_slug(name: str) -> str:
    return slugify(_ascii(name))


def load_words(path: Path = WORDS_FILE) -> tuple[list[str], list[str]]:
    """(ranked common words, rare words) from the word list; duplicates dropped, order kept."""
    common: list[str] = []
    rare: list[str] = []
    target = common
    seen: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line == "# rare":
            target = rare
            continue
        if not line or line.startswith("#") or line in seen:
            continue
        seen.add(line)
        target.append(line)
    return common, rare


def _copy_escape(value: str) -> str:
    """Escape text for PostgreSQL COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def _copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return _copy_escape(str(value))


class _Timestamps:
    """Fast UTC timestamp formatting for COPY: one string per day, cached."""

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def __call__(self, ts: int) -> str:
        day, sec = divmod(ts, 86400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d")
        hour, rest = divmod(sec, 3600)
        return f"{prefix} {hour:02d}:{rest // 60:02d}:{rest % 60:02d}+00"


def _mix(x: int) -> int:
    """A 64-bit integer hash (splitmix64 finaliser): cheap, deterministic pseudo-randomness."""
    x = (x + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
    return x ^ (x >> 31)


@dataclass
class ThreadPlan:
    index: int  # 0-based; the thread's id is index + 1
    topic_id: int
    length: int
    created: int  # unix seconds
    author: int  # employee id
    kind: str
    title: str
    pinned: bool = False
    locked: bool = False
    offsets: list[int] = field(default_factory=list)
    last_post_id: int = 0
    views: int = 0
    is_chat: bool = False


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


def thread_lengths(n_posts: int, rng: random.Random) -> list[int]:
    """Thread lengths summing to n_posts: three giants plus a Pareto-like tail (mean ~10).

    The giants are GIANT_SHARES of all posts (when that is at least 2 posts each); every
    other thread is shorter than the smallest giant.
    """
    giants = [round(n_posts * share) for share in GIANT_SHARES]
    giants = [g for g in giants if g >= 2] if n_posts >= 500 else []
    lengths = list(giants)
    remaining = n_posts - sum(giants)
    cap = max(2, min(giants) - 1) if giants else max(1, n_posts)
    cap = min(cap, 3_000)
    while remaining > 0:
        length = int(1.6 * rng.paretovariate(1.15))
        length = max(1, min(cap, length))
        length = min(length, remaining)
        lengths.append(length)
        remaining -= length
    return lengths


class Generator:
    """Holds the random source and the text pools; everything derives from one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.words, self.rare_words = load_words()
        # Zipf-like word frequencies: weight 1/rank^1.1.
        self.word_cum = list(
            itertools.accumulate(1 / (r + 1) ** 1.1 for r in range(len(self.words)))
        )

    def word(self) -> str:
        return self.words[bisect.bisect(self.word_cum, self.rng.random() * self.word_cum[-1])]

    def sentence(self, extra: str | None = None) -> str:
        n = self.rng.randint(5, 16)
        words = [self.word() for _ in range(n)]
        if extra:
            words.insert(self.rng.randrange(len(words) + 1), extra)
        if n > 9 and self.rng.random() < 0.4:
            words[self.rng.randrange(3, n - 2)] += ","
        text = " ".join(words)
        end = "?" if self.rng.random() < 0.2 else "."
        return text[0].upper() + text[1:] + end

    def paragraph(self, extra: str | None = None) -> str:
        count = self.rng.choice((1, 2, 2, 3, 3, 4))
        sentences = [self.sentence() for _ in range(count)]
        if extra:
            sentences[-1] = self.sentence(extra)
        return " ".join(sentences)

    def paragraph_pool(self, size: int = PARAGRAPH_POOL) -> list[str]:
        """Pool paragraphs; rare words go into exactly one paragraph each (rare search hits)."""
        pool = [self.paragraph() for _ in range(size)]
        for i, rare in enumerate(self.rare_words):
            pool[(i * 7919 + 13) % size] = self.paragraph(extra=rare)
        return pool

    def title(self) -> str:
        template = self.rng.choice(TITLE_TEMPLATES)
        a, b = self.word(), self.word()
        return template.format(a=a, b=b, A=a[:1].upper() + a[1:])[:150]


def render_pool(pool: list[str]) -> tuple[list[str], list[str], int]:
    """(COPY-escaped markdown, COPY-escaped HTML, renderer version) for each pool paragraph."""
    try:
        from forum.markdown import RENDERER_VERSION, render_markdown
    except ImportError:  # the forum's renderer is not there yet: plain escaped paragraphs
        from html import escape

        def render_markdown(text: str) -> str:
            return f"<p>{escape(text, quote=False)}</p>\n"

        RENDERER_VERSION = 1
    md = [_copy_escape(p) for p in pool]
    html = [_copy_escape(render_markdown(p)) for p in pool]
    return md, html, RENDERER_VERSION


def body_paragraphs(thread_index: int, position: int, seed: int, pool_size: int) -> list[int]:
    """Which pool paragraphs make up a post's body: 1-4, chosen by a hash of its place."""
    h = _mix((seed << 40) ^ (thread_index << 20) ^ position)
    roll = h % 100
    count = 1 if roll < 35 else 2 if roll < 70 else 3 if roll < 90 else 4
    if position == 1:
        count = max(count, 2)
    out = []
    for _ in range(count):
        h = _mix(h)
        out.append(h % pool_size)
    return out


# --------------------------------------------------------------------------------------
# Database helpers


def _table_columns(model: type[models.Model], given: list[str]) -> tuple[list[str], list[str]]:
    """Columns to COPY: `given` (column names) plus every other concrete, non-generated column
    as a constant (its Django default or NULL). Returns (column names, constant COPY values)."""
    extra_cols: list[str] = []
    extra_vals: list[str] = []
    for f in model._meta.concrete_fields:
        if f.column in given or getattr(f, "generated", False):
            continue
        if f.primary_key and isinstance(f, models.AutoField | models.BigAutoField):
            continue  # the sequence numbers it
        if getattr(f, "db_default", models.NOT_PROVIDED) is not models.NOT_PROVIDED:
            continue
        if f.has_default():
            value = f.get_default()
        elif f.null:
            value = None
        else:
            raise RuntimeError(
                f"seed_benchmark does not know how to fill {model._meta.db_table}.{f.column}"
            )
        extra_cols.append(f.column)
        extra_vals.append(_copy_value(value))
    return given + extra_cols, extra_vals


def copy_rows(
    model: type[models.Model], columns: list[str], lines: Iterable[str], chunk: int = 1 << 20
) -> int:
    """COPY text lines (tab-separated, already escaped, without trailing extras) into a table.

    Columns the caller does not give get their default as a constant suffix on each line.
    Returns the number of rows written.
    """
    all_cols, extra = _table_columns(model, columns)
    suffix = ("\t" + "\t".join(extra) if extra else "") + "\n"
    table = model._meta.db_table
    cols = ", ".join(f'"{c}"' for c in all_cols)
    count = 0
    buf: list[str] = []
    size = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg 3 cursor under Django's wrapper
        with raw.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
            for line in lines:
                piece = line + suffix
                buf.append(piece)
                size += len(piece)
                count += 1
                if size >= chunk:
                    copy.write("".join(buf))
                    buf.clear()
                    size = 0
            if buf:
                copy.write("".join(buf))
    return count


def _foreign_keys(tables: list[str]) -> list[tuple[str, str, str]]:
    """(table, constraint name, definition) for each foreign key on the given tables."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype = 'f' AND c.conrelid = ANY(%s::regclass[])
            ORDER BY 1, 2
            """,
            [tables],
        )
        return list(cursor.fetchall())


def _own_connection() -> psycopg.Connection:
    """A new connection to the same database as Django's default one."""
    sd = connection.settings_dict
    params = {
        "dbname": sd["NAME"],
        "user": sd.get("USER") or None,
        "password": sd.get("PASSWORD") or None,
        "host": sd.get("HOST") or None,
        "port": sd.get("PORT") or None,
    }
    conn = psycopg.connect(**{k: v for k, v in params.items() if v})
    conn.execute("SET synchronous_commit = off")
    conn.execute("SET maintenance_work_mem = '512MB'")
    return conn


def _copy_in_own_connection(
    model: type[models.Model], columns: list[str], lines: Iterable[str]
) -> int:
    """copy_rows() on a connection of its own, committed at the end (runs in a thread)."""
    all_cols, extra = _table_columns(model, columns)
    suffix = ("\t" + "\t".join(extra) if extra else "") + "\n"
    cols = ", ".join(f'"{c}"' for c in all_cols)
    count = 0
    buf: list[str] = []
    sql = f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN'
    with _own_connection() as conn, conn.cursor() as cur, cur.copy(sql) as copy:
        for line in lines:
            buf.append(line + suffix)
            count += 1
            if len(buf) >= 2000:
                copy.write("".join(buf))
                buf.clear()
        if buf:
            copy.write("".join(buf))
    return count


def _execute_in_own_connection(statement: str) -> None:
    with _own_connection() as conn:
        conn.execute(statement)


def _restore_empty(fks: list[tuple[str, str, str]], indexes: list[tuple[str, str]]) -> None:
    """After a failed bulk load: empty the bulk tables and put dropped keys and indexes back."""
    with _own_connection() as conn:
        conn.execute("TRUNCATE forum_post, forum_thread, forum_threadviewday CASCADE")
        for _name, statement in indexes:
            conn.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        for table, name, definition in fks:
            exists = conn.execute(
                "SELECT 1 FROM pg_constraint WHERE conname = %s", [name]
            ).fetchone()
            if not exists:
                conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(index name, CREATE INDEX statement) for each index on the tables that backs no
    constraint (primary keys and unique constraints stay during the load)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[])
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 1
            """,
            [tables],
        )
        return list(cursor.fetchall())


def _set_sequences(models_: list[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608
                f'GREATEST((SELECT MAX(id) FROM "{table}"), 1))',
                [table],
            )


def flush_database() -> None:
    """Empty every project table (not migrations, content types or permissions)."""
    keep = {"django_migrations", "django_content_type", "auth_permission"}
    tables = [
        t for t in connection.introspection.django_table_names(only_existing=True) if t not in keep
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
        )


# --------------------------------------------------------------------------------------
# The seed


def _organisation(gen: Generator, password_hash: str, report: SeedReport) -> dict:
    """Counties, 450 units, 20,000 employees, groups. Returns lookups the rest needs."""
    rng = gen.rng
    counties = County.objects.bulk_create(
        [County(id=i + 1, number=num, name=name) for i, (num, name) in enumerate(COUNTIES)]
    )
    K = Unit.Kind
    units: list[Unit] = [
        Unit(id=1, number="0100", name="Arbeids- og velferdsdirektoratet", kind=K.NATIONAL_UNIT)
    ]
    departments = [
        "Ytelsesavdelingen",
        "Arbeids- og tjenesteavdelingen",
        "Juridisk avdeling",
        "Styringsenheten",
        "Kommunikasjonsavdelingen",
        "Teknologi- og utviklingsavdelingen",
    ]
    for i, name in enumerate(departments):
        units.append(
            Unit(number=f"01{i + 1}0", name=name, kind=K.DIRECTORATE_DEPARTMENT, parent_id=1)
        )
    for i in range(6):
        county = counties[(i * 5) % 15]
        units.append(
            Unit(
                number=f"44{i + 1:02d}",
                name=f"NAV Kontaktsenter {county.name}",
                kind=K.CONTACT_CENTRE,
                county=county,
            )
        )
    for i, county in enumerate(counties):
        units.append(
            Unit(
                number=f"47{i + 1:02d}",
                name=f"NAV Hjelpemiddelsentral {county.name}",
                kind=K.ASSISTIVE_AIDS_CENTRE,
                county=county,
            )
        )
    for i in range(12):
        county = counties[(i * 4) % 15]
        units.append(
            Unit(
                number=f"48{i + 1:02d}",
                name=f"NAV Arbeid og ytelser {county.name} {i + 1}",
                kind=K.SPECIALIST_UNIT,
                county=county,
            )
        )
    per_county = [0] * 15
    i = 0
    while len(units) < N_UNITS:
        c = i % 15 if i % 4 else 0  # Oslo (03) gets a larger share
        per_county[c] += 1
        place = PLACES[i % len(PLACES)]
        suffix = "" if i < len(PLACES) else f" {i // len(PLACES) + 1}"
        units.append(
            Unit(
                number=f"{counties[c].number}{per_county[c]:02d}",
                name=f"NAV {place}{suffix}",
                kind=K.LOCAL_OFFICE,
                county=counties[c],
            )
        )
        i += 1
    for n, unit in enumerate(units, start=1):
        unit.id = n
    Unit.objects.bulk_create(units)

    weights = {
        K.NATIONAL_UNIT: 60,
        K.DIRECTORATE_DEPARTMENT: 100,
        K.SPECIALIST_UNIT: 120,
        K.CONTACT_CENTRE: 150,
        K.ASSISTIVE_AIDS_CENTRE: 60,
        K.LOCAL_OFFICE: 40,
    }
    unit_cum = list(itertools.accumulate(weights[u.kind] for u in units))
    employees: list[tuple[int, int, str, str, str]] = []  # id, unit idx, email, name, title
    for n in range(1, N_EMPLOYEES + 1):
        u = bisect.bisect(unit_cum, rng.random() * unit_cum[-1])
        first, last = rng.choice(FIRST), rng.choice(LAST)
        name = f"{first} {last}"
        email = f"{_ascii(first)}.{_ascii(last)}.{n}@{DOMAIN}".lower()
        title = rng.choice(TITLES[units[u].kind])
        if n == 1:
            name, email, title = "Ada Benchmark", f"admin@{DOMAIN}", "Forumadministrator"
        employees.append((n, u, email, name, title))
    joined = _copy_value(START - timedelta(days=365))
    ph = _copy_escape(password_hash)
    report.employees = copy_rows(
        Employee,
        [
            "id",
            "unit_id",
            "email",
            "name",
            "title",
            "password",
            "is_staff",
            "is_superuser",
            "is_active",
            "date_joined",
            "last_login",
        ],
        (
            f"{n}\t{units[u].id}\t{_copy_escape(email)}\t{_copy_escape(name)}\t"
            f"{_copy_escape(title)}\t{ph}\t{'t' if n == 1 else 'f'}\t{'t' if n == 1 else 'f'}"
            f"\tt\t{joined}\t\\N"
            for n, u, email, name, title in employees
        ),
    )
    by_kind: dict[str, list[int]] = {}
    for n, u, *_ in employees:
        by_kind.setdefault(units[u].kind, []).append(n)
    dept_unit_ids = [u.id for u in units if u.kind == K.DIRECTORATE_DEPARTMENT]
    dept_staff: dict[int, list[int]] = {uid: [] for uid in dept_unit_ids}
    for n, u, *_ in employees:
        if units[u].id in dept_staff:
            dept_staff[units[u].id].append(n)

    leaders = Group.objects.create(name=LEADERS_GROUP)
    contacts = Group.objects.create(name=DEPARTMENT_CONTACTS_GROUP)
    through = Employee.groups.through
    directorate = by_kind[K.NATIONAL_UNIT] + by_kind[K.DIRECTORATE_DEPARTMENT]
    leader_ids = directorate[:10]
    dept_contacts = {uid: staff[-2:] for uid, staff in dept_staff.items()}
    through.objects.bulk_create(
        [through(employee_id=e, group_id=leaders.id) for e in leader_ids]
        + [
            through(employee_id=e, group_id=contacts.id)
            for uid in dept_unit_ids
            for e in dept_contacts[uid]
        ]
    )
    # 90-9-1: 10 % of employees ever post; among them a Zipf-like few write most.
    everyone = list(range(2, N_EMPLOYEES + 1))
    rng.shuffle(everyone)
    posters = everyone[: N_EMPLOYEES // 10]
    poster_cum = list(itertools.accumulate(1 / (r + 1) ** 0.9 for r in range(len(posters))))
    return {
        "units": units,
        "by_kind": by_kind,
        "dept_unit_ids": dept_unit_ids,
        "dept_contacts": dept_contacts,
        "leader_ids": leader_ids,
        "posters": posters,
        "poster_cum": poster_cum,
        "everyone": everyone,
    }


def _topics(gen: Generator, org: dict) -> tuple[list[Topic], dict[int, list[int]]]:
    """9 groups and 60 topics, each staffed (moderator, deputy, back-office of 3 besides the
    moderator) and published. Created through the ORM so django-mptt sets the tree fields.
    Returns (leaf topics, back-office members by topic id)."""
    rng = gen.rng
    staff_pool = org["by_kind"][Unit.Kind.SPECIALIST_UNIT] + org["by_kind"][Unit.Kind.LOCAL_OFFICE]
    staff_pool = sorted(set(staff_pool) - {1})
    rng.shuffle(staff_pool)
    staff = iter(staff_pool)
    published = START - timedelta(days=30)
    leaves: list[Topic] = []
    members_by_topic: dict[int, list[int]] = {}
    audit: list[AuditEntry] = []
    for g, (group_name, children) in enumerate(TOPIC_TREE):
        group_staff: tuple[int, int, BackOffice, list[int]] | None = None
        for c, child_name in enumerate(children):
            moderator, deputy = next(staff), next(staff)
            members = [next(staff) for _ in range(3)]
            back_office = BackOffice.objects.create(
                name=f"Baksystem {child_name}",
                description=f"Fagpersoner bak moderator for {child_name}.",
            )
            BackOfficeMembership.objects.bulk_create(
                [
                    BackOfficeMembership(back_office=back_office, employee_id=m, added_at=published)
                    for m in members
                ]
            )
            if group_staff is None:
                group_staff = (moderator, deputy, back_office, members)
                group = Topic.objects.create(
                    name=group_name,
                    slug=topic_slug(group_name),
                    description=f"Temaer om {group_name.lower()}.",
                    position=g,
                    moderator_id=moderator,
                    deputy_moderator_id=deputy,
                    back_office=back_office,
                    published_at=published,
                )
                audit.append(
                    AuditEntry(
                        actor_id=1,
                        action=AuditEntry.Action.PUBLISH_TOPIC,
                        topic=group,
                        target=group_name,
                        created_at=published,
                    )
                )
            topic = Topic.objects.create(
                parent=group,
                name=child_name,
                slug=topic_slug(child_name),
                description=f"Erfaringer og spørsmål om {child_name.lower()}.",
                position=c,
                moderator_id=moderator,
                deputy_moderator_id=deputy,
                back_office=back_office,
                published_at=published,
            )
            audit.append(
                AuditEntry(
                    actor_id=1,
                    action=AuditEntry.Action.PUBLISH_TOPIC,
                    topic=topic,
                    target=child_name,
                    created_at=published,
                )
            )
            leaves.append(topic)
            members_by_topic[topic.id] = members
    AuditEntry.objects.bulk_create(audit)
    return leaves, members_by_topic


def _plan_threads(gen: Generator, n_posts: int, leaves: list[Topic], org: dict) -> list[ThreadPlan]:
    """Thread lengths, topics, times, authors and post offsets, ordered by creation time."""
    rng = gen.rng
    lengths = thread_lengths(n_posts, rng)
    n_giants = sum(1 for _ in GIANT_SHARES) if n_posts >= 500 else 0
    topic_cum = list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(len(leaves))))
    topic_order = list(leaves)
    rng.shuffle(topic_order)
    chat_topic = next(t for t in leaves if t.slug == CHAT_TOPIC)
    posters, poster_cum = org["posters"], org["poster_cum"]
    span_all = DAYS * 86400
    start = int(START.timestamp())
    plans: list[ThreadPlan] = []
    for i, length in enumerate(lengths):
        is_chat = n_giants > 0 and i == 0
        if is_chat:
            topic = chat_topic  # the live chat with management: the largest thread
            created = (start // 86400 + DAYS * 3 // 4) * 86400 + 9 * 3600
            title = "Nettprat med ledelsen: spør arbeids- og velferdsdirektøren"
            author, kind, span = org["leader_ids"][0], Thread.Kind.DISCUSSION.value, 6 * 3600
        else:
            topic = topic_order[bisect.bisect(topic_cum, rng.random() * topic_cum[-1])]
            if i < n_giants:
                created = start + rng.randrange(30 * 86400, 120 * 86400)
            else:
                created = start + rng.randrange(span_all - 3600)
            kind = (
                Thread.Kind.QUESTION.value if rng.random() < 0.45 else Thread.Kind.DISCUSSION.value
            )
            title = gen.title()
            author = posters[bisect.bisect(poster_cum, rng.random() * poster_cum[-1])]
            mean_gap = rng.expovariate(1 / (6 * 3600))
            span = int(min(span_all + start - created - 60, (length - 1) * mean_gap + 600))
        offsets = sorted(rng.randrange(max(1, span)) for _ in range(length - 1))
        plans.append(
            ThreadPlan(
                index=i,
                topic_id=topic.id,
                length=length,
                created=created,
                author=author,
                kind=kind,
                title=title,
                offsets=[0, *offsets],
                locked=rng.random() < 0.004,
                is_chat=is_chat,
            )
        )
    plans.sort(key=lambda p: (p.created, p.index))
    for n, plan in enumerate(plans):
        plan.index = n
    # One pinned thread per topic: its oldest question.
    pinned_topics: set[int] = set()
    for plan in plans:
        if plan.kind == Thread.Kind.QUESTION and plan.topic_id not in pinned_topics:
            plan.pinned = True
            pinned_topics.add(plan.topic_id)
    return plans


def seed(
    n_posts: int = 1_000_000,
    *,
    seed: int = 2026,
    log: Callable[[str], None] = lambda _msg: None,
    vacuum: bool = True,
    drop_indexes: bool = False,
    jobs: int = 2,
) -> SeedReport:
    """Fill an empty database with the benchmark data set (see the module docstring).

    The organisation and topics commit first; posts load over `jobs` connections in parallel;
    on a failure in the bulk load the bulk tables are emptied again (rerun with --flush).
    VACUUM ANALYZE at the end when `vacuum`, else ANALYZE. Raises RuntimeError when the
    database already holds employees or posts, or when called inside a transaction.
    """
    if connection.in_atomic_block:
        raise RuntimeError("seed() manages its own transactions: call it outside atomic()")
    if Employee.objects.exists() or Post.objects.exists():
        raise RuntimeError("the database is not empty: use --flush (benchmark databases only)")
    report = SeedReport()
    gen = Generator(seed)
    rng = gen.rng
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        report.timings[name] = round(now - clock, 2)
        log(f"  {name}: {now - clock:.1f} s")
        clock = now

    password_hash = make_password(BENCH_PASSWORD, salt="erfaringsforumbench")
    with transaction.atomic():
        org = _organisation(gen, password_hash, report)
        lap("organisation")
        leaves, members_by_topic = _topics(gen, org)
        moderator_of = {t.id: t.moderator_id for t in leaves}
        lap("topics")

    pool = gen.paragraph_pool()
    pool_md, pool_html, renderer_version = render_pool(pool)
    lap("text_pool")

    plans = _plan_threads(gen, n_posts, leaves, org)
    # Escalations and clarified answers, decided per thread before the posts exist.
    questions = [p for p in plans if p.kind == Thread.Kind.QUESTION and p.length >= 3]
    picked = rng.sample(questions, k=min(len(questions), max(1, len(plans) // 40)))
    clarify_plans = picked[: len(picked) * 4 // 5]
    escalate_plans = picked[len(picked) * 4 // 5 :]
    answered = {p.index for p in escalate_plans[: len(escalate_plans) * 3 // 5]}
    dept_for: dict[int, int] = {}
    answer_author: dict[int, int] = {}
    for p in escalate_plans:
        dept = rng.choice(org["dept_unit_ids"])
        dept_for[p.index] = dept
        answer_author[p.index] = rng.choice(org["dept_contacts"][dept])

    # Every post as one sortable integer: creation time, thread, position, author. Sorted, so
    # post ids follow creation time (and position within a thread), as in a live forum.
    posters, poster_cum = org["posters"], org["poster_cum"]
    total = poster_cum[-1]
    keys: list[int] = []
    append = keys.append
    rand = rng.random
    for p in plans:
        append((p.created << 60) | (p.index << 36) | (1 << 16) | p.author)
        for pos in range(2, p.length + 1):
            author = posters[bisect.bisect(poster_cum, rand() * total)]
            if pos == p.length and p.index in answered:
                author = answer_author[p.index]
            append(
                ((p.created + p.offsets[pos - 1]) << 60) | (p.index << 36) | (pos << 16) | author
            )
    keys.sort()
    wanted = {(p.index, 2) for p in clarify_plans}
    post_id_of: dict[tuple[int, int], int] = {}
    mask20, mask24 = (1 << 20) - 1, (1 << 24) - 1
    for n, key in enumerate(keys, start=1):
        t = (key >> 36) & mask24
        pos = (key >> 16) & mask20
        plan = plans[t]
        if pos == plan.length:
            plan.last_post_id = n
        if pos == 2 and (t, 2) in wanted:
            post_id_of[(t, 2)] = n
    lap("plan_posts")

    # Views per day: most in the first weeks after a thread starts, a tail afterwards.
    end_day = int(END.timestamp()) // 86400

    def view_rows() -> Iterator[str]:
        for p in plans:
            first_day = p.created // 86400
            alive = end_day - first_day
            if alive <= 0:
                continue
            n_days = min(alive, 3 + int(3 * math.log2(p.length + 1)))
            base = 5 + p.length * 3
            days = list(range(first_day, first_day + min(n_days, 14)))
            if n_days > 14:
                days += sorted(
                    rng.sample(range(first_day + 14, end_day), k=min(n_days - 14, alive - 14))
                )
            total_views = 0
            for d_i, day in enumerate(days):
                views = max(1, int(base / (1 + d_i) * (0.5 + rng.random())))
                if p.is_chat and d_i == 0:
                    share = CHAT_PEAK_VIEWS // 8
                    for bucket in range(8):
                        total_views += share
                        yield f"{p.index + 1}\t{date.fromordinal(719163 + day)}\t{bucket}\t{share}"
                    continue
                total_views += views
                yield f"{p.index + 1}\t{date.fromordinal(719163 + day)}\t0\t{views}"
            p.views = total_views

    ts = _Timestamps()
    dept_kind = Post.Kind.DEPARTMENT_ANSWER.value
    regular = Post.Kind.REGULAR.value
    pool_size = len(pool_md)

    def post_rows(first: int, last: int) -> Iterator[str]:
        """COPY lines for posts with ids first..last (1-based, inclusive)."""
        stamp = _Timestamps()
        for n in range(first, last + 1):
            key = keys[n - 1]
            t = (key >> 36) & mask24
            pos = (key >> 16) & mask20
            paras = body_paragraphs(t, pos, seed, pool_size)
            md = "\\n\\n".join([pool_md[i] for i in paras])
            html = "".join([pool_html[i] for i in paras])
            kind = dept_kind if (t in answered and pos == plans[t].length) else regular
            yield (
                f"{n}\t{t + 1}\t{pos}\t{key & 0xFFFF}\t{kind}\t{md}\t{html}\t{renderer_version}"
                f"\t{stamp(key >> 60)}"
            )

    # view_count holds every seeded day (none is after END); the product folds later ones.
    views_through = END.date().isoformat()

    def thread_rows() -> Iterator[str]:
        for p in plans:
            last = ts(p.created + p.offsets[-1])
            yield (
                f"{p.index + 1}\t{p.topic_id}\t{_copy_escape(p.title)}\t{p.author}\t{p.kind}"
                f"\t{ts(p.created)}\t{last}\t{p.length}\t{p.length - 1}\t{p.views}"
                f"\t{p.last_post_id}\t{'t' if p.pinned else 'f'}\t{'t' if p.locked else 'f'}"
                f"\t{views_through}"
            )

    post_columns = ["id", "thread_id", "position", "author_id", "kind", "body_md", "body_html",
                    "renderer_version", "created_at"]  # fmt: skip
    thread_columns = ["id", "topic_id", "title", "author_id", "kind", "created_at",
                      "last_activity_at", "post_count", "reply_count", "view_count",
                      "last_post_id", "pinned", "locked",
                      "views_counted_through"]  # fmt: skip

    # The bulk tables load outside one transaction: posts in `jobs` parallel connections
    # (PostgreSQL computes the generated search vector of each row, the costliest part, on
    # as many cores), views and threads on this one. These rows refer to each other across
    # connections, so the foreign keys are dropped first and added back (validated by one
    # join each) at the end; secondary indexes too with drop_indexes (measured: no faster at
    # 1,000,000 posts). On any failure the bulk tables are emptied and the schema restored,
    # so a rerun with --flush starts clean.
    fks = _foreign_keys(["forum_post", "forum_thread", "forum_threadviewday"])
    indexes = _secondary_indexes(["forum_post", "forum_thread"]) if drop_indexes else []
    with connection.cursor() as cursor:
        for table, name, _definition in fks:
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _statement in indexes:
            cursor.execute(f"DROP INDEX {name}")
    try:
        with ThreadPoolExecutor(max_workers=jobs) as pool_exec:
            bounds = [(len(keys) * j // jobs + 1, len(keys) * (j + 1) // jobs) for j in range(jobs)]
            futures = [
                pool_exec.submit(_copy_in_own_connection, Post, post_columns, post_rows(a, b))
                for a, b in bounds
                if a <= b
            ]
            with transaction.atomic():
                report.view_days = copy_rows(
                    ThreadViewDay, ["thread_id", "day", "bucket", "views"], view_rows()
                )
                report.threads = copy_rows(Thread, thread_columns, thread_rows())
            report.posts = sum(f.result() for f in futures)
        lap("posts_threads_views")
        statements = [statement for _name, statement in indexes]
        with ThreadPoolExecutor(max_workers=jobs) as pool_exec:
            # Largest first (the posts' GIN index), so the two connections finish together.
            statements.sort(key=lambda s: ("forum_post" not in s, "gin" not in s))
            list(pool_exec.map(_execute_in_own_connection, statements))
        if indexes:
            lap("indexes")
        with connection.cursor() as cursor:
            for table, name, definition in fks:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        if fks:
            lap("foreign_keys")
    except BaseException:
        _restore_empty(fks, indexes)
        raise

    with transaction.atomic():
        # Topic counters from the threads, as the write services keep them.
        with connection.cursor() as cursor:
            cursor.execute(
                """
                UPDATE forum_topic t SET thread_count = s.threads, post_count = s.posts,
                       last_activity_at = s.last
                FROM (SELECT topic_id, COUNT(*) AS threads, SUM(post_count) AS posts,
                             MAX(last_activity_at) AS last
                      FROM forum_thread GROUP BY topic_id) s
                WHERE s.topic_id = t.id
                """
            )

        # Clarified answers (post 2 of some questions) and escalations, with audit entries.
        clarified: list[ClarifiedAnswer] = []
        audit: list[AuditEntry] = []
        for p in clarify_plans:
            post_id = post_id_of[(p.index, 2)]
            when = datetime.fromtimestamp(p.created + p.offsets[1] + 86400, UTC)
            by = rng.choice([moderator_of[p.topic_id], *members_by_topic[p.topic_id]])
            clarified.append(
                ClarifiedAnswer(
                    post_id=post_id,
                    clarified_by_id=by,
                    clarified_at=when,
                    legal_reference=rng.choice(LEGAL_REFERENCES),
                    review_by=(when + timedelta(days=365)).date() if rng.random() < 0.5 else None,
                )
            )
            audit.append(
                AuditEntry(
                    actor_id=by,
                    action=AuditEntry.Action.CLARIFY_POST,
                    topic_id=p.topic_id,
                    thread_id=p.index + 1,
                    post_id=post_id,
                    target=p.title,
                    created_at=when,
                )
            )
        ClarifiedAnswer.objects.bulk_create(clarified)
        report.clarified = len(clarified)
        escalations: list[Escalation] = []
        S = Escalation.Status
        for p in escalate_plans:
            moderator = moderator_of[p.topic_id]
            received = datetime.fromtimestamp(p.created + (p.offsets[-2] + p.offsets[-1]) // 2, UTC)
            done = datetime.fromtimestamp(p.created + p.offsets[-1], UTC)
            is_answered = p.index in answered
            status = (
                (S.CLOSED if rng.random() < 0.3 else S.ANSWERED)
                if is_answered
                else rng.choice([S.RECEIVED, S.IN_PROGRESS])
            )
            escalations.append(
                Escalation(
                    thread_id=p.index + 1,
                    department_id=dept_for[p.index],
                    category=rng.choice(list(Escalation.Category)),
                    summary=gen.paragraph(),
                    status=status,
                    escalated_by_id=moderator,
                    received_at=received,
                    in_progress_at=received + timedelta(hours=4) if status != S.RECEIVED else None,
                    answered_at=done if is_answered else None,
                    closed_at=done + timedelta(days=2) if status == S.CLOSED else None,
                    answer_post_id=p.last_post_id if is_answered else None,
                )
            )
            audit.append(
                AuditEntry(
                    actor_id=moderator,
                    action=AuditEntry.Action.ESCALATE_THREAD,
                    topic_id=p.topic_id,
                    thread_id=p.index + 1,
                    target=p.title,
                    created_at=received,
                )
            )
            if is_answered:
                audit.append(
                    AuditEntry(
                        actor_id=answer_author[p.index],
                        action=AuditEntry.Action.ANSWER_ESCALATION,
                        topic_id=p.topic_id,
                        thread_id=p.index + 1,
                        post_id=p.last_post_id,
                        target=p.title,
                        created_at=done,
                    )
                )
        Escalation.objects.bulk_create(escalations)
        report.escalations = len(escalations)
        AuditEntry.objects.bulk_create(audit)
        _set_sequences([County, Unit, Employee, Thread, Post])
        lap("moderation_and_counters")

    tables = ["forum_post", "forum_thread", "forum_threadviewday", "forum_topic",
              "accounts_employee", "accounts_unit", "moderation_clarifiedanswer",
              "moderation_escalation"]  # fmt: skip
    with connection.cursor() as cursor:
        if vacuum:
            for table in tables:
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        else:
            cursor.execute("ANALYZE")
    lap("vacuum_analyze")
    return report


def data_checksums() -> dict[str, str]:
    """md5 of each big table's rows in id order: equal checksums mean equal data."""
    queries = {
        "employees": "SELECT id, email, name, title, unit_id FROM accounts_employee",
        "topics": "SELECT id, slug, parent_id, lft, rght, tree_id, level, moderator_id, "
        "back_office_id, thread_count, post_count, last_activity_at FROM forum_topic",
        "threads": "SELECT id, topic_id, title, author_id, kind, created_at, last_activity_at, "
        "post_count, reply_count, view_count, last_post_id, pinned, locked FROM forum_thread",
        "posts": "SELECT id, thread_id, position, author_id, kind, md5(body_md), md5(body_html), "
        "created_at FROM forum_post",
        "views": "SELECT thread_id, day, bucket, views FROM forum_threadviewday",
        "clarified": "SELECT post_id, clarified_by_id, clarified_at "
        "FROM moderation_clarifiedanswer",
        "escalations": "SELECT thread_id, department_id, status, answer_post_id "
        "FROM moderation_escalation",
    }
    out = {}
    with connection.cursor() as cursor:
        for name, sql in queries.items():
            cursor.execute(f"SELECT md5(string_agg(q::text, ',' ORDER BY q::text)) FROM ({sql}) q")  # noqa: S608
            out[name] = cursor.fetchone()[0] or ""
    return out
