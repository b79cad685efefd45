"""Every moderation page has a way back (breadcrumbs for the viewer's own path), and the
escalation register lists only rows its viewer can open, linked for department contacts
(issue 14)."""

import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from moderation import services
from moderation.models import Escalation
from tests.conftest import client_for
from tests.moderation.test_views import BASE

DETAIL_LINK = re.compile(r'href="(/moderering/eskaleringer/\d+/)"')


def _crumbs(html: str) -> list[str]:
    nav = html[
        html.index('class="ds-breadcrumbs"') : html.index("</nav>", html.index("ds-breadcrumbs"))
    ]
    return re.findall(r'href="([^"]+)"', nav)


@pytest.fixture
def cases(thread_a, make_topic, make_thread, author, moderator_a, moderator_b, back_office_b,
          department, other_department):  # fmt: skip
    """Escalations to two departments: one from topic A, one from a draft topic of
    moderator B's (which only B, admins and the department it went to may open)."""
    draft = make_topic("Utkast", published=False, moderator=moderator_b, back_office=back_office_b)
    hidden = make_thread(draft, author, title="Et utkast")
    category = Escalation.Category.choices[0][0]
    return [
        services.escalate_thread(thread_a, by=moderator_a, department=department,
                                 category=category, summary="Åpen"),
        services.escalate_thread(hidden, by=moderator_b, department=other_department,
                                 category=category, summary="Skjult"),
    ]  # fmt: skip


def test_the_register_lists_only_rows_its_viewer_can_open(
    cases, moderator_a, moderator_b, department_contact, admin_user
):
    seen = {}
    for viewer in (moderator_a, moderator_b, department_contact, admin_user):
        client = client_for(viewer)
        page = client.get(reverse("moderation:escalation-register")).content.decode()
        links = DETAIL_LINK.findall(page)
        assert links, viewer
        for link in links:  # every row listed opens: no 403 or 404 behind a link
            assert client.get(link).status_code == 200, (viewer, link)
        seen[viewer.name] = len(links)
    # moderator A and the first department's contact do not see the draft topic's case
    assert seen == {
        moderator_a.name: 1, moderator_b.name: 2, department_contact.name: 1, admin_user.name: 2
    }  # fmt: skip


def test_a_department_contact_finds_the_register_from_the_inbox_and_back(
    cases, department_contact, django_assert_num_queries
):
    client = client_for(department_contact)
    register = reverse("moderation:escalation-register")
    inbox = reverse("moderation:escalation-inbox")
    with django_assert_num_queries(BASE + 2):  # the breadcrumbs and the link cost nothing
        html = client.get(inbox).content.decode()
    assert f'href="{register}"' in html
    assert _crumbs(html) == [reverse("forum:home"), inbox]
    html = client.get(register).content.decode()
    assert _crumbs(html) == [reverse("forum:home"), inbox, register]
    detail = reverse("moderation:escalation-detail", args=[cases[0].pk])
    assert _crumbs(client.get(detail).content.decode()) == [
        reverse("forum:home"), inbox, register, detail
    ]  # fmt: skip


def test_every_moderation_page_has_breadcrumbs_back_to_where_the_moderator_came_from(
    cases, thread_a, post_a, moderator_a
):
    client = client_for(moderator_a)
    home, queue = reverse("forum:home"), reverse("moderation:queue")
    register = reverse("moderation:escalation-register")
    topic, thread = thread_a.topic.get_absolute_url(), thread_a.get_absolute_url()
    expected = {
        queue: [home],
        reverse("moderation:audit-log"): [home, queue],
        register: [home, queue],
        reverse("moderation:escalation-detail", args=[cases[0].pk]): [home, queue, register],
        reverse("notifications:list"): [home],
        reverse("moderation:thread-tools", args=[thread_a.pk]): [home, topic, thread],
        reverse("moderation:consultation", args=[thread_a.pk]): [home, topic, thread],
        reverse("moderation:escalate-thread", args=[thread_a.pk]): [home, topic, thread],
        reverse("moderation:hide-post", args=[post_a.pk]): [home, topic, thread],
        reverse("moderation:clarify-post", args=[post_a.pk]): [home, topic, thread],
    }
    for url, before in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert _crumbs(response.content.decode()) == [*before, url], url


def test_the_consultation_button_names_an_action(thread_a, moderator_a, expert):
    with translation.override("nb"):  # the pages' language
        consult, read = (
            gettext("Consult the back-office"),
            gettext("Read the internal consultation"),
        )
    assert consult != "Consult the back-office"  # translated
    url = thread_a.get_absolute_url() + "?page=1"
    html = client_for(moderator_a).get(url).content.decode()
    assert consult in html and "Ingen konsultasjon ennå" not in html
    # a back-office member cannot open one: no button until the moderator has
    assert consult not in client_for(expert).get(url).content.decode()
    services.open_consultation(thread_a, by=moderator_a)
    assert read in client_for(expert).get(url).content.decode()
