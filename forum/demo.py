"""Demo threads and posts for `manage.py seed_demo` (moderation's command), written through
forum.services as people would write them: threads, replies, an edit that keeps its
revision, and accepted answers. The topics come from the caller (moderation.demo, which
staffs and publishes them); this module never imports moderation.

Idempotent: a thread is keyed on (topic, title) and only missing ones are written.

The services stamp every row with the current time, so a demo written in one second would
look like it. A documented post-step (`_backdate`) then moves the new rows into the past
months with one bulk UPDATE per table (posts, revisions, threads), adds their historical
view counts (past days cannot be counted through `record_view`, which counts today), and
lets refresh_thread_counters / refresh_topic_counters recompute the counters from the
backdated rows. The posting limits (FORUM_POST_INTERVAL_SECONDS, FORUM_THREADS_PER_DAY) are
the caller's to lift: the seed_demo command overrides them for its own run only.
"""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.demo import DOMAIN
from accounts.models import Employee
from forum import services
from forum.models import Post, PostRevision, Thread, ThreadViewDay, Topic

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


@dataclass
class _Written:
    """A thread just written through the services, with the times it should carry."""

    thread: Thread
    started: datetime
    posts: list[tuple[Post, datetime]] = field(default_factory=list)
    revision: PostRevision | None = None
    solved_at: datetime | None = None
    views: dict[date, int] = field(default_factory=dict)


def _employee(local: str) -> Employee | None:
    return Employee.objects.filter(email=f"{local}@{DOMAIN}").first()


def _thread(topic: Topic, title: str, kind: str, author: Employee, bodies, rng, now) -> _Written:
    people = list(Employee.objects.filter(is_active=True).exclude(pk=author.pk).order_by("pk")[:40])
    started = now - timedelta(days=rng.randint(2, 60), hours=rng.randint(0, 12))
    opening = bodies[0]
    # An opening question first sent with a full stop, then corrected: the edit keeps the
    # first version as a revision.
    corrected = len(bodies) > 1 and opening.endswith("?")
    thread = services.start_thread(
        topic,
        author=author,
        title=title,
        body=opening.rstrip("?") + "." if corrected else opening,
        kind=kind,
    )
    first = thread.last_post
    written = _Written(thread=thread, started=started, posts=[(first, started)])
    when = started + timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
    for body in bodies[1:]:
        writer = author if "markerer svaret" in body else rng.choice(people)
        written.posts.append((services.post_reply(thread, author=writer, body=body), when))
        when += timedelta(hours=rng.randint(1, 30), minutes=rng.randint(0, 59))
    if kind == Thread.Kind.QUESTION and len(written.posts) > 2:
        services.mark_solution(thread, post=written.posts[1][0], by=author)
        written.solved_at = when
    if corrected:
        services.edit_post(first, editor=author, body=opening, reason="Skrivefeil")
        written.revision = first.revisions.get()
    today = timezone.localdate()
    for d in range(rng.randint(1, 10)):
        written.views[today - timedelta(days=d)] = rng.randint(5, 120)
    return written


def _backdate(written: list[_Written]) -> None:
    """Move the rows just written to the times the demo gives them (see the module docstring):
    one bulk UPDATE per table, then the counters recomputed by the forum's own services."""
    posts, revisions, threads, view_days = [], [], [], []
    for w in written:
        for post, created_at in w.posts:
            post.created_at = created_at
            posts.append(post)
        if w.revision is not None:
            first, first_at = w.posts[0]
            edited_at = first_at + timedelta(minutes=5)
            first.edited_at = edited_at
            w.revision.created_at, w.revision.replaced_at = first_at, edited_at
            revisions.append(w.revision)
        thread = w.thread
        thread.created_at = w.started
        thread.solved_at = w.solved_at
        # view_count holds the days up to views_counted_through; later days are folded in by
        # the first view after them, as for any thread.
        thread.view_count = sum(
            views for day, views in w.views.items() if day <= thread.views_counted_through
        )
        threads.append(thread)
        view_days += [
            ThreadViewDay(thread=thread, day=day, bucket=0, views=views)
            for day, views in w.views.items()
        ]
    Post.objects.bulk_update(posts, ["created_at", "edited_at"])
    PostRevision.objects.bulk_update(revisions, ["created_at", "replaced_at"])
    Thread.objects.bulk_update(threads, ["created_at", "solved_at", "view_count"])
    ThreadViewDay.objects.bulk_create(view_days)
    for thread in threads:
        services.refresh_thread_counters(thread)


def seed(topics: dict[str, Topic]) -> None:
    """Write the demo threads that are missing into the given published topics (by slug)."""
    rng = random.Random(2026)  # the same demo every time
    now = timezone.now()
    written = []
    for slug, threads in THREADS.items():
        topic = topics.get(slug)
        if topic is None:
            continue
        for title, kind, author_local, bodies in threads:
            author = _employee(author_local)
            if author is not None and not Thread.objects.filter(topic=topic, title=title).exists():
                written.append(_thread(topic, title, kind, author, bodies, rng, now))
    _backdate(written)
    for topic in topics.values():
        services.refresh_topic_counters(topic)
