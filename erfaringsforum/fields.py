"""Field shapes the apps' models share."""

from django.db import models


def optional_reference(
    to: type[models.Model] | str,
    verbose_name: str | None = None,
    *,
    related_name: str,
    on_delete=models.PROTECT,
    field: type[models.ForeignKey] = models.ForeignKey,
    **options,
) -> models.ForeignKey:
    """A reference that may be empty (NULL in the database, blank in forms) and, unless
    `on_delete` says otherwise, keeps the row it points at from being deleted: a topic's
    staff, a unit's county, who hid a post. `field` is the ForeignKey class (mptt's
    TreeForeignKey for a tree's parent); the column and its migration are a plain
    ForeignKey's."""
    return field(
        to,
        verbose_name=verbose_name,
        on_delete=on_delete,
        null=True,
        blank=True,
        related_name=related_name,
        **options,
    )
