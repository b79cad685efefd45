"""Demo topics, threads and posts for `manage.py seed_demo` (runs after accounts and
moderation demo data). Idempotent: topics are keyed on slug, threads on (topic, title).

Topics are staffed and published directly through the model fields when they are not
already (moderation's demo may have staffed them its own way); one topic stays a draft.
"""

import random
from datetime import timedelta

from django.utils import timezone

from accounts.demo import DOMAIN
from accounts.models import Employee
from forum import services
from forum.markdown import RENDERER_VERSION, render_markdown
from forum.models import Post, PostRevision, Thread, ThreadViewDay, Topic
from moderation.models import BackOffice, BackOfficeMembership

# (slug, name, description, parent slug, moderator, back-office, back-office members)
TOPICS = [
    (
        "arbeid-og-oppfolging",
        "Arbeid og oppfølging",
        "Oppfølging av sykmeldte og arbeidssøkere.",
        None,
        "mona.lie",
        "Baksystem arbeid og oppfølging",
        ["anne.strand", "tor.haugen"],
    ),
    (
        "sykefravaersoppfolging",
        "Sykefraværsoppfølging",
        "Dialogmøter, aktivitetsplikt og samarbeid med arbeidsgivere og sykmeldere.",
        "arbeid-og-oppfolging",
        "mona.lie",
        "Baksystem arbeid og oppfølging",
        ["anne.strand", "tor.haugen"],
    ),
    (
        "arbeidsrettet-oppfolging",
        "Arbeidsrettet oppfølging",
        "Oppfølgingsvedtak, tiltak og samarbeid med arbeidsgivere.",
        "arbeid-og-oppfolging",
        "anne.strand",
        "Baksystem arbeid og oppfølging",
        ["mona.lie", "tor.haugen"],
    ),
    (
        "ytelser",
        "Ytelser",
        "Regelverk og praksis for ytelsene.",
        None,
        "per.moe",
        "Baksystem ytelser",
        ["hilde.vik", "lars.bakken", "geir.lund"],
    ),
    (
        "arbeidsavklaringspenger",
        "Arbeidsavklaringspenger (AAP)",
        "Vilkår, aktivitetsplan, meldekort og stans av AAP.",
        "ytelser",
        "per.moe",
        "Baksystem ytelser",
        ["hilde.vik", "lars.bakken", "geir.lund"],
    ),
    (
        "dagpenger",
        "Dagpenger",
        "Permittering, arbeidstid, reell arbeidssøker og utdanning.",
        "ytelser",
        "ingrid.berg",
        "Baksystem ytelser",
        ["hilde.vik", "lars.bakken", "geir.lund"],
    ),
    (
        "hjelpemidler",
        "Hjelpemidler og tilrettelegging",
        "Hjelpemidler i hjem, arbeid og skole, og idéer til nye løsninger.",
        None,
        "siri.dahl",
        "Baksystem hjelpemidler",
        ["eva.holm", "trond.aas"],
    ),
    (
        "hjelpemidler-i-hverdagen",
        "Hjelpemidler i hverdagen",
        "Søknader, utlån, reparasjon og gjenbruk.",
        "hjelpemidler",
        "siri.dahl",
        "Baksystem hjelpemidler",
        ["eva.holm", "trond.aas"],
    ),
    (
        "ideer-hjelpemidler",
        "Idéer til nye hjelpemidler",
        "Hjelpemiddelsentralene deler idéer til innovasjon.",
        "hjelpemidler",
        "trond.aas",
        "Baksystem hjelpemidler",
        ["eva.holm", "siri.dahl"],
    ),
    (
        "kontaktsenter",
        "Kontaktsenteret",
        "Samtaler, skriftlig dialog og rutiner i NAV Kontaktsenter.",
        None,
        "jon.eriksen",
        "Baksystem kontaktsenter",
        ["marte.fjeld", "knut.brekke"],
    ),
]
DRAFT = ("ny-kommunestruktur", "Kommunesammenslåing (utkast)",
         "Erfaringer fra sammenslåing av NAV-kontor. Ikke åpnet ennå.", None)  # fmt: skip

