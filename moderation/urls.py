from django.urls import path

from erfaringsforum import converters  # noqa: F401  (registers <id:...>)
from moderation.views import escalations as esc
from moderation.views import overview, posts, threads

app_name = "moderation"
urlpatterns = [
    path("", overview.queue, name="queue"),
    path("logg/", overview.audit_log, name="audit-log"),
    path("varsler/", overview.notifications, name="notifications"),
    path("innlegg/<id:pk>/rapporter/", posts.report_post, name="report-post"),
    path("rapport/<id:pk>/avvis/", posts.dismiss_report, name="dismiss-report"),
    path("innlegg/<id:pk>/skjul/", posts.hide_post, name="hide-post"),
    path("innlegg/<id:pk>/vis/", posts.unhide_post, name="unhide-post"),
    path("innlegg/<id:pk>/rediger/", posts.edit_post, name="edit-post"),
    path("innlegg/<id:pk>/avklar/", posts.clarify_post, name="clarify-post"),
    path("innlegg/<id:pk>/fjern-avklaring/", posts.unclarify_post, name="unclarify-post"),
    path("trad/<id:pk>/", threads.thread_tools, name="thread-tools"),
    path("trad/<id:pk>/las/", threads.lock_thread, name="lock-thread"),
    path("trad/<id:pk>/apne/", threads.unlock_thread, name="unlock-thread"),
    path("trad/<id:pk>/fest/", threads.pin_thread, name="pin-thread"),
    path("trad/<id:pk>/losne/", threads.unpin_thread, name="unpin-thread"),
    path("trad/<id:pk>/flytt/", threads.move_thread, name="move-thread"),
    path("trad/<id:pk>/eskaler/", esc.escalate_thread, name="escalate-thread"),
    path("trad/<id:pk>/konsultasjon/", threads.consultation, name="consultation"),
    path("trad/<id:pk>/konsultasjon/apne/", threads.open_consultation, name="open-consultation"),
    path("eskaleringer/", esc.escalation_register, name="escalation-register"),
    path("eskaleringer/innboks/", esc.escalation_inbox, name="escalation-inbox"),
    path("eskaleringer/<id:pk>/", esc.escalation_detail, name="escalation-detail"),
    path("eskaleringer/<id:pk>/status/", esc.escalation_status, name="escalation-status"),
    path("eskaleringer/<id:pk>/svar/", esc.escalation_answer, name="escalation-answer"),
]
