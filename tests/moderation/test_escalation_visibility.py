"""The escalation register and its cases follow the one visibility rule (issue 13,
finding 3): every moderator and department contact saw every escalation in the register,
thread titles and topic names of unpublished topics included, and an outsider opening one
got 403, which confirmed that the id exists."""

import pytest
from django.urls import reverse

from moderation import services
from moderation.models import Escalation
from tests.conftest import client_for


@pytest.fixture
def hidden_case(make_topic, make_thread, author, moderator_a, back_office_a, department):
    """An escalation from a published topic under a draft parent: its thread is 404 for
    everyone but the topic's staff and admins."""
    draft = make_topic("Utkast-gruppe", published=False, moderator=moderator_a,
                       back_office=back_office_a)  # fmt: skip
    child = make_topic("Omstilling", parent=draft, moderator=moderator_a, back_office=back_office_a)
    thread = make_thread(child, author, title="Hemmelig nedbemanning i Vestland")
    return services.escalate_thread(
        thread, by=moderator_a, department=department,
        category=Escalation.Category.choices[0][0], summary="Prinsipielt.",
    )  # fmt: skip


@pytest.fixture
def open_case(thread_a, moderator_a, other_department):
    return services.escalate_thread(
        thread_a, by=moderator_a, department=other_department,
        category=Escalation.Category.choices[0][0], summary="Åpent spørsmål.",
    )  # fmt: skip


def _register(user) -> str:
    response = client_for(user).get(reverse("moderation:escalation-register"))
    assert response.status_code == 200
    return response.content.decode()


def test_other_moderators_and_departments_never_see_an_escalation_of_a_hidden_thread(
    hidden_case, open_case, moderator_b, make_employee, other_department, topic_b
):
    from django.contrib.auth.models import Group

    from accounts.permissions import DEPARTMENT_CONTACTS_GROUP

    other_contact = make_employee("Kontakt Annen", unit_obj=other_department)
    other_contact.groups.add(Group.objects.get_or_create(name=DEPARTMENT_CONTACTS_GROUP)[0])
    for outsider in (moderator_b, other_contact):
        page = _register(outsider)
        assert "Hemmelig nedbemanning" not in page and "Omstilling" not in page
        assert open_case.thread.title in page
        detail = reverse("moderation:escalation-detail", args=[hidden_case.pk])
        assert client_for(outsider).get(detail).status_code == 404


def test_the_department_it_was_sent_to_sees_its_own_case(hidden_case, department_contact):
    assert "Hemmelig nedbemanning" in _register(department_contact)
    detail = reverse("moderation:escalation-detail", args=[hidden_case.pk])
    assert client_for(department_contact).get(detail).status_code == 200


def test_the_topics_staff_and_admins_see_it(hidden_case, moderator_a, admin_user):
    for user in (moderator_a, admin_user):
        assert "Hemmelig nedbemanning" in _register(user)


@pytest.mark.parametrize("pk", ["own", 999_999])
def test_an_employee_outside_gets_404_for_any_escalation_id(hidden_case, employee, pk):
    pk = hidden_case.pk if pk == "own" else pk
    response = client_for(employee).get(reverse("moderation:escalation-detail", args=[pk]))
    assert response.status_code == 404
