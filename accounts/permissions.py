"""Organisation-wide roles. Per-topic roles live in moderation.permissions."""

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Employee

LEADERS_GROUP = "leder"
DEPARTMENT_CONTACTS_GROUP = "fagavdelingskontakt"

User = Employee | AnonymousUser


def deny_unless(allowed: bool, reason: str) -> None:
    """The body of a ``check_*`` rule: PermissionDenied (403, saying `reason`) unless
    `allowed`."""
    if not allowed:
        raise PermissionDenied(reason)


def hide_unless(allowed: bool, reason: str = "") -> None:
    """The body of a ``check_*`` rule where a refusal must not confirm that the object
    exists: Http404 unless `allowed`."""
    if not allowed:
        raise Http404(reason)


def is_admin(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def can_use_admin(user: User) -> bool:
    """Admins arrange topics and staffing in the Django admin."""
    return is_admin(user)


def is_department_contact(user: User) -> bool:
    """A contact of a directorate department: receives that department's escalations."""
    if not user.is_authenticated or user.unit_id is None:
        return False
    return user.groups.filter(name=DEPARTMENT_CONTACTS_GROUP).exists()
