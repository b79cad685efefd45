"""The kinds of notification: what each says, where it links, and who may still see it.

A notification row stores its kind, the ids it is about (thread, post, actor) and a few
plain parameters; its text is made here, when it is shown or mailed, in the language of
whoever reads it. The forum's kinds are registered by NotificationsConfig.ready(); an app
above the forum registers its own from its ready() (moderation/extensions.py), the way apps
register with django.contrib.admin.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# The categories a person chooses an e-mail frequency for (Preference.mail_*).
ADDRESSED, WATCHED, STAFF = "addressed", "watched", "staff"
CATEGORIES = (ADDRESSED, WATCHED, STAFF)

# The forum's own kinds.
REPLY, NEW_POST, NEW_THREAD, SOLVED, MENTION, LEGACY = (
    "reply", "new_post", "new_thread", "solved", "mention", "message",
)  # fmt: skip


@dataclass(frozen=True)
class Kind:
    """`text(n, count, title)` is the sentence for `count` notifications of this kind in one
    thread (title: the thread's title as the reader is shown it); `url(n)` overrides the
    link (default: the first unread post, else the thread). `own_post`: the notice is about
    the recipient's own post, which may be hidden (the author is told that it was);
    otherwise a notification about a post that is hidden or deleted is not shown.
    `staff_only`: only the topic's staff may see it (consultations, reports)."""

    name: str
    category: str
    text: Callable[[Any, int, str], str]
    url: Callable[[Any], str] | None = None
    own_post: bool = False
    staff_only: bool = False


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    if kind.category not in CATEGORIES:
        raise ValueError(f"unknown category {kind.category!r}")
    _kinds[kind.name] = kind


def get(name: str) -> Kind:
    return _kinds[name]


def names() -> list[str]:
    return sorted(_kinds)


def in_category(category: str) -> list[str]:
    return sorted(name for name, kind in _kinds.items() if kind.category == category)


def own_post_kinds() -> list[str]:
    return sorted(name for name, kind in _kinds.items() if kind.own_post)


def staff_only_kinds() -> list[str]:
    return sorted(name for name, kind in _kinds.items() if kind.staff_only)


def _legacy_url(n) -> str:
    return n.params.get("url", "")


def register_forum_kinds() -> None:
    register(
        Kind(
            REPLY, ADDRESSED,
            lambda n, count, title: ngettext(
                "%(count)d new reply to your thread “%(thread)s”",
                "%(count)d new replies to your thread “%(thread)s”", count,
            ) % {"count": count, "thread": title},
        )
    )  # fmt: skip
    register(
        Kind(
            NEW_POST, WATCHED,
            lambda n, count, title: ngettext(
                "%(count)d new reply in “%(thread)s”", "%(count)d new replies in “%(thread)s”",
                count,
            ) % {"count": count, "thread": title},
        )
    )  # fmt: skip
    register(
        Kind(
            NEW_THREAD, WATCHED,
            lambda n, count, title: _("New thread in %(topic)s: “%(thread)s”")
            % {"topic": n.thread.topic.name, "thread": title},
        )
    )  # fmt: skip
    register(
        Kind(
            SOLVED, ADDRESSED,
            lambda n, count, title: _("Your question “%(thread)s” is marked as solved")
            % {"thread": title},
        )
    )  # fmt: skip
    register(
        Kind(
            MENTION, ADDRESSED,
            lambda n, count, title: ngettext(
                "You are mentioned in “%(thread)s”",
                "You are mentioned %(count)d times in “%(thread)s”", count,
            ) % {"count": count, "thread": title},
        )
    )  # fmt: skip
    # Rows written before issue 15, when a notification was a sentence in the actor's
    # language: shown as they were (migration 0002 copied them).
    register(
        Kind(
            LEGACY, ADDRESSED, lambda n, count, title: n.params.get("message", ""),
            url=_legacy_url, own_post=True,
        )
    )  # fmt: skip
