"""Importing contacts from a CSV or XLSX file: all rows or, if any is wrong, none.

A row matches an existing contact on organisation and e-mail address (or, without an
e-mail address, on organisation and name), so importing the same file again changes
nothing. The columns are those of the contacts export, so an export can be corrected
and imported again. Every import is written to the personal data log.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.forms.contact_rows import ContactRowForm
from partners.models import Contact, Organisation, PersonalDataLog, Theme
from partners.services.personal_data import log_personal_data
from portal.lib.models import User
from portal.lib.tabular.imports import ImportInvalid, RowError, Table, read_table
from portal.lib.tabular.reading import normal_header
from portal.lib.tabular.writing import Column

IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
# In files the visibility is a word people can type; the import also takes the codes.
VISIBILITY_WORDS = {Contact.Visibility.INTERNAL: "intern", Contact.Visibility.SHARED: "gedeeld"}
# Same columns, in the same order, in the export (partners/exports.py) as in the import.
CONTACT_COLUMNS = {
    "organisation": Column(gettext_lazy("Organisation"), lambda c: c.organisation.name),
    "name": Column(gettext_lazy("Name"), lambda c: c.name),
    "function": Column(gettext_lazy("Function"), lambda c: c.function),
    "email": Column(gettext_lazy("E-mail address"), lambda c: c.email),
    "phone": Column(gettext_lazy("Telephone number"), lambda c: c.phone),
    "themes": Column(gettext_lazy("Themes"), lambda c: "; ".join(t.name for t in c.themes.all())),
    "visibility": Column(gettext_lazy("Visibility"), lambda c: VISIBILITY_WORDS[c.visibility]),
    "topics": Column(gettext_lazy("Topics"), lambda c: c.topics),
}

IMPORT_COLUMNS = tuple(CONTACT_COLUMNS)
REQUIRED_COLUMNS = ("organisation", "name")
# File headers people use besides the column keys and the export's own headers.
# They name a file format, so they are not translated.
HEADER_ALIASES = {
    "organisatie": "organisation",
    "organization": "organisation",
    "naam": "name",
    "functie": "function",
    "e-mail": "email",
    "e-mailadres": "email",
    "email address": "email",
    "e-mail address": "email",
    "telefoon": "phone",
    "telefoonnummer": "phone",
    "telephone": "phone",
    "telephone number": "phone",
    "thema's": "themes",
    "themas": "themes",
    "zichtbaarheid": "visibility",
    "onderwerpen": "topics",
}


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _header_keys() -> dict[str, str]:
    keys = {key: key for key in IMPORT_COLUMNS} | HEADER_ALIASES
    for language in {translation.get_language() or settings.LANGUAGE_CODE, "nl", "en"}:
        with translation.override(language):
            keys |= {normal_header(str(c.header)): key for key, c in CONTACT_COLUMNS.items()}
    return keys


def read_contact_file(*, name: str, content: bytes) -> Table:
    """The rows of an uploaded CSV or XLSX file; ImportFileError if it cannot be used."""
    return read_table(
        name=name,
        content=content,
        known=_header_keys(),
        columns=", ".join(IMPORT_COLUMNS),
        required=REQUIRED_COLUMNS,
        max_bytes=IMPORT_MAX_BYTES,
        max_rows=IMPORT_MAX_ROWS,
        max_columns=len(IMPORT_COLUMNS) * 4,
        no_rows=_("The file has column names but no contacts."),
        delimiters=(",", ";", "\t"),  # on a tie: commas
        iso_dates=True,  # a date cell reads as 2024-03-01
    )


@dataclass
class _Planned:
    row: int
    values: dict[str, Any]
    themes: list[Theme] | None  # None: the file has no themes column
    contact: Contact | None  # None: a new contact


def _plan(table: Table) -> list[_Planned]:
    """Validate every row; raise ImportInvalid listing all problems."""
    organisations: dict[str, Organisation] = {}
    for organisation in Organisation.objects.all():
        organisations[organisation.name.lower()] = organisation
        if organisation.cbs_code:
            organisations[organisation.cbs_code.upper()] = organisation
    themes: dict[str, Theme] = {}
    for theme in Theme.objects.all():
        themes[theme.slug.lower()] = themes[theme.name.lower()] = theme

    errors: list[RowError] = []
    valid: list[tuple[int, dict[str, Any]]] = []
    for number, values in table.rows:
        form = ContactRowForm(values, organisations=organisations, themes=themes)
        if form.is_valid():
            valid.append((number, form.cleaned_data))
        for name, messages in form.errors.items():
            errors += [RowError(number, table.headers.get(name, name), str(m)) for m in messages]

    # A row matches an existing contact on organisation and e-mail address; a row
    # without an e-mail address matches on organisation and name instead.
    organisation_ids = {data["organisation"].pk for _number, data in valid}
    existing: dict[tuple[int, str, str], list[Contact]] = defaultdict(list)
    for contact in Contact.objects.active().filter(organisation_id__in=organisation_ids):
        by = ("email", contact.email.lower()) if contact.email else ("name", contact.name.lower())
        existing[(contact.organisation_id, *by)].append(contact)

    seen: dict[tuple[int, str, str], int] = {}
    plan = []
    email_column = table.headers.get("email", table.headers["name"])
    for number, data in valid:
        by = ("email", data["email"].lower()) if data["email"] else ("name", data["name"].lower())
        key = (data["organisation"].pk, *by)
        column = email_column if data["email"] else table.headers["name"]
        if key in seen:
            message = _("Row %(row)s already has this contact.") % {"row": seen[key]}
            errors.append(RowError(number, column, message))
            continue
        seen[key] = number
        if len(existing[key]) > 1:
            errors.append(
                RowError(
                    number,
                    column,
                    _("Several contacts of %(organisation)s match; merge them first.")
                    % {"organisation": data["organisation"]},
                )
            )
            continue
        values = {
            name: data[name]
            for name in ("organisation", "name", "function", "email", "phone", "topics")
            if name in table.headers
        }
        if data["visibility"]:
            values["visibility"] = data["visibility"]
        themes_given = data["themes"] if "themes" in table.headers else None
        plan.append(_Planned(number, values, themes_given, next(iter(existing[key]), None)))
    if errors:
        raise ImportInvalid(errors)
    return plan


def import_contacts(*, table: Table, imported_by: User, filename: str) -> ImportResult:
    """Create or update the contacts of a file: all rows or, if any is wrong, none.

    Raises ImportInvalid listing the wrong rows, and ValidationError when a parallel
    import or edit got in first. Idempotent: importing the same file again changes
    nothing.
    """
    result = ImportResult()
    try:
        with transaction.atomic():
            for planned in _plan(table):
                contact = planned.contact or Contact()
                changed = {
                    name: value
                    for name, value in planned.values.items()
                    if getattr(contact, name if name != "organisation" else "organisation_id")
                    != (value.pk if name == "organisation" else value)
                }
                contact._history_user = imported_by  # type: ignore[attr-defined]  # read by simple_history
                if changed or contact.pk is None:
                    for name, value in changed.items():
                        setattr(contact, name, value)
                    contact.save()
                themes_changed = False
                if planned.themes is not None and (
                    {theme.pk for theme in planned.themes}
                    != set(contact.themes.values_list("pk", flat=True))
                ):
                    contact.themes.set(planned.themes)
                    themes_changed = True
                if planned.contact is None:
                    result.created += 1
                elif changed or themes_changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            with translation.override(settings.LANGUAGE_CODE):
                description = _(
                    "Import of %(file)s: %(created)s created, %(updated)s updated, "
                    "%(unchanged)s unchanged"
                ) % {
                    "file": filename,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                }
            log_personal_data(
                imported_by, PersonalDataLog.Action.IMPORT, description, row_count=len(table.rows)
            )
    except IntegrityError as error:
        # A parallel import or edit added the same person (same organisation and
        # e-mail address) after this file was checked; nothing of it was saved.
        raise ValidationError(
            _(
                "Someone else added some of these contacts at the same moment. "
                "Nothing was imported; please upload the file again."
            )
        ) from error
    return result
