"""The export job: a file made by a Celery task, kept until it is a day old."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.lib.exports import datasets
from portal.lib.jobs import TrackedJob


class ExportJob(TrackedJob):
    """An export file made by a Celery task, with its progress for the page that waits.

    The file is kept in the database so that web and worker processes share nothing
    but PostgreSQL; jobs older than a day are purged. `done` and `total` count rows.
    """

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    # The key of a registered dataset (portal/lib/exports/datasets.py): apps add theirs
    # without a migration.
    dataset = models.CharField(_("dataset"), max_length=40)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    # What the progress component says in each state (components/_progress.html).
    progress_texts: ClassVar[dict[str, str | Promise]] = {
        "pending": _("Waiting for the export to start…"),
        "running": _("Making the file…"),
        "done": _("The file is ready."),
        "failed": _("The export failed."),
    }

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(format__in=["csv", "xlsx"]), name="export_job_format_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dataset_label} ({self.get_format_display()})"

    @property
    def dataset_label(self) -> str:
        dataset = datasets.find(self.dataset)
        return str(dataset.label) if dataset else self.dataset

    @property
    def progress_detail(self) -> str:
        """How far the file is, in rows (shown under the progress bar)."""
        return gettext("%(done)s of %(total)s rows (%(percent)s%%)") % {
            "done": self.done,
            "total": self.total,
            "percent": self.percent,
        }
