"""What every moderation view shares: the scoped lookups and the one form-action shape.

A moderation view is thin: scoped lookup (`visible_post`, `visible_thread`: 404 where the
forum hides the thread) -> ``permissions.check_*`` -> form -> `form_action` (service ->
message -> redirect, or the page again with the refusal).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from erfaringsforum.forms import add_service_error
from forum.models import Post, Thread
from forum.permissions import check_view_thread
from moderation import permissions
from moderation import querysets as q

GET_POST = require_http_methods(["GET", "POST"])


def thread_url(thread: Thread) -> str:
    return reverse("forum:thread-detail", kwargs={"pk": thread.pk})


def post_url(post: Post) -> str:
    return reverse("forum:post-redirect", kwargs={"pk": post.pk})


Crumbs = list[tuple[str, str]]


def overview_crumbs(user) -> Crumbs:
    """Where a moderation page's viewer came from: the queue for admins, the inbox for a
    department contact, the queue for moderators (each sees only the one they may open).
    Asked in that order because the department-contact answer is already cached by the
    escalation pages' own checks (no extra query)."""
    queue = [(_("Moderation queue"), reverse("moderation:queue"))]
    if permissions.is_admin(user):
        return queue
    if permissions.can_view_escalation_inbox(user):
        return [(_("Escalations to my department"), reverse("moderation:escalation-inbox"))]
    if permissions.can_view_moderation_queue(user):
        return queue
    return []


def crumbs(
    request: HttpRequest, label: str, *, thread: Thread | None = None, parents: Crumbs = ()
) -> Crumbs:
    """A moderation page's breadcrumbs (forum_tags.breadcrumbs): the topics, then the
    thread's topic and the thread for a page about one (its topic loaded), the `parents`,
    and the page itself (`label`)."""
    trail = [(_("Topics"), reverse("forum:home"))]
    if thread is not None:
        trail += [
            (thread.topic.name, thread.topic.get_absolute_url()),
            (thread.title, thread_url(thread)),
        ]
    return [*trail, *parents, (label, request.path)]


def found(read: Callable[[int], Model], pk: int) -> Model:
    """`read(pk)`, or a 404 where there is no such row."""
    try:
        return read(pk)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def visible_post(request: HttpRequest, pk: int) -> Post:
    """The post, 404 where it does not exist or the forum hides its thread from the user."""
    post = found(q.post_for_action, pk)
    check_view_thread(request.user, post.thread)
    return post


def visible_thread(request: HttpRequest, pk: int) -> Thread:
    thread = found(q.thread_for_action, pk)
    check_view_thread(request.user, thread)
    return thread


def query_without_page(request: HttpRequest) -> QueryDict:
    """The list's filters from the query string, for the links to its other pages."""
    query = request.GET.copy()
    query.pop("page", None)
    return query


def _error_text(form: Form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


Page = Callable[[Form, int], HttpResponse]


@dataclass(frozen=True)
class Texts:
    """What an action's page and its message say (lazy strings: translated per request)."""

    heading: str
    submit: str
    success: str
    intro: str = ""


def form_action(
    request: HttpRequest,
    form: Form,
    *,
    service: Callable[..., object],
    target: object,
    redirect_to: str | Callable[[object], str],
    success: str = "",
    actor: str = "by",
    page: Page | None = None,
) -> HttpResponse:
    """The one shape of every moderation action behind a form, after the view's scoped
    lookup and ``check_*``. The form's fields are the service's keyword arguments: a valid
    POST calls ``service(target, by=request.user, **form.cleaned_data)`` (`actor` names the
    user's keyword where it is not ``by``), says `success` and redirects to `redirect_to`
    (or to what that makes of the service's result). A refusal, by the form or by the
    service's ValidationError, shows the action's page again with the text kept and status
    400 (`page(form, status)`); an action without a page of its own (a button on another
    page, `redirect_to` a URL) redirects with the refusal as a message instead. A GET
    shows the page."""
    if request.method == "POST":
        if form.is_valid():
            try:
                result = service(target, **{actor: request.user}, **form.cleaned_data)
            except ValidationError as exc:
                add_service_error(form, exc)
            else:
                if success:
                    messages.success(request, success)
                return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
        if page is None:
            messages.error(request, _error_text(form))
            return redirect(redirect_to)
        return page(form, 400)
    return page(form, 200)


def action_form_page(request: HttpRequest, texts: Texts, target: Post | Thread) -> Page:
    """The plain page of an action on a post or a thread (moderation/action_form.html)."""
    post = target if isinstance(target, Post) else None
    thread = target if post is None else None
    context = {
        "crumbs": crumbs(request, texts.heading, thread=post.thread if post else thread),
        "heading": texts.heading,
        "submit": texts.submit,
        "intro": texts.intro,
        "back_url": post_url(post) if post else thread_url(thread),
        "post": post,
        "thread": thread,
    }

    def page(form: Form, status: int) -> HttpResponse:
        return render(
            request, "moderation/action_form.html", {**context, "form": form}, status=status
        )

    return page


Lookup = Callable[[HttpRequest, int], Post | Thread]
Check = Callable[[object, object], None]


def page_action(
    service: Callable[..., object],
    form_class: type[Form],
    *,
    lookup: Lookup,
    check: Check,
    texts: Texts,
    actor: str = "by",
    form_kwargs: Callable[[object], dict] | None = None,
):
    """A view for an action with a page of its own (moderation/action_form.html) on the
    post or thread `lookup` finds: GET shows the form, POST runs `service` through
    `form_action` and returns to the post or thread. `form_kwargs(target)` gives the form
    what it needs besides the data."""

    @GET_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        target = lookup(request, pk)
        check(request.user, target)
        extra = form_kwargs(target) if form_kwargs else {}
        return form_action(
            request,
            form_class(request.POST or None, **extra),
            service=service,
            target=target,
            actor=actor,
            success=texts.success,
            redirect_to=post_url(target) if isinstance(target, Post) else thread_url(target),
            page=action_form_page(request, texts, target),
        )

    view.wiring = (service, form_class, actor)  # checked by the tests
    return view


def posted_action(
    service: Callable[..., object],
    form_class: type[Form],
    *,
    lookup: Callable[[HttpRequest, int], object],
    check: Check,
    success: str,
    redirect_to: Callable[[object], str],
    page: Callable[[HttpRequest, object], Page] | None = None,
):
    """A view for a form posted from another page (a button with an optional reason, the
    forms of the escalation's page): POST only. Done, it returns to `redirect_to(target)`
    saying `success`; refused, it shows `page(request, target)` again with the form (400),
    or without one returns with the refusal as a message."""

    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        target = lookup(request, pk)
        check(request.user, target)
        return form_action(
            request,
            form_class(request.POST),
            service=service,
            target=target,
            success=success,
            redirect_to=redirect_to(target),
            page=page(request, target) if page else None,
        )

    view.wiring = (service, form_class, "by")  # checked by the tests
    return view
