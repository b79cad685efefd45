"""Demo organisation for `manage.py seed_demo`: counties, ~40 units, ~60 employees.

Idempotent: keyed on county/unit number and e-mail, so running it twice changes nothing.
"""

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from accounts.models import County, Employee, Unit
from accounts.permissions import DEPARTMENT_CONTACTS_GROUP, LEADERS_GROUP

DEMO_PASSWORD = "demo-erfaring-2026"  # noqa: S105  (printed by `make run`)
DOMAIN = "erfaringsforum.example"

COUNTIES = [
    ("03", "Oslo"),
    ("11", "Rogaland"),
    ("15", "Møre og Romsdal"),
    ("18", "Nordland"),
    ("31", "Østfold"),
    ("32", "Akershus"),
    ("33", "Buskerud"),
    ("34", "Innlandet"),
    ("39", "Vestfold"),
    ("40", "Telemark"),
    ("42", "Agder"),
    ("46", "Vestland"),
    ("50", "Trøndelag"),
    ("55", "Troms"),
    ("56", "Finnmark"),
]

K = Unit.Kind
# (number, name, kind, county number or None, parent number or None)
UNITS = [
    ("0100", "Arbeids- og velferdsdirektoratet", K.NATIONAL_UNIT, None, None),
    ("0110", "Ytelsesavdelingen", K.DIRECTORATE_DEPARTMENT, None, "0100"),
    ("0120", "Arbeids- og tjenesteavdelingen", K.DIRECTORATE_DEPARTMENT, None, "0100"),
    ("0130", "Juridisk avdeling", K.DIRECTORATE_DEPARTMENT, None, "0100"),
    ("0140", "Styringsenheten", K.DIRECTORATE_DEPARTMENT, None, "0100"),
    ("0150", "Kommunikasjonsavdelingen", K.DIRECTORATE_DEPARTMENT, None, "0100"),
    ("4401", "NAV Kontaktsenter Nord", K.CONTACT_CENTRE, "18", None),
    ("4402", "NAV Kontaktsenter Vest", K.CONTACT_CENTRE, "46", None),
    ("4710", "NAV Hjelpemiddelsentral Oslo", K.ASSISTIVE_AIDS_CENTRE, "03", None),
    ("4711", "NAV Hjelpemiddelsentral Vestland", K.ASSISTIVE_AIDS_CENTRE, "46", None),
    ("4712", "NAV Hjelpemiddelsentral Trøndelag", K.ASSISTIVE_AIDS_CENTRE, "50", None),
    ("4801", "NAV Arbeid og ytelser Kristiania", K.SPECIALIST_UNIT, "03", None),
    ("4802", "NAV Familie- og pensjonsytelser Steinkjer", K.SPECIALIST_UNIT, "50", None),
    ("0312", "NAV Frogner", K.LOCAL_OFFICE, "03", None),
    ("0315", "NAV Grünerløkka", K.LOCAL_OFFICE, "03", None),
    ("0318", "NAV Alna", K.LOCAL_OFFICE, "03", None),
    ("1103", "NAV Stavanger", K.LOCAL_OFFICE, "11", None),
    ("1108", "NAV Sandnes", K.LOCAL_OFFICE, "11", None),
    ("1507", "NAV Ålesund", K.LOCAL_OFFICE, "15", None),
    ("1506", "NAV Molde", K.LOCAL_OFFICE, "15", None),
    ("1804", "NAV Bodø", K.LOCAL_OFFICE, "18", None),
    ("1860", "NAV Vestvågøy", K.LOCAL_OFFICE, "18", None),
    ("3101", "NAV Halden", K.LOCAL_OFFICE, "31", None),
    ("3105", "NAV Sarpsborg", K.LOCAL_OFFICE, "31", None),
    ("3201", "NAV Bærum", K.LOCAL_OFFICE, "32", None),
    ("3205", "NAV Lillestrøm", K.LOCAL_OFFICE, "32", None),
    ("3301", "NAV Drammen", K.LOCAL_OFFICE, "33", None),
    ("3403", "NAV Hamar", K.LOCAL_OFFICE, "34", None),
    ("3405", "NAV Lillehammer", K.LOCAL_OFFICE, "34", None),
    ("3905", "NAV Tønsberg", K.LOCAL_OFFICE, "39", None),
    ("4003", "NAV Skien", K.LOCAL_OFFICE, "40", None),
    ("4204", "NAV Kristiansand", K.LOCAL_OFFICE, "42", None),
    ("4203", "NAV Arendal", K.LOCAL_OFFICE, "42", None),
    ("4601", "NAV Bergen sør", K.LOCAL_OFFICE, "46", None),
    ("4602", "NAV Bergen nord", K.LOCAL_OFFICE, "46", None),
    ("4640", "NAV Sogndal", K.LOCAL_OFFICE, "46", None),
    ("5001", "NAV Trondheim", K.LOCAL_OFFICE, "50", None),
    ("5006", "NAV Steinkjer", K.LOCAL_OFFICE, "50", None),
    ("5501", "NAV Tromsø", K.LOCAL_OFFICE, "55", None),
    ("5601", "NAV Alta", K.LOCAL_OFFICE, "56", None),
    ("5603", "NAV Hammerfest", K.LOCAL_OFFICE, "56", None),
]

