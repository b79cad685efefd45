"""The benchmark's moderation cases: clarified answers and escalations in every status,
with the audit entries the moderation services would have written.

Which threads get a case is decided before the posts exist (`pick_cases`), because an
answered escalation's last post is the department's answer; the rows are written after the
posts are in (`write_cases`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bench.seeding.common import SeedReport
from bench.seeding.text import Generator
from bench.seeding.threads import ThreadPlan
from forum.models import Thread
from moderation.models import AuditEntry, ClarifiedAnswer, Escalation

LEGAL_REFERENCES = ["ftrl. § 8-7", "ftrl. § 11-5", "ftrl. § 11-6", "fvl. § 17", "fvl. § 25",
                    "ftrl. § 22-15", "sotjl. § 18", "ftrl. § 10-5"]  # fmt: skip


A = AuditEntry.Action


@dataclass
class Cases:
    clarify: list[ThreadPlan]
    escalate: list[ThreadPlan]
    answered: set[int]  # plan indexes whose escalation the department answered
    department_of: dict[int, int] = field(default_factory=dict)
    answer_author: dict[int, int] = field(default_factory=dict)


def pick_cases(gen: Generator, plans: list[ThreadPlan], org: dict) -> Cases:
    """One question in 40 gets a case: four in five a clarified answer, the rest an
    escalation (three in five of those answered by a department contact)."""
    rng = gen.rng
    questions = [p for p in plans if p.kind == Thread.Kind.QUESTION and p.length >= 3]
    picked = rng.sample(questions, k=min(len(questions), max(1, len(plans) // 40)))
    escalate = picked[len(picked) * 4 // 5 :]
    cases = Cases(
        clarify=picked[: len(picked) * 4 // 5],
        escalate=escalate,
        answered={p.index for p in escalate[: len(escalate) * 3 // 5]},
    )
    for p in escalate:
        dept = rng.choice(org["dept_unit_ids"])
        cases.department_of[p.index] = dept
        cases.answer_author[p.index] = rng.choice(org["dept_contacts"][dept])
    return cases


def _audit(
    plan: ThreadPlan, *, actor: int, action: str, when: datetime, post_id: int | None = None
) -> AuditEntry:
    return AuditEntry(
        actor_id=actor,
        action=action,
        topic_id=plan.topic_id,
        thread_id=plan.index + 1,
        post_id=post_id,
        target=plan.title,
        created_at=when,
    )


def write_cases(
    gen: Generator,
    cases: Cases,
    *,
    post_id_of: dict[tuple[int, int], int],
    moderator_of: dict[int, int],
    members_by_topic: dict[int, list[int]],
    report: SeedReport,
) -> None:
    """Clarified answers (post 2 of the picked questions) and escalations, with audit rows."""
    rng = gen.rng
    answered, dept_for, answer_author = cases.answered, cases.department_of, cases.answer_author
    clarified: list[ClarifiedAnswer] = []
    audit: list[AuditEntry] = []
    for p in cases.clarify:
        post_id = post_id_of[(p.index, 2)]
        when = datetime.fromtimestamp(p.created + p.offsets[1] + 86400, UTC)
        by = rng.choice([moderator_of[p.topic_id], *members_by_topic[p.topic_id]])
        clarified.append(
            ClarifiedAnswer(
                post_id=post_id,
                clarified_by_id=by,
                clarified_at=when,
                legal_reference=rng.choice(LEGAL_REFERENCES),
                review_by=(when + timedelta(days=365)).date() if rng.random() < 0.5 else None,
            )
        )
        audit.append(_audit(p, actor=by, action=A.CLARIFY_POST, when=when, post_id=post_id))
    ClarifiedAnswer.objects.bulk_create(clarified)
    report.clarified = len(clarified)
    escalations: list[Escalation] = []
    S = Escalation.Status
    for p in cases.escalate:
        moderator = moderator_of[p.topic_id]
        received = datetime.fromtimestamp(p.created + (p.offsets[-2] + p.offsets[-1]) // 2, UTC)
        done = datetime.fromtimestamp(p.created + p.offsets[-1], UTC)
        is_answered = p.index in answered
        status = (
            (S.CLOSED if rng.random() < 0.3 else S.ANSWERED)
            if is_answered
            else rng.choice([S.RECEIVED, S.IN_PROGRESS])
        )
        escalations.append(
            Escalation(
                thread_id=p.index + 1,
                department_id=dept_for[p.index],
                category=rng.choice(list(Escalation.Category)),
                summary=gen.paragraph(),
                status=status,
                escalated_by_id=moderator,
                received_at=received,
                in_progress_at=received + timedelta(hours=4) if status != S.RECEIVED else None,
                answered_at=done if is_answered else None,
                closed_at=done + timedelta(days=2) if status == S.CLOSED else None,
                answer_post_id=p.last_post_id if is_answered else None,
            )
        )
        audit.append(_audit(p, actor=moderator, action=A.ESCALATE_THREAD, when=received))
        if is_answered:
            audit.append(
                _audit(
                    p,
                    actor=answer_author[p.index],
                    action=A.ANSWER_ESCALATION,
                    when=done,
                    post_id=p.last_post_id,
                )
            )
    Escalation.objects.bulk_create(escalations)
    report.escalations = len(escalations)
    AuditEntry.objects.bulk_create(audit)
