"""Contact moments between the province and a partner, and the follow-ups agreed."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simple_history.models import HistoricalRecords

from partners.models.contacts import Contact
from partners.models.organisations import Organisation


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
