from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def ensure_topic_permissions(sender, using: str = "default", **kwargs) -> None:
    """Create the per-topic object permissions guardian assigns (also after a test flush)."""
    from moderation.permissions import ensure_permission_rows

    ensure_permission_rows(using=using)


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        post_migrate.connect(ensure_topic_permissions, sender=self)
        from moderation import extensions  # needs the models: imported once they are ready

        extensions.register()