# (local part, name, title, unit number, roles) — roles: admin, leader, contact
PEOPLE = [
    ("admin", "Ada Administrator", "Forumadministrator", "0140", {"admin"}),
    ("kari.nordmann", "Kari Nordmann", "Veileder", "0312", set()),
    ("ola.hansen", "Ola Hansen", "Veileder", "1103", set()),
    ("ingrid.berg", "Ingrid Berg", "Saksbehandler", "4802", set()),
    ("mona.lie", "Mona Lie", "Fagkoordinator sykefravær", "4801", set()),
    ("per.moe", "Per Moe", "Fagkoordinator AAP", "5001", set()),
    ("siri.dahl", "Siri Dahl", "Rådgiver hjelpemidler", "4710", set()),
    ("jon.eriksen", "Jon Eriksen", "Teamleder kontaktsenter", "4401", set()),
    ("anne.strand", "Anne Strand", "Fagkoordinator arbeidsrettet oppfølging", "3201", set()),
    ("lars.bakken", "Lars Bakken", "Jurist", "0130", set()),
    ("hilde.vik", "Hilde Vik", "Seniorrådgiver", "0110", set()),
    ("tor.haugen", "Tor Haugen", "Seniorrådgiver", "0120", set()),
    ("nina.solberg", "Nina Solberg", "Jurist", "0130", set()),
    ("geir.lund", "Geir Lund", "Rådgiver", "0110", set()),
    ("eva.holm", "Eva Holm", "Rådgiver", "4711", set()),
    ("trond.aas", "Trond Aas", "Spesialrådgiver", "4712", set()),
    ("marte.fjeld", "Marte Fjeld", "Fagkoordinator", "4602", set()),
    ("knut.brekke", "Knut Brekke", "Veileder", "5501", set()),
    ("line.sæther", "Line Sæther", "Saksbehandler", "4802", set()),
    ("kontakt.ytelse", "Randi Kontakt", "Seksjonssjef", "0110", {"contact"}),
    ("kontakt.arbeid", "Bjørn Kontakt", "Seksjonssjef", "0120", {"contact"}),
    ("kontakt.jus", "Sofie Kontakt", "Fagdirektør", "0130", {"contact"}),
    ("kontakt.styring", "Morten Kontakt", "Seksjonssjef", "0140", {"contact"}),
    ("kontakt.kommunikasjon", "Tone Kontakt", "Seksjonssjef", "0150", {"contact"}),
    ("direktor", "Hanne Direktør", "Arbeids- og velferdsdirektør", "0100", {"leader"}),
    ("leder.ytelse", "Erik Ledersen", "Ytelsesdirektør", "0110", {"leader"}),
    ("leder.arbeid", "Guro Ledersen", "Arbeids- og tjenestedirektør", "0120", {"leader"}),
]
FIRST = [
    "Astrid",
    "Bente",
    "Cecilie",
    "Dag",
    "Even",
    "Frida",
    "Gunnar",
    "Hege",
    "Ivar",
    "Jorunn",
    "Kjetil",
    "Liv",
    "Magnus",
    "Nora",
    "Oddvar",
    "Pernille",
    "Ragnhild",
    "Sindre",
    "Turid",
    "Ulrik",
    "Vigdis",
    "Øystein",
    "Åse",
    "Bjarne",
    "Camilla",
    "Dordi",
    "Eirik",
    "Fredrik",
    "Gro",
    "Håkon",
    "Inger",
    "Jens",
    "Kristin",
]
LAST = [
    "Aasen",
    "Bakke",
    "Christiansen",
    "Dahle",
    "Eide",
    "Foss",
    "Gundersen",
    "Hagen",
    "Isaksen",
    "Jakobsen",
    "Karlsen",
    "Larsen",
    "Mathisen",
    "Nilsen",
    "Olsen",
    "Pedersen",
    "Rønning",
    "Solheim",
    "Tangen",
    "Ulvestad",
    "Vold",
    "Wold",
    "Ødegård",
    "Aune",
    "Berge",
    "Dale",
    "Engen",
    "Fjellheim",
    "Grønli",
    "Holm",
    "Ingebrigtsen",
    "Johansen",
    "Knutsen",
]
LOCAL_UNITS = [u[0] for u in UNITS if u[2] == K.LOCAL_OFFICE]


