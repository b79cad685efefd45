"""Fold moderation's notifications into this app: each old row (a sentence in the actor's
language) becomes a "message" notification that shows its stored sentence; new rows are
kinds with ids (moderation.notices)."""

from django.db import migrations


def copy(apps, schema_editor):
    Old = apps.get_model("moderation", "Notification")
    New = apps.get_model("notifications", "Notification")
    batch = []
    for old in Old.objects.order_by("pk").iterator(chunk_size=2000):
        batch.append(
            New(
                recipient_id=old.recipient_id, kind="message",
                params={"message": old.message, "url": old.url},
                created_at=old.created_at, read_at=old.read_at,
            )
        )  # fmt: skip
        if len(batch) >= 2000:
            New.objects.bulk_create(batch)
            batch = []
    New.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("moderation", "0007_internal_note_submission_key"),
    ]

    operations = [migrations.RunPython(copy, migrations.RunPython.noop)]
