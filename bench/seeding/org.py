"""The benchmark's agency: 15 counties, 450 units, 20,000 employees and the two groups."""

from __future__ import annotations

import bisect
import itertools
from datetime import timedelta

from django.contrib.auth.models import Group

from accounts.demo import COUNTIES, FIRST, LAST
from accounts.models import County, Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP, LEADERS_GROUP
from bench.seeding.bulk import copy_escape, copy_rows, copy_value
from bench.seeding.common import START, SeedReport
from bench.seeding.text import Generator, ascii_fold

BENCH_PASSWORD = "bench-erfaring-2026"  # noqa: S105  (benchmark database only)
DOMAIN = "bench.erfaringsforum.example"
N_EMPLOYEES = 20_000
N_UNITS = 450

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


def create_organisation(gen: Generator, password_hash: str, report: SeedReport) -> dict:
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
    regional = [  # (number prefix, kind, the county of each, name)
        ("44", K.CONTACT_CENTRE, [counties[(i * 5) % 15] for i in range(6)],
         "NAV Kontaktsenter {county}"),
        ("47", K.ASSISTIVE_AIDS_CENTRE, counties, "NAV Hjelpemiddelsentral {county}"),
        ("48", K.SPECIALIST_UNIT, [counties[(i * 4) % 15] for i in range(12)],
         "NAV Arbeid og ytelser {county} {n}"),
    ]  # fmt: skip
    for prefix, kind, in_counties, name in regional:
        for i, county in enumerate(in_counties):
            units.append(
                Unit(
                    number=f"{prefix}{i + 1:02d}",
                    name=name.format(county=county.name, n=i + 1),
                    kind=kind,
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
        email = f"{ascii_fold(first)}.{ascii_fold(last)}.{n}@{DOMAIN}".lower()
        title = rng.choice(TITLES[units[u].kind])
        if n == 1:
            name, email, title = "Ada Benchmark", f"admin@{DOMAIN}", "Forumadministrator"
        employees.append((n, u, email, name, title))
    joined = copy_value(START - timedelta(days=365))
    ph = copy_escape(password_hash)
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
            f"{n}\t{units[u].id}\t{copy_escape(email)}\t{copy_escape(name)}\t"
            f"{copy_escape(title)}\t{ph}\t{'t' if n == 1 else 'f'}\t{'t' if n == 1 else 'f'}"
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
