"""Form plumbing shared by every app's views."""

from django.core.exceptions import ValidationError
from django.forms import Form


def add_service_error(form: Form, exc: ValidationError) -> None:
    """Put a service's refusal on the form: onto the field it names where the form has that
    field, otherwise onto the form as a whole, so the page comes back with the text kept."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)
