"""Per-topic roles: who staffs a topic, and what that lets them do.

The only module (with accounts.permissions) that reads roles. Staffing lives on the topic
row (moderator, deputy_moderator, back_office); back-office membership in
BackOfficeMembership.
"""

from django.contrib.auth.models import AnonymousUser

from accounts.models import Employee
from accounts.permissions import is_admin
from forum.models import Topic

User = Employee | AnonymousUser


def is_topic_moderator(user: User, topic: Topic) -> bool:
    """The topic's moderator or its deputy."""
    if not user.is_authenticated:
        return False
    return user.pk in (topic.moderator_id, topic.deputy_moderator_id)


def is_back_office_member(user: User, topic: Topic) -> bool:
    if not user.is_authenticated or topic.back_office_id is None:
        return False
    return topic.back_office.memberships.filter(employee_id=user.pk).exists()


def can_moderate(user: User, topic: Topic) -> bool:
    """Hide, restore, lock, pin, move and edit in this topic: its moderator, deputy, admins."""
    return is_admin(user) or is_topic_moderator(user, topic)


def is_topic_staff(user: User, topic: Topic) -> bool:
    """Moderator, deputy, back-office member or admin: sees internal consultations."""
    return can_moderate(user, topic) or is_back_office_member(user, topic)
