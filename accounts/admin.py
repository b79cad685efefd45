from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import County, Employee, Unit


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
