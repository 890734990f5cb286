from django.core.management.base import BaseCommand

from partners.services import reference


class Command(BaseCommand):
    help = "Load the real partner organisations of the province of Utrecht (idempotent)."

    def handle(self, *args: object, **options: object) -> None:
        report = reference.load_reference_organisations()
        self.stdout.write(
            f"Organisations: {len(report.created)} created, {len(report.updated)} updated."
        )
        for line in report.unmatched:
            self.stderr.write(f"Not matched: {line}")
