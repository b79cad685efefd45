"""What moderation adds to the forum's pages and actions, through forum.extensions
(registered by ModerationConfig.ready). The SQL is moderation.querysets'."""

from django.utils.translation import gettext as _

from accounts.permissions import is_admin
from erfaringsforum.urlcache import fixed_url
from forum import extensions
from moderation import notices, querysets, services
from moderation.models import AuditEntry


def _forget_navigation_counts(user) -> None:
    user._navigation_counts = None


def navigation_links(user) -> list[dict]:
    """The header's moderation links (one query, none when the page read the counts with
    the viewer's grants)."""
    counts = querysets.navigation_counts(user)
    links = []
    if counts["moderates"] or is_admin(user):
        links.append(
            {"url": fixed_url("moderation:queue"), "label": _("Moderation"),
             "count": counts["reports"]}
        )  # fmt: skip
    if counts["contact"]:
        links.append(
            {"url": fixed_url("moderation:escalation-inbox"), "label": _("Escalations"),
             "count": counts["inbox"]}
        )  # fmt: skip
    links.append(
        {"url": fixed_url("notifications:list"), "label": _("Notifications"),
         "count": counts["unread"], "key": "notifications"}
    )  # fmt: skip
    return links


def thread_panel_context(user, thread) -> dict | None:
    """The panel's context (components/_moderation_thread.html), or None when it would show
    nothing: no tools for this viewer, no clarified answer, no escalation."""
    mod = querysets.thread_moderation_summary(user, thread)
    shown = (
        mod.can_moderate or mod.can_escalate or mod.can_view_consultation
        or mod.clarified or mod.escalations
    )  # fmt: skip
    return {"mod": mod, "thread": thread} if shown else None


def record_audit(**entry) -> AuditEntry:
    """Moderation's one audit writer (moderation.services.record_audit; its private name
    until that lands), behind the one name the forum's hooks call."""
    writer = getattr(services, "record_audit", None) or services._audit
    return writer(**entry)


def post_restored(post, *, by, reason: str) -> None:
    """forum.services.restore_post, in its transaction: the audit entry."""
    thread = post.thread
    record_audit(
        actor=by, action=AuditEntry.Action.RESTORE_POST, topic=thread.topic, thread=thread,
        post=post, target=f'#{post.position} "{thread.title}"', reason=reason,
        details={"undid": "author_delete"},
    )  # fmt: skip


def moderator_edit(post, *, by, body: str, title: str | None, reason: str):
    """A moderator edits someone else's post: moderation's service edits through the forum,
    resolves the post's reports, audits the edit and tells the author."""
    return services.edit_post_as_moderator(post, by=by, body=body, title=title, reason=reason)


def register() -> None:
    notices.register()
    extensions.add_columns(
        extensions.VIEWER,
        extensions.Columns(
            select=querysets.VIEWER_SELECT, width=len(querysets.VIEWER_SELECT.split(",")),
            join=querysets.VIEWER_JOIN, params=querysets.navigation_params,
            keep=querysets.keep_navigation_counts, forget=_forget_navigation_counts,
        ),
    )  # fmt: skip
    extensions.add_columns(
        extensions.THREAD,
        extensions.Columns(
            select=querysets.THREAD_PROBES_SELECT, width=2, keep=querysets.keep_thread_probes
        ),
    )
    extensions.add_columns(
        extensions.POST,
        extensions.Columns(
            select=querysets.POST_CLARIFICATION_SELECT,
            width=querysets.POST_CLARIFICATION_WIDTH,
            join=querysets.POST_CLARIFICATION_JOIN,
            keep=querysets.keep_post_clarification,
        ),
    )
    extensions.add_sql("thread_has_clarified", querysets.THREAD_HAS_CLARIFIED_SQL)
    extensions.add_sql("recent_clarified_posts", querysets.RECENT_CLARIFIED_POSTS_SQL)
    extensions.add_sql("clarified_threads", querysets.CLARIFIED_THREADS_SQL)
    extensions.add_navigation(navigation_links)
    extensions.add_thread_panel(
        extensions.ThreadPanel("components/_moderation_thread.html", thread_panel_context)
    )
    extensions.add_hook(extensions.POST_RESTORED, post_restored)
    extensions.add_hook(extensions.MODERATOR_EDIT, moderator_edit)
