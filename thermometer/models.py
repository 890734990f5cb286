"""The collaboration thermometer: questionnaires, rounds, invitations and responses.

Anonymity is structural: a submitted Response has no link to the Invitation or the
person. The invitation only records *that* it was used (SubmissionReceipt); answers
in progress live in a Draft that belongs to the invitation until submission.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from simple_history.models import HistoricalRecords

from partners.models import Contact, Organisation


class Questionnaire(models.Model):
    """A versioned set of questions. A version used by a round is never edited."""

    class Variant(models.TextChoices):
        EXTERNAL = "external", _("Partners (external)")
        INTERNAL = "internal", _("Province staff (internal)")

    variant = models.CharField(_("variant"), max_length=10, choices=Variant.choices)
    version = models.PositiveSmallIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        ordering = ["variant", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "version"], name="questionnaire_variant_version_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class Section(models.Model):
    """One page of the questionnaire."""

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="sections",
    )
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="section_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    """A question of one questionnaire version; `code` is stable across versions."""

    class Kind(models.TextChoices):
        MARK = "mark", _("Report mark 1–10")
        SCALE = "scale", _("Five-point scale")
        OPEN = "open", _("Open answer")

    class Perspective(models.TextChoices):
        """Whose view the answer gives: the result picture puts these side by side."""

        ABOUT_PROVINCE = "about_province", _("About the province")
        SELF = "self", _("About oneself")
        EXPECTED_PARTNER = "expected_partner", _("Expected from partners")
        NONE = "", _("Not applicable")

    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    section = models.ForeignKey(
        Section, verbose_name=_("section"), on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.SlugField(
        _("code"),
        max_length=60,
        help_text=_("Stable identifier across rounds, e.g. q1b-betrouwbaar."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    perspective = models.CharField(
        _("perspective"), max_length=20, choices=Perspective.choices, blank=True
    )
    property = models.SlugField(
        _("property"), max_length=40, blank=True, help_text=_("E.g. betrouwbaar.")
    )
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["questionnaire", "section__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="question_code_unique_per_version"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["mark", "scale", "open"]),
                name="question_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text}"


SCALE_LABELS = {
    1: _("poor"),
    2: _("mediocre"),
    3: _("sufficient"),
    4: _("good"),
    5: _("excellent"),
}


class RespondentGroup(models.TextChoices):
    """Groups results are reported for (only when large enough to stay anonymous)."""

    GEMEENTE = "gemeente", _("Municipalities")
    WATERSCHAP = "waterschap", _("Water boards")
    UITVOERINGSDIENST = "uitvoeringsdienst", _("Executive agencies")
    OTHER_PARTNER = "other", _("Other partners")
    STAFF = "staff", pgettext_lazy("respondent group", "Province staff")


class Round(models.Model):
    """A wave of the thermometer: draft → open → closed → published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    name = models.CharField(_("name"), max_length=100, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    external_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire for partners"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    internal_questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire for staff"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="thermometer_rounds",
    )
    include_staff = models.BooleanField(_("invite province staff"), default=True)
    record_organisation = models.BooleanField(
        _("record the organisation with each response"),
        default=False,
        help_text=_(
            "Allows response rates per organisation. Cannot be switched on once the "
            "first response exists."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_opening",
                violation_error_message=_("The closing time must be after the opening time."),
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "open", "closed", "published"]),
                name="round_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("thermometer:round_detail", args=[self.pk])

    @property
    def is_accepting(self) -> bool:
        """Open for answers right now."""
        now = timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= now < self.closes_at


class Invitation(models.Model):
    """One personal, single-use invitation. The token is stored only as its SHA-256."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="invitations"
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="invitations",
    )
    respondent_group = models.CharField(
        _("respondent group"), max_length=20, choices=RespondentGroup.choices
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    # NULL once purged: unique allows many NULLs, not many empty strings.
    token_hash = models.CharField(  # noqa: DJ001
        _("token hash"), max_length=64, unique=True, null=True
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    used_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    purged_at = models.DateTimeField(_("personal data purged at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["round", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "contact"],
                condition=models.Q(contact__isnull=False),
                name="invitation_one_per_contact_and_round",
            ),
            models.UniqueConstraint(
                fields=["round", "user"],
                condition=models.Q(user__isnull=False),
                name="invitation_one_per_user_and_round",
            ),
            models.CheckConstraint(
                condition=models.Q(reminder_count__lte=3),
                name="invitation_at_most_three_reminders",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round} – {self.email or self.pk}"


class SubmissionReceipt(models.Model):
    """Proof that an invitation was used, and the database's guard against a second
    response: one receipt per invitation (OneToOne = unique). It holds nothing that
    links to the stored response."""

    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="receipt",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("submission receipt")
        verbose_name_plural = _("submission receipts")

    def __str__(self) -> str:
        return str(self.invitation)


class Draft(models.Model):
    """Answers in progress: belongs to the invitation until submitted, then deleted."""

    invitation = models.OneToOneField(
        Invitation,
        verbose_name=_("invitation"),
        on_delete=models.CASCADE,
        related_name="draft",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"),
        default=0,
        help_text=_("Raised on every save, so an older browser tab can be told it is behind."),
    )
    current_section = models.PositiveSmallIntegerField(_("current section"), default=1)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return f"{self.invitation} (r{self.revision})"


class Response(models.Model):
    """A submitted response: anonymous, with no link to an invitation or person."""

    # A random key: a sequential id would give away the order of submission, which
    # together with invitation.used_at could point at the person.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="responses"
    )
    questionnaire = models.ForeignKey(
        Questionnaire,
        verbose_name=_("questionnaire"),
        on_delete=models.PROTECT,
        related_name="responses",
    )
    respondent_group = models.CharField(
        _("respondent group"), max_length=20, choices=RespondentGroup.choices
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Only kept when the round records organisations."),
    )
    submitted_on = models.DateField(_("submitted on"), help_text=_("Day only, for anonymity."))

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        # No ordering by pk or time: insertion order must not hint at who answered.
        ordering = ["round", "respondent_group"]

    def __str__(self) -> str:
        return f"{self.round} – {self.get_respondent_group_display()}"


class Answer(models.Model):
    response = models.ForeignKey(
        Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="answers"
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    hidden_at = models.DateTimeField(
        _("hidden at"),
        null=True,
        blank=True,
        help_text=_("An open answer hidden because it identifies someone."),
    )
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        permissions = [("hide_answer", "Can hide an open answer that identifies someone")]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question"], name="answer_one_per_question"
            ),
            models.CheckConstraint(
                condition=models.Q(number__isnull=True) | models.Q(number__gte=1, number__lte=10),
                name="answer_number_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}: {self.number or self.text[:30]}"


# --- Results ---------------------------------------------------------------------------

# The eight properties of Q1b/Q3b, by the `property` key of their questions.
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


class Aggregation(models.Model):
    """The state of a round's results: computed by a Celery task, or imported."""

    class Status(models.TextChoices):
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
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    steps = models.PositiveSmallIntegerField(_("steps"), default=3)
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
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    note = models.TextField(
        _("note"), blank=True, help_text=_("E.g. how an imported round was counted.")
    )

    class Meta:
        verbose_name = _("aggregation")
        verbose_name_plural = _("aggregations")
        permissions = [("run_aggregation", "Can (re)compute the results of a round")]

    def __str__(self) -> str:
        return f"{self.round} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.step / (self.steps or 1))

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)


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
