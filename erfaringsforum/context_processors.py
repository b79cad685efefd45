from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from accounts import permissions as account_permissions
from erfaringsforum.urlcache import fixed_url


def _moderation_links(user) -> list[dict]:
    # One query (moderation.querysets.navigation_counts), run only when a page shows the nav.
    from moderation.querysets import navigation_counts

    counts = navigation_counts(user)
    links = []
    if counts["moderates"] or account_permissions.is_admin(user):
        links.append(
            {
                "url": fixed_url("moderation:queue"),
                "label": _("Moderation"),
                "count": counts["reports"],
            }
        )
    if counts["contact"]:
        links.append(
            {
                "url": fixed_url("moderation:escalation-inbox"),
                "label": _("Escalations"),
                "count": counts["inbox"],
            }
        )
    links.append(
        {
            "url": fixed_url("moderation:notifications"),
            "label": _("Notifications"),
            "count": counts["unread"],
        }
    )
    return links


def navigation(request: HttpRequest) -> dict:
    """Booleans and links for the header; templates never test roles themselves."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": {}}
    return {
        "nav": {
            "admin": account_permissions.can_use_admin(user),
            "links": SimpleLazyObject(lambda: _moderation_links(user)),
        }
    }
