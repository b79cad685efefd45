"""What the forum's views share: post URLs, breadcrumbs, and the write views' wrapper that
never drops a sent text."""

from collections.abc import Callable
from functools import wraps
from typing import TypeVar
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from erfaringsforum.forms import add_service_error
from erfaringsforum.urlcache import fixed_url, pk_url
from forum import querysets, services
from forum.markdown import render_markdown
from forum.models import Post, Thread, Topic

T = TypeVar("T")
KEPT_FIELDS = ("title", "body", "reason")


def posts_per_page() -> int:
    return settings.FORUM_POSTS_PER_PAGE


def page_of(position: int) -> int:
    return (max(position, 1) - 1) // posts_per_page() + 1


def post_url(thread_id: int, position: int) -> str:
    url = pk_url("forum:thread-detail", thread_id)
    return f"{url}?page={page_of(position)}#p{position}"


def _kept_text(request: HttpRequest, *, status: int, heading: str, reason: str, **extra):
    kept = [(name, request.POST[name]) for name in KEPT_FIELDS if request.POST.get(name)]
    context = {"kept": kept, "heading": heading, "reason": reason, **extra}
    return render(request, "forum/kept_text.html", context, status=status)


View = Callable[..., HttpResponse]


def write_view(*methods: str) -> Callable[[View], View]:
    """A write view answering only `methods` (405 otherwise), whose refusals never drop a
    sent text.

    Login is required, but a form sent after the session expired gets its text back (the
    login middleware would redirect and lose it); so does a form refused with 403 or 404
    (a thread locked or a topic closed while the person was writing).
    """

    def decorate(view: View) -> View:
        allowed = require_http_methods(list(methods))(view)

        @login_not_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            return _keeping_text(allowed, request, *args, **kwargs)

        return wrapper

    return decorate


def _keeping_text(view: View, request: HttpRequest, *args, **kwargs):
    if not request.user.is_authenticated:
        if request.method != "POST":
            return redirect_to_login(request.get_full_path())
        login_url = f"{reverse(settings.LOGIN_URL)}?{urlencode({'next': request.path})}"
        return _kept_text(
            request,
            status=403,
            heading=_("Your session has expired"),
            reason=_("Log in again, then send your text once more."),
            login_url=login_url,
        )
    try:
        return view(request, *args, **kwargs)
    except PermissionDenied as exc:
        if request.method != "POST":
            raise
        return _kept_text(request, status=403, heading=_("This could not be sent"), reason=str(exc))
    except Http404:
        if request.method != "POST":
            raise
        return _kept_text(
            request,
            status=404,
            heading=_("This could not be sent"),
            reason=_("The thread or topic is no longer available."),
        )


def _preview(request: HttpRequest, form: Form) -> str | None:
    """The rendered body when the person pressed Preview and the form is valid."""
    if "preview" in request.POST and form.is_valid():
        return render_markdown(form.cleaned_data["body"])
    return None


def or_404(row: T | None, message: str) -> T:
    """`row`, or a 404 saying `message` where the read found nothing."""
    if row is None:
        raise Http404(message)
    return row


def post_form_page(
    request: HttpRequest,
    form_class: type[Form],
    *,
    perform: Callable[[dict], HttpResponse],
    initial: Callable[[], dict],
    template: str,
    context: Callable[[], dict],
    form_kwargs: dict | None = None,
) -> HttpResponse:
    """The page of a post form (reply, new thread, edit): a GET shows the form with
    `initial()`; a POST with Preview renders the body; otherwise a valid form runs
    `perform(cleaned_data)`, whose response (a redirect) is returned. A refusal of the
    service goes onto the form with status 429 for a rate limit and 400 otherwise, so the
    page comes back with the text. `context()` is read only when the page is shown."""
    status, preview = 200, None
    if request.method != "POST":
        form = form_class(initial=initial(), **(form_kwargs or {}))
    else:
        form = form_class(request.POST, **(form_kwargs or {}))
        preview = _preview(request, form)
        if preview is None and form.is_valid():
            try:
                return perform(form.cleaned_data)
            except services.RateLimited as exc:
                form.add_error(None, exc)
                status = 429
            except ValidationError as exc:
                add_service_error(form, exc)
        if form.errors and status == 200:
            status = 400
    context = {**context(), "form": form, "preview": preview}
    return render(request, template, context, status=status)


def crumbs_for(topic: Topic, ancestors: list[Topic]) -> list[tuple[str, str]]:
    crumbs = [(_("Topics"), fixed_url("forum:home"))]
    crumbs += [(t.name, t.get_absolute_url()) for t in ancestors]
    crumbs.append((topic.name, topic.get_absolute_url()))
    return crumbs


def thread_crumbs(thread: Thread) -> list[tuple[str, str]]:
    """The breadcrumbs of a page under a thread: the topics down to the thread."""
    crumbs = crumbs_for(thread.topic, list(querysets.topic_ancestors(thread.topic)))
    crumbs.append((thread.title, thread.get_absolute_url()))
    return crumbs


def post_page_context(post: Post) -> dict:
    """What a page about one post (edit, delete, history) shows around it."""
    thread = post.thread
    return {
        "post": post,
        "thread": thread,
        "crumbs": thread_crumbs(thread),
        "post_url": post_url(thread.pk, post.position),
    }
