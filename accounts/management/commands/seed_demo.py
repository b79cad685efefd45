from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD

# (module, function) in order: the organisation, back-offices, the forum's topics and
# threads, then the moderation cases that need those threads.
DEMO_STEPS = [
    ("accounts.demo", "seed"),
    ("moderation.demo", "seed"),
    ("forum.demo", "seed"),
    ("moderation.demo", "seed_after_forum"),
]


class Command(BaseCommand):
    help = "Load the demo organisation, topics, threads and moderation cases (idempotent)."

    def handle(self, *args, **options) -> None:
        logins: list[tuple[str, str]] = []
        with transaction.atomic():
            for module_name, function in DEMO_STEPS:
                logins.extend(getattr(import_module(module_name), function)() or [])
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"Every demo login has the password: {DEMO_PASSWORD}")
        seen = set()
        for email, role in logins:
            if email not in seen:
                seen.add(email)
                self.stdout.write(f"  {email:45} {role}")
        self.stdout.write(f"  {'kari.nordmann@erfaringsforum.example':45} employee (and ~50 more)")
