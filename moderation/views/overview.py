"""The moderator's overview pages: the queue, the audit log, and everyone's notifications."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from erfaringsforum.pagination import page_number
from moderation import forms, permissions
from moderation import querysets as q
from moderation.models import AuditEntry
from moderation.views.base import crumbs, query_without_page


def queue(request: HttpRequest) -> HttpResponse:
    """The moderator's queue: new threads, reports, unanswered questions, reviews, escalations."""
    permissions.check_can_view_moderation_queue(request.user)
    return render(
        request,
        "moderation/queue.html",
        {
            "queue": q.moderation_queue(request.user),
            "days": q.NEW_THREAD_DAYS,
            "crumbs": crumbs(request, _("Moderation queue")),
        },
    )


def audit_log(request: HttpRequest) -> HttpResponse:
    permissions.check_can_view_audit_log(request.user)
    topics = list(q.moderated_topics(request.user).only("pk", "name"))
    form = forms.AuditFilterForm(
        request.GET or None, actions=AuditEntry.Action.choices, topics=topics
    )
    action, topic_id = "", None
    if form.is_bound and form.is_valid():
        action = form.cleaned_data["action"] or ""
        topic_id = form.cleaned_data["topic"]
    number, entries, has_next = q.audit_log_page(
        request.user,
        action=action,
        topic_id=topic_id,
        number=page_number(request.GET.get("page")),
    )
    return render(
        request,
        "moderation/audit_log.html",
        {
            "form": form,
            "entries": entries,
            "page": number,
            "has_next": has_next,
            "query": query_without_page(request).urlencode(),
            # The log is for moderators and admins: its way back is the queue.
            "crumbs": crumbs(
                request,
                _("Audit log"),
                parents=[(_("Moderation queue"), reverse("moderation:queue"))],
            ),
        },
    )


@require_safe
def notifications(request: HttpRequest) -> HttpResponse:
    """The notifications moved to the forum's list (forum.notifications); old links go on."""
    return redirect("notifications:list", permanent=True)
