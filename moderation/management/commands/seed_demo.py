"""`manage.py seed_demo`: the demo organisation, topics, threads and moderation cases.

A command of the moderation app, the top of the apps' direction, so it may import every
app's demo module: accounts.demo (the organisation), then moderation.demo, which staffs and
publishes the topics, has forum.demo write the threads and opens the moderation cases.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

from accounts import demo as accounts_demo
from forum.services import refresh_unit_topics
from moderation import demo as moderation_demo

# The demo writes some thirty posts within a second through forum.services; the posting
# limits are there to slow people down, not this seed, so they are lifted for this
# command's run only (override_settings restores them when it ends).
DEMO_LIMITS = {"FORUM_POST_INTERVAL_SECONDS": 0, "FORUM_THREADS_PER_DAY": 10_000}


class Command(BaseCommand):
    help = "Load the demo organisation, topics, threads and moderation cases (idempotent)."

    def handle(self, *args, **options) -> None:
        with override_settings(**DEMO_LIMITS), transaction.atomic():
            logins = accounts_demo.seed() + moderation_demo.seed()
            refresh_unit_topics()  # the home page's "your units' usual topics"
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))
        self.stdout.write(f"Every demo login has the password: {accounts_demo.DEMO_PASSWORD}")
        seen = set()
        for email, role in logins:
            if email not in seen:
                seen.add(email)
                self.stdout.write(f"  {email:45} {role}")
        self.stdout.write(f"  {'kari.nordmann@erfaringsforum.example':45} employee (and ~50 more)")
