from django.conf import settings
from django.contrib.auth.backends import ModelBackend, RemoteUserBackend
from django.http import HttpRequest

from accounts import services
from accounts.models import Employee
from accounts.querysets import employee_for_request


class EmployeeLoadingMixin:
    """Load the signed-in employee with unit and county in one query: every page shows them."""

    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        employee = employee_for_request(pk)
        return employee if employee and self.user_can_authenticate(employee) else None


class EmployeeBackend(EmployeeLoadingMixin, ModelBackend):
    """Django's password login, loading the employee with unit and county."""


class HeaderBackend(EmployeeLoadingMixin, RemoteUserBackend):
    """Authenticates the employee named by the intranet proxy's header (AUTH_MODE=header).

    The middleware has already checked that the request came from a trusted proxy. The
    header carries the employee's e-mail address; unknown employees are created from the
    name/unit/title headers when AUTH_HEADER_CREATE_USERS is on, otherwise refused.
    """

    def authenticate(self, request: HttpRequest, remote_user: str | None = None):  # type: ignore[override]
        if not remote_user or settings.AUTH_MODE != "header":
            return None
        email = remote_user.strip().lower()
        employee = Employee.objects.filter(email=email).select_related("unit").first()
        if employee is None:
            if not settings.AUTH_HEADER_CREATE_USERS:
                return None
            employee = services.create_employee_from_proxy(
                email=email,
                name=request.headers.get(settings.AUTH_HEADER_NAME, ""),
                unit_number=request.headers.get(settings.AUTH_HEADER_UNIT, ""),
                title=request.headers.get(settings.AUTH_HEADER_TITLE, ""),
            )
            if employee is None:
                return None
        return employee if self.user_can_authenticate(employee) else None
