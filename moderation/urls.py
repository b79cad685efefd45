from django.urls import path, register_converter

from erfaringsforum.converters import IdConverter
from moderation.views import escalations as esc
from moderation.views import overview, posts, threads

register_converter(IdConverter, "modid")

app_name = "moderation"
urlpatterns = [
    path("", overview.queue, name="queue"),
    path("logg/", overview.audit_log, name="audit-log"),
    path("avklart/", overview.clarified_week, name="clarified-week"),
    path("varsler/", overview.notifications, name="notifications"),
    path("innlegg/<modid:pk>/rapporter/", posts.report_post, name="report-post"),
    path("rapport/<modid:pk>/avvis/", posts.dismiss_report, name="dismiss-report"),
    path("innlegg/<modid:pk>/skjul/", posts.hide_post, name="hide-post"),
    path("innlegg/<modid:pk>/vis/", posts.unhide_post, name="unhide-post"),
    path("innlegg/<modid:pk>/rediger/", posts.edit_post, name="edit-post"),
    path("innlegg/<modid:pk>/avklar/", posts.clarify_post, name="clarify-post"),
    path("innlegg/<modid:pk>/fjern-avklaring/", posts.unclarify_post, name="unclarify-post"),
    path("trad/<modid:pk>/", threads.thread_tools, name="thread-tools"),
    path("trad/<modid:pk>/las/", threads.lock_thread, name="lock-thread"),
    path("trad/<modid:pk>/apne/", threads.unlock_thread, name="unlock-thread"),
    path("trad/<modid:pk>/fest/", threads.pin_thread, name="pin-thread"),
    path("trad/<modid:pk>/losne/", threads.unpin_thread, name="unpin-thread"),
    path("trad/<modid:pk>/flytt/", threads.move_thread, name="move-thread"),
    path("trad/<modid:pk>/eskaler/", esc.escalate_thread, name="escalate-thread"),
    path("trad/<modid:pk>/konsultasjon/", threads.consultation, name="consultation"),
    path("trad/<modid:pk>/konsultasjon/apne/", threads.open_consultation, name="open-consultation"),
    path("eskaleringer/", esc.escalation_register, name="escalation-register"),
    path("eskaleringer/innboks/", esc.escalation_inbox, name="escalation-inbox"),
    path("eskaleringer/<modid:pk>/", esc.escalation_detail, name="escalation-detail"),
    path("eskaleringer/<modid:pk>/status/", esc.escalation_status, name="escalation-status"),
    path("eskaleringer/<modid:pk>/svar/", esc.escalation_answer, name="escalation-answer"),
]
