from django.urls import path, register_converter

from erfaringsforum.converters import IdConverter
from moderation import views

register_converter(IdConverter, "modid")

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("logg/", views.audit_log, name="audit-log"),
    path("varsler/", views.notifications, name="notifications"),
    path("innlegg/<modid:pk>/rapporter/", views.report_post, name="report-post"),
    path("rapport/<modid:pk>/avvis/", views.dismiss_report, name="dismiss-report"),
    path("innlegg/<modid:pk>/skjul/", views.hide_post, name="hide-post"),
    path("innlegg/<modid:pk>/vis/", views.unhide_post, name="unhide-post"),
    path("innlegg/<modid:pk>/rediger/", views.edit_post, name="edit-post"),
    path("innlegg/<modid:pk>/avklar/", views.clarify_post, name="clarify-post"),
    path("innlegg/<modid:pk>/fjern-avklaring/", views.unclarify_post, name="unclarify-post"),
    path("trad/<modid:pk>/", views.thread_tools, name="thread-tools"),
    path("trad/<modid:pk>/las/", views.lock_thread, name="lock-thread"),
    path("trad/<modid:pk>/apne/", views.unlock_thread, name="unlock-thread"),
    path("trad/<modid:pk>/fest/", views.pin_thread, name="pin-thread"),
    path("trad/<modid:pk>/losne/", views.unpin_thread, name="unpin-thread"),
    path("trad/<modid:pk>/flytt/", views.move_thread, name="move-thread"),
    path("trad/<modid:pk>/eskaler/", views.escalate_thread, name="escalate-thread"),
    path("trad/<modid:pk>/konsultasjon/", views.consultation, name="consultation"),
    path(
        "trad/<modid:pk>/konsultasjon/apne/",
        views.open_consultation,
        name="open-consultation",
    ),
    path("eskaleringer/", views.escalation_register, name="escalation-register"),
    path("eskaleringer/innboks/", views.escalation_inbox, name="escalation-inbox"),
    path("eskaleringer/<modid:pk>/", views.escalation_detail, name="escalation-detail"),
    path("eskaleringer/<modid:pk>/status/", views.escalation_status, name="escalation-status"),
    path("eskaleringer/<modid:pk>/svar/", views.escalation_answer, name="escalation-answer"),
]
