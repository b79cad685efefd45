"""The admin obeys the publishing gate and staffs topics through the services."""

from django.urls import reverse

from forum.models import Topic
from moderation import permissions
from moderation.models import AuditEntry, BackOfficeMembership
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
