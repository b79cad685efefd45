from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import (
    ReadOnlyPasswordHashField,
    ReadOnlyPasswordHashWidget,
    UserChangeForm,
)
from django.utils.translation import gettext_lazy as _

from accounts.models import County, Employee, Unit
from erfaringsforum.admin_helpers import AutocompleteAdminMixin


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["number", "name"]
    search_fields = ["name", "number"]


@admin.register(Unit)
class UnitAdmin(AutocompleteAdminMixin, admin.ModelAdmin):
    list_display = ["number", "name", "kind", "county", "parent"]
    list_filter = ["kind", "county"]
    search_fields = ["name", "number"]
    list_select_related = ["county", "parent"]
    autocomplete_fields = ["parent"]


class PasswordSummaryWidget(ReadOnlyPasswordHashWidget):
    """Django's read-only password summary (a <div> with a link) without the attributes of
    a form control that its field gives it: `disabled` is not allowed on a <div> (Nu HTML
    Checker) and its aria-describedby names a help text the admin renders without an id."""

    def get_context(self, name: str, value, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        for attr in ("disabled", "aria-describedby"):
            context["widget"]["attrs"].pop(attr, None)
        return context


class EmployeeChangeForm(UserChangeForm):
    password = ReadOnlyPasswordHashField(label=_("Password"), widget=PasswordSummaryWidget)


@admin.register(Employee)
class EmployeeAdmin(AutocompleteAdminMixin, UserAdmin):
    form = EmployeeChangeForm
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
    # The dates are the system's record, not the admin's to type: read-only (the two
    # unlabelled inputs of a split date-time widget go too).
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups":  # two roles: check boxes (named, no script needed)
            kwargs["widget"] = forms.CheckboxSelectMultiple
            # Django's help text would be linked by an id the admin does not render for a
            # group of check boxes; the two role names say what they give.
            kwargs["help_text"] = ""
        return super().formfield_for_manytomany(db_field, request, **kwargs)
