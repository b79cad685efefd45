#!/usr/bin/env python
import os
import secrets
import sys

# Commands that neither serve requests nor sign anything: they run without a SECRET_KEY (a
# throwaway one for this process), so `makemigrations --check` works in a bare shell or CI.
# Everything else refuses to start without a real key when DEBUG is off.
KEYLESS_COMMANDS = {"makemigrations", "showmigrations", "sqlmigrate", "makemessages",
                    "compilemessages"}  # fmt: skip


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "erfaringsforum.settings")
    if len(sys.argv) > 1 and sys.argv[1] in KEYLESS_COMMANDS and not os.environ.get("SECRET_KEY"):
        os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018  (load the settings now, to report their refusal)
    except ImproperlyConfigured as exc:
        # Django would otherwise swallow this and fail later with "Models aren't loaded yet".
        sys.exit(f"manage.py: {exc}")
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
