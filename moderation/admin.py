"""Back-offices (with their members, through the services), and read-only moderation records."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from accounts.models import Employee
from erfaringsforum.admin_helpers import ReadOnlyAdmin
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
        widget=FilteredSelectMultiple(_("members"), is_stacked=False),
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
