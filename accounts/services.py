"""Writes to the organisation: employees, units and the CSV import."""

import csv
import email.header
import io
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import County, Employee, Unit

ORG_COLUMNS = ["type", "number", "name", "kind", "county", "parent", "email", "title", "unit"]


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)


class OrgImportError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class ProxyHeaderError(ValueError):
    """A header from the intranet proxy that cannot be read as text."""


def decode_proxy_header(raw: str) -> str:
    """The text of a header from the intranet proxy.

    WSGI servers hand a header's bytes over as Latin-1 text. Intranet proxies send UTF-8,
    and some percent-encode it or use RFC 2047 encoded-words (``=?utf-8?b?...?=``); each of
    those is accepted. Raises ProxyHeaderError for bytes that are not UTF-8, a broken
    encoding, or control characters (NUL included).
    """
    try:
        data = raw.encode("latin-1")
    except UnicodeEncodeError:
        text = raw  # already decoded by the server (ASGI, the test client)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ProxyHeaderError(raw) from exc
    try:
        if "=?" in text and "?=" in text:
            text = "".join(
                part.decode(charset or "utf-8") if isinstance(part, bytes) else part
                for part, charset in email.header.decode_header(text)
            )
        elif "%" in text:
            text = urllib.parse.unquote(text, errors="strict")
    except (UnicodeDecodeError, LookupError, ValueError) as exc:
        raise ProxyHeaderError(raw) from exc
    if any(unicodedata.category(char) == "Cc" for char in text):
        raise ProxyHeaderError(raw)
    return text.strip()


def _fit(model: type, field_name: str, value: str) -> str:
    """A value cut to its column's length: a proxy may send a longer name than we keep."""
    return value[: model._meta.get_field(field_name).max_length]


def create_employee_from_proxy(
    *, email: str, name: str, unit_number: str, title: str = ""
) -> Employee | None:
    """Create an employee the intranet proxy vouched for but we have not seen before.

    `name` and `title` are the headers as the server gave them (decode_proxy_header; raises
    ProxyHeaderError when they cannot be read); values longer than the columns are cut.
    Returns None (the login is refused) when the e-mail is malformed; an unknown unit
    number leaves the unit empty rather than refusing a colleague access.
    """
    try:
        validate_email(email)
    except ValidationError:
        return None
    name = _fit(Employee, "name", decode_proxy_header(name))
    title = _fit(Employee, "title", decode_proxy_header(title))
    unit = Unit.objects.filter(number=unit_number.strip()).first() if unit_number else None
    employee, _created = Employee.objects.get_or_create(
        email=email.lower(),
        defaults={
            "name": name or email.split("@")[0],
            "title": title,
            "unit": unit,
        },
    )
    employee.set_unusable_password()
    employee.save(update_fields=["password"])
    return employee


def _clean(row: dict[str, str | None], key: str) -> str:
    value = row.get(key) or ""
    return value.replace("\x00", "").strip()


