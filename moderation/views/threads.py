"""Actions on one thread: the tools page, lock, pin, move, and its internal consultation.

A consultation is 404 for everyone outside the topic's staff.
"""

from collections.abc import Callable

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from forum.models import Thread
from moderation import forms, permissions, services
from moderation import querysets as q
from moderation.views.base import (
    GET_POST,
    action_form_page,
    form_action,
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
            "reason_form": forms.ReasonForm(),
            "move_form": forms.MoveThreadForm(topics=q.move_targets(thread)),
        },
    )


def _thread_flag_view(service: Callable[..., Thread], success: str):
    """Lock, unlock, pin, unpin: a button on the thread tools with an optional reason."""

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        thread = visible_thread(request, pk)
        permissions.check_can_moderate(request.user, thread.topic)
        return form_action(
            request,
            forms.ReasonForm(request.POST),
            perform=lambda data: service(thread, by=request.user, reason=data["reason"]),
            success=success,
            redirect_to=thread_url(thread),
        )

    return view


lock_thread = _thread_flag_view(services.lock_thread, _("The thread is locked."))
unlock_thread = _thread_flag_view(services.unlock_thread, _("The thread is open again."))
pin_thread = _thread_flag_view(services.pin_thread, _("The thread is pinned."))
unpin_thread = _thread_flag_view(services.unpin_thread, _("The thread is no longer pinned."))


@GET_POST
def move_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = visible_thread(request, pk)
    permissions.check_can_moderate(request.user, thread.topic)
    return form_action(
        request,
        forms.MoveThreadForm(request.POST or None, topics=q.move_targets(thread)),
        perform=lambda data: services.move_thread(
            thread, by=request.user, to_topic=data["to_topic"], reason=data["reason"]
        ),
        success=_("The thread is moved. The author has been told."),
        redirect_to=thread_url(thread),
        page=action_form_page(
            request, heading=_("Move thread"), submit=_("Move thread"), thread=thread
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
            "consultation": current,
            "notes": q.consultation_notes(current) if current else [],
            "form": form,
            "can_open": permissions.can_open_consultation(request.user, thread.topic),
        }
        return render(request, "moderation/consultation.html", context, status=status)

    return form_action(
        request,
        forms.NoteForm(request.POST or None),
        perform=lambda data: services.add_internal_note(
            current, author=request.user, body=data["body"]
        ),
        redirect_to=reverse("moderation:consultation", kwargs={"pk": thread.pk}),
        page=page,
    )


@require_POST
def open_consultation(request: HttpRequest, pk: int) -> HttpResponse:
    thread = visible_thread(request, pk)
    permissions.check_can_open_consultation(request.user, thread.topic)
    services.open_consultation(thread, by=request.user)
    return redirect("moderation:consultation", pk=thread.pk)