Q = Thread.Kind.QUESTION
D = Thread.Kind.DISCUSSION
# topic slug -> [(title, kind, author, [post bodies; the first opens the thread])]
THREADS = {
    "sykefravaersoppfolging": [
        (
            "Dialogmøte 2 når arbeidsgiver ikke stiller",
            Q,
            "kari.nordmann",
            [
                "I sykefraværsoppfølgingen har vi flere saker der arbeidsgiver ikke møter til "
                "dialogmøte 2, selv etter purring. Hva gjør dere?\n\n- Avlyser dere møtet?\n"
                "- Gjennomfører dere med "
                "bare den sykmeldte?",
                "Vi gjennomfører møtet med den sykmeldte og dokumenterer at arbeidsgiver er "
                "innkalt. Så følger vi opp arbeidsgiver skriftlig etterpå.",
                "> Vi gjennomfører møtet med den sykmeldte\n\nSamme hos oss. Husk at "
                "arbeidsgiver har plikt til å delta etter **arbeidsmiljøloven § 4-6**, så vi "
                "sender også et brev som viser til det.",
                "Takk! Da gjør vi det slik. Jeg markerer svaret som løsningen.",
            ],
        ),
        (
            "Aktivitetsplikten ved 8 uker – hvordan vurderer dere unntak?",
            D,
            "ola.hansen",
            [
                "Når godtar dere medisinske grunner som unntak fra aktivitetsplikten? Vi "
                "opplever ulik praksis mellom veilederne.",
                "Vi har laget en enkel sjekkliste:\n\n| Situasjon | Vurdering |\n|---|---|\n"
                "| Innlagt på sykehus | Unntak |\n| Gradert sykmelding | Som regel ikke unntak |"
                "\n| Uklar erklæring | Kontakt sykmelder |",
                "Fin tabell! Kan vi dele den i fagnettverket i Vestland?",
            ],
        ),
        (
            "Erfaringer med digitale dialogmøter",
            D,
            "marte.fjeld",
            [
                "Vi har hatt digitale dialogmøter i et år. Det sparer reisetid, men det er "
                "vanskeligere å fange opp det som ikke blir sagt. Hvilke erfaringer har dere?",
                "Vi starter alltid med en kort runde der alle sier hvordan de har det. Det "
                "hjelper.",
            ],
        ),
    ],
    "arbeidsrettet-oppfolging": [
        (
            "Oppfølgingsvedtak for unge under 30",
            D,
            "anne.strand",
            [
                "Hvordan prioriterer dere unge brukere etter ungdomsgarantien? Vi har lange "
                "ventelister på tiltak.",
                "Vi bruker gruppeoppfølging de første ukene, så får alle tett kontakt raskt.",
            ],
        ),
    ],
    "arbeidsavklaringspenger": [
        (
            "Stans av AAP ved manglende meldekort",
            Q,
            "per.moe",
            [
                "Når en bruker ikke sender meldekort i to perioder, stanser dere AAP med en "
                "gang, eller sender dere varsel først?",
                "Vi sender alltid forhåndsvarsel etter **forvaltningsloven § 16** før stans.",
                "Det stemmer. Se også rundskrivet til folketrygdloven kapittel 11.",
            ],
        ),
        (
            "Aktivitetsplan og AAP – hvor detaljert?",
            D,
            "knut.brekke",
            [
                "Hvor detaljert skriver dere aktivitetsplanen for brukere på AAP? Noen "
                "kolleger skriver én linje, andre en hel side.",
                "Vi skriver konkrete aktiviteter med dato. Det gjør det lettere å vurdere "
                "om vilkårene er oppfylt senere.",
                "Enig. Korte, konkrete mål fungerer best, og brukeren forstår dem.",
            ],
        ),
        (
            "AAP under utdanning",
            Q,
            "astrid.aasen",
            [
                "En bruker ønsker å ta fagbrev mens hun mottar AAP. Hvilke vilkår gjelder?",
                "Det kan være aktuelt som et tiltak, men det må vurderes om utdanningen er "
                "nødvendig og hensiktsmessig for å komme i arbeid. Ta gjerne kontakt med "
                "fagkoordinator.",
            ],
        ),
    ],
    "dagpenger": [
        (
            "Permittering og ferie – hva gjelder?",
            Q,
            "ingrid.berg",
            [
                "En permittert arbeidstaker skal ha ferie i juli. Hvordan påvirker det "
                "dagpengene og permitteringsperioden?",
                "Ferie avvikles etter ferieloven; dagpenger utbetales ikke for feriedager "
                "arbeidsgiver betaler for.",
            ],
        ),
        (
            "Reell arbeidssøker og deltidsjobb",
            D,
            "bente.bakke",
            [
                "Hvordan vurderer dere om en som bare vil ha deltid er reell arbeidssøker?",
                "Vi ser på helse og omsorgsansvar, og dokumenterer vurderingen godt.",
            ],
        ),
    ],
    "hjelpemidler-i-hverdagen": [
        (
            "Lang ventetid på reparasjon av rullestoler",
            D,
            "siri.dahl",
            [
                "Vi har opptil fire ukers ventetid på reparasjoner. Hvordan har andre "
                "sentraler løst dette?",
                "Vi har inngått avtale med en lokal leverandør for enkle reparasjoner.",
                "Vi gjenbruker deler fra innleverte stoler. Det har kortet ned ventetiden.",
            ],
        ),
    ],
    "ideer-hjelpemidler": [
        (
            "Idé: digital hjelpemiddelkatalog med video",
            D,
            "eva.holm",
            [
                "Hva om katalogen hadde korte videoer som viser hjelpemidlene i bruk? Det "
                "kunne spare mange telefoner.",
                "God idé! Vi kan teste det med de ti mest brukte hjelpemidlene først.",
            ],
        ),
    ],
    "kontaktsenter": [
        (
            "Samtaler om AAP-meldekort etter omleggingen",
            D,
            "jon.eriksen",
            [
                "Etter omleggingen får vi mange spørsmål om meldekort. Har noen laget en "
                "god talemal?",
                "Vi har en kort mal:\n\n1. Bekreft hvilken periode det gjelder\n2. Sjekk "
                "status i systemet\n3. Forklar fristen",
                "Takk, den tar vi i bruk på Kontaktsenter Nord.",
            ],
        ),
        (
            "Skriftlig dialog: svarfrist",
            Q,
            "dag.dahle",
            [
                "Hvor lang svarfrist har dere på meldinger i skriftlig dialog?",
                "Vi har mål om svar innen to virkedager.",
            ],
        ),
    ],
}


