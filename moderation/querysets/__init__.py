"""Every read the moderation pages need, each a fixed number of queries.

Which topics a user moderates comes from guardian (``forum.permissions.granted_topics``); the lists
here are scoped by it. Internal notes appear in none of these reads except
`consultation_notes`, which the view calls after `check_can_view_consultation`.

By concern: queue (scoping and the moderation queue), navigation (the header's counts),
thread (the thread page's panel and the SQL moderation adds to the forum's reads) and
lists (the other pages' lists).
"""

from moderation.querysets.lists import (
    AUDIT_PAGE_SIZE,
    audit_entries,
    audit_log_page,
    clarified_answer_of,
    consultation_notes,
    consultation_of,
    departments,
    escalation_for_detail,
    escalation_inbox,
    escalation_register,
    move_targets,
    post_for_action,
    report_for_action,
    thread_for_action,
    topics_with_escalations,
)
from moderation.querysets.navigation import (
    NAVIGATION_SQL,
    VIEWER_JOIN,
    VIEWER_SELECT,
    forget_navigation_counts,
    keep_navigation_counts,
    navigation_counts,
    navigation_params,
)
from moderation.querysets.queue import (
    NEW_THREAD_DAYS,
    OPEN_STATUSES,
    QUEUE_LIST_LIMIT,
    Queue,
    escalation_overdue_before,
    moderated_topics,
    moderation_queue,
    review_overdue,
    with_overdue,
)
from moderation.querysets.thread import (
    CLARIFIED_COLUMNS,
    CLARIFIED_THREADS_SQL,
    POST_CLARIFICATION_JOIN,
    POST_CLARIFICATION_SELECT,
    POST_CLARIFICATION_WIDTH,
    RECENT_CLARIFIED_POSTS_SQL,
    THREAD_HAS_CLARIFIED_SQL,
    THREAD_PROBES_SELECT,
    ThreadModeration,
    keep_post_clarification,
    keep_thread_probes,
    thread_moderation_summary,
)

__all__ = [
    "AUDIT_PAGE_SIZE",
    "CLARIFIED_COLUMNS",
    "CLARIFIED_THREADS_SQL",
    "NAVIGATION_SQL",
    "NEW_THREAD_DAYS",
    "OPEN_STATUSES",
    "POST_CLARIFICATION_JOIN",
    "POST_CLARIFICATION_SELECT",
    "POST_CLARIFICATION_WIDTH",
    "QUEUE_LIST_LIMIT",
    "RECENT_CLARIFIED_POSTS_SQL",
    "THREAD_HAS_CLARIFIED_SQL",
    "THREAD_PROBES_SELECT",
    "VIEWER_JOIN",
    "VIEWER_SELECT",
    "Queue",
    "ThreadModeration",
    "audit_entries",
    "audit_log_page",
    "clarified_answer_of",
    "consultation_notes",
    "consultation_of",
    "departments",
    "escalation_for_detail",
    "escalation_inbox",
    "escalation_overdue_before",
    "escalation_register",
    "forget_navigation_counts",
    "keep_navigation_counts",
    "keep_post_clarification",
    "keep_thread_probes",
    "moderated_topics",
    "moderation_queue",
    "move_targets",
    "navigation_counts",
    "navigation_params",
    "post_for_action",
    "report_for_action",
    "review_overdue",
    "thread_for_action",
    "thread_moderation_summary",
    "topics_with_escalations",
    "with_overdue",
]
