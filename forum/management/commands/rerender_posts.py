from django.core.management.base import BaseCommand

from forum.markdown import RENDERER_VERSION
from forum.services import rerender_posts


class Command(BaseCommand):
    help = "Re-render the HTML of every post stored with an older Markdown renderer version."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int = 500, **options) -> None:
        count = rerender_posts(batch_size=batch_size)
        self.stdout.write(f"Re-rendered {count} posts to renderer version {RENDERER_VERSION}.")
