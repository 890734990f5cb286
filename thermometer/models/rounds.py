"""Rounds of the thermometer and their invitations: who is asked, and whether they answered.

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

from partners.models import Contact, Organisation
from thermometer.models.questionnaires import Question, Questionnaire


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
