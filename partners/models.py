"""The partner register: organisations, contacts, account-holders and contact moments."""

from datetime import date

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

cbs_code_validator = RegexValidator(
    r"^(GM\d{4}|WS\d{4}|PV\d{2})$",
    _("Enter a CBS code such as GM0344 (municipality), WS0155 (water board) or PV26 (province)."),
)
oin_validator = RegexValidator(
    r"^\d{20}$", _("An OIN consists of exactly 20 digits, for example 00000001001299871000.")
)
tooi_validator = RegexValidator(
    r"^https://identifier\.overheid\.nl/tooi/id/[a-z_]+/[a-z0-9_]+$",
    _("Enter a TOOI URI such as https://identifier.overheid.nl/tooi/id/gemeente/gm0344."),
)


class Region(models.Model):
    """A regional division the province works with, e.g. U16 or Regio Amersfoort."""

    name = models.CharField(_("name"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("Municipality")
    WATERSCHAP = "waterschap", _("Water board")
    PROVINCIE = "provincie", _("Province")
    UITVOERINGSDIENST = "uitvoeringsdienst", _("Executive agency")
    RIJK = "rijk", _("Central government")
    SAMENWERKINGSVERBAND = "samenwerkingsverband", _("Joint arrangement (legal entity)")
    OTHER = "other", _("Other")


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self, on: date | None = None) -> "OrganisationQuerySet":
        on = on or timezone.localdate()
        return self.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=on))

    def ended(self, on: date | None = None) -> "OrganisationQuerySet":
        on = on or timezone.localdate()
        return self.filter(ended_on__lte=on)


class Organisation(models.Model):
    """A government organisation the province works with, or the province itself."""

    Kind = OrganisationKind

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    cbs_code = models.CharField(
        _("CBS code"),
        max_length=6,
        blank=True,
        validators=[cbs_code_validator],
        help_text=_("Code of Statistics Netherlands, e.g. GM0344 for Utrecht."),
    )
    oin = models.CharField(
        _("OIN"),
        max_length=20,
        blank=True,
        validators=[oin_validator],
        help_text=_("Organisation identification number (20 digits)."),
    )
    tooi_uri = models.URLField(
        _("TOOI URI"),
        max_length=200,
        blank=True,
        validators=[tooi_validator],
        help_text=_("Identifier in the government's TOOI register."),
    )
    website = models.URLField(_("website"), blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
    )
    ended_on = models.DateField(
        _("ended on"),
        null=True,
        blank=True,
        help_text=_("Date the organisation ceased to exist, e.g. after a merger."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique_ci",
                violation_error_message=_("An organisation with this name already exists."),
            ),
            models.UniqueConstraint(
                fields=["cbs_code"],
                condition=~models.Q(cbs_code=""),
                name="organisation_cbs_code_unique",
                violation_error_message=_("An organisation with this CBS code already exists."),
            ),
            models.UniqueConstraint(
                fields=["oin"],
                condition=~models.Q(oin=""),
                name="organisation_oin_unique",
                violation_error_message=_("An organisation with this OIN already exists."),
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=OrganisationKind.values),
                name="organisation_kind_valid",
            ),
        ]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