def _employee(local: str) -> Employee | None:
    return Employee.objects.filter(email=f"{local}@{DOMAIN}").first()


def _staff_and_publish(topic: Topic, moderator_local: str, bo_name: str, members) -> None:
    if topic.is_published:
        return
    moderator = topic.moderator or _employee(moderator_local)
    back_office = topic.back_office
    if back_office is None:
        back_office = BackOffice.objects.filter(name=bo_name).first()
    if back_office is None:
        back_office = BackOffice.objects.create(
            name=bo_name, description="Fageksperter bak temaets moderator."
        )
    for local in members:
        member = _employee(local)
        if member is not None and member != moderator:
            BackOfficeMembership.objects.get_or_create(back_office=back_office, employee=member)
    if moderator is None:
        return
    topic.moderator = moderator
    topic.back_office = back_office
    topic.published_at = timezone.now()
    topic.save(update_fields=["moderator", "back_office", "published_at"])


def _grant_rights(topics: list[Topic]) -> None:
    try:
        from moderation.services import sync_topic_permissions
    except ImportError:
        return
    sync_topic_permissions(topics)


def _topics() -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for position, (slug, name, description, parent, mod, bo, members) in enumerate(TOPICS):
        topic = Topic.objects.filter(slug=slug).first()
        if topic is None:
            topic = Topic.objects.create(
                slug=slug,
                name=name,
                description=description,
                parent=topics.get(parent),
                position=position,
            )
        _staff_and_publish(topic, mod, bo, members)
        topics[slug] = topic
    slug, name, description, parent = DRAFT
    if not Topic.objects.filter(slug=slug).exists():
        Topic.objects.create(slug=slug, name=name, description=description, position=99)
    _grant_rights(list(topics.values()))
    return topics


def _thread(topic: Topic, title: str, kind: str, author: Employee, bodies, rng, now) -> None:
    if Thread.objects.filter(topic=topic, title=title).exists():
        return
    people = list(Employee.objects.filter(is_active=True).exclude(pk=author.pk)[:40])
    started = now - timedelta(days=rng.randint(2, 60), hours=rng.randint(0, 12))
    thread = Thread.objects.create(
        topic=topic,
        title=title,
        author=author,
        kind=kind,
        created_at=started,
        last_activity_at=started,
    )
    when = started
    posts = []
    for position, body in enumerate(bodies, start=1):
        writer = author if position == 1 or "markerer svaret" in body else rng.choice(people)
        posts.append(
            Post.objects.create(
                thread=thread,
                position=position,
                author=writer,
                body_md=body,
                body_html=render_markdown(body),
                renderer_version=RENDERER_VERSION,
                created_at=when,
            )
        )
        services.mark_read(thread, employee=writer, position=position)  # writers read it
        when += timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
    if kind == Thread.Kind.QUESTION and len(posts) > 2:
        thread.solution_post = posts[1]
        thread.solved_at = when
        thread.save(update_fields=["solution_post", "solved_at"])
    if len(posts) > 1 and posts[0].body_md.endswith("?"):
        first = posts[0]
        PostRevision.objects.create(
            post=first,
            number=1,
            body_md=first.body_md.rstrip("?") + ".",
            created_at=first.created_at,
            replaced_at=first.created_at + timedelta(minutes=5),
            replaced_by=author,
            reason="Skrivefeil",
        )
        first.edited_at = first.created_at + timedelta(minutes=5)
        first.edit_count = 1
        first.save(update_fields=["edited_at", "edit_count"])
    ThreadViewDay.objects.bulk_create(
        [
            ThreadViewDay(
                thread=thread,
                day=(now - timedelta(days=d)).date(),
                bucket=0,
                views=rng.randint(5, 120),
            )
            for d in range(rng.randint(1, 10))
        ]
    )
    services.refresh_thread_counters(thread)


def seed() -> list[tuple[str, str]]:
    """Create or complete the demo forum. Returns logins worth showing (moderators)."""
    rng = random.Random(2026)  # the same demo every time
    now = timezone.now()
    topics = _topics()
    for slug, threads in THREADS.items():
        topic = topics[slug]
        for title, kind, author_local, bodies in threads:
            author = _employee(author_local)
            if author is not None:
                _thread(topic, title, kind, author, bodies, rng, now)
    for topic in topics.values():
        services.refresh_topic_counters(topic)
    logins = []
    for topic in topics.values():
        if topic.moderator_id:
            logins.append((topic.moderator.email, f"moderator: {topic.name}"))
    return logins
