"""Social pages: the useful mark, mention suggestions, a person's profile, my threads and
my posts."""

import re

from django.core.exceptions import ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.querysets import mention_suggestions as suggestions_for
from erfaringsforum.pagination import page_number
from erfaringsforum.urlcache import fixed_url
from forum import permissions, querysets, services
from forum.views.helpers import post_url, write_view
from forum.views.reading import post_or_404

# What may follow the @ while typing: the start of a handle or of a name.
_TYPED = re.compile(r"^[\w.\- ]{1,40}$")
PEOPLE_PER_PAGE = 20


@write_view("POST")
def post_useful(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a post useful, or take the mark back (undo=1); back to the post."""
    post = post_or_404(pk)
    permissions.check_mark_useful(request.user, post)
    try:
        if request.POST.get("undo"):
            services.unmark_useful(post, by=request.user)
        else:
            services.mark_useful(post, by=request.user)
    except ValidationError as exc:
        return render(request, "403.html", {"reason": " ".join(exc.messages)}, status=400)
    return HttpResponseRedirect(post_url(post.thread_id, post.position))


@require_safe
def mention_suggestions(request: HttpRequest) -> JsonResponse:
    """Colleagues matching what follows an @ (?q=), as JSON for static/js/mentions.js:
    {"people": [{"handle", "name", "unit"}]}. 400 for an empty or odd query."""
    typed = request.GET.get("q", "").strip()
    if not _TYPED.match(typed):
        return JsonResponse({"error": _("Type the start of a name.")}, status=400)
    people = [
        {"handle": handle, "name": name, "unit": unit}
        for handle, name, unit in suggestions_for(typed)
    ]
    return JsonResponse({"people": people})


@require_safe
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    """A colleague's profile: unit, county, title, the topics they moderate or back (those
    the viewer can see), their recent threads (in topics the viewer can see) and the useful
    marks their posts received."""
    employee = querysets.profile_of(pk)
    if employee is None:
        raise Http404(_("There is no such employee."))
    visible = permissions.topics_visible_to(request.user, querysets.topic_tree())
    return render(
        request,
        "forum/profile.html",
        {
            "employee": employee,
            "crumbs": [(_("Topics"), fixed_url("forum:home")), (employee.name, request.path)],
            "staffed": querysets.topics_staffed_by(employee, visible),
            "threads": querysets.recent_threads_by(employee, visible),
            "useful_received": employee.useful_received,
        },
    )


def _page(request: HttpRequest) -> int:
    page = page_number(request.GET.get("page"))
    if page < 1:
        raise Http404(_("There is no such page."))
    return page


@require_safe
def my_threads(request: HttpRequest) -> HttpResponse:
    """The threads I started, newest first (in topics I can still see)."""
    page = _page(request)
    visible = permissions.topics_visible_to(request.user, querysets.topic_tree())
    threads, more = querysets.threads_started_by(
        request.user, visible, offset=(page - 1) * PEOPLE_PER_PAGE, limit=PEOPLE_PER_PAGE
    )
    return render(
        request, "forum/my_threads.html", {"threads": threads, "page": page, "more": more}
    )


@require_safe
def my_posts(request: HttpRequest) -> HttpResponse:
    """The posts I wrote, newest first (in topics I can still see), with their threads."""
    page = _page(request)
    visible = permissions.topics_visible_to(request.user, querysets.topic_tree())
    posts, more = querysets.posts_written_by(
        request.user, visible, offset=(page - 1) * PEOPLE_PER_PAGE, limit=PEOPLE_PER_PAGE
    )
    return render(request, "forum/my_posts.html", {"posts": posts, "page": page, "more": more})
