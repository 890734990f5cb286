"""Personal data (AVG): the log of who exported, imported or erased it, one person's
data as a file, and erasure.

The log names contacts by number, never by name, so that erasing a person needs no
change to the log. Erasure anonymises a contact and scrubs the personal fields of its
history.
"""

from typing import Any

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Contact, PersonalDataLog
from portal.lib.models import ExportJob, User

ANONYMISED_NAME = gettext_lazy("Anonymised contact")
# The export dataset whose files hold contacts (partners/exports.py).
CONTACTS_DATASET = "contacts"


def log_personal_data(user: User, action: str, description: str, *, row_count: int) -> None:
    """Write an entry of the personal data log."""
    PersonalDataLog.objects.create(
        user=user, action=action, description=description[:300], row_count=row_count
    )


# --- One person's data -------------------------------------------------------------------

PERSONAL_FIELDS = ("name", "function", "email", "phone", "topics")


def personal_data(contact: Contact) -> dict[str, Any]:
    """Everything the portal holds on one contact, ready for JSON."""
    history = (
        contact.history.select_related("history_user")
        .prefetch_related("historicalcontact_themes_set__theme")
        .order_by("history_date", "history_id")
    )
    moments = contact.interactions.select_related("organisation").order_by("occurred_on", "pk")
    return {
        "contact": {
            "id": contact.pk,
            "organisation": {"id": contact.organisation_id, "name": contact.organisation.name},
            **{name: getattr(contact, name) for name in PERSONAL_FIELDS},
            "visibility": contact.visibility,
            "is_general": contact.is_general,
            "themes": [theme.name for theme in contact.themes.all()],
            "anonymised_at": contact.anonymised_at,
            "created_at": contact.created_at,
            "updated_at": contact.updated_at,
        },
        "history": [
            {
                "date": record.history_date,
                "type": record.get_history_type_display(),
                "changed_by": str(record.history_user) if record.history_user else None,
                "organisation_id": record.organisation_id,
                **{name: getattr(record, name) for name in PERSONAL_FIELDS},
                "visibility": record.visibility,
                "is_general": record.is_general,
                "themes": sorted(
                    row.theme.name
                    for row in record.historicalcontact_themes_set.all()
                    if row.theme is not None
                ),
                "anonymised_at": record.anonymised_at,
            }
            for record in history
        ],
        "contact_moments": [
            {
                "id": moment.pk,
                "organisation": moment.organisation.name,
                "date": moment.occurred_on,
                "summary": moment.summary,
                "agreements": moment.agreements,
            }
            for moment in moments
        ],
    }


def export_personal_data(contact: Contact, *, exported_by: User) -> dict[str, Any]:
    """All data held on one person (AVG right of access), logged."""
    with transaction.atomic():
        data = {"exported_at": timezone.now(), **personal_data(contact)}
        with translation.override(settings.LANGUAGE_CODE):
            description = _("Data of contact #%(number)s of %(organisation)s") % {
                "number": contact.pk,
                "organisation": contact.organisation.name,
            }
        rows = 1 + len(data["history"]) + len(data["contact_moments"])
        log_personal_data(
            exported_by, PersonalDataLog.Action.SUBJECT_EXPORT, description, row_count=rows
        )
    return data


def erase_contact(contact: Contact, *, erased_by: User) -> bool:
    """Anonymise a contact and the personal fields of its history (AVG right to erasure).

    The history keeps its rows, dates and authors: the fact of each change stays,
    the personal data goes. Contact moments keep their link to the contact.
    Idempotent: returns False, and logs nothing, when the contact was already erased.
    """
    with transaction.atomic():
        contact = (
            Contact.objects.select_for_update().select_related("organisation").get(pk=contact.pk)
        )
        if contact.is_anonymised:
            return False
        with translation.override(settings.LANGUAGE_CODE):
            placeholder = str(ANONYMISED_NAME)
            description = _("Contact #%(number)s of %(organisation)s anonymised") % {
                "number": contact.pk,
                "organisation": contact.organisation.name,
            }
        scrubbed = {"name": placeholder} | {name: "" for name in PERSONAL_FIELDS[1:]}
        for name, value in scrubbed.items():
            setattr(contact, name, value)
        contact.anonymised_at = timezone.now()
        contact._history_user = erased_by  # type: ignore[attr-defined]  # read by simple_history
        contact.save()
        # The record saved just now is scrubbed already; this scrubs the older ones.
        contact.history.update(**scrubbed, history_change_reason=None)
        # Contact export files made before now may hold the person: remove them.
        ExportJob.objects.filter(dataset=CONTACTS_DATASET).delete()
        # The emergency admin's own log names the objects it changed.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk)
        ).update(object_repr=placeholder)
        log_personal_data(erased_by, PersonalDataLog.Action.ERASURE, description, row_count=1)
    return True
