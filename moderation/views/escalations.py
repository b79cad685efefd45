"""Escalation of a thread to a department: the form, the detail page with the department's
status and answer forms, the register and the department's inbox."""

import uuid

from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from erfaringsforum.pagination import page_number
from moderation import forms, permissions, services
from moderation import querysets as q
from moderation.models import Escalation
from moderation.views.base import (
    GET_POST,
    Page,
    crumbs,
    form_action,
    found,
    overview_crumbs,
    posted_action,
    query_without_page,
    visible_thread,
)


@GET_POST
def escalate_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = visible_thread(request, pk)
    permissions.check_can_escalate(request.user, thread)

    def page(form: Form, status: int) -> HttpResponse:
        context = {
            "thread": thread,
            "form": form,
            "crumbs": crumbs(request, _("Escalate to a department"), thread=thread),
        }
        return render(request, "moderation/escalate.html", context, status=status)

    form = forms.EscalationForm(
        request.POST or None,
        departments=q.departments(),
        initial={"submission_key": uuid.uuid4()},
    )
    return form_action(
        request,
        form,
        service=services.escalate_thread,
        target=thread,
        success=_("The thread is escalated to the department."),
        redirect_to=lambda escalation: escalation.get_absolute_url(),
        page=page,
    )


def _get_escalation(request: HttpRequest, pk: int) -> Escalation:
    return found(q.escalation_for_detail, pk)


def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _get_escalation(request, pk)
    permissions.check_can_view_escalation(request.user, escalation)
    return _escalation_page(request, escalation)


def _escalation_page(
    request: HttpRequest, escalation: Escalation, *, status_form=None, answer_form=None, code=200
) -> HttpResponse:
    q.with_overdue([escalation])
    return render(
        request,
        "moderation/escalation_detail.html",
        {
            "escalation": escalation,
            "crumbs": crumbs(request, _("Escalation"), parents=_register_crumbs(request)),
            "can_handle": permissions.can_change_escalation_status(request.user, escalation),
            "can_answer": permissions.can_answer_escalation(request.user, escalation),
            "status_form": status_form or forms.EscalationStatusForm(),
            "answer_form": answer_form
            or forms.EscalationAnswerForm(initial={"submission_key": uuid.uuid4()}),
        },
        status=code,
    )


def _handling(service, form_class: type[Form], slot: str, success: str):
    """Change the status, post the answer: the department's contacts and admins, from the
    escalation's page, which a refusal shows again with the form in its `slot`."""

    def page(request: HttpRequest, escalation: Escalation) -> Page:
        return lambda form, code: _escalation_page(request, escalation, **{slot: form}, code=code)

    return posted_action(
        service,
        form_class,
        lookup=_get_escalation,
        check=permissions.check_can_handle_escalation,
        success=success,
        redirect_to=Escalation.get_absolute_url,
        page=page,
    )


escalation_status = _handling(
    services.set_escalation_status,
    forms.EscalationStatusForm,
    "status_form",
    _("The status is changed."),
)
escalation_answer = _handling(
    services.answer_escalation,
    forms.EscalationAnswerForm,
    "answer_form",
    _("The answer is posted in the thread."),
)


REGISTER_PAGE_SIZE = 50


def _register_crumbs(request: HttpRequest) -> list[tuple[str, str]]:
    """An escalation's way back: the viewer's overview, then the register (everyone who may
    see an escalation may read the register: moderation.permissions.can_view_escalation)."""
    register = (_("Escalation register"), reverse("moderation:escalation-register"))
    return [*overview_crumbs(request.user), register]


def escalation_register(request: HttpRequest) -> HttpResponse:
    """Every escalation by status, department and topic (summaries only, no notes)."""
    permissions.check_can_view_escalation_register(request.user)
    departments = list(q.departments().only("pk", "name"))
    topics = list(q.topics_with_escalations(request.user))
    form = forms.RegisterFilterForm(request.GET or None, departments=departments, topics=topics)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "status": form.cleaned_data["status"],
            "department_id": form.cleaned_data["department"],
            "topic_id": form.cleaned_data["topic"],
        }
    paginator = Paginator(
        q.escalation_register(
            request.user, own_department_id=permissions.own_department(request.user), **filters
        ),
        REGISTER_PAGE_SIZE,
    )
    number = page_number(request.GET.get("page"))
    if number == -1 or number > paginator.num_pages:
        number = paginator.num_pages
    page = paginator.page(number)
    base = query_without_page(request)
    return render(
        request,
        "moderation/escalation_register.html",
        {
            "form": form,
            "escalations": q.with_overdue(page.object_list),
            "page": page.number,
            "num_pages": paginator.num_pages,
            "base_url": "?" + (base.urlencode() + "&" if base else ""),
            "crumbs": crumbs(
                request, _("Escalation register"), parents=overview_crumbs(request.user)
            ),
        },
    )


def escalation_inbox(request: HttpRequest) -> HttpResponse:
    permissions.check_can_view_escalation_inbox(request.user)
    return render(
        request,
        "moderation/escalation_inbox.html",
        {
            "escalations": q.with_overdue(q.escalation_inbox(request.user)[:200]),
            "crumbs": crumbs(request, _("Escalations to my department")),
        },
    )
