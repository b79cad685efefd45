"""The fixed page queries run as prepared statements (erfaringsforum/db.py), logged like any
other query; DB_PREPARED_STATEMENTS=0 (for transaction-pooling poolers) turns that off."""

from django.db import connection

from erfaringsforum.db import prepared_cursor


def _prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {" ".join(row[0].split()) for row in cursor.fetchall()}


def test_a_statement_is_prepared_once_and_counted(db, django_assert_num_queries):
    sql = "SELECT %s::int + 1 AS prepared_probe"
    with django_assert_num_queries(2):
        for n in (1, 2):
            with prepared_cursor() as cursor:
                cursor.execute(sql, [n])
                assert cursor.fetchone() == (n + 1,)
    assert "SELECT $1::int + 1 AS prepared_probe" in _prepared()


def test_the_switch_turns_preparing_off(db, settings):
    settings.DB_PREPARED_STATEMENTS = False
    with prepared_cursor() as cursor:
        cursor.execute("SELECT %s::int + 2 AS unprepared_probe", [1])
        assert cursor.fetchone() == (3,)
    assert not any("unprepared_probe" in statement for statement in _prepared())


def test_a_thread_page_reads_through_prepared_statements(employee_client, thread):
    assert employee_client.get(thread.get_absolute_url() + "?page=1").status_code == 200
    prepared = _prepared()
    assert any("FROM forum_post p" in statement for statement in prepared)
    assert any("FROM django_session" in statement for statement in prepared)


def test_prepared_statements_pass_through_execute_wrappers_and_leave_other_cursors_alone(db):
    seen = []

    def wrapper(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        with prepared_cursor() as cursor:
            cursor.execute("SELECT %s::int + 3 AS wrapped_probe", [1])
            assert cursor.fetchone() == (4,)
        with connection.cursor() as cursor:
            cursor.execute("SELECT %s::int + 4 AS plain_probe", [1])
    assert seen == ["SELECT %s::int + 3 AS wrapped_probe", "SELECT %s::int + 4 AS plain_probe"]
    prepared = _prepared()
    assert "SELECT $1::int + 3 AS wrapped_probe" in prepared
    assert not any("plain_probe" in statement for statement in prepared)


def test_prepared_results_arrive_as_the_values_django_reads(db):
    sql = (
        "SELECT TIMESTAMPTZ '2026-03-01 12:30:00+01', DATE '2026-03-01', 7::bigint, "
        "'blåbær'::text, true, NULL::timestamptz, '5d2c9f4e-4d0b-4c53-9a8e-3b1f2d1e0a11'::uuid"
    )
    with prepared_cursor() as cursor:
        cursor.execute(sql + " WHERE %s", [True])
        prepared = cursor.fetchone()
    with connection.cursor() as cursor:
        cursor.execute(sql + " WHERE %s", [True])
        plain = cursor.fetchone()
    assert prepared == plain
    assert [type(value) for value in prepared] == [type(value) for value in plain]
    assert prepared[0].tzinfo == plain[0].tzinfo


def test_a_new_connection_runs_its_first_statement_unprepared_then_prepares(transactional_db):
    connection.close()
    for n in (1, 2):
        with prepared_cursor() as cursor:
            cursor.execute("SELECT %s::int + 5 AS reconnect_probe", [n])
            assert cursor.fetchone() == (n + 5,)
    assert "SELECT $1::int + 5 AS reconnect_probe" in _prepared()
