from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.services import OrgImportError, import_org


class Command(BaseCommand):
    help = "Load units and employees from a CSV file (format in README.md), all or nothing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options) -> None:
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}") from exc
        try:
            report = import_org(text)
        except OrgImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            raise CommandError(
                f"{len(exc.errors)} problem(s) in {file}; nothing was imported."
            ) from exc
        self.stdout.write(
            f"imported {file}: {report.created} created, {report.updated} updated, "
            f"{report.unchanged} unchanged"
        )
