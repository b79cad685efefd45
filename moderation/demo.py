"""Demo moderation data for `manage.py seed_demo`, and the order the demo is built in.

`seed()` runs after accounts.demo: it creates the back-offices with their experts
(`set_back_office_members`), creates the topics as drafts and staffs and publishes them
through moderation.services (one topic stays a draft), has forum.demo write the threads
into them, and then opens the moderation cases on those threads through the services: a
deputy moderator, open reports, clarified answers (one past its review date), a
consultation with notes, and an escalation in every status (one overdue). So the audit
log, the notifications and the guardian rights are the ones the product itself writes.

Idempotent: back-offices and topics are keyed on name and slug, cases on their thread;
running it twice changes nothing.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.demo import DOMAIN
from accounts.models import Employee, Unit
from forum import demo as forum_demo
from forum.models import Post, Thread, Topic
from moderation import services
from moderation.models import BackOffice, ClarifiedAnswer, Consultation, Escalation

# (name, description, experts)
BACK_OFFICES = [
    (
        "Baksystem arbeid og oppfølging",
        "Fageksperter på sykefraværsoppfølging og arbeidsrettet oppfølging.",
        ["tor.haugen", "nina.solberg", "anne.strand", "mona.lie"],
    ),
    (
        "Baksystem ytelser",
        "Jurister og rådgivere på folketrygdens ytelser.",
        ["hilde.vik", "lars.bakken", "geir.lund"],
    ),
    (
        "Baksystem hjelpemidler",
        "Spesialister fra hjelpemiddelsentralene.",
        ["eva.holm", "trond.aas", "siri.dahl"],
    ),
    (
        "Baksystem kontaktsenter",
        "Erfarne veiledere og fagkoordinatorer fra kontaktsentrene.",
        ["marte.fjeld", "knut.brekke"],
    ),
]

# (slug, name, description, parent slug, moderator, back-office); parents come first.
TOPICS = [
    ("arbeid-og-oppfolging", "Arbeid og oppfølging",
     "Oppfølging av sykmeldte og arbeidssøkere.", None,
     "mona.lie", "Baksystem arbeid og oppfølging"),
    ("sykefravaersoppfolging", "Sykefraværsoppfølging",
     "Dialogmøter, aktivitetsplikt og samarbeid med arbeidsgivere og sykmeldere.",
     "arbeid-og-oppfolging", "mona.lie", "Baksystem arbeid og oppfølging"),
    ("arbeidsrettet-oppfolging", "Arbeidsrettet oppfølging",
     "Oppfølgingsvedtak, tiltak og samarbeid med arbeidsgivere.",
     "arbeid-og-oppfolging", "anne.strand", "Baksystem arbeid og oppfølging"),
    ("ytelser", "Ytelser", "Regelverk og praksis for ytelsene.", None,
     "per.moe", "Baksystem ytelser"),
    ("arbeidsavklaringspenger", "Arbeidsavklaringspenger (AAP)",
     "Vilkår, aktivitetsplan, meldekort og stans av AAP.", "ytelser",
     "per.moe", "Baksystem ytelser"),
    ("dagpenger", "Dagpenger", "Permittering, arbeidstid, reell arbeidssøker og utdanning.",
     "ytelser", "ingrid.berg", "Baksystem ytelser"),
    ("hjelpemidler", "Hjelpemidler og tilrettelegging",
     "Hjelpemidler i hjem, arbeid og skole, og ideer til nye løsninger.", None,
     "siri.dahl", "Baksystem hjelpemidler"),
    ("hjelpemidler-i-hverdagen", "Hjelpemidler i hverdagen",
     "Søknader, utlån, reparasjon og gjenbruk.", "hjelpemidler",
     "siri.dahl", "Baksystem hjelpemidler"),
    ("ideer-hjelpemidler", "Ideer til nye hjelpemidler",
     "Hjelpemiddelsentralene deler ideer til innovasjon.", "hjelpemidler",
     "trond.aas", "Baksystem hjelpemidler"),
    ("kontaktsenter", "Kontaktsenteret",
     "Samtaler, skriftlig dialog og rutiner i NAV Kontaktsenter.", None,
     "jon.eriksen", "Baksystem kontaktsenter"),
]  # fmt: skip
DRAFT = ("ny-kommunestruktur", "Kommunesammenslåing (utkast)",
         "Erfaringer fra sammenslåing av NAV-kontor. Ikke åpnet ennå.")  # fmt: skip

# (thread title, reporter, post position, reason)
REPORTS = [
    (
        "Aktivitetsplikten ved 8 uker – hvordan vurderer dere unntak?",
        "kari.nordmann",
        2,
        "Er det greit å dele en intern sjekkliste her? Den er ikke godkjent av fagavdelingen.",
    ),
    (
        "Reell arbeidssøker og deltidsjobb",
        "ola.hansen",
        2,
        "Svaret mangler henvisning til regelverket og kan misforstås.",
    ),
]

# (thread title, post position, clarified by, legal reference, review in days)
CLARIFIED = [
    ("Stans av AAP ved manglende meldekort", 2, "lars.bakken", "forvaltningsloven § 16", 180),
    ("Dialogmøte 2 når arbeidsgiver ikke stiller", 3, "tor.haugen", "arbeidsmiljøloven § 4-6", -10),
]

CONSULTATION = (
    "AAP under utdanning",
    [
        ("lars.bakken", "Utdanning som tiltak: se folketrygdloven § 11-6. Vi bør svare presist."),
        ("hilde.vik", "Enig. Jeg foreslår at vi markerer et svar som avklart når det er skrevet."),
    ],
)

# (key, thread title, department number, category, summary, target status, days ago, contact)
ESCALATIONS = [
    (
        "received",
        "Permittering og ferie – hva gjelder?",
        "0110",
        Escalation.Category.REGULATION_EFFECT,
        "Kontorene praktiserer samspillet mellom ferie og permittering ulikt. Vi ber om en "
        "prinsipiell avklaring.",
        Escalation.Status.RECEIVED,
        30,
        "kontakt.ytelse",
    ),
    (
        "in-progress",
        "Reell arbeidssøker og deltidsjobb",
        "0130",
        Escalation.Category.PRINCIPLED,
        "Når kan en som bare søker deltid regnes som reell arbeidssøker? Praksis spriker.",
        Escalation.Status.IN_PROGRESS,
        6,
        "kontakt.jus",
    ),
    (
        "answered",
        "Stans av AAP ved manglende meldekort",
        "0110",
        Escalation.Category.ROUTINE,
        "Rutinen for stans ved manglende meldekort oppfattes ulikt. Skal det alltid sendes "
        "forhåndsvarsel?",
        Escalation.Status.ANSWERED,
        20,
        "kontakt.ytelse",
    ),
    (
        "closed",
        "Lang ventetid på reparasjon av rullestoler",
        "0120",
        Escalation.Category.ROUTINE,
        "Rutinen for reparasjoner gir ulik ventetid mellom sentralene. Kan den samordnes?",
        Escalation.Status.CLOSED,
        40,
        "kontakt.arbeid",
    ),
]
ANSWER = (
    "Fagavdelingen har vurdert saken. Rutinen skal være lik i hele landet: send alltid "
    "forhåndsvarsel før stans, og dokumenter vurderingen i saken. Vi oppdaterer rundskrivet."
)


def _employee(local: str) -> Employee | None:
    return Employee.objects.filter(email=f"{local}@{DOMAIN}").first()


def _thread(title: str) -> Thread | None:
    return Thread.objects.select_related("topic").filter(title=title).first()


def _post(thread: Thread, position: int) -> Post | None:
    return Post.objects.filter(thread=thread, position=position).first()


def _back_offices(admin: Employee) -> dict[str, BackOffice]:
    back_offices = {}
    for name, description, members in BACK_OFFICES:
        back_office, _created = BackOffice.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        experts = [e for e in map(_employee, members) if e is not None]
        services.set_back_office_members(back_office, members=experts, by=admin)
        back_offices[name] = back_office
    return back_offices


def _topics(admin: Employee, back_offices: dict[str, BackOffice]) -> dict[str, Topic]:
    """The demo topics, staffed and published through the services (a new topic is a draft
    until then); a topic someone has staffed or published already is left as it is."""
    topics: dict[str, Topic] = {}
    for position, (slug, name, description, parent, moderator, back_office) in enumerate(TOPICS):
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            topic = Topic.objects.create(
                slug=slug,
                name=name,
                description=description,
                parent=topics.get(parent),
                position=position,
            )
        if topic.moderator_id is None and (moderator := _employee(moderator)) is not None:
            topic = services.staff_topic(
                topic, by=admin, moderator=moderator, back_office=back_offices[back_office]
            )
        if not topic.is_published and topic.moderator_id:
            topic = services.publish_topic(topic, by=admin)
        topics[slug] = topic
    slug, name, description = DRAFT
    if not Topic.objects.filter(slug=slug).exists():
        Topic.objects.create(slug=slug, name=name, description=description, position=99)
    return topics


def seed() -> list[tuple[str, str]]:
    """Back-offices, topics, the forum's threads and the moderation cases (see the module
    docstring). Returns (e-mail, role) pairs worth showing as logins."""
    admin = _employee("admin")
    if admin is None:  # accounts.demo has not run
        return []
    topics = _topics(admin, _back_offices(admin))
    forum_demo.seed({slug: t for slug, t in topics.items() if t.is_published})
    _cases(admin)
    logins = [(f"{local}@{DOMAIN}", "back-office expert") for local in ("lars.bakken", "hilde.vik")]
    logins += [
        (topic.moderator.email, f"moderator: {topic.name}")
        for topic in Topic.objects.filter(slug__in=topics)
        .select_related("moderator")
        .order_by("tree_id", "lft")
        if topic.moderator_id
    ]
    return logins + [
        (f"{local}@{DOMAIN}", "department contact")
        for local in ("kontakt.ytelse", "kontakt.jus", "kontakt.arbeid")
    ]


def _cases(admin: Employee) -> None:
    """Reports, clarified answers, a consultation and escalations on the demo threads; a
    case that is already there is skipped."""
    contact_centre = Topic.objects.filter(slug="kontaktsenter").first()
    deputy = _employee("marte.fjeld")
    if (
        contact_centre
        and deputy
        and contact_centre.moderator_id not in (None, deputy.pk)
        and contact_centre.deputy_moderator_id is None
    ):
        services.staff_topic(
            contact_centre,
            by=admin,
            moderator=contact_centre.moderator,
            back_office=contact_centre.back_office,
            deputy_moderator=deputy,
            reason="Stedfortreder under ferieavvikling",
        )

    for title, reporter_local, position, reason in REPORTS:
        thread, reporter = _thread(title), _employee(reporter_local)
        post = thread and _post(thread, position)
        if post and reporter and post.author_id != reporter.pk and not post.reports.exists():
            services.report_post(post, reporter=reporter, reason=reason)

    today = timezone.localdate()
    for title, position, local, reference, days in CLARIFIED:
        thread, expert = _thread(title), _employee(local)
        post = thread and _post(thread, position)
        if not (post and expert) or ClarifiedAnswer.objects.filter(post=post).exists():
            continue
        clarified = services.clarify_post(
            post,
            by=expert,
            legal_reference=reference,
            review_by=today + datetime.timedelta(days=max(days, 1)),
        )
        if days < 0:  # clarified long ago: the review date has passed
            ClarifiedAnswer.objects.filter(pk=clarified.pk).update(
                review_by=today + datetime.timedelta(days=days),
                clarified_at=timezone.now() - datetime.timedelta(days=200),
            )

    title, notes = CONSULTATION
    thread = _thread(title)
    if thread and thread.topic.moderator_id and not Consultation.objects.filter(thread=thread):
        consultation = services.open_consultation(thread, by=thread.topic.moderator)
        for local, body in notes:
            author = _employee(local)
            if author is not None:
                services.add_internal_note(consultation, author=author, body=body)

    for key, title, number, category, summary, status, days_ago, contact_local in ESCALATIONS:
        thread = _thread(title)
        department = Unit.objects.filter(number=number).first()
        contact = _employee(contact_local)
        if not (thread and department and contact and thread.topic.moderator_id):
            continue
        submission_key = uuid.uuid5(uuid.NAMESPACE_URL, f"erfaringsforum-demo-escalation-{key}")
        if Escalation.objects.filter(submission_key=submission_key).exists():
            continue
        escalation = services.escalate_thread(
            thread,
            by=thread.topic.moderator,
            department=department,
            category=category,
            summary=summary,
            submission_key=submission_key,
        )
        Escalation.objects.filter(pk=escalation.pk).update(
            received_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        if status != Escalation.Status.RECEIVED:
            services.set_escalation_status(escalation, by=contact, status="in_progress")
        if status in (Escalation.Status.ANSWERED, Escalation.Status.CLOSED):
            services.answer_escalation(escalation, by=contact, body=ANSWER)
        if status == Escalation.Status.CLOSED:
            services.set_escalation_status(escalation, by=contact, status="closed")
