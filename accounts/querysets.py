from django.db.models import QuerySet

from accounts.models import Employee


def employees_for_display() -> QuerySet[Employee]:
    """Employees with the unit and county every name on a page is shown with."""
    return Employee.objects.select_related("unit__county")