def _people() -> list[tuple[str, str, str, str, set[str]]]:
    people = list(PEOPLE)
    for i, (first, last) in enumerate(zip(FIRST, LAST, strict=True)):
        unit = LOCAL_UNITS[i % len(LOCAL_UNITS)]
        title = ["Veileder", "Saksbehandler", "Rådgiver", "Fagkoordinator"][i % 4]
        local = f"{first}.{last}".lower().replace("ø", "o").replace("å", "a").replace("æ", "ae")
        people.append((local, f"{first} {last}", title, unit, set()))
    return people


def seed() -> list[tuple[str, str]]:
    """Create or refresh the demo organisation. Returns (e-mail, role) for the login list."""
    counties = {}
    for number, name in COUNTIES:
        counties[number], _ = County.objects.update_or_create(
            number=number, defaults={"name": name}
        )
    units: dict[str, Unit] = {}
    for number, name, kind, county, _parent in UNITS:
        units[number], _ = Unit.objects.update_or_create(
            number=number,
            defaults={
                "name": name,
                "kind": kind,
                "county": counties.get(county) if county else None,
            },
        )
    for number, *_rest, parent in UNITS:
        if parent and units[number].parent_id != units[parent].pk:
            units[number].parent = units[parent]
            units[number].save(update_fields=["parent"])
    leaders, _ = Group.objects.get_or_create(name=LEADERS_GROUP)
    contacts, _ = Group.objects.get_or_create(name=DEPARTMENT_CONTACTS_GROUP)
    logins = []
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow by design
    for local, name, title, unit, roles in _people():
        email = f"{local}@{DOMAIN}"
        employee, created = Employee.objects.update_or_create(
            email=email,
            defaults={
                "name": name,
                "title": title,
                "unit": units[unit],
                "is_staff": "admin" in roles,
                "is_superuser": "admin" in roles,
            },
        )
        if created or not employee.has_usable_password():
            employee.password = password_hash
            employee.save(update_fields=["password"])
        if "leader" in roles:
            employee.groups.add(leaders)
        if "contact" in roles:
            employee.groups.add(contacts)
        if roles:
            logins.append((email, ", ".join(sorted(roles))))
    return logins
