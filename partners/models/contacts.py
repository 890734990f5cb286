"""People at organisations (contacts) and the province staff assigned to them."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from partners.models.organisations import Organisation, Theme
from portal.lib.models import User
from portal.lib.roles import is_province_staff


class ContactQuerySet(models.QuerySet["Contact"]):
    def visible_to(self, user: User | AnonymousUser) -> "ContactQuerySet":
        """Partners see only shared contacts; province staff see all."""
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
