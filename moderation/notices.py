"""The kinds of notification moderation sends (registered with forum.notifications.kinds
by moderation.extensions.register). What each says is made when it is read, in the
reader's language, from the ids and parameters the action stored."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.notifications import kinds
from forum.notifications.kinds import ADDRESSED, STAFF, Kind

POST_HIDDEN = "post_hidden"
POST_RESTORED = "post_restored"
POST_EDITED = "post_edited"
THREAD_MOVED = "thread_moved"
ESCALATION_NEW = "escalation_new"
ESCALATION_STATUS = "escalation_status"
ESCALATION_ANSWERED = "escalation_answered"
REPORT_NEW = "report_new"
CONSULTATION_OPENED = "consultation_opened"
CONSULTATION_NOTE = "consultation_note"


def _reason(n) -> str:
    reason = n.params.get("reason") or ""
    return (" " + _("Reason: %(reason)s") % {"reason": reason}) if reason else ""


def _escalation_url(n) -> str:
    return reverse("moderation:escalation-detail", kwargs={"pk": n.params["escalation"]})


def _status_label(code: str) -> str:
    from moderation.models import Escalation  # the models load after the registry

    return str(dict(Escalation.Status.choices).get(code, code))


def register() -> None:
    own = {"own_post": True}
    kinds.register(Kind(
        POST_HIDDEN, ADDRESSED,
        lambda n, count, title: _("A moderator hid your post in “%(thread)s”.")
        % {"thread": title} + _reason(n), **own,
    ))  # fmt: skip
    kinds.register(Kind(
        POST_RESTORED, ADDRESSED,
        lambda n, count, title: _("A moderator restored your post in “%(thread)s”.")
        % {"thread": title}, **own,
    ))  # fmt: skip
    kinds.register(Kind(
        POST_EDITED, ADDRESSED,
        lambda n, count, title: _(
            "A moderator edited your post in “%(thread)s”. The earlier version is kept."
        ) % {"thread": title} + _reason(n), **own,
    ))  # fmt: skip
    kinds.register(Kind(
        THREAD_MOVED, ADDRESSED,
        lambda n, count, title: _(
            "A moderator moved your thread “%(thread)s” from %(source)s to %(target)s."
        ) % {"thread": title, "source": n.params.get("source", ""),
             "target": n.params.get("target", "")},
    ))  # fmt: skip
    kinds.register(Kind(
        ESCALATION_NEW, STAFF,
        lambda n, count, title: _("New escalation to %(department)s: “%(thread)s”")
        % {"department": n.params.get("department", ""), "thread": title},
        url=_escalation_url,
    ))  # fmt: skip
    kinds.register(Kind(
        ESCALATION_STATUS, ADDRESSED,
        lambda n, count, title: _("The escalation of “%(thread)s” is now %(status)s.")
        % {"thread": title, "status": _status_label(n.params.get("status", ""))},
        url=_escalation_url,
    ))  # fmt: skip
    kinds.register(Kind(
        ESCALATION_ANSWERED, ADDRESSED,
        lambda n, count, title: _("%(department)s answered the escalation of “%(thread)s”.")
        % {"department": n.params.get("department", ""), "thread": title},
    ))  # fmt: skip
    kinds.register(Kind(
        REPORT_NEW, STAFF,
        lambda n, count, title: ngettext(
            "A post in “%(thread)s” was reported", "%(count)d reports in “%(thread)s”", count
        ) % {"count": count, "thread": title},
        url=lambda n: reverse("moderation:queue"), own_post=True, staff_only=True,
    ))  # fmt: skip
    kinds.register(Kind(
        CONSULTATION_OPENED, STAFF,
        lambda n, count, title: _("The moderator opened a consultation on “%(thread)s”")
        % {"thread": title}, staff_only=True,
    ))  # fmt: skip
    kinds.register(Kind(
        CONSULTATION_NOTE, STAFF,
        lambda n, count, title: ngettext(
            "A new note in the consultation on “%(thread)s”",
            "%(count)d new notes in the consultation on “%(thread)s”", count,
        ) % {"count": count, "thread": title}, staff_only=True,
    ))  # fmt: skip
