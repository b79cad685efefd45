"""Every role × every moderation page and action: 200 / 302 / 403 / 404.

A moderator of B acting in A gets 403 (the thread is public; the action is not theirs).
A consultation is 404 for everyone outside the topic's staff, so its existence stays hidden.
"""

import pytest
from django.test import Client
from django.urls import reverse

from moderation import services
from moderation.models import Escalation
from tests.moderation.conftest import make_post

ROLES = ["employee", "moderator_a", "moderator_b", "expert", "contact", "admin"]

# What the longer forms send.
EDITED = {"body": "Rettet tekst", "reason": "Personopplysninger"}
CLARIFIED = {"legal_reference": "ftrl. § 8-4"}
ESCALATED = {"summary": "Rutinen gir ulik praksis", "category": "routine"}
STARTED = {"status": "in_progress"}
ANSWER = {"body": "Avdelingen svarer."}

# (url name, target, method, data, expected per role in ROLES order)
MATRIX = [
    ("moderation:queue", None, "get", None, [403, 200, 200, 403, 403, 200]),
    ("moderation:audit-log", None, "get", None, [403, 200, 200, 403, 403, 200]),
    ("moderation:escalation-register", None, "get", None, [403, 200, 200, 403, 200, 200]),
    ("moderation:escalation-inbox", None, "get", None, [403, 403, 403, 403, 200, 403]),
    ("moderation:notifications", None, "get", None, [301] * 6),
    ("notifications:list", None, "get", None, [200, 200, 200, 200, 200, 200]),
    ("moderation:report-post", "post", "get", None, [200, 200, 200, 200, 200, 200]),
    ("moderation:report-post", "post", "post", {"reason": "Feil"}, [302] * 6),
    ("moderation:hide-post", "post", "get", None, [403, 200, 403, 403, 403, 200]),
    ("moderation:hide-post", "post", "post", {"reason": "Ufint"}, [403, 302, 403, 403, 403, 302]),
    ("moderation:unhide-post", "post", "get", None, [403, 200, 403, 403, 403, 200]),
    ("moderation:edit-post", "post", "get", None, [403, 200, 403, 403, 403, 200]),
    ("moderation:edit-post", "post", "post", EDITED, [403, 302, 403, 403, 403, 302]),
    ("moderation:clarify-post", "post", "get", None, [403, 200, 403, 200, 403, 200]),
    ("moderation:clarify-post", "post", "post", CLARIFIED, [403, 302, 403, 302, 403, 302]),
    ("moderation:unclarify-post", "post", "get", None, [403, 200, 403, 200, 403, 200]),
    ("moderation:thread-tools", "thread", "get", None, [403, 200, 403, 403, 403, 200]),
    ("moderation:lock-thread", "thread", "post", {}, [403, 302, 403, 403, 403, 302]),
    ("moderation:unlock-thread", "thread", "post", {}, [403, 302, 403, 403, 403, 302]),
    ("moderation:pin-thread", "thread", "post", {}, [403, 302, 403, 403, 403, 302]),
    ("moderation:unpin-thread", "thread", "post", {}, [403, 302, 403, 403, 403, 302]),
    ("moderation:move-thread", "thread", "get", None, [403, 200, 403, 403, 403, 200]),
    ("moderation:move-thread", "thread", "post", {"to": "b"}, [403, 302, 403, 403, 403, 302]),
    ("moderation:escalate-thread", "thread", "get", None, [403, 200, 403, 403, 403, 200]),
    ("moderation:escalate-thread", "thread", "post", ESCALATED, [403, 302, 403, 403, 403, 302]),
    ("moderation:consultation", "thread", "get", None, [404, 200, 404, 200, 404, 200]),
    ("moderation:open-consultation", "thread", "post", {}, [404, 302, 404, 403, 404, 302]),
    # Issue 13: whoever reads the register and may see the thread opens its escalation;
    # anyone else gets 404, never a 403 that confirms the id.
    ("moderation:escalation-detail", "escalation", "get", None, [404, 200, 200, 404, 200, 200]),
    ("moderation:escalation-status", "escalation", "post", STARTED, [403, 403, 403, 403, 302, 302]),
    ("moderation:escalation-answer", "escalation", "post", ANSWER, [403, 403, 403, 403, 302, 302]),
    ("moderation:dismiss-report", "report", "post", {}, [403, 302, 403, 403, 403, 302]),
]


@pytest.fixture
def world(
    employee,
    moderator_a,
    moderator_b,
    expert,
    department_contact,
    admin_user,
    thread_a,
    author,
    topic_b,
    department,
):
    post = make_post(thread_a, author, "Et svar.")
    escalation = services.escalate_thread(
        thread_a,
        by=moderator_a,
        department=department,
        category=Escalation.Category.ROUTINE,
        summary="Prinsipielt",
    )
    report = services.report_post(post, reporter=employee, reason="Feil")
    return {
        "users": dict(
            zip(
                ROLES,
                [employee, moderator_a, moderator_b, expert, department_contact, admin_user],
                strict=True,
            )
        ),
        "post": post,
        "thread": thread_a,
        "escalation": escalation,
        "report": report,
        "topic_b": topic_b,
        "department": department,
    }


@pytest.mark.parametrize(
    ("name", "target", "method", "data", "expected"),
    MATRIX,
    ids=[f"{m[0].split(':')[1]}-{m[2]}" for m in MATRIX],
)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(world, role, name, target, method, data, expected):
    client = Client()
    client.force_login(world["users"][role])
    url = reverse(name, kwargs={"pk": world[target].pk}) if target else reverse(name)
    if data is not None and data.get("to") == "b":
        data = {"to_topic": world["topic_b"].pk}
    if name == "moderation:escalate-thread" and data:
        data = {**data, "department": world["department"].pk}
    if name == "moderation:unhide-post":
        services.hide_post(world["post"], by=world["users"]["admin"], reason="Skjult")
    response = getattr(client, method)(url, data or {})
    assert response.status_code == expected[ROLES.index(role)], response.content[:300]


def test_a_post_in_an_unpublished_topic_is_404_for_an_outsider(
    make_topic, make_thread, moderator_a, back_office_a, moderator_b, author
):
    draft = make_topic(moderator=moderator_a, back_office=back_office_a, publish=False)
    thread = make_thread(draft, author)
    client = Client()
    client.force_login(moderator_b)
    assert client.get(reverse("moderation:thread-tools", args=[thread.pk])).status_code == 404
    assert client.get(reverse("moderation:consultation", args=[thread.pk])).status_code == 404
    client.force_login(moderator_a)
    assert client.get(reverse("moderation:thread-tools", args=[thread.pk])).status_code == 200


def test_unknown_ids_are_404(admin_user):
    client = Client()
    client.force_login(admin_user)
    for name in ("moderation:hide-post", "moderation:thread-tools", "moderation:escalation-detail"):
        assert client.get(reverse(name, args=[987654321])).status_code == 404
    assert client.get("/moderering/innlegg/99999999999999999999999/skjul/").status_code == 404


def test_get_is_refused_where_only_post_makes_sense(admin_user, thread_a):
    client = Client()
    client.force_login(admin_user)
    assert client.get(reverse("moderation:lock-thread", args=[thread_a.pk])).status_code == 405
