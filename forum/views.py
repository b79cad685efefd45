"""Forum pages. Thin: scoped lookup, check_*, form, service, redirect.

Every page runs a fixed number of queries whatever the number of topics, threads or posts
(pinned by tests/forum/test_views.py).
"""

import math
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from erfaringsforum.pagination import page_number
from erfaringsforum.urlcache import fixed_url, pk_url
from forum import extensions, permissions, querysets, services
from forum.forms import EditPostForm, ReplyForm, ThreadForm
from forum.markdown import render_markdown
from forum.models import Post, Thread, ThreadRead, Topic

KEPT_FIELDS = ("title", "body", "reason")


def _posts_per_page() -> int:
    return settings.FORUM_POSTS_PER_PAGE


def page_of(position: int) -> int:
    return (max(position, 1) - 1) // _posts_per_page() + 1


def post_url(thread_id: int, position: int) -> str:
    url = pk_url("forum:thread-detail", thread_id)
    return f"{url}?page={page_of(position)}#p{position}"


def _kept_text(request: HttpRequest, *, status: int, heading: str, reason: str, **extra):
    kept = [(name, request.POST[name]) for name in KEPT_FIELDS if request.POST.get(name)]
    context = {"kept": kept, "heading": heading, "reason": reason, **extra}
    return render(request, "forum/kept_text.html", context, status=status)


