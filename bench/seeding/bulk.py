"""PostgreSQL bulk loading for the benchmark seed: COPY in text format (psycopg 3's
`cursor.copy()`), extra connections for parallel loads, dropping and restoring foreign keys
and indexes around a load, sequences, and emptying a benchmark database."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

import psycopg
from django.db import connection, models


def copy_escape(value: str) -> str:
    """Escape text for PostgreSQL COPY's text format."""
    return (
        value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    )


def copy_value(value: object) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return copy_escape(str(value))


class Timestamps:
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


def table_columns(model: type[models.Model], given: list[str]) -> tuple[list[str], list[str]]:
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
        extra_vals.append(copy_value(value))
    return given + extra_cols, extra_vals


def copy_rows(
    model: type[models.Model], columns: list[str], lines: Iterable[str], chunk: int = 1 << 20
) -> int:
    """COPY text lines (tab-separated, already escaped, without trailing extras) into a table.

    Columns the caller does not give get their default as a constant suffix on each line.
    Returns the number of rows written.
    """
    all_cols, extra = table_columns(model, columns)
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


def foreign_keys(tables: list[str]) -> list[tuple[str, str, str]]:
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


def own_connection() -> psycopg.Connection:
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


def copy_in_own_connection(
    model: type[models.Model], columns: list[str], lines: Iterable[str]
) -> int:
    """copy_rows() on a connection of its own, committed at the end (runs in a thread)."""
    all_cols, extra = table_columns(model, columns)
    suffix = ("\t" + "\t".join(extra) if extra else "") + "\n"
    cols = ", ".join(f'"{c}"' for c in all_cols)
    count = 0
    buf: list[str] = []
    sql = f'COPY "{model._meta.db_table}" ({cols}) FROM STDIN'
    with own_connection() as conn, conn.cursor() as cur, cur.copy(sql) as copy:
        for line in lines:
            buf.append(line + suffix)
            count += 1
            if len(buf) >= 2000:
                copy.write("".join(buf))
                buf.clear()
        if buf:
            copy.write("".join(buf))
    return count


def execute_in_own_connection(statement: str) -> None:
    with own_connection() as conn:
        conn.execute(statement)


def restore_empty(fks: list[tuple[str, str, str]], indexes: list[tuple[str, str]]) -> None:
    """After a failed bulk load: empty the bulk tables and put dropped keys and indexes back."""
    with own_connection() as conn:
        conn.execute("TRUNCATE forum_post, forum_thread, forum_threadviewday CASCADE")
        for _name, statement in indexes:
            conn.execute(statement.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
        for table, name, definition in fks:
            exists = conn.execute(
                "SELECT 1 FROM pg_constraint WHERE conname = %s", [name]
            ).fetchone()
            if not exists:
                conn.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
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


def set_sequences(models_: list[type[models.Model]]) -> None:
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
