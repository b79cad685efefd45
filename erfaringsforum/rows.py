"""Writing a few fields of a row the service holds (locked)."""

from django.db.models import Model


def save_fields(row: Model, **values) -> None:
    """Set these fields on `row` and save only them: what is written is what was set, so
    the two lists cannot disagree."""
    for name, value in values.items():
        setattr(row, name, value)
    row.save(update_fields=list(values))
