"""Back-offices (with their members, through the services), and read-only moderation records."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.admin import EmployeeAdmin
from accounts.models import Employee
from erfaringsforum.admin_helpers import ReadOnlyAdmin
from forum.models import Topic
from moderation import services, topic_admin  # noqa: F401  (registers the Topic admin)
from moderation.models import (
    AuditEntry,
    BackOffice,
    ClarifiedAnswer,
    Escalation,
    Report,
)


class BackOfficeForm(forms.ModelForm):
    experts = forms.ModelMultipleChoiceField(
        label=_("members"),
        queryset=Employee.objects.filter(is_active=True).order_by("name"),
        required=False,
        # Search as you type over the employee admin's search fields (20,000 employees).
        widget=AutocompleteSelectMultiple(BackOffice._meta.get_field("members"), admin.site),
        help_text=_("Subject experts. A published topic needs a member besides its moderator."),
    )

    class Meta:
        model = BackOffice
        fields = ["name", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["experts"].initial = list(
                self.instance.memberships.values_list("employee_id", flat=True)
            )

    def clean(self):
        cleaned = super().clean()
        experts = cleaned.get("experts")
        if experts is not None:
            errors = services.back_office_member_errors(self.instance, [e.pk for e in experts])
            if errors:
                raise ValidationError(errors)
        return cleaned


@admin.register(BackOffice)
class BackOfficeAdmin(admin.ModelAdmin):
    form = BackOfficeForm

    class Media:
        js = ["js/admin-autocomplete-labels.js"]

    list_display = ["name", "member_count", "topic_names"]
    search_fields = ["name"]

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).prefetch_related("memberships", "topics")

    @admin.display(description=_("members"))
    def member_count(self, obj: BackOffice) -> int:
        return len(obj.memberships.all())

    @admin.display(description=_("topics"))
    def topic_names(self, obj: BackOffice) -> str:
        return ", ".join(t.name for t in obj.topics.all()) or "–"

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        services.set_back_office_members(
            form.instance, members=form.cleaned_data["experts"], by=request.user
        )


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target", "topic", "reason"]
    list_filter = ["action", "topic"]
    list_select_related = ["actor", "topic"]
    search_fields = ["target", "reason", "actor__name"]
    date_hierarchy = "created_at"


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "post", "reporter", "status", "resolved_by"]
    list_filter = ["status"]
    list_select_related = ["post", "reporter", "resolved_by"]


@admin.register(Escalation)
class EscalationAdmin(ReadOnlyAdmin):
    list_display = ["received_at", "thread", "department", "category", "status"]
    list_filter = ["status", "category", "department"]
    list_select_related = ["thread", "department"]


@admin.register(ClarifiedAnswer)
class ClarifiedAnswerAdmin(ReadOnlyAdmin):
    list_display = ["post", "clarified_by", "clarified_at", "legal_reference", "review_by"]
    list_select_related = ["post", "clarified_by"]


def topic_links(topics) -> str:
    links = format_html_join(
        ", ",
        '<a href="{}">{}</a>',
        ((reverse("admin:forum_topic_change", args=[t.pk]), t.name) for t in topics),
    )
    return links or "–"


class StaffingEmployeeAdmin(EmployeeAdmin):
    """The accounts app's employee admin, with the topics a person staffs (read-only; the
    staffing is changed on the topic or back-office page). Registered here, not in accounts,
    because topics and back-offices are above it (accounts <- forum <- moderation)."""

    readonly_fields = ["moderates", "backs"]

    def get_fieldsets(self, request: HttpRequest, obj: Employee | None = None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Topics"), {"fields": ["moderates", "backs"]})]

    @admin.display(description=_("moderator of"))
    def moderates(self, obj: Employee) -> str:
        topics = Topic.objects.filter(moderator=obj) | Topic.objects.filter(deputy_moderator=obj)
        return topic_links(topics.order_by("tree_id", "lft"))

    @admin.display(description=_("back-office member for"))
    def backs(self, obj: Employee) -> str:
        back_offices = BackOffice.objects.filter(memberships__employee=obj).order_by("name")
        items = format_html_join(
            "; ",
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("admin:moderation_backoffice_change", args=[b.pk]),
                    b.name,
                    topic_links(b.topics.order_by("tree_id", "lft")),
                )
                for b in back_offices
            ),
        )
        return items or "–"


admin.site.unregister(Employee)
admin.site.register(Employee, StaffingEmployeeAdmin)
