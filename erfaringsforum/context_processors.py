from django.http import HttpRequest

from accounts import permissions as account_permissions


def navigation(request: HttpRequest) -> dict:
    """Booleans for the header's links; templates never test roles themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {"nav": {"admin": account_permissions.can_use_admin(user)}}