def import_org(data: str) -> ImportReport:
    """Upsert units and employees from CSV text, all or nothing.

    Units are keyed on their number, employees on their e-mail. Every bad line is reported
    with its line number and reason, and then nothing is imported (OrgImportError). A row
    identical to what is stored counts as unchanged and is not written, so re-running a
    file changes nothing.
    """
    reader = csv.DictReader(io.StringIO(data.lstrip("\ufeff")))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in ORG_COLUMNS if c not in header]
    if missing:
        raise OrgImportError([f"line 1: missing columns: {', '.join(missing)}"])
    reader.fieldnames = header

    counties = {c.number: c for c in County.objects.all()}
    kinds = set(Unit.Kind.values)
    errors: list[str] = []
    unit_rows: list[tuple[int, dict[str, str]]] = []
    employee_rows: list[tuple[int, dict[str, str]]] = []
    seen_units: set[str] = set()
    seen_emails: set[str] = set()

    for line, row in enumerate(reader, start=2):
        kind_of_row = _clean(row, "type").lower()
        if kind_of_row == "unit":
            number, name, kind = _clean(row, "number"), _clean(row, "name"), _clean(row, "kind")
            county = _clean(row, "county")
            if not number:
                errors.append(f"line {line}: a unit needs a number")
            elif number in seen_units:
                errors.append(f"line {line}: unit {number} appears twice in the file")
            if not name:
                errors.append(f"line {line}: unit {number} needs a name")
            if kind not in kinds:
                errors.append(
                    f"line {line}: unknown unit kind {kind!r} (one of {', '.join(sorted(kinds))})"
                )
            if county and county.zfill(2) not in counties:
                errors.append(f"line {line}: unknown county number {county!r}")
            seen_units.add(number)
            unit_rows.append((line, {k: _clean(row, k) for k in ORG_COLUMNS}))
        elif kind_of_row == "employee":
            email = _clean(row, "email").lower()
            try:
                validate_email(email)
            except ValidationError:
                errors.append(f"line {line}: {email!r} is not a valid e-mail address")
            if email in seen_emails:
                errors.append(f"line {line}: employee {email} appears twice in the file")
            if not _clean(row, "name"):
                errors.append(f"line {line}: employee {email} needs a name")
            seen_emails.add(email)
            employee_rows.append((line, {k: _clean(row, k) for k in ORG_COLUMNS}))
        else:
            errors.append(f"line {line}: type must be 'unit' or 'employee', not {kind_of_row!r}")

    known_units = set(Unit.objects.values_list("number", flat=True)) | seen_units
    for line, row in unit_rows:
        if row["parent"] and row["parent"] not in known_units:
            errors.append(f"line {line}: unknown parent unit {row['parent']!r}")
        if row["parent"] and row["parent"] == row["number"]:
            errors.append(f"line {line}: unit {row['number']} cannot be its own parent")
    for line, row in employee_rows:
        if row["unit"] and row["unit"] not in known_units:
            errors.append(f"line {line}: unknown unit {row['unit']!r}")
    if errors:
        raise OrgImportError(errors)

    report = ImportReport()
    with transaction.atomic():
        units = {u.number: u for u in Unit.objects.select_for_update().all()}
        for _line, row in unit_rows:
            values = {
                "name": row["name"],
                "kind": row["kind"],
                "county": counties.get(row["county"].zfill(2)) if row["county"] else None,
            }
            _upsert(
                units, row["number"], values, report, lambda v, n=row["number"]: Unit(number=n, **v)
            )
        for _line, row in unit_rows:
            unit = units[row["number"]]
            parent = units.get(row["parent"]) if row["parent"] else None
            if unit.parent_id != (parent.pk if parent else None):
                unit.parent = parent
                unit.full_clean()
                unit.save(update_fields=["parent"])
        employees = {
            e.email: e for e in Employee.objects.select_for_update().filter(email__in=seen_emails)
        }
        for _line, row in employee_rows:
            values = {
                "name": row["name"],
                "title": row["title"],
                "unit": units.get(row["unit"]) if row["unit"] else None,
            }
            email = row["email"].lower()
            existing = employees.get(email)
            if existing is None:
                employee = Employee(email=email, **values)
                employee.set_unusable_password()
                employee.full_clean()
                employee.save()
                report.created += 1
            elif _differs(existing, values):
                for key, value in values.items():
                    setattr(existing, key, value)
                existing.full_clean()
                existing.save(update_fields=list(values))
                report.updated += 1
            else:
                report.unchanged += 1
    return report


def _differs(obj, values: dict) -> bool:
    return any(getattr(obj, key) != value for key, value in values.items())


def _upsert(store: dict, key: str, values: dict, report: ImportReport, build) -> None:
    existing = store.get(key)
    if existing is None:
        obj = build(values)
        obj.full_clean(exclude=["parent"])
        obj.save()
        store[key] = obj
        report.created += 1
    elif _differs(existing, values):
        for name, value in values.items():
            setattr(existing, name, value)
        existing.full_clean(exclude=["parent"])
        existing.save(update_fields=list(values))
        report.updated += 1
    else:
        report.unchanged += 1


@transaction.atomic
def deactivate_employee(employee: Employee, *, by: Employee) -> Employee:
    """Close an employee's account instead of deleting it: they can no longer sign in (the
    backends refuse an inactive account, so an open session ends on its next request), and
    everything they wrote keeps their name. Idempotent.

    Locks the employee row. Caller checked: ``accounts.permissions.can_use_admin(by)``.
    """
    employee = Employee.objects.select_for_update(no_key=True).get(pk=employee.pk)
    if employee.is_active:
        employee.is_active = False
        employee.save(update_fields=["is_active"])
    return employee
