from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from accounts import permissions as account_permissions
from forum import extensions


def navigation(request: HttpRequest) -> dict:
    """Booleans and links for the header; templates never test roles themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "admin": account_permissions.can_use_admin(user),
            "links": SimpleLazyObject(lambda: extensions.navigation_links(user)),
        }
    }
