"""Demo moderation data for `manage.py seed_demo`. Idempotent: running it twice changes nothing.

`seed()` runs after accounts.demo and before forum.demo: it creates the back-offices with
their experts. `seed_after_forum()` runs after forum.demo: a deputy moderator, open
reports, clarified answers (one past its review date), a consultation with notes, and an
escalation in every status (one overdue). Everything after the back-offices goes through
moderation.services, so the audit log and the notifications are real.
"""

import datetime
import uuid

from django.utils import timezone

from accounts.demo import DOMAIN
from accounts.models import Employee, Unit
from forum.models import Post, Thread, Topic
from moderation import services
from moderation.models import (
    BackOffice,
    BackOfficeMembership,
    ClarifiedAnswer,
    Consultation,
    Escalation,
)

# Names as forum.demo staffs its topics with them.
BACK_OFFICES = [
    (
        "Baksystem arbeid og oppfølging",
        "Fageksperter på sykefraværsoppfølging og arbeidsrettet oppfølging.",
        ["tor.haugen", "nina.solberg", "anne.strand"],
    ),
    (
        "Baksystem ytelser",
        "Jurister og rådgivere på folketrygdens ytelser.",
        ["hilde.vik", "lars.bakken", "geir.lund"],
    ),
    (
        "Baksystem hjelpemidler",
        "Spesialister fra hjelpemiddelsentralene.",
        ["eva.holm", "trond.aas"],
    ),
    (
        "Baksystem kontaktsenter",
        "Erfarne veiledere og fagkoordinatorer fra kontaktsentrene.",
        ["marte.fjeld", "knut.brekke"],
    ),
]

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


def seed() -> list[tuple[str, str]]:
    """Back-offices with their experts; the rest when the forum's demo threads exist."""
    for name, description, members in BACK_OFFICES:
        back_office, _created = BackOffice.objects.get_or_create(
            name=name, defaults={"description": description}
        )
        for local in members:
            expert = _employee(local)
            if expert is not None:
                BackOfficeMembership.objects.get_or_create(back_office=back_office, employee=expert)
    logins = [(f"{local}@{DOMAIN}", "back-office expert") for local in ("lars.bakken", "hilde.vik")]
    if Thread.objects.exists():
        logins += seed_after_forum()
    return logins


def seed_after_forum() -> list[tuple[str, str]]:
    """Reports, clarified answers, a consultation and escalations on the forum's demo threads.

    Runs after forum.demo. Skips whatever is already there, so it is safe to run again.
    """
    admin = _employee("admin")
    if admin is None:
        return []
    services.sync_topic_permissions(Topic.objects.all())

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
    return [
        (f"{local}@{DOMAIN}", "department contact")
        for local in ("kontakt.ytelse", "kontakt.jus", "kontakt.arbeid")
    ]
