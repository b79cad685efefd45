"""The benchmark's topic tree: 9 groups and 60 topics, each staffed and published."""

from __future__ import annotations

from datetime import datetime, timedelta

from accounts.models import Unit
from bench.seeding.common import START
from bench.seeding.text import Generator, topic_slug
from forum.models import Topic
from moderation.models import AuditEntry, BackOffice, BackOfficeMembership

PUBLISH = AuditEntry.Action.PUBLISH_TOPIC
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
            "Ideer og innovasjon",
            "Digitalisering og automatisering",
            "Ideer til nye hjelpemidler",
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


def create_topics(gen: Generator, org: dict) -> tuple[list[Topic], dict[int, list[int]]]:
    """9 groups and 60 topics, each staffed (moderator, deputy, back-office of 3 besides the
    moderator) and published. Created through the ORM so django-mptt sets the tree fields;
    the staffing is written as columns and memberships, the single source of truth, from
    which PostgreSQL's triggers derive the guardian rows (moderation migration 0005).
    Returns (leaf topics, back-office members by topic id)."""
    rng = gen.rng
    staff_pool = org["by_kind"][Unit.Kind.SPECIALIST_UNIT] + org["by_kind"][Unit.Kind.LOCAL_OFFICE]
    staff_pool = sorted(set(staff_pool) - {1})
    rng.shuffle(staff_pool)
    staff = iter(staff_pool)
    published = START - timedelta(days=30)
    leaves: list[Topic] = []
    members_by_topic: dict[int, list[int]] = {}
    created: list[Topic] = []  # in the order of creation, groups before their topics
    for g, (group_name, children) in enumerate(TOPIC_TREE):
        group: Topic | None = None  # the group is staffed like its first topic
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
            staffing = {
                "moderator_id": moderator,
                "deputy_moderator_id": deputy,
                "back_office": back_office,
            }
            if group is None:
                description = f"Temaer om {group_name.lower()}."
                group = _published_topic(group_name, description, g, None, staffing, published)
                created.append(group)
            description = f"Erfaringer og spørsmål om {child_name.lower()}."
            topic = _published_topic(child_name, description, c, group, staffing, published)
            created.append(topic)
            leaves.append(topic)
            members_by_topic[topic.id] = members
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_id=1, action=PUBLISH, topic=t, target=t.name, created_at=published)
        for t in created
    )
    return leaves, members_by_topic


def _published_topic(
    name: str,
    description: str,
    position: int,
    parent: Topic | None,
    staffing: dict[str, object],
    published: datetime,
) -> Topic:
    """A topic created staffed and published (its staffing as columns, the source of truth)."""
    shown = {"name": name, "slug": topic_slug(name), "description": description}
    return Topic.objects.create(
        parent=parent, position=position, published_at=published, **shown, **staffing
    )
