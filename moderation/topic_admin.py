"""The admin for topics: a draggable tree with staffing and the publishing gate.

Part of moderation (imported by moderation/admin.py): staffing and publishing go through
moderation.services, so the admin obeys the same gate, grants the same guardian rights and
writes the same audit entries as every other path. The forum's own admin (forum/admin.py)
has the read-only threads and posts, and imports nothing above the forum.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
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
            "position",
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
    list_display = [
        "tree_actions",
        "indented_title",
        "published_state",
        "moderator",
        "deputy_moderator",
        "back_office",
        "staffing_state",
        "thread_count",
    ]
    list_display_links = ["indented_title"]
    list_filter = [("published_at", admin.EmptyFieldListFilter), "back_office"]
    list_select_related = ["moderator", "deputy_moderator", "back_office"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    # Raw id inputs with a lookup popup: a select of 20,000 employees is too heavy, and
    # select2's combobox has no accessible name.
    raw_id_fields = ["moderator", "deputy_moderator"]
    readonly_fields = ["published_at", "thread_count", "post_count", "last_activity_at"]
    actions = ["publish_topics", "unpublish_topics"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "parent", "description", "position"]}),
        (
            _("Staffing"),
            {
                "fields": ["moderator", "deputy_moderator", "back_office"],
                "description": _(
                    "A topic can be published only with a moderator and a back-office that "
                    "has a member other than the moderator."
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

    @admin.display(description=_("Move"))
    def tree_actions(self, item: Topic, *args, **kwargs) -> str:
        # django-mptt's drag handle column has an empty header (axe: empty-table-header).
        return super().tree_actions(item, *args, **kwargs)

    @admin.display(description=_("published"), boolean=True, ordering="published_at")
    def published_state(self, item: Topic) -> bool:
        return item.is_published

    @admin.display(description=_("staffed"), boolean=True)
    def staffing_state(self, item: Topic) -> bool:
        return bool(item.moderator_id and item.back_office_id)

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
