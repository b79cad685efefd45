from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.http import HttpRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """An admin that shows rows but never adds, changes or deletes them: the services do."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class LabelledAutocompleteSelect(AutocompleteSelect):
    """Django's AutocompleteSelect, whose empty choice (a field that may be left empty)
    carries a label: Django writes <option value=""></option>, which HTML does not allow
    (an option needs text or a label; the Nu HTML Checker). select2 shows its own
    placeholder, so the label is seen nowhere."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value == "" and not label:
            option["attrs"]["label"] = "—"
        return option


class AutocompleteAdminMixin:
    """A ModelAdmin whose autocomplete_fields foreign keys use LabelledAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
