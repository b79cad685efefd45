"""Moderation pages: thin views (scoped lookup → check_* → form → service → redirect).

Refusals (see moderation.permissions): acting in a topic one does not moderate is a 403;
a thread or post in a topic the user cannot see, and any consultation outside its staff,
is a 404.
"""

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from erfaringsforum.pagination import page_number
from forum.models import Post, Thread
from forum.permissions import check_view_thread
from moderation import forms, permissions, services
from moderation import querysets as q
from moderation.models import AuditEntry, Escalation, Report

GET_POST = require_http_methods(["GET", "POST"])


def _thread_url(thread: Thread) -> str:
    return reverse("forum:thread-detail", kwargs={"pk": thread.pk})


def _post_url(post: Post) -> str:
    return reverse("forum:post-redirect", kwargs={"pk": post.pk})


def _get_post(request: HttpRequest, pk: int) -> Post:
    try:
        post = q.post_for_action(pk)
    except Post.DoesNotExist as exc:
        raise Http404 from exc
    check_view_thread(request.user, post.thread)
    return post


def _get_thread(request: HttpRequest, pk: int) -> Thread:
    try:
        thread = q.thread_for_action(pk)
    except Thread.DoesNotExist as exc:
        raise Http404 from exc
    check_view_thread(request.user, thread)
    return thread


