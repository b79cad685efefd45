"""Shared fixtures: an organisation, employees in it, and logged-in clients."""

import itertools
from pathlib import Path

import pytest
from django.test import Client

from accounts.models import County, Employee, Unit

# ../shared/data/bad-input from the project root; a git worktree sits one level deeper.
BAD_INPUT_DIR = next(
    (
        parent / "shared" / "data" / "bad-input"
        for parent in Path(__file__).resolve().parents[1:]
        if (parent / "shared" / "data" / "bad-input").is_dir()
    ),
    Path(__file__).resolve().parents[2] / "shared" / "data" / "bad-input",
)
PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def bad_input_lines(name: str) -> list[str]:
    """Lines of a public bad-input corpus; skip (with the reason) only where it is absent."""
    path = BAD_INPUT_DIR / name
    if not path.exists():
        pytest.skip(f"bad-input corpus {path} is absent on this machine")
    lines = path.read_text(encoding="utf-8", errors="surrogateescape").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


@pytest.fixture
def county(db) -> County:
    return County.objects.get_or_create(number="46", defaults={"name": "Vestland"})[0]


@pytest.fixture
def unit(county) -> Unit:
    return Unit.objects.create(
        number="4601", name="NAV Bergen sør", kind=Unit.Kind.LOCAL_OFFICE, county=county
    )


@pytest.fixture
def department(db) -> Unit:
    return Unit.objects.create(
        number="0130", name="Juridisk avdeling", kind=Unit.Kind.DIRECTORATE_DEPARTMENT
    )


@pytest.fixture
def make_employee(unit):
    def make(name: str | None = None, *, unit_obj: Unit | None = None, **fields) -> Employee:
        n = next(_counter)
        employee = Employee.objects.create_user(
            email=fields.pop("email", f"ansatt{n}@erfaringsforum.example"),
            password=PASSWORD,
            name=name or f"Ansatt {n}",
            unit=unit_obj or unit,
            **fields,
        )
        return employee

    return make


@pytest.fixture
def employee(make_employee) -> Employee:
    return make_employee("Kari Nordmann", title="Veileder")


@pytest.fixture
def admin_user(make_employee) -> Employee:
    return make_employee("Ada Administrator", is_staff=True, is_superuser=True)


@pytest.fixture
def employee_client(employee) -> Client:
    client = Client()
    client.force_login(employee)
    return client
