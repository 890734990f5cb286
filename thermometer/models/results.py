"""Results of a round: computed (or imported) aggregates, and what the province does
with them ("you said, we did")."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from portal.lib.jobs import TrackedJob
from thermometer.models.questionnaires import Question
from thermometer.models.rounds import RespondentGroup, Round

PROPERTY_LABELS = {
    "betrouwbaar": _("Reliable"),
    "toegankelijk": _("Accessible"),
    "deskundig": _("Expert"),
    "flexibel": _("Flexible"),
    "ruimte-voor-inbreng": _("Room for others' input"),
    "doelgericht": _("Goal-oriented"),
    "transparant": _("Transparent"),
    "betrokken": _("Committed"),
}


class ResultGroup(models.TextChoices):
    """The groups results are reported for: every respondent group plus all partners."""

    ALL_PARTNERS = "partners", _("All partners")
    GEMEENTE = RespondentGroup.GEMEENTE.value, RespondentGroup.GEMEENTE.label
    WATERSCHAP = RespondentGroup.WATERSCHAP.value, RespondentGroup.WATERSCHAP.label
    UITVOERINGSDIENST = (
        RespondentGroup.UITVOERINGSDIENST.value,
        RespondentGroup.UITVOERINGSDIENST.label,
    )
    OTHER_PARTNER = RespondentGroup.OTHER_PARTNER.value, RespondentGroup.OTHER_PARTNER.label
    STAFF = RespondentGroup.STAFF.value, RespondentGroup.STAFF.label


# The respondent groups that together make up "all partners".
PARTNER_GROUPS = (
    ResultGroup.GEMEENTE,
    ResultGroup.WATERSCHAP,
    ResultGroup.UITVOERINGSDIENST,
    ResultGroup.OTHER_PARTNER,
)


class Aggregation(TrackedJob):
    """The state of a round's results: computed by a Celery task, or imported.

    A tracked job (portal/lib/jobs.py) whose `done` and `total` count the steps of the
    computation (services/aggregation.py).
    """

    class Status(models.TextChoices):
        # The values of TrackedJob.Status, with a word for what this job does.
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Computing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Source(models.TextChoices):
        RESPONSES = "responses", _("Computed from the responses")
        IMPORT = "import", _("Imported aggregated counts")

    round = models.OneToOneField(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="aggregation"
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.RESPONSES
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("steps"), default=3)
    responses = models.PositiveIntegerField(_("responses included"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    note = models.TextField(
        _("note"), blank=True, help_text=_("E.g. how an imported round was counted.")
    )

    progress_texts: ClassVar[dict[str, str | Promise]] = {
        "pending": _("Waiting for the computation to start…"),
        "running": _("Computing the results…"),
        "done": _("The results are ready."),
        "failed": _("Computing the results failed; the previous results, if any, are still shown."),
    }

    class Meta:
        verbose_name = _("aggregation")
        verbose_name_plural = _("aggregations")
        permissions = [("run_aggregation", "Can (re)compute the results of a round")]

    def __str__(self) -> str:
        return f"{self.round} ({self.get_status_display()})"


class GroupResult(models.Model):
    """Per round and respondent group: how many were invited and how many responded."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="group_results"
    )
    group = models.CharField(_("group"), max_length=20, choices=ResultGroup.choices)
    invited = models.PositiveIntegerField(
        _("invited"), null=True, blank=True, help_text=_("Unknown for some imported rounds.")
    )
    respondents = models.PositiveIntegerField(_("respondents"))

    class Meta:
        verbose_name = _("group result")
        verbose_name_plural = _("group results")
        constraints = [
            models.UniqueConstraint(fields=["round", "group"], name="group_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.get_group_display()}"


class Result(models.Model):
    """The aggregate of one question (by stable code) for one group of one round.

    `distribution` maps each answer value ("1".."5" or "1".."10") to its count; counts
    may be halves in imported rounds (a respondent who ticked between two boxes).
    """

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="results"
    )
    group = models.CharField(_("group"), max_length=20, choices=ResultGroup.choices)
    code = models.SlugField(_("question code"), max_length=60)
    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=[
            (Question.Kind.MARK.value, Question.Kind.MARK.label),
            (Question.Kind.SCALE.value, Question.Kind.SCALE.label),
        ],
    )
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=Question.Perspective.choices, blank=True
    )
    property = models.SlugField(_("property"), max_length=40, blank=True)
    text = models.CharField(
        _("question"), max_length=300, help_text=_("The question as it was asked in this round.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    respondents = models.PositiveIntegerField(_("respondents"))
    distribution = models.JSONField(_("distribution"), default=dict)
    value_sum = models.DecimalField(_("sum of answers"), max_digits=12, decimal_places=1)
    mean = models.DecimalField(_("mean"), max_digits=6, decimal_places=4, null=True)
    median = models.DecimalField(_("median"), max_digits=5, decimal_places=2, null=True)

    class Meta:
        verbose_name = _("result")
        verbose_name_plural = _("results")
        ordering = ["round", "position", "code", "group"]
        permissions = [
            ("view_unpublished_result", "Can view results of rounds not yet published"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["round", "group", "code"], name="result_unique"),
            models.CheckConstraint(
                condition=models.Q(kind__in=["mark", "scale"]), name="result_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.code} – {self.get_group_display()}"


class ImprovementAction(models.Model):
    """ "You said, we did": what the province does with a round's outcome."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.CharField(
        _("action owner"), max_length=200, help_text=_("The person or team responsible.")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    properties = models.JSONField(
        _("properties addressed"),
        default=list,
        blank=True,
        help_text=_("Keys of PROPERTY_LABELS."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # One key per form shown: a double click or a retried post adds the action once.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("improvement action")
        verbose_name_plural = _("improvement actions")
        ordering = ["round", "due_date", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["planned", "in_progress", "done", "dropped"]),
                name="improvement_action_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("thermometer:action_detail", args=[self.pk])

    @property
    def property_labels(self) -> list[str]:
        return [str(PROPERTY_LABELS.get(key, key)) for key in self.properties]
