from django.core.management.base import BaseCommand

from forum.services import refresh_unit_topics


class Command(BaseCommand):
    help = (
        "Rebuild each unit's usual topics (where its employees wrote most lately), which the "
        "home page's unanswered questions read. Run daily."
    )

    def handle(self, *args, **options) -> None:
        count = refresh_unit_topics()
        self.stdout.write(f"{count} usual topics for the units.")