def _apply_errors(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _error_text(form: Form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


Page = Callable[[Form, int], HttpResponse]


def form_action(
    request: HttpRequest,
    form: Form,
    *,
    perform: Callable[[dict], object],
    redirect_to: str | Callable[[object], str],
    success: str = "",
    page: Page | None = None,
) -> HttpResponse:
    """The one shape of every moderation action behind a form, after the view's scoped
    lookup and ``check_*``: a valid POST runs the service (`perform` with the cleaned data),
    says `success` and redirects to `redirect_to` (or to what it makes of the service's
    result). A refusal, by the form or by the service's ValidationError, shows the
    action's page again with the text kept and status 400 (`page(form, status)`); an action
    without a page of its own (a button on another page, `redirect_to` a URL) redirects
    with the refusal as a message instead. A GET shows the page."""
    if request.method == "POST":
        if form.is_valid():
            try:
                result = perform(form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                if success:
                    messages.success(request, success)
                return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
        if page is None:
            messages.error(request, _error_text(form))
            return redirect(redirect_to)
        return page(form, 400)
    return page(form, 200)


def _action_form_page(
    request: HttpRequest,
    *,
    heading: str,
    submit: str,
    intro: str = "",
    post: Post | None = None,
    thread: Thread | None = None,
) -> Page:
    """The plain page of a post or thread action (moderation/action_form.html)."""
    back_url = _post_url(post) if post is not None else _thread_url(thread)

    def page(form: Form, status: int) -> HttpResponse:
        context = {
            "form": form,
            "heading": heading,
            "submit": submit,
            "intro": intro,
            "back_url": back_url,
            "post": post,
            "thread": thread,
        }
        return render(request, "moderation/action_form.html", context, status=status)

    return page


# ---------------------------------------------------------------------------------------------
# queue, log, notifications


def queue(request: HttpRequest) -> HttpResponse:
    """The moderator's queue: new threads, reports, unanswered questions, reviews, escalations."""
    permissions.check_can_view_moderation_queue(request.user)
    return render(
        request,
        "moderation/queue.html",
        {"queue": q.moderation_queue(request.user), "days": q.NEW_THREAD_DAYS},
    )


AUDIT_PAGE_SIZE = 50


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
    number = page_number(request.GET.get("page"))
    entries = q.audit_entries(request.user, action=action, topic_id=topic_id)
    page = list(entries[(max(number, 1) - 1) * AUDIT_PAGE_SIZE : number * AUDIT_PAGE_SIZE + 1])
    has_next = len(page) > AUDIT_PAGE_SIZE
    base = request.GET.copy()
    base.pop("page", None)
    return render(
        request,
        "moderation/audit_log.html",
        {
            "form": form,
            "entries": page[:AUDIT_PAGE_SIZE],
            "page": number,
            "has_next": has_next,
            "query": base.urlencode(),
        },
    )


@GET_POST
def notifications(request: HttpRequest) -> HttpResponse:
    """The employee's notifications; POST marks them all read."""
    if request.method == "POST":
        services.mark_notifications_read(request.user)
        return redirect("moderation:notifications")
    return render(
        request, "moderation/notifications.html", {"items": q.notifications_for(request.user)}
    )


# ---------------------------------------------------------------------------------------------
# reports


@GET_POST
def report_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    permissions.check_can_report(request.user, post)
    return form_action(
        request,
        forms.ReportForm(request.POST or None),
        perform=lambda data: services.report_post(
            post, reporter=request.user, reason=data["reason"]
        ),
        success=_("Thank you. The moderator will look at the post."),
        redirect_to=_post_url(post),
        page=_action_form_page(
            request, heading=_("Report a post"), submit=_("Send report"), post=post
        ),
    )


@require_POST
def dismiss_report(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        report = q.report_for_action(pk)
    except Report.DoesNotExist as exc:
        raise Http404 from exc
    permissions.check_can_dismiss_report(request.user, report)
    return form_action(
        request,
        forms.ReasonForm(request.POST),
        perform=lambda data: services.dismiss_report(
            report, by=request.user, reason=data["reason"]
        ),
        success=_("The report was dismissed."),
        redirect_to=reverse("moderation:queue"),
    )


# ---------------------------------------------------------------------------------------------
# actions on posts


@GET_POST
def hide_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    permissions.check_can_moderate(request.user, post.thread.topic)
    return form_action(
        request,
        forms.RequiredReasonForm(request.POST or None),
        perform=lambda data: services.hide_post(post, by=request.user, reason=data["reason"]),
        success=_("The post is hidden. The author has been told."),
        redirect_to=_post_url(post),
        page=_action_form_page(
            request,
            heading=_("Hide post"),
            submit=_("Hide post"),
            intro=_("The post is kept and can be restored."),
            post=post,
        ),
    )


@GET_POST
def unhide_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    permissions.check_can_moderate(request.user, post.thread.topic)
    return form_action(
        request,
        forms.ReasonForm(request.POST or None),
        perform=lambda data: services.unhide_post(post, by=request.user, reason=data["reason"]),
        success=_("The post is shown again."),
        redirect_to=_post_url(post),
        page=_action_form_page(
            request, heading=_("Restore hidden post"), submit=_("Restore post"), post=post
        ),
    )


@GET_POST
def edit_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    permissions.check_can_moderate(request.user, post.thread.topic)
    return form_action(
        request,
        forms.EditPostForm(request.POST or None, post=post),
        perform=lambda data: services.edit_post_as_moderator(
            post,
            by=request.user,
            body=data["body"],
            title=data.get("title") or None,
            reason=data["reason"],
        ),
        success=_("The post is edited. The earlier version is kept and the author has been told."),
        redirect_to=_post_url(post),
        page=_action_form_page(
            request, heading=_("Edit post as moderator"), submit=_("Save"), post=post
        ),
    )


@GET_POST
def clarify_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    permissions.check_can_clarify(request.user, post.thread.topic)
    return form_action(
        request,
        forms.ClarifyForm(request.POST or None, clarified=q.clarified_answer_of(post)),
        perform=lambda data: services.clarify_post(
            post,
            by=request.user,
            legal_reference=data["legal_reference"],
            review_by=data["review_by"],
        ),
        success=_("The post is marked as a clarified answer."),
        redirect_to=_post_url(post),
        page=_action_form_page(
            request,
            heading=_("Mark as clarified answer"),
            submit=_("Mark as clarified"),
            intro=_("Readers see who clarified the answer and when."),
            post=post,
        ),
    )


@GET_POST
def unclarify_post(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post(request, pk)
    permissions.check_can_clarify(request.user, post.thread.topic)
    return form_action(
        request,
        forms.ReasonForm(request.POST or None),
        perform=lambda data: services.unclarify_post(post, by=request.user, reason=data["reason"]),
        success=_("The post is no longer marked as clarified."),
        redirect_to=_post_url(post),
        page=_action_form_page(
            request, heading=_("Remove clarified mark"), submit=_("Remove mark"), post=post
        ),
    )


# ---------------------------------------------------------------------------------------------
# actions on threads


def thread_tools(request: HttpRequest, pk: int) -> HttpResponse:
    """The moderator's panel for one thread: lock, pin, move, escalate, consult."""
    thread = _get_thread(request, pk)
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
        thread = _get_thread(request, pk)
        permissions.check_can_moderate(request.user, thread.topic)
        return form_action(
            request,
            forms.ReasonForm(request.POST),
            perform=lambda data: service(thread, by=request.user, reason=data["reason"]),
            success=success,
            redirect_to=_thread_url(thread),
        )

    return view


lock_thread = _thread_flag_view(services.lock_thread, _("The thread is locked."))
unlock_thread = _thread_flag_view(services.unlock_thread, _("The thread is open again."))
pin_thread = _thread_flag_view(services.pin_thread, _("The thread is pinned."))
unpin_thread = _thread_flag_view(services.unpin_thread, _("The thread is no longer pinned."))


@GET_POST
def move_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _get_thread(request, pk)
    permissions.check_can_moderate(request.user, thread.topic)
    return form_action(
        request,
        forms.MoveThreadForm(request.POST or None, topics=q.move_targets(thread)),
        perform=lambda data: services.move_thread(
            thread, by=request.user, to_topic=data["to_topic"], reason=data["reason"]
        ),
        success=_("The thread is moved. The author has been told."),
        redirect_to=_thread_url(thread),
        page=_action_form_page(
            request, heading=_("Move thread"), submit=_("Move thread"), thread=thread
        ),
    )


# ---------------------------------------------------------------------------------------------
# consultation (404 for everyone outside the topic's staff)


@GET_POST
def consultation(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _get_thread(request, pk)
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
    thread = _get_thread(request, pk)
    permissions.check_can_open_consultation(request.user, thread.topic)
    services.open_consultation(thread, by=request.user)
    return redirect("moderation:consultation", pk=thread.pk)


# ---------------------------------------------------------------------------------------------
# escalation


@GET_POST
def escalate_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = _get_thread(request, pk)
    permissions.check_can_escalate(request.user, thread)

    def page(form: Form, status: int) -> HttpResponse:
        context = {"thread": thread, "form": form}
        return render(request, "moderation/escalate.html", context, status=status)

    return form_action(
        request,
        forms.EscalationForm(
            request.POST or None,
            departments=q.departments(),
            initial={"submission_key": uuid.uuid4()},
        ),
        perform=lambda data: services.escalate_thread(
            thread,
            by=request.user,
            department=data["department"],
            category=data["category"],
            summary=data["summary"],
            submission_key=data["submission_key"],
        ),
        success=_("The thread is escalated to the department."),
        redirect_to=lambda escalation: escalation.get_absolute_url(),
        page=page,
    )


def _get_escalation(pk: int) -> Escalation:
    try:
        return q.escalation_for_detail(pk)
    except Escalation.DoesNotExist as exc:
        raise Http404 from exc


def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _get_escalation(pk)
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
            "can_handle": permissions.can_change_escalation_status(request.user, escalation),
            "can_answer": permissions.can_answer_escalation(request.user, escalation),
            "status_form": status_form or forms.EscalationStatusForm(),
            "answer_form": answer_form
            or forms.EscalationAnswerForm(initial={"submission_key": uuid.uuid4()}),
        },
        status=code,
    )


@require_POST
def escalation_status(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _get_escalation(pk)
    permissions.check_can_handle_escalation(request.user, escalation)
    return form_action(
        request,
        forms.EscalationStatusForm(request.POST),
        perform=lambda data: services.set_escalation_status(
            escalation, by=request.user, status=data["status"], reason=data["reason"]
        ),
        success=_("The status is changed."),
        redirect_to=escalation.get_absolute_url(),
        page=lambda form, status: _escalation_page(
            request, escalation, status_form=form, code=status
        ),
    )


@require_POST
def escalation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _get_escalation(pk)
    permissions.check_can_handle_escalation(request.user, escalation)
    return form_action(
        request,
        forms.EscalationAnswerForm(request.POST),
        perform=lambda data: services.answer_escalation(
            escalation,
            by=request.user,
            body=data["body"],
            submission_key=data["submission_key"],
        ),
        success=_("The answer is posted in the thread."),
        redirect_to=escalation.get_absolute_url(),
        page=lambda form, status: _escalation_page(
            request, escalation, answer_form=form, code=status
        ),
    )


REGISTER_PAGE_SIZE = 50


def escalation_register(request: HttpRequest) -> HttpResponse:
    """Every escalation by status, department and topic (summaries only, no notes)."""
    permissions.check_can_view_escalation_register(request.user)
    departments = list(q.departments().only("pk", "name"))
    topics = list(q.topics_with_escalations())
    form = forms.RegisterFilterForm(request.GET or None, departments=departments, topics=topics)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {
            "status": form.cleaned_data["status"],
            "department_id": form.cleaned_data["department"],
            "topic_id": form.cleaned_data["topic"],
        }
    paginator = Paginator(q.escalation_register(**filters), REGISTER_PAGE_SIZE)
    number = page_number(request.GET.get("page"))
    if number == -1 or number > paginator.num_pages:
        number = paginator.num_pages
    page = paginator.page(number)
    base = request.GET.copy()
    base.pop("page", None)
    return render(
        request,
        "moderation/escalation_register.html",
        {
            "form": form,
            "escalations": q.with_overdue(page.object_list),
            "page": page.number,
            "num_pages": paginator.num_pages,
            "base_url": "?" + (base.urlencode() + "&" if base else ""),
        },
    )


def escalation_inbox(request: HttpRequest) -> HttpResponse:
    permissions.check_can_view_escalation_inbox(request.user)
    return render(
        request,
        "moderation/escalation_inbox.html",
        {"escalations": q.with_overdue(q.escalation_inbox(request.user)[:200])},
    )
