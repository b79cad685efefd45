from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD

# Each app that has demo data offers `<app>.demo.seed()`; they run in this order.
DEMO_MODULES = ["accounts.demo", "moderation.demo", "forum.demo"]


class Command(BaseCommand):
    help = "Load the demo organisation, topics, threads and moderation cases (idempotent)."

    def handle(self, *args, **options) -> None:
        logins: list[tuple[str, str]] = []
        with transaction.atomic():
            for name in DEMO_MODULES:
                try:
                    module = import_module(name)
                except ModuleNotFoundError as exc:
                    if exc.name != name:
                        raise
                    continue
                logins.extend(module.seed() or [])
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        seen = set()
        for email, role in logins:
            if email not in seen:
                seen.add(email)
                self.stdout.write(f"  {email:45} {role}")
        self.stdout.write(f"  {'kari.nordmann@erfaringsforum.example':45} employee (and ~50 more)")
