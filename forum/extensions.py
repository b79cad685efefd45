"""The one place where an app above the forum adds to the forum's pages and actions.

The forum never imports the apps built on it (import-linter keeps it so). An app that has
something to show or to do in the forum registers it here from its AppConfig.ready(), the
way apps register with django.contrib.admin; moderation's contributions are in
moderation/extensions.py. Without any registration the forum works on its own.

What can be added:
- columns: SQL the forum's one-row and one-page reads carry for the contributor, so a page
  makes no extra round trip (VIEWER: the signed-in employee's row read with their topic
  grants; THREAD: the thread page's row, alias ``t``; POST: each row of a page of posts,
  alias ``p``). `keep(obj, values)` stores what was read on the viewer, thread or post.
- sql fragments: named SQL expressions the forum's raw reads embed (search's
  "thread_has_clarified"), formatted with the aliases the read uses.
- navigation: the header's links for a viewer (a list of {url, label, count}).
- thread panels: a template and its context shown at the top of a thread page (a context
  of None: nothing to show).
- hooks: actions in forum services that the contributor records in the same transaction
  (POST_RESTORED), and the moderator's edit of someone else's post (MODERATOR_EDIT).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

VIEWER, THREAD, POST = "viewer", "thread", "post"
POST_RESTORED = "post_restored"
MODERATOR_EDIT = "moderator_edit"


@dataclass(frozen=True)
class Columns:
    """`width` select expressions (`select`, comma-separated) added to a forum read, an
    optional FROM-clause addition (`join`, e.g. a CROSS JOIN LATERAL), the named
    parameters they use (`params(viewer)`, VIEWER only) and `keep(obj, values)`."""

    select: str
    width: int
    keep: Callable[[Any, tuple], None]
    join: str = ""
    params: Callable[[Any], dict] | None = None
    forget: Callable[[Any], None] | None = None


@dataclass(frozen=True)
class ThreadPanel:
    """A template shown at the top of a thread page, with `context(user, thread)`; a context
    of None means the panel has nothing to show this viewer on this thread, and the page
    renders no include for it."""

    template: str
    context: Callable[[Any, Any], dict]


_columns: dict[str, list[Columns]] = {VIEWER: [], THREAD: [], POST: []}
_sql: dict[str, str] = {}
_navigation: list[Callable[[Any], list[dict]]] = []
_panels: list[ThreadPanel] = []
_hooks: dict[str, list[Callable[..., Any]]] = {POST_RESTORED: [], MODERATOR_EDIT: []}


# Registering (AppConfig.ready; registering the same thing again changes nothing) --------


def _add(registry: list, item) -> None:
    if item not in registry:
        registry.append(item)


def add_columns(read: str, columns: Columns) -> None:
    _add(_columns[read], columns)


def add_sql(name: str, sql: str) -> None:
    _sql[name] = sql


def add_navigation(links: Callable[[Any], list[dict]]) -> None:
    _add(_navigation, links)


def add_thread_panel(panel: ThreadPanel) -> None:
    _add(_panels, panel)


def add_hook(name: str, hook: Callable[..., Any]) -> None:
    _add(_hooks[name], hook)


# Using (the forum) ------------------------------------------------------------------------


def columns(read: str) -> tuple[Columns, ...]:
    return tuple(_columns[read])


def sql(name: str, default: str, **aliases: str) -> str:
    """The registered SQL expression `name` with its aliases filled in, else `default`."""
    fragment = _sql.get(name)
    return default if fragment is None else fragment.format(**aliases)


def navigation_links(user) -> list[dict]:
    return [link for links in _navigation for link in links(user)]


def thread_panels(user, thread) -> list[dict]:
    """[{template, context}] for the thread page, in registration order, without the panels
    that have nothing to show (an include with nothing in it cost the largest thread's first
    page about 2 % of its Python: F36 in bench/results/history.md)."""
    panels = []
    for panel in _panels:
        context = panel.context(user, thread)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    return panels


def post_restored(post, *, by, reason: str) -> None:
    """Called by forum.services.restore_post inside its transaction."""
    for hook in _hooks[POST_RESTORED]:
        hook(post, by=by, reason=reason)


def moderator_edit(post, *, by, body: str, title: str | None, reason: str):
    """A moderator edits someone else's post through the registered handler (which edits
    through forum.services.edit_post and records the action); None when there is none,
    and the caller edits through the forum alone."""
    handlers = _hooks[MODERATOR_EDIT]
    if not handlers:
        return None
    return handlers[-1](post, by=by, body=body, title=title, reason=reason)