def _write_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A write view whose refusals never drop a sent text.

    Login is required, but a form sent after the session expired gets its text back (the
    login middleware would redirect and lose it); so does a form refused with 403 or 404
    (a thread locked or a topic closed while the person was writing).
    """

    @login_not_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
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
            return _kept_text(
                request, status=403, heading=_("This could not be sent"), reason=str(exc)
            )
        except Http404:
            if request.method != "POST":
                raise
            return _kept_text(
                request,
                status=404,
                heading=_("This could not be sent"),
                reason=_("The thread or topic is no longer available."),
            )

    return wrapper


def _add_service_error(form: Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _preview(request: HttpRequest, form: Form) -> str | None:
    """The rendered body when the person pressed Preview and the form is valid."""
    if "preview" in request.POST and form.is_valid():
        return render_markdown(form.cleaned_data["body"])
    return None


def _submit(
    request: HttpRequest, form: Form, perform: Callable[[dict], HttpResponse]
) -> tuple[HttpResponse | None, int, str | None]:
    """The POST of a post form: (response, status, preview).

    Preview renders the body; otherwise a valid form runs `perform(cleaned_data)`, whose
    response (a redirect) is returned. A refusal of the service goes onto the form with
    status 429 for a rate limit and 400 otherwise, so the page comes back with the text.
    """
    status, preview = 200, _preview(request, form)
    if preview is None and form.is_valid():
        try:
            return perform(form.cleaned_data), status, None
        except services.RateLimited as exc:
            form.add_error(None, exc)
            status = 429
        except ValidationError as exc:
            _add_service_error(form, exc)
    if form.errors and status == 200:
        status = 400
    return None, status, preview


def _crumbs(topic: Topic, ancestors: list[Topic]) -> list[tuple[str, str]]:
    crumbs = [(_("Topics"), fixed_url("forum:home"))]
    crumbs += [(t.name, t.get_absolute_url()) for t in ancestors]
    crumbs.append((topic.name, topic.get_absolute_url()))
    return crumbs


# Reading --------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    tree = querysets.topic_tree_for(
        permissions.topics_visible_to(request.user, querysets.topic_tree())
    )
    return render(request, "forum/home.html", {"tree": tree})


@require_safe
def topic_detail(request: HttpRequest, slug: str) -> HttpResponse:
    topic = querysets.topic_for_page(slug)
    if topic is None:
        raise Http404(_("There is no such topic."))
    permissions.check_view_topic(request.user, topic)
    per_page = settings.FORUM_THREADS_PER_PAGE
    num_pages = max(1, math.ceil(topic.thread_count / per_page))
    page = page_number(request.GET.get("page"))
    if page == -1:
        page = num_pages
    if page > num_pages:
        raise Http404(_("There is no such page."))
    offset = (page - 1) * per_page
    threads = querysets.threads_for_topic_page(topic, request.user, offset=offset, limit=per_page)
    children = []
    if not topic.is_leaf_node():  # the tree fields say so: no query for a leaf topic
        children = list(
            permissions.topics_visible_to(request.user, querysets.topic_children(topic))
        )
    ancestors = list(querysets.topic_ancestors(topic))
    return render(
        request,
        "forum/topic_detail.html",
        {
            "topic": topic,
            "threads": threads,
            "children": children,
            "crumbs": _crumbs(topic, ancestors),
            "page": page,
            "num_pages": num_pages,
            "can_start_thread": permissions.can_start_thread(request.user, topic),
        },
    )


@require_safe
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = querysets.thread_for_page(pk, viewer=request.user)
    if thread is None:
        raise Http404(_("There is no such thread."))
    permissions.check_view_thread(request.user, thread)
    per_page = _posts_per_page()
    num_pages = max(1, page_of(thread.post_count))
    raw_page = request.GET.get("page")
    if raw_page is None:
        # Opening a thread lands on the first post this employee has not read.
        last_read = (
            ThreadRead.objects.filter(employee_id=request.user.pk, thread=thread)
            .values_list("last_read_position", flat=True)
            .first()
        )
        if last_read and last_read < thread.post_count:
            return HttpResponseRedirect(post_url(thread.pk, last_read + 1))
        page = 1
    else:
        page = page_number(raw_page)
        if page == -1:
            page = num_pages
        if page > num_pages:
            raise Http404(_("There is no such page."))
    first = (page - 1) * per_page + 1
    posts = querysets.posts_on_page(thread, first, first + per_page - 1, people=False)
    can_moderate = permissions.post_rights(request.user, thread, posts)
    services.record_visit(thread, viewer=request.user, position=posts[-1].position if posts else 0)
    can_reply = permissions.can_post_reply(request.user, thread)
    ancestors = list(querysets.topic_ancestors(thread.topic))
    return render(
        request,
        "forum/thread_detail.html",
        {
            "thread": thread,
            "topic": thread.topic,
            "posts": posts,
            "views": thread.views + 1,  # this view is counted too
            "crumbs": _crumbs(thread.topic, ancestors),
            "page": page,
            "num_pages": num_pages,
            "can_reply": can_reply,
            "panels": extensions.thread_panels(request.user, thread),
            "can_moderate": can_moderate,
            "form": ReplyForm() if can_reply and page == num_pages else None,
            "solution_url": (
                pk_url("forum:post-redirect", thread.solution_post_id)
                if thread.solution_post_id
                else None
            ),
        },
    )


def _post_or_404(pk: int) -> Post:
    post = querysets.post_with_thread(pk)
    if post is None:
        raise Http404(_("There is no such post."))
    return post


@require_safe
def post_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    permissions.check_view_thread(request.user, post.thread)
    return HttpResponseRedirect(post_url(post.thread_id, post.position))


@require_safe
def post_history(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    permissions.check_view_history(request.user, post)
    revisions = list(querysets.revisions_of(post))
    for revision in revisions:
        revision.body_html = render_markdown(revision.body_md)
    thread = post.thread
    crumbs = _crumbs(thread.topic, list(querysets.topic_ancestors(thread.topic)))
    crumbs.append((thread.title, thread.get_absolute_url()))
    return render(
        request,
        "forum/post_history.html",
        {
            "post": post,
            "thread": thread,
            "revisions": revisions,
            "crumbs": crumbs,
            "post_url": post_url(thread.pk, post.position),
            "can_see_body": permissions.can_see_post_body(request.user, post),
        },
    )


# Writing --------------------------------------------------------------------------------


def _quote(request: HttpRequest, thread: Thread) -> str:
    """The Markdown quote of ?quote=<post id> (a visible post of this thread), or ''."""
    raw = request.GET.get("quote", "")
    if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
        return ""
    post = (
        Post.objects.filter(pk=int(raw), thread=thread, hidden_at=None, deleted_at=None)
        .select_related("author")
        .first()
    )
    if post is None:
        return ""
    lines = [_("%(name)s wrote:") % {"name": post.author.name}, ""]
    lines += post.body_md.splitlines()
    return "\n".join(f"> {line}".rstrip() for line in lines) + "\n\n"


@_write_view
@require_http_methods(["GET", "POST"])
def thread_reply(request: HttpRequest, pk: int) -> HttpResponse:
    thread = querysets.thread_for_writing(pk)
    if thread is None:
        raise Http404(_("There is no such thread."))
    permissions.check_post_reply(request.user, thread)
    status, preview = 200, None
    if request.method == "POST":
        form = ReplyForm(request.POST)

        def reply(data: dict) -> HttpResponse:
            post = services.post_reply(
                thread, author=request.user, body=data["body"],
                submission_key=data["submission_key"],
            )  # fmt: skip
            return HttpResponseRedirect(post_url(thread.pk, post.position))

        response, status, preview = _submit(request, form, reply)
        if response is not None:
            return response
    else:
        form = ReplyForm(initial={"body": _quote(request, thread)})
    crumbs = _crumbs(thread.topic, list(querysets.topic_ancestors(thread.topic)))
    crumbs.append((thread.title, thread.get_absolute_url()))
    return render(
        request,
        "forum/reply_form.html",
        {"thread": thread, "form": form, "preview": preview, "crumbs": crumbs},
        status=status,
    )


@_write_view
@require_http_methods(["GET", "POST"])
def thread_create(request: HttpRequest, slug: str) -> HttpResponse:
    topic = querysets.topic_for_form(slug)
    if topic is None:
        raise Http404(_("There is no such topic."))
    permissions.check_start_thread(request.user, topic)
    status, preview = 200, None
    if request.method == "POST":
        form = ThreadForm(request.POST)

        def start(data: dict) -> HttpResponse:
            thread = services.start_thread(
                topic, author=request.user, title=data["title"], body=data["body"],
                kind=data["kind"], submission_key=data["submission_key"],
            )  # fmt: skip
            return redirect(thread)

        response, status, preview = _submit(request, form, start)
        if response is not None:
            return response
    else:
        form = ThreadForm()
    crumbs = _crumbs(topic, list(querysets.topic_ancestors(topic)))
    return render(
        request,
        "forum/thread_form.html",
        {"topic": topic, "form": form, "preview": preview, "crumbs": crumbs},
        status=status,
    )


@_write_view
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    permissions.check_edit_post(request.user, post)
    thread = post.thread
    with_title = post.position == 1
    status, preview = 200, None
    if request.method == "POST":
        form = EditPostForm(request.POST, with_title=with_title)

        def edit(data: dict) -> HttpResponse:
            # A moderator editing someone else's post goes through the registered handler
            # (moderation audits the edit and tells the author); authors edit here.
            changes = {"body": data["body"], "title": data.get("title"), "reason": data["reason"]}
            if post.author_id == request.user.pk or (
                extensions.moderator_edit(post, by=request.user, **changes) is None
            ):
                services.edit_post(post, editor=request.user, **changes)
            return HttpResponseRedirect(post_url(thread.pk, post.position))

        response, status, preview = _submit(request, form, edit)
        if response is not None:
            return response
    else:
        form = EditPostForm(
            initial={"body": post.body_md, "title": thread.title}, with_title=with_title
        )
    crumbs = _crumbs(thread.topic, list(querysets.topic_ancestors(thread.topic)))
    crumbs.append((thread.title, thread.get_absolute_url()))
    return render(
        request,
        "forum/post_edit.html",
        {
            "post": post,
            "thread": thread,
            "form": form,
            "preview": preview,
            "crumbs": crumbs,
            "post_url": post_url(thread.pk, post.position),
        },
        status=status,
    )


@_write_view
@require_http_methods(["GET", "POST"])
def post_delete(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    permissions.check_delete_post(request.user, post)
    if request.method == "POST":
        services.delete_post(post, by=request.user)
        return HttpResponseRedirect(post_url(post.thread_id, post.position))
    thread = post.thread
    crumbs = _crumbs(thread.topic, list(querysets.topic_ancestors(thread.topic)))
    crumbs.append((thread.title, thread.get_absolute_url()))
    return render(
        request,
        "forum/post_delete.html",
        {
            "post": post,
            "thread": thread,
            "crumbs": crumbs,
            "post_url": post_url(thread.pk, post.position),
        },
    )


@_write_view
@require_POST
def post_restore(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post_or_404(pk)
    permissions.check_restore_post(request.user, post)
    services.restore_post(post, by=request.user)
    return HttpResponseRedirect(post_url(post.thread_id, post.position))


@_write_view
@require_POST
def thread_solution(request: HttpRequest, pk: int) -> HttpResponse:
    thread = querysets.thread_for_page(pk)
    if thread is None:
        raise Http404(_("There is no such thread."))
    permissions.check_mark_solution(request.user, thread)
    raw = request.POST.get("post", "")
    post = None
    if raw:
        if not raw.isascii() or not raw.isdigit() or len(raw) > 18:
            raise Http404(_("There is no such post."))
        post = get_object_or_404(Post, pk=int(raw), thread=thread)
    try:
        services.mark_solution(thread, post=post, by=request.user)
    except ValidationError as exc:
        return render(request, "403.html", {"reason": " ".join(exc.messages)}, status=400)
    if post is None:
        return redirect(thread)
    return HttpResponseRedirect(post_url(thread.pk, post.position))