class Theme(models.Model):
    """A theme of the province's environmental vision (omgevingsvisie), e.g. Wonen."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: object) -> "ContactQuerySet":
        """Partners see only shared contacts; province staff see all."""
        from portal.roles import is_province_staff

        if is_province_staff(user):
            return self
        return self.filter(visibility=Contact.Visibility.SHARED)

    def active(self) -> "ContactQuerySet":
        return self.filter(anonymised_at__isnull=True)


class Contact(models.Model):
    """A person at an organisation. Personal data: minimal, exportable and erasable."""

    class Visibility(models.TextChoices):
        INTERNAL = "internal", _("Internal (province staff only)")
        SHARED = "shared", _("Shared with partners")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="contacts",
    )
    name = models.CharField(_("name"), max_length=200)
    function = models.CharField(_("function"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(
        _("telephone number"),
        max_length=30,
        blank=True,
        help_text=_("For example 030 258 9111 or +31 30 258 9111."),
    )
    themes = models.ManyToManyField(
        Theme, verbose_name=_("themes"), blank=True, related_name="contacts"
    )
    topics = models.CharField(
        _("topics"),
        max_length=300,
        blank=True,
        help_text=_("Other subjects this person is the contact for, separated by commas."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.INTERNAL,
        help_text=_("Internal contacts are never shown to partners."),
    )
    is_general = models.BooleanField(
        _("general contact point"),
        default=False,
        help_text=_("The contact point to fall back on when nobody else is assigned."),
    )
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[themes], excluded_fields=["updated_at"])

    objects = ContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(visibility__in=["internal", "shared"]),
                name="contact_visibility_valid",
            ),
            # An e-mail address identifies a person within an organisation: imports
            # match on it, so two parallel imports cannot create the same person twice.
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=~models.Q(email="") & models.Q(anonymised_at__isnull=True),
                name="contact_email_unique_per_organisation",
                violation_error_message=_(
                    "This organisation already has a contact with this e-mail address."
                ),
            ),
        ]
        indexes = [models.Index(fields=["organisation", "name"])]
        permissions = [
            ("export_contacts", _("Can export organisations and contacts")),
            ("import_contacts", _("Can import contacts")),
            ("erase_contact", _("Can export and erase a person's data")),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:contact_detail", args=[self.pk])

    @property
    def is_anonymised(self) -> bool:
        return self.anonymised_at is not None


class AccountHolderQuerySet(models.QuerySet["AccountHolder"]):
    def current(self, on: date | None = None) -> "AccountHolderQuerySet":
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=on)
        )

    def past(self, on: date | None = None) -> "AccountHolderQuerySet":
        on = on or timezone.localdate()
        return self.filter(ends_on__lt=on)


class AccountHolder(models.Model):
    """A province staff member assigned to a partner: the answer to "whom do I call?"."""

    class Scope(models.TextChoices):
        AREA = "area", _("Area (gebiedsgericht)")
        THEME = "theme", _("Theme (thematisch)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account-holder"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="account_holders",
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="account_holders",
        help_text=_("Required for a thematic assignment."),
    )
    is_primary = models.BooleanField(
        _("primary account-holder"),
        default=False,
        help_text=_("The first person to call for this organisation. One per organisation."),
    )
    starts_on = models.DateField(_("from"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = AccountHolderQuerySet.as_manager()

    class Meta:
        verbose_name = _("account-holder assignment")
        verbose_name_plural = _("account-holder assignments")
        ordering = ["organisation__name", "-is_primary", "scope", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(scope="area", theme__isnull=True)
                    | models.Q(scope="theme", theme__isnull=False)
                ),
                name="account_holder_theme_matches_scope",
                violation_error_message=_(
                    "A thematic assignment needs a theme; an area assignment has none."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="account_holder_period_valid",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            # One primary per organisation among open-ended assignments; a primary
            # with an end date hands over by ending, so history keeps every primary.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(is_primary=True, ends_on__isnull=True),
                name="account_holder_one_open_primary",
                violation_error_message=_(
                    "This organisation already has a primary account-holder."
                ),
            ),
            # The same person twice in the same open role would be listed twice in
            # "whom do I call?" (a double-clicked form, for instance).
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=models.Q(scope="area", ends_on__isnull=True),
                name="account_holder_open_area_unique",
                violation_error_message=_("This person is already the area account-holder."),
            ),
            models.UniqueConstraint(
                fields=["user", "organisation", "theme"],
                condition=models.Q(scope="theme", ends_on__isnull=True),
                name="account_holder_open_theme_unique",
                violation_error_message=_(
                    "This person is already the account-holder for this theme."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.organisation}"

    @property
    def is_current(self) -> bool:
        today = timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or self.ends_on >= today)


class Interaction(models.Model):
    """A dated contact moment between the province and a partner (contactmoment)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="interactions",
    )
    occurred_on = models.DateField(_("date"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="interactions",
    )
    contacts = models.ManyToManyField(
        Contact, verbose_name=_("who took part"), blank=True, related_name="interactions"
    )
    summary = models.TextField(_("summary"))
    agreements = models.TextField(_("agreements"), blank=True)
    # One key per form shown: a double click or a retried post records the moment once.
    submission_key = models.UUIDField(
        _("submission key"), null=True, blank=True, unique=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[contacts])

    class Meta:
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.occurred_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("partners:interaction_detail", args=[self.pk])


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def open(self) -> "FollowUpQuerySet":
        return self.filter(done_on__isnull=True)


class FollowUp(models.Model):
    """An action agreed in a contact moment, with an owner and a due date."""

    interaction = models.ForeignKey(
        Interaction,
        verbose_name=_("contact moment"),
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    description = models.CharField(_("description"), max_length=300)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    due_on = models.DateField(_("due date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    history = HistoricalRecords()

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


class ExportJob(models.Model):
    """An export file made by a Celery task, with its progress for the page that waits.

    The file is kept in the database so that web and worker processes share nothing
    but PostgreSQL; jobs older than a day are purged.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", _("Excel (XLSX)")

    class Dataset(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organisations")
        CONTACTS = "contacts", _("Contacts")
        # Contributed by the thermometer app (thermometer/services/answers_export.py).
        OPEN_ANSWERS = "open_answers", _("Open answers of the thermometer")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="export_jobs",
    )
    dataset = models.CharField(_("dataset"), max_length=20, choices=Dataset.choices)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("rows in total"), default=0)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    content = models.BinaryField(_("file"), null=True, blank=True, editable=False)
    filename = models.CharField(_("file name"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_dataset_display()} ({self.get_format_display()})"

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.done / (self.total or 1))


class PersonalDataLog(models.Model):
    """Who exported, imported or erased personal data, and when (AVG accountability)."""

    class Action(models.TextChoices):
        EXPORT = "export", _("Export")
        IMPORT = "import", _("Import")
        SUBJECT_EXPORT = "subject_export", _("Export of one person's data")
        ERASURE = "erasure", _("Erasure")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="personal_data_logs",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    description = models.CharField(_("description"), max_length=300)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data log entry")
        verbose_name_plural = _("personal data log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.user} {self.get_action_display()}"
