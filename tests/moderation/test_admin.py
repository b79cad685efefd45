"""The admin obeys the publishing gate and staffs topics through the services."""

from django.urls import reverse

from forum.models import Topic
from moderation import permissions, services
from moderation.models import AuditEntry, BackOfficeMembership
from tests.conftest import english_client
from tests.moderation.conftest import admin_client, change_topic_in_admin


def test_the_topic_list_shows_staffing_and_state(topic_a, make_topic, admin_user):
    make_topic("Uten bemanning", staffed=False, published=False)
    response = admin_client(admin_user).get(reverse("admin:forum_topic_changelist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Uten bemanning" in html and "Mona Moderator" in html and "Baksystem A" in html


def test_the_publish_action_refuses_an_unstaffed_topic_with_a_clear_message(make_topic, admin_user):
    draft = make_topic("Uten bemanning", staffed=False, published=False)
    response = admin_client(admin_user).post(
        reverse("admin:forum_topic_changelist"),
        {"action": "publish_topics", "_selected_action": [draft.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "cannot be published" in html and "no moderator" in html and "no back-office" in html
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_admin_staffs_and_publishes_a_topic(
    make_topic, moderator_a, back_office_a, admin_user, expert
):
    draft = make_topic("Nytt tema", staffed=False, published=False)
    client = admin_client(admin_user)
    response = change_topic_in_admin(
        client, draft, moderator=moderator_a, back_office=back_office_a
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.moderator == moderator_a
    assert AuditEntry.objects.filter(action="staff_topic", topic=draft).exists()
    assert permissions.can_moderate(moderator_a, draft)
    assert permissions.is_back_office_member(expert, draft)
    client.post(
        reverse("admin:forum_topic_changelist"),
        {"action": "publish_topics", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.is_published


def test_the_admin_cannot_strip_a_published_topics_moderator(topic_a, admin_user):
    response = change_topic_in_admin(
        admin_client(admin_user), topic_a, moderator=None, back_office=topic_a.back_office
    )
    assert response.status_code == 200
    assert "Unpublish it first" in response.content.decode()
    topic_a.refresh_from_db()
    assert topic_a.moderator_id is not None


def test_the_admin_cannot_empty_the_back_office_of_a_published_topic(
    topic_a, back_office_a, moderator_a, admin_user
):
    response = admin_client(admin_user).post(
        reverse("admin:moderation_backoffice_change", args=[back_office_a.pk]),
        {"name": back_office_a.name, "description": "", "experts": [moderator_a.pk]},
    )
    assert response.status_code == 200
    assert "Name a replacement" in response.content.decode()
    assert BackOfficeMembership.objects.filter(back_office=back_office_a).count() == 1


def test_the_admin_replaces_an_expert_in_one_step(
    topic_a, back_office_a, expert, make_employee, admin_user
):
    newcomer = make_employee("Ny Ekspert")
    response = admin_client(admin_user).post(
        reverse("admin:moderation_backoffice_change", args=[back_office_a.pk]),
        {"name": back_office_a.name, "description": "", "experts": [newcomer.pk]},
    )
    assert response.status_code == 302
    assert permissions.is_back_office_member(newcomer, topic_a)
    assert not permissions.is_back_office_member(expert, topic_a)


def test_the_unpublish_action(topic_a, admin_user):
    admin_client(admin_user).post(
        reverse("admin:forum_topic_changelist"),
        {"action": "unpublish_topics", "_selected_action": [topic_a.pk]},
    )
    assert not Topic.objects.get(pk=topic_a.pk).is_published


# Issue 14: the admin, where topics are made ---------------------------------------------------


def test_the_employee_autocomplete_answers_json_with_active_employees_only(
    topic_a, moderator_a, make_employee, admin_user
):
    make_employee("Mona Sluttet", is_active=False)
    response = admin_client(admin_user).get(
        reverse("admin:autocomplete"),
        {"app_label": "forum", "model_name": "topic", "field_name": "moderator", "term": "Mona"},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert [r["text"] for r in results] == [str(moderator_a)]
    assert results[0]["id"] == str(moderator_a.pk)


def test_every_employee_field_of_the_topic_and_back_office_pages_searches_as_you_type(
    topic_a, back_office_a, admin_user
):
    client = admin_client(admin_user)
    topic_page = client.get(reverse("admin:forum_topic_change", args=[topic_a.pk])).content
    for field in ("moderator", "deputy_moderator", "back_office"):
        assert f'data-field-name="{field}"'.encode() in topic_page
        assert b'class="admin-autocomplete' in topic_page
    assert b'id="id_moderator_lookup"' not in topic_page  # no raw id popup
    office_page = client.get(
        reverse("admin:moderation_backoffice_change", args=[back_office_a.pk])
    ).content
    assert b'data-field-name="members"' in office_page
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "moderation", "model_name": "backoffice", "field_name": "members"},
    )
    assert response.status_code == 200 and response.json()["results"]


def test_a_draft_is_saved_with_a_back_office_holding_only_its_moderator(
    make_topic, make_back_office, moderator_a, admin_user
):
    lonely = make_back_office(moderator_a)
    draft = make_topic("Kladd", staffed=False, published=False)
    response = change_topic_in_admin(
        admin_client(admin_user), draft, moderator=moderator_a, back_office=lonely
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.moderator == moderator_a and draft.back_office == lonely
    assert not draft.is_published


def test_a_published_topic_still_refuses_a_back_office_with_only_its_moderator(
    topic_a, make_back_office, moderator_a, admin_user
):
    lonely = make_back_office(moderator_a)
    response = change_topic_in_admin(
        admin_client(admin_user), topic_a, moderator=moderator_a, back_office=lonely
    )
    assert response.status_code == 200
    assert "no member other than the moderator" in response.content.decode()
    topic_a.refresh_from_db()
    assert topic_a.back_office != lonely


def test_the_change_page_names_what_keeps_a_draft_from_being_published(make_topic, admin_user):
    draft = make_topic("Kladd", staffed=False, published=False)
    response = admin_client(admin_user).get(reverse("admin:forum_topic_change", args=[draft.pk]))
    html = response.content.decode()
    assert "It has no moderator" in html and "It has no back-office" in html
    assert reverse("admin:forum_topic_publish", args=[draft.pk]) in html


def test_the_publish_button_refuses_naming_the_missing_staffing(
    make_topic, make_back_office, moderator_a, admin_user
):
    draft = make_topic("Kladd", staffed=False, published=False)
    draft = services.staff_topic(
        draft, by=admin_user, moderator=moderator_a, back_office=make_back_office(moderator_a)
    )
    response = admin_client(admin_user).post(
        reverse("admin:forum_topic_publish", args=[draft.pk]), follow=True
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("admin:forum_topic_change", args=[draft.pk])
    assert "cannot be published" in html and "no member other than the moderator" in html
    draft.refresh_from_db()
    assert not draft.is_published


def test_the_publish_and_unpublish_buttons_go_through_the_gate(
    make_topic, moderator_a, back_office_a, admin_user
):
    draft = make_topic("Kladd", moderator=moderator_a, back_office=back_office_a, published=False)
    client = admin_client(admin_user)
    assert client.get(reverse("admin:forum_topic_publish", args=[draft.pk])).status_code == 405
    response = client.post(reverse("admin:forum_topic_publish", args=[draft.pk]), follow=True)
    assert "is published" in response.content.decode()
    draft.refresh_from_db()
    assert draft.is_published
    assert AuditEntry.objects.filter(action="publish_topic", topic=draft).exists()
    client.post(reverse("admin:forum_topic_unpublish", args=[draft.pk]))
    draft.refresh_from_db()
    assert not draft.is_published
    assert AuditEntry.objects.filter(action="unpublish_topic", topic=draft).exists()


def test_only_admins_reach_the_publish_button(make_topic, moderator_a, back_office_a, employee):
    draft = make_topic("Kladd", moderator=moderator_a, back_office=back_office_a, published=False)
    client = english_client()
    client.force_login(employee)
    response = client.post(reverse("admin:forum_topic_publish", args=[draft.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    draft.refresh_from_db()
    assert not draft.is_published


def test_a_parent_topic_counts_its_subtopics_threads_in_the_list(make_topic, admin_user):
    parent = make_topic("Foreldretema")
    child = make_topic("Undertema", parent=parent)
    Topic.objects.filter(pk=child.pk).update(thread_count=2)  # as the write services keep it
    response = admin_client(admin_user).get(reverse("admin:forum_topic_changelist"))
    rows = {t.name: t.threads_in_tree for t in response.context["cl"].result_list}
    assert rows["Foreldretema"] == 2 and rows["Undertema"] == 2


def test_the_topic_list_and_change_page_have_pinned_query_counts(
    topic_a, make_topic, admin_user, django_assert_max_num_queries
):
    make_topic("Kladd", staffed=False, published=False)
    client = admin_client(admin_user)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("admin:forum_topic_changelist")).status_code == 200
    with django_assert_max_num_queries(14):
        response = client.get(reverse("admin:forum_topic_change", args=[topic_a.pk]))
    assert response.status_code == 200
    assert b'name="position"' not in response.content  # one way of ordering: drag and drop


def test_the_employee_page_shows_the_topics_they_moderate_and_back(
    topic_a, moderator_a, expert, back_office_a, admin_user
):
    client = admin_client(admin_user)
    html = client.get(reverse("admin:accounts_employee_change", args=[moderator_a.pk])).content
    assert topic_a.name.encode() in html
    assert reverse("admin:forum_topic_change", args=[topic_a.pk]).encode() in html
    html = client.get(reverse("admin:accounts_employee_change", args=[expert.pk])).content
    assert back_office_a.name.encode() in html and topic_a.name.encode() in html
    assert client.get(reverse("admin:accounts_employee_add")).status_code == 200


def test_deleting_an_employee_explains_what_blocks_it_and_offers_deactivation(
    topic_a, moderator_a, admin_user
):
    client = admin_client(admin_user)
    response = client.get(reverse("admin:accounts_employee_delete", args=[moderator_a.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "cannot be deleted" in html and "Topics (moderator): 1" in html
    deactivate = reverse("admin:accounts_employee_deactivate", args=[moderator_a.pk])
    assert deactivate in html
    response = client.post(deactivate, follow=True)
    assert "is deactivated" in response.content.decode()
    moderator_a.refresh_from_db()
    assert not moderator_a.is_active
    assert Topic.objects.filter(moderator=moderator_a).exists()  # nothing is lost


def test_an_employee_without_records_can_still_be_deleted(make_employee, admin_user):
    newcomer = make_employee("Ny Ansatt")
    client = admin_client(admin_user)
    url = reverse("admin:accounts_employee_delete", args=[newcomer.pk])
    assert "Yes, I’m sure" in client.get(url).content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not type(newcomer).objects.filter(pk=newcomer.pk).exists()
