from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import services
from accounts.models import County, Employee, Unit


def protected_relations(employee: Employee) -> list[tuple[str, int]]:
    """What keeps the employee from being deleted, as (name, count): every PROTECT relation
    that holds rows of theirs (posts, threads, topics they staff, audit entries...)."""
    blockers = []
    for relation in Employee._meta.related_objects:
        if relation.on_delete is not models.PROTECT:
            continue
        count = relation.related_model._base_manager.filter(
            **{relation.field.name: employee}
        ).count()
        if count:
            name = f"{capfirst(relation.related_model._meta.verbose_name_plural)} "
            name += f"({relation.field.verbose_name})"
            blockers.append((name, count))
    return blockers


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name", "number"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "kind", "county", "parent"]
    list_filter = ["kind", "county"]
    search_fields = ["name", "number"]
    list_select_related = ["county", "parent"]
    autocomplete_fields = ["parent"]


@admin.register(Employee)
class EmployeeAdmin(UserAdmin):
    ordering = ["name"]
    list_display = ["name", "email", "title", "unit", "is_staff", "is_active"]
    list_filter = ["is_staff", "is_active", "groups", "unit__county"]
    list_select_related = ["unit"]
    search_fields = ["name", "email", "unit__name"]
    autocomplete_fields = ["unit"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Person"), {"fields": ["name", "title", "unit"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "name", "unit", "password1", "password2"]},
        ),
    ]
    filter_horizontal = ["groups"]
    delete_confirmation_template = "admin/accounts/employee/delete_confirmation.html"

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        match = request.resolver_match
        if match is not None and match.url_name == "autocomplete":
            # Only active employees can be named moderator or back-office member.
            queryset = queryset.filter(is_active=True)
        return queryset, may_have_duplicates

    def get_urls(self):
        return [
            path(
                "<path:object_id>/deactivate/",
                self.admin_site.admin_view(self.deactivate_view),
                name="accounts_employee_deactivate",
            ),
            *super().get_urls(),
        ]

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict | None = None
    ) -> HttpResponse:
        employee = self.get_object(request, object_id)
        extra_context = dict(extra_context or {})
        if employee is not None:
            extra_context["blockers"] = protected_relations(employee)
            extra_context["can_deactivate"] = employee.is_active and self.has_change_permission(
                request, employee
            )
            extra_context["deactivate_url"] = reverse(
                "admin:accounts_employee_deactivate", args=[employee.pk]
            )
        return super().delete_view(request, object_id, extra_context)

    @method_decorator(require_POST)
    def deactivate_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        employee = get_object_or_404(Employee, pk=object_id)
        if not self.has_change_permission(request, employee):
            raise PermissionDenied
        services.deactivate_employee(employee, by=request.user)
        self.message_user(
            request,
            _("%(name)s is deactivated: they can no longer sign in; what they wrote stays.")
            % {"name": employee.name},
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:accounts_employee_change", args=[employee.pk]))
