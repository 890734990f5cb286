"""Organisations of the register, the regions they belong to and the vision's themes."""

from datetime import date

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
