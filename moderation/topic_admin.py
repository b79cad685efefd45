"""The admin for topics: a draggable tree with staffing and the publishing gate.

Part of moderation (imported by moderation/admin.py): staffing and publishing go through
moderation.services, so the admin obeys the same gate, grants the same guardian rights and
writes the same audit entries as every other path. The forum's own admin (forum/admin.py)
has the read-only threads and posts, and imports nothing above the forum.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import OuterRef, QuerySet, Subquery, Sum
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from mptt.admin import DraggableMPTTAdmin

from forum.models import Topic
from moderation import services

STAFFING_FIELDS = ("moderator", "deputy_moderator", "back_office")


class TopicAdminForm(forms.ModelForm):
    """Validates staffing with the services' own rules, so the admin shows their message."""

    class Meta:
        model = Topic
        fields = [
            "name",
            "slug",
            "parent",
            "description",
            "moderator",
            "deputy_moderator",
            "back_office",
        ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        errors = services.staffing_errors(
            self.instance,
            moderator=cleaned.get("moderator"),
            back_office=cleaned.get("back_office"),
            deputy_moderator=cleaned.get("deputy_moderator"),
        )
        if errors:
            raise ValidationError(errors)
        return cleaned


@admin.register(Topic)
class TopicAdmin(DraggableMPTTAdmin):
    form = TopicAdminForm
    # Six narrow columns: the list fits 1,280 px beside the filters (the deputy is on the
    # change page; the state says both "published" and whether a draft is staffed).
    list_display = [
        "tree_actions",
        "indented_title",
        "state",
        "moderator",
        "back_office",
        "threads_in_tree",
    ]
    list_display_links = ["indented_title"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "back_office"]
    list_select_related = ["moderator", "deputy_moderator", "back_office"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Search as you type (the employee admin's search_fields): a select of 20,000 employees
    # is too heavy, a raw id is unusable.
    autocomplete_fields = ["moderator", "deputy_moderator", "back_office"]
    readonly_fields = ["published_at", "thread_count", "post_count", "last_activity_at"]
    actions = ["publish_topics", "unpublish_topics"]
    fieldsets = [
        # One way of ordering: drag and drop in the list (the position field is not offered).
        (None, {"fields": ["name", "slug", "parent", "description"]}),
        (
            _("Staffing"),
            {
                "fields": ["moderator", "deputy_moderator", "back_office"],
                "description": _(
                    "A draft may be saved without full staffing. It can be published only "
                    "with a moderator and a back-office that has a member other than the "
                    "moderator."
                ),
            },
        ),
        (
            _("State"),
            {"fields": ["published_at", "thread_count", "post_count", "last_activity_at"]},
        ),
    ]

    @admin.display(description=_("title"))
    def indented_title(self, item: Topic) -> str:
        # No inline style (the CSP forbids it): the depth is shown with dashes.
        return format_html("{}{}", "— " * item.level, item.name)

    change_form_template = "admin/forum/topic/change_form.html"

    class Media:
        js = ["js/admin-autocomplete-labels.js"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Topic]:
        # A parent topic counts its subtopics' threads, as the home page does: the sum over
        # its mptt range (one correlated subquery on the tree index).
        in_tree = (
            Topic.objects.filter(
                tree_id=OuterRef("tree_id"), lft__gte=OuterRef("lft"), rght__lte=OuterRef("rght")
            )
            .order_by()
            .values("tree_id")
            .annotate(n=Sum("thread_count"))
            .values("n")
        )
        return super().get_queryset(request).annotate(threads_in_tree=Subquery(in_tree))

    @admin.display(description=_("state"), ordering="published_at")
    def state(self, item: Topic) -> str:
        if item.is_published:
            return _("Published")
        if item.moderator_id and item.back_office_id:
            return _("Draft, staffed")
        return _("Draft, not staffed")

    @admin.display(description=_("threads"), ordering="threads_in_tree")
    def threads_in_tree(self, item: Topic) -> int:
        return item.threads_in_tree or 0

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/publish/",
                wrap(self.publish_view),
                name="forum_topic_publish",
            ),
            path(
                "<path:object_id>/unpublish/",
                wrap(self.unpublish_view),
                name="forum_topic_unpublish",
            ),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict | None = None,
    ) -> HttpResponse:
        topic = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if topic is not None:
            can_change = self.has_change_permission(request, topic)
            extra_context["publishing"] = {
                "is_published": topic.is_published,
                # Problems of the saved staffing: the gate publishes what is saved.
                "problems": [] if topic.is_published else services.staffing_problems(topic),
                "can_change": can_change,
                "url": reverse(
                    f"admin:forum_topic_{'unpublish' if topic.is_published else 'publish'}",
                    args=[topic.pk],
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _gate_view(self, request: HttpRequest, object_id: str, publish: bool) -> HttpResponse:
        topic = get_object_or_404(Topic, pk=object_id)
        if not self.has_change_permission(request, topic):
            raise PermissionDenied
        try:
            if publish:
                services.publish_topic(topic, by=request.user)
            else:
                services.unpublish_topic(topic, by=request.user)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
        else:
            message = (
                _("The topic “%(topic)s” is published.")
                if publish
                else _("The topic “%(topic)s” is unpublished: only its staff and admins see it.")
            )
            self.message_user(request, message % {"topic": topic.name}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:forum_topic_change", args=[topic.pk]))

    @method_decorator(require_POST)
    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._gate_view(request, object_id, publish=True)

    @method_decorator(require_POST)
    def unpublish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._gate_view(request, object_id, publish=False)

    def save_model(self, request: HttpRequest, obj: Topic, form, change: bool) -> None:
        wanted = {name: form.cleaned_data.get(name) for name in STAFFING_FIELDS}
        if change:
            current = Topic.objects.get(pk=obj.pk)
            for name in STAFFING_FIELDS:
                setattr(obj, f"{name}_id", getattr(current, f"{name}_id"))
        else:
            for name in STAFFING_FIELDS:
                setattr(obj, name, None)
        super().save_model(request, obj, form, change)
        if any(getattr(obj, f"{n}_id") != (v.pk if v else None) for n, v in wanted.items()):
            services.staff_topic(
                obj,
                by=request.user,
                moderator=wanted["moderator"],
                back_office=wanted["back_office"],
                deputy_moderator=wanted["deputy_moderator"],
                reason=str(_("Changed in the admin")),
            )
            obj.refresh_from_db()

    def has_delete_permission(self, request: HttpRequest, obj: Topic | None = None) -> bool:
        # A published topic is unpublished (through the gate) before it can be deleted.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    @admin.action(description=_("Publish the selected topics"))
    def publish_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        published = 0
        for topic in queryset:
            try:
                services.publish_topic(topic, by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                published += 1
        if published:
            self.message_user(
                request, _("%(n)d topic(s) published.") % {"n": published}, messages.SUCCESS
            )

    @admin.action(description=_("Unpublish the selected topics"))
    def unpublish_topics(self, request: HttpRequest, queryset: QuerySet[Topic]) -> None:
        for topic in queryset:
            services.unpublish_topic(topic, by=request.user)
        self.message_user(
            request, _("%(n)d topic(s) unpublished.") % {"n": queryset.count()}, messages.SUCCESS
        )
