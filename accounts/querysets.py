import functools

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Model, Q, QuerySet

from accounts.models import County, Employee, Unit, handle_expression
from erfaringsforum.db import prepared_cursor


def employees_for_display() -> QuerySet[Employee]:
    """Employees with the unit and county every name on a page is shown with."""
    return Employee.objects.select_related("unit__county")


def employees_by_handle(handles: list[str]) -> dict[str, Employee]:
    """Active employees by handle (the e-mail's local part, lower case), for mentions. One
    query through the employee_handle index."""
    people = (
        Employee.objects.alias(mention_handle=handle_expression())
        .filter(mention_handle__in=handles, is_active=True)
        .only("id", "email", "name", "is_staff", "is_superuser", "is_active")
    )
    return {person.handle: person for person in people}


def mention_suggestions(typed: str, *, limit: int = 8) -> list[tuple[str, str, str]]:
    """(handle, name, unit name) of active employees whose handle starts with `typed` or
    one of whose names does, by name, for the suggestions while writing a mention. One
    query over the active employees (20,000 rows at most: a few milliseconds)."""
    typed = typed.lower()
    rows = (
        Employee.objects.alias(mention_handle=handle_expression())
        .filter(is_active=True)
        .filter(
            Q(mention_handle__startswith=typed)
            | Q(name__istartswith=typed)
            | Q(name__icontains=" " + typed)
        )
        .order_by("name", "id")
        .values_list("email", "name", "unit__name")[:limit]
    )
    return [(email.split("@", 1)[0], name, unit or "") for email, name, unit in rows]


# Plain SQL reads build their rows into model objects with these (forum.querysets, and
# employee_for_request below): the ORM's compilation of a few fixed queries cost more CPU
# per page than PostgreSQL spends running them (bench/results/history.md, F10).


def select_columns(
    model: type[Model], alias: str, names: tuple[str, ...] | None = None
) -> tuple[list[str], str]:
    """The attnames of a model's concrete fields (or `names`) and their SELECT list."""
    fields = [f.attname for f in model._meta.concrete_fields]
    if names is not None:
        fields = [name for name in fields if name in names]
    return fields, ", ".join(f'{alias}."{name}"' for name in fields)


def person_columns(alias: str, *, every_column: bool = False) -> tuple[list[list[str]], str]:
    """An employee as pages show one (components/_person.html), or with every column:
    employee, unit, county columns, under aliases `alias`, `alias`_u, `alias`_c."""
    groups, selects = [], []
    for model, suffix, names in (
        (Employee, "", None if every_column else ("id", "name", "unit_id")),
        (Unit, "_u", None if every_column else ("id", "name", "county_id")),
        (County, "_c", None if every_column else ("id", "name")),
    ):
        fields, select = select_columns(model, alias + suffix, names)
        groups.append(fields)
        selects.append(select)
    return groups, ", ".join(selects)


def person_joins(alias: str, employee_id: str, *, outer: bool = False) -> str:
    join = "LEFT JOIN" if outer else "JOIN"
    return (
        f"{join} {Employee._meta.db_table} {alias} ON {alias}.id = {employee_id} "
        f"LEFT JOIN {Unit._meta.db_table} {alias}_u ON {alias}_u.id = {alias}.unit_id "
        f"LEFT JOIN {County._meta.db_table} {alias}_c ON {alias}_c.id = {alias}_u.county_id"
    )


def build(model: type[Model], fields: list[str], values: tuple) -> Model:
    """A model instance from a plain read's values for `fields` (the others stay deferred),
    through Django's documented Model.from_db. The plain reads run on the default
    connection, whose alias the instances carry."""
    return model.from_db(DEFAULT_DB_ALIAS, fields, values)


def split_row(row: tuple, groups: list[list[str]]) -> tuple[list[tuple], tuple]:
    """A row cut into one slice per column group, and what follows them."""
    slices, start = [], 0
    for fields in groups:
        slices.append(row[start : start + len(fields)])
        start += len(fields)
    return slices, row[start:]


def person_from_row(
    groups: list[list[str]], rows: list[tuple], seen: dict | None = None
) -> Employee | None:
    """The Employee of person_columns' groups and a row's slices of them, with its unit and
    county (None if absent).
    `seen` (one dict per page of rows) shares one object per employee, unit and county."""
    (employee_fields, unit_fields, county_fields), (employee, unit, county) = groups, rows
    if employee[0] is None:
        return None
    seen = {} if seen is None else seen
    key = (Employee, employee)
    if key in seen:
        return seen[key]
    person = seen[key] = build(Employee, employee_fields, employee)
    person_unit = None
    if unit[0] is not None:
        person_unit = seen.get((Unit, unit))
        if person_unit is None:
            person_unit = seen[(Unit, unit)] = build(Unit, unit_fields, unit)
            # Assigning through the relation's descriptor caches the related object (the
            # documented way): reading .county or .unit then runs no query.
            person_unit.county = (
                build(County, county_fields, county) if county[0] is not None else None
            )
    person.unit = person_unit
    return person


@functools.cache
def _request_employee_sql() -> tuple[str, list[list[str]]]:
    groups, select = person_columns("e", every_column=True)
    sql = f"""
        SELECT {select}
          FROM {Employee._meta.db_table} e
          LEFT JOIN {Unit._meta.db_table} e_u ON e_u.id = e.unit_id
          LEFT JOIN {County._meta.db_table} e_c ON e_c.id = e_u.county_id
         WHERE e.id = %s
    """  # noqa: S608  (identifiers from the models, the id a parameter)
    return sql, groups


def employee_for_request(pk: int) -> Employee | None:
    """The signed-in employee (every column) with unit and county, which every page shows:
    one query per request, run by accounts.backends."""
    sql, groups = _request_employee_sql()
    with prepared_cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    slices, _rest = split_row(row, groups)
    return person_from_row(groups, slices)
