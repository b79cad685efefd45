"""Actions on one thread: the tools page, lock, pin, move, and its internal consultation.

A consultation is 404 for everyone outside the topic's staff.
"""

import uuid

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from forum.models import Thread
from moderation import forms, permissions, services
from moderation import querysets as q
from moderation.views.base import (
    GET_POST,
    Texts,
    crumbs,
    form_action,
    page_action,
    posted_action,
    thread_url,
    visible_thread,
)


def thread_tools(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderator's panel for one thread: lock, pin, move, escalate, consult."""
    thread = visible_thread(request, pk)
    permissions.check_can_moderate(request.user, thread.topic)
    return render(
        request,
        "moderation/thread_tools.html",
        {
            "thread": thread,
            "crumbs": crumbs(request, _("Moderate thread"), thread=thread),
            # Two forms with a reason on one page: their ids differ (the names stay `reason`).
            "reason_form": forms.ReasonForm(auto_id="id_state_%s"),
            "move_form": forms.MoveThreadForm(auto_id="id_move_%s", topics=q.move_targets(thread)),
        },
    )


def _check_moderate(user, thread: Thread) -> None:
    permissions.check_can_moderate(user, thread.topic)


def _thread_button(service, success: str):
    """Lock, unlock, pin, unpin: a button on the thread tools with an optional reason."""
    return posted_action(
        service,
        forms.ReasonForm,
        lookup=visible_thread,
        check=_check_moderate,
        success=success,
        redirect_to=thread_url,
    )


lock_thread = _thread_button(services.lock_thread, _("The thread is locked."))
unlock_thread = _thread_button(services.unlock_thread, _("The thread is open again."))
pin_thread = _thread_button(services.pin_thread, _("The thread is pinned."))
unpin_thread = _thread_button(services.unpin_thread, _("The thread is no longer pinned."))
move_thread = page_action(
    services.move_thread,
    forms.MoveThreadForm,
    lookup=visible_thread,
    check=_check_moderate,
    form_kwargs=lambda thread: {"topics": q.move_targets(thread)},
    texts=Texts(
        heading=_("Move thread"),
        submit=_("Move thread"),
        success=_("The thread is moved. The author has been told."),
    ),
)


# ---------------------------------------------------------------------------------------------
# consultation (404 for everyone outside the topic's staff)


@GET_POST
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    thread = visible_thread(request, pk)
    permissions.check_can_view_consultation(request.user, thread.topic)
    current = q.consultation_of(thread)
    if request.method == "POST":
        permissions.check_can_add_internal_note(request.user, thread.topic, current)

    def page(form: Form, status: int) -> HttpResponse:
        context = {
            "thread": thread,
            "crumbs": crumbs(request, _("Internal consultation"), thread=thread),
            "consultation": current,
            "notes": q.consultation_notes(current) if current else [],
            "form": form,
            "can_open": permissions.can_open_consultation(request.user, thread.topic),
        }
        return render(request, "moderation/consultation.html", context, status=status)

    return form_action(
        request,
        forms.NoteForm(request.POST or None, initial={"submission_key": uuid.uuid4()}),
        service=services.add_internal_note,
        target=current,
        actor="author",
        redirect_to=reverse("moderation:consultation", kwargs={"pk": thread.pk}),
        page=page,
    )


@require_POST
def open_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    thread = visible_thread(request, pk)
    permissions.check_can_open_consultation(request.user, thread.topic)
    services.open_consultation(thread, by=request.user)
    return redirect("moderation:consultation", pk=thread.pk)
