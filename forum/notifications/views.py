"""The notification list, watching, preferences and the unsubscribe page (thin views)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from forum import permissions as forum_permissions
from forum.models import Thread, Topic
from forum.notifications import kinds, mail, permissions, querysets, services
from forum.notifications.forms import STOP, MarkReadForm, PreferenceForm, WatchForm

GET_POST = require_http_methods(["GET", "HEAD", "POST"])


def _crumbs(request: HttpRequest, label: str, *parents) -> list[tuple[str, str]]:
    return [(_("Topics"), reverse("forum:home")), *parents, (label, request.path)]


@require_safe
def notification_list(request: HttpRequest) -> HttpResponse:
    """The newest notifications grouped by thread and kind, each linking to the first post
    not yet read. Text made now, in the reader's language."""
    user = request.user
    qs = permissions.notifications_visible_to(user, querysets.recent_for(user))
    groups = querysets.group_by_thread(list(qs[: querysets.LIST_WINDOW]))
    items = []
    for group in groups:
        text, _link = mail.group_line(group, user)
        items.append({"group": group, "text": text,
                      "url": reverse("notifications:open", kwargs={"pk": group.first.pk}),
                      "ids": ",".join(str(pk) for pk in group.unread_ids)})  # fmt: skip
    return render(
        request,
        "notifications/list.html",
        {"items": items, "any_unread": any(g.unread for g in groups),
         "crumbs": _crumbs(request, _("Notifications"))},
    )  # fmt: skip


@require_POST
def notification_mark_read(request: HttpRequest) -> HttpResponse:
    form = MarkReadForm(request.POST)
    if not form.is_valid():
        return render(request, "400.html", {"message": form.errors["ids"][0]}, status=400)
    services.mark_read(request.user, ids=form.cleaned_data["ids"])
    return redirect("notifications:list")


@require_safe
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification: its group is marked read, then its first unread post."""
    user = request.user
    qs = permissions.notifications_visible_to(user, querysets.recent_for(user).filter(pk=pk))
    notification = qs.first()
    if notification is None:
        raise Http404(_("There is no such notification."))
    same = querysets.recent_for(user).filter(kind=notification.kind, read_at__isnull=True)
    if notification.thread_id:
        same = same.filter(thread_id=notification.thread_id)
    else:
        same = same.filter(pk=notification.pk)
    group = querysets.group_by_thread(list(same) or [notification])[0]
    services.mark_read(user, ids=group.ids)
    return HttpResponseRedirect(mail.group_url(group))


@GET_POST
def watched(request: HttpRequest) -> HttpResponse:
    """What I watch or muted; each can be changed or stopped."""
    watches = list(querysets.watches_of(request.user))
    shown = [
        w
        for w in watches
        if w.topic_id or forum_permissions.can_view_thread(request.user, w.thread)
    ]
    return render(
        request,
        "notifications/watches.html",
        {"watches": shown, "crumbs": _crumbs(request, _("What I watch"))},
    )


def _watch_page(request: HttpRequest, *, thread: Thread | None, topic: Topic | None):
    current = querysets.watch_of(request.user, thread=thread, topic=topic)
    if request.method == "POST":
        form = WatchForm(request.POST)
        if form.is_valid():
            level = form.cleaned_data["level"]
            if level == STOP:
                services.stop_watching(request.user, thread=thread, topic=topic)
            else:
                services.set_watch(request.user, level=level, thread=thread, topic=topic)
            target = thread if thread is not None else topic
            return HttpResponseRedirect(target.get_absolute_url())
        status = 400
    else:
        form = WatchForm(initial={"level": current.level if current else STOP})
        status = 200
    target = thread if thread is not None else topic
    label = thread.title if thread is not None else topic.name
    return render(
        request,
        "notifications/watch.html",
        {"form": form, "target_label": label, "target_url": target.get_absolute_url(),
         "is_thread": thread is not None, "current": current,
         "crumbs": _crumbs(request, _("Follow"), (label, target.get_absolute_url()))},
        status=status,
    )  # fmt: skip


@GET_POST
def watch_thread(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_object_or_404(Thread.objects.select_related("topic"), pk=pk)
    permissions.check_watch_thread(request.user, thread)
    return _watch_page(request, thread=thread, topic=None)


@GET_POST
def watch_topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    permissions.check_watch_topic(request.user, topic)
    return _watch_page(request, thread=None, topic=topic)


@GET_POST
def preference_settings(request: HttpRequest) -> HttpResponse:
    preference = querysets.preference_of(request.user)
    if request.method == "POST":
        form = PreferenceForm(request.POST, instance=preference)
        if form.is_valid():
            services.save_preference(
                request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields}
            )
            return redirect("notifications:settings")
        status = 400
    else:
        form = PreferenceForm(instance=preference)
        status = 200
    return render(
        request,
        "notifications/settings.html",
        {"form": form, "crumbs": _crumbs(request, _("Notification settings"))},
        status=status,
    )


@login_not_required
@csrf_exempt  # the signed token is the proof; mail clients POST it (RFC 8058) without a form
@GET_POST
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """One-click unsubscribe from a mail: GET shows one button, POST (the button, or the
    mail client's List-Unsubscribe-Post) stops that kind of mail. No login needed."""
    try:
        _employee_id, category = services.read_unsubscribe_token(token)
    except ValidationError as exc:
        return render(
            request, "notifications/unsubscribe.html", {"error": exc.messages[0]}, status=400
        )
    done = False
    if request.method == "POST":
        try:
            services.unsubscribe(token)
        except ValidationError as exc:
            return render(
                request, "notifications/unsubscribe.html", {"error": exc.messages[0]}, status=400
            )
        done = True
    labels = {
        kinds.ADDRESSED: _("mails when you are addressed"),
        kinds.WATCHED: _("mails about what you watch"),
        kinds.STAFF: _("mails about your topics' consultations, reports and escalations"),
    }
    return render(
        request,
        "notifications/unsubscribe.html",
        {"done": done, "what": labels[category]},
    )
