"""Exports, imports and personal data (AVG): the logic behind partners/views/exchange.py.

Exports run in a Celery task (partners.tasks.run_export) that writes the file into its
ExportJob row, batch by batch so the status page can show progress. Imports read the
whole file and validate every row before writing any. Erasure anonymises a contact and
scrubs the personal fields of its history. Every export, import and erasure of personal
data is written to PersonalDataLog, which names contacts by number, never by name, so
that erasing a person needs no change to the log.
"""

import codecs
import csv
import io
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Prefetch, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import django_filters
import openpyxl
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.writer.excel import ExcelWriter

from partners import tasks
from partners.filters import ContactFilter, OrganisationFilter
from partners.models import Contact, ExportJob, Organisation, PersonalDataLog, Theme
from portal import tabular
from portal.models import User
from portal.tabular import ImportFileError, RowError, normal_header

EXPORT_BATCH_SIZE = 500
EXPORT_RETENTION = timedelta(hours=24)
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 5000
CONTENT_TYPES = {
    ExportJob.Format.CSV: "text/csv; charset=utf-8",
    ExportJob.Format.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# In files the visibility is a word people can type; the import also takes the codes.
VISIBILITY_WORDS = {Contact.Visibility.INTERNAL: "intern", Contact.Visibility.SHARED: "gedeeld"}
ANONYMISED_NAME = gettext_lazy("Anonymised contact")


def _log(user: User, action: str, description: str, row_count: int) -> None:
    PersonalDataLog.objects.create(
        user=user, action=action, description=description[:300], row_count=row_count
    )


# --- Export filters ----------------------------------------------------------------------


FILTER_KEYS: dict[str, tuple[str, ...]] = {
    ExportJob.Dataset.ORGANISATIONS: ("q", "kind", "region", "status", "sort"),
    ExportJob.Dataset.CONTACTS: ("q", "organisation", "themes", "sort"),
}
ALL_FILTER_KEYS = tuple(dict.fromkeys(key for keys in FILTER_KEYS.values() for key in keys))
# An export carries the filters of its list page, and applies them with the same FilterSet.
FILTERSETS: dict[str, tuple[type[django_filters.FilterSet], type[Model]]] = {
    ExportJob.Dataset.ORGANISATIONS: (OrganisationFilter, Organisation),
    ExportJob.Dataset.CONTACTS: (ContactFilter, Contact),
}


def clean_export_filters(*, dataset: str, data: Mapping[str, Any]) -> dict[str, str]:
    """The list filters in `data` that apply to `dataset`, validated as the list would."""
    filters = {
        key: str(data.get(key, "")).strip()
        for key in FILTER_KEYS[dataset]
        if str(data.get(key, "")).strip()
    }
    filterset, model = FILTERSETS[dataset]
    if not filterset(filters, queryset=model.objects.none()).is_valid():
        raise ValidationError(
            _("The filters from the list are not valid. Go back to the list and try again."),
            code="invalid_filters",
        )
    return filters


def describe_filters(*, dataset: str, filters: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, value) pairs of an export's filters, for people to read."""
    if dataset in _DATASETS:
        return _DATASETS[dataset].describe(filters)
    filterset, model = FILTERSETS[dataset]
    form = filterset(filters, queryset=model.objects.none()).form
    if not form.is_valid():
        return [(key, value) for key, value in filters.items()]
    described = []
    for key in filters:
        value = form.cleaned_data.get(key)
        bound = form[key]
        if isinstance(bound.field, forms.ChoiceField) and not isinstance(value, Model):
            labels = dict(bound.field.choices)
            # The sort filter's value is a list of choices.
            values = value if isinstance(value, list) else [value]
            value = ", ".join(str(labels.get(item, item)) for item in values)
        described.append((str(bound.label or key), str(value)))
    return described


# --- Exports -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    header: str | Promise  # lazy: translated when the file is written
    value: Callable[[Any], object]


ExportRows = tuple[list[int], QuerySet, tuple[Column, ...]]


@dataclass(frozen=True)
class ExportDataset:
    """A dataset another app contributes to this export pipeline (registered from its
    AppConfig.ready(), so that web and worker processes both know it): partners never
    imports those apps, they register here."""

    key: str  # an ExportJob.Dataset value
    permission: str  # the requester must still hold it when the file is built
    # The primary keys to export in order, the queryset to fetch a batch, the columns;
    # raises ExportRefused when the job may not be built (it then fails with that error).
    rows: Callable[[ExportJob], ExportRows]
    # (label, value) pairs of the job's filters, for people to read.
    describe: Callable[[Mapping[str, str]], list[tuple[str, str]]]


class ExportRefused(Exception):
    """The export may not be built; the message is the job's error."""


_DATASETS: dict[str, ExportDataset] = {}


def register_dataset(dataset: ExportDataset) -> None:
    """Make a dataset of another app exportable. Registering a key again replaces it."""
    if dataset.key not in ExportJob.Dataset.values or dataset.key in FILTERSETS:
        raise ValueError(f"{dataset.key!r} is not an ExportJob.Dataset another app may add.")
    _DATASETS[dataset.key] = dataset


ORGANISATION_COLUMNS = (
    Column(gettext_lazy("Name"), lambda o: o.name),
    Column(gettext_lazy("Kind"), lambda o: o.get_kind_display()),
    Column(gettext_lazy("CBS code"), lambda o: o.cbs_code),
    Column(gettext_lazy("OIN"), lambda o: o.oin),
    Column(gettext_lazy("TOOI URI"), lambda o: o.tooi_uri),
    Column(gettext_lazy("Website"), lambda o: o.website),
    Column(gettext_lazy("Region"), lambda o: o.region.name if o.region else ""),
    Column(gettext_lazy("Ended on"), lambda o: o.ended_on.isoformat() if o.ended_on else ""),
)
# Same columns, in the same order, as the import reads: an export can be re-imported.
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


def start_export(
    *, requested_by: User, dataset: str, file_format: str, filters: dict[str, str]
) -> ExportJob:
    """Create an export job and have a worker build its file once the job is committed."""
    with transaction.atomic():
        job = ExportJob.objects.create(
            requested_by=requested_by, dataset=dataset, format=file_format, filters=filters
        )
        transaction.on_commit(partial(_enqueue_export, job))
    return job


def _enqueue_export(job: ExportJob) -> None:
    """Enqueue the export; if the broker cannot be reached, fail the job visibly
    instead of leaving its status page waiting for ever."""
    try:
        tasks.run_export.delay(job.pk)
    except Exception as error:  # kombu raises OperationalError and friends
        fail_export(job, error=f"Could not enqueue the export: {error}")


def _export_rows(job: ExportJob) -> ExportRows:
    """The primary keys to export in order, the queryset to fetch a batch, the columns."""
    if job.dataset in _DATASETS:
        return _DATASETS[job.dataset].rows(job)
    if job.dataset == ExportJob.Dataset.ORGANISATIONS:
        found = OrganisationFilter(job.filters, queryset=Organisation.objects.all()).qs
        rows = Organisation.objects.select_related("region")
        return list(found.values_list("pk", flat=True)), rows, ORGANISATION_COLUMNS
    # As the contact list: never an anonymised contact, never more than the requester
    # may see (exports are staff-only today; this keeps it so), in the list's order.
    contacts = Contact.objects.visible_to(job.requested_by).active()
    found = ContactFilter(job.filters, queryset=contacts).qs
    rows = Contact.objects.select_related("organisation").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("name"))
    )
    pks = found.values_list("pk", flat=True)
    return list(dict.fromkeys(pks)), rows, tuple(CONTACT_COLUMNS.values())


def _save_progress(job_id: int, done: int) -> None:
    # Committed at once (no transaction around the batches): the status page, in
    # another process, must see it.
    ExportJob.objects.filter(pk=job_id).update(done=done)


def run_export(job: ExportJob, *, batch_size: int = EXPORT_BATCH_SIZE) -> None:
    """Build the file of an export job. Idempotent: a re-run rebuilds the file, byte for
    byte the same while the data has not changed.

    The contacts export is logged once per job, when the job first becomes ready.
    """
    registered = _DATASETS.get(job.dataset)
    permission = registered.permission if registered else "partners.export_contacts"
    if not job.requested_by.has_perm(permission):
        fail_export(job, error="The requester may no longer export.")
        return
    # The file speaks the portal's language, whatever the worker's: the same job gives
    # the same file every time.
    with translation.override(settings.LANGUAGE_CODE):
        try:
            pks, rows, columns = _export_rows(job)
        except ExportRefused as refused:
            fail_export(job, error=str(refused))
            return
        jobs = ExportJob.objects.filter(pk=job.pk)
        jobs.update(total=len(pks), done=0, error="")
        # A ready job stays ready (and its file downloadable) while a re-run rebuilds it.
        jobs.exclude(status=ExportJob.Status.DONE).update(status=ExportJob.Status.RUNNING)
        writer = _XlsxWriter(job) if job.format == ExportJob.Format.XLSX else _CsvWriter()
        writer.write([str(column.header) for column in columns])
        written = 0
        for start in range(0, len(pks), batch_size):
            batch = pks[start : start + batch_size]
            by_pk = {row.pk: row for row in rows.filter(pk__in=batch)}
            for pk in batch:
                if pk in by_pk:  # else deleted since the count
                    writer.write([column.value(by_pk[pk]) for column in columns])
                    written += 1
            _save_progress(job.pk, start + len(batch))
        content = writer.close()
        local = timezone.localtime(job.created_at)
        filename = f"{slugify(job.get_dataset_display())}-{local:%Y%m%d-%H%M}.{job.format}"
        description = _("%(dataset)s export #%(number)s (%(format)s)") % {
            "dataset": job.get_dataset_display(),
            "number": job.pk,
            "format": job.get_format_display(),
        }
        # A search term may be a person's name: the log, kept for accountability
        # after an erasure too, records only that a search was used.
        named = {key: value for key, value in job.filters.items() if key != "q"}
        filters = describe_filters(dataset=job.dataset, filters=named)
        if job.filters.get("q"):
            filters.append((str(_("Search")), str(_("(search term not logged)"))))
        if filters:
            description += "; " + ", ".join(f"{label}: {value}" for label, value in filters)
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None:  # purged while it ran
            return
        first_time = locked.status != ExportJob.Status.DONE
        locked.content = content
        locked.filename = filename
        locked.total = locked.done = len(pks)
        locked.status = ExportJob.Status.DONE
        if first_time:
            locked.finished_at = timezone.now()
        locked.save(update_fields=["content", "filename", "total", "done", "status", "finished_at"])
        if first_time and job.dataset == ExportJob.Dataset.CONTACTS:
            _log(job.requested_by, PersonalDataLog.Action.EXPORT, description, written)


def fail_export(job: ExportJob, *, error: str) -> None:
    """Mark an export as failed, so the status page stops waiting for it."""
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.FAILED, error=error[:2000], finished_at=timezone.now()
    )


def purge_export_jobs(*, older_than: timedelta = EXPORT_RETENTION) -> int:
    """Delete export jobs, and so their files, older than `older_than`. Idempotent."""
    deleted, _by_model = ExportJob.objects.filter(
        created_at__lt=timezone.now() - older_than
    ).delete()
    return deleted


# A cell that starts with one of these is run as a formula by spreadsheet programs
# (CSV injection); a leading apostrophe makes it text. "+" and "-" are allowed before
# a plain number such as a telephone number "+31 30 258 9111".
_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s()./-]*$))")


class _CsvWriter:
    """RFC 4180 with a byte order mark, so that Excel reads the UTF-8 correctly."""

    def __init__(self) -> None:
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer)

    def write(self, values: list[object]) -> None:
        cells = ["" if value is None else str(value) for value in values]
        self.writer.writerow(["'" + c if _FORMULA_START.match(c) else c for c in cells])

    def close(self) -> bytes:
        return codecs.BOM_UTF8 + self.buffer.getvalue().encode("utf-8")


class _XlsxWriter:
    """A streaming workbook whose bytes depend only on the job, not on the clock."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.workbook = openpyxl.Workbook(write_only=True)
        self.sheet = self.workbook.create_sheet(str(job.get_dataset_display())[:31])
        self.header = True

    def write(self, values: list[object]) -> None:
        cells = []
        for value in values:
            text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
            cell = WriteOnlyCell(self.sheet, value=text or None)
            if text:
                cell.data_type = "s"  # text, even when it starts with "=": no formulas
            if self.header:
                cell.font = Font(bold=True)
            cells.append(cell)
        self.sheet.append(cells)
        self.header = False

    def close(self) -> bytes:
        moment = self.job.created_at.astimezone(UTC).replace(tzinfo=None)
        self.workbook.properties.created = self.workbook.properties.modified = moment
        raw = io.BytesIO()
        # ExcelWriter, not workbook.save(): save() stamps the current time in the file.
        ExcelWriter(self.workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
        return _with_fixed_dates(raw.getvalue(), moment)


def _with_fixed_dates(data: bytes, moment: datetime) -> bytes:
    """The same ZIP archive with every entry dated `moment` instead of now."""
    stable = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=moment.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry))
    return stable.getvalue()


# --- Imports ----------------------------------------------------------------------------

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
VISIBILITY_VALUES = {
    "intern": Contact.Visibility.INTERNAL,
    "internal": Contact.Visibility.INTERNAL,
    "gedeeld": Contact.Visibility.SHARED,
    "shared": Contact.Visibility.SHARED,
}


class ContactImportInvalid(Exception):
    """At least one row is wrong; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass
class ContactTable:
    """The rows of an import file, by column key, with their spreadsheet row numbers."""

    headers: dict[str, str]  # column key → the header as written in the file
    rows: list[tuple[int, dict[str, str]]]


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


def read_contact_file(*, name: str, content: bytes) -> ContactTable:
    """The rows of an uploaded CSV or XLSX file; ImportFileError if it cannot be used."""
    raw = tabular.read_rows(
        name=name,
        content=content,
        max_bytes=IMPORT_MAX_BYTES,
        max_rows=IMPORT_MAX_ROWS,
        max_columns=len(IMPORT_COLUMNS) * 4,
        delimiters=(",", ";", "\t"),  # on a tie: commas
        iso_dates=True,  # a date cell reads as 2024-03-01
    )
    return _table(raw.rows)


def _table(raw: list[list[str]]) -> ContactTable:
    if not raw or not any(cell.strip() for cell in raw[0]):
        raise ImportFileError(_("The first row must hold the column names."))
    headers, positions = tabular.header_columns(
        raw[0], known=_header_keys(), columns=", ".join(IMPORT_COLUMNS), required=REQUIRED_COLUMNS
    )
    rows = []
    for number, cells in enumerate(raw[1:], start=2):
        values = tabular.row_values(cells, positions)
        if any(values.values()):  # spreadsheets often end in empty rows
            rows.append((number, values))
    if not rows:
        raise ImportFileError(_("The file has column names but no contacts."))
    return ContactTable(headers=headers, rows=rows)


_PHONE = re.compile(r"^[0-9+()\-. ]*$")


class ContactRowForm(forms.Form):
    """One row of an import file: the checks a person entering the contact would get."""

    organisation = forms.CharField(max_length=200)
    name = forms.CharField(max_length=200)
    function = forms.CharField(max_length=200, required=False)
    email = forms.EmailField(required=False)
    phone = forms.CharField(max_length=30, required=False)
    themes = forms.CharField(required=False)
    visibility = forms.CharField(required=False)
    topics = forms.CharField(max_length=300, required=False)

    def __init__(
        self,
        data: dict[str, str],
        *,
        organisations: dict[str, Organisation],
        themes: dict[str, Theme],
    ) -> None:
        super().__init__(data)
        self.organisations = organisations
        self.known_themes = themes

    def clean_organisation(self) -> Organisation:
        value = self.cleaned_data["organisation"]
        organisation = self.organisations.get(value.upper()) or self.organisations.get(
            value.lower()
        )
        if organisation is None:
            raise ValidationError(
                _("Unknown organisation “%(value)s”: use its name or CBS code as in the register.")
                % {"value": value}
            )
        return organisation

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        if not _PHONE.match(value):
            raise ValidationError(_("A telephone number has only digits, spaces and + - ( )."))
        return value

    def clean_themes(self) -> list[Theme]:
        names = [name.strip() for name in self.cleaned_data["themes"].split(";") if name.strip()]
        unknown = [name for name in names if name.lower() not in self.known_themes]
        if unknown:
            raise ValidationError(_("Unknown themes: %(themes)s.") % {"themes": ", ".join(unknown)})
        return list(
            {
                self.known_themes[name.lower()].pk: self.known_themes[name.lower()]
                for name in names
            }.values()
        )

    def clean_visibility(self) -> str:
        value = self.cleaned_data["visibility"].lower()
        if value and value not in VISIBILITY_VALUES:
            raise ValidationError(_("Visibility is “intern” or “gedeeld”."))
        return VISIBILITY_VALUES.get(value, "")


@dataclass
class _Planned:
    row: int
    values: dict[str, Any]
    themes: list[Theme] | None  # None: the file has no themes column
    contact: Contact | None  # None: a new contact


def _plan(table: ContactTable) -> list[_Planned]:
    """Validate every row; raise ContactImportInvalid listing all problems."""
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
        for key, messages in form.errors.items():
            errors += [RowError(number, table.headers.get(key, key), m) for m in messages]

    # A row matches an existing contact on organisation and e-mail address; a row
    # without an e-mail address matches on organisation and name instead.
    organisation_ids = {data["organisation"].pk for _number, data in valid}
    existing: dict[tuple[int, str, str], list[Contact]] = defaultdict(list)
    for contact in Contact.objects.active().filter(organisation_id__in=organisation_ids):
        key = ("email", contact.email.lower()) if contact.email else ("name", contact.name.lower())
        existing[(contact.organisation_id, *key)].append(contact)

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
        raise ContactImportInvalid(sorted(errors, key=lambda error: error.row))
    return plan


def import_contacts(*, table: ContactTable, imported_by: User, filename: str) -> ImportResult:
    """Create or update the contacts of a file: all rows or, if any is wrong, none.

    Idempotent: importing the same file again changes nothing.
    """
    result = ImportResult()
    with transaction.atomic():
        for planned in _plan(table):
            contact = planned.contact or Contact()
            changed = {
                name: value
                for name, value in planned.values.items()
                if getattr(contact, name if name != "organisation" else "organisation_id")
                != (value.pk if name == "organisation" else value)
            }
            contact._history_user = imported_by  # type: ignore[attr-defined]
            if changed or contact.pk is None:
                for name, value in changed.items():
                    setattr(contact, name, value)
                contact.save()
            themes_changed = planned.themes is not None and (
                {theme.pk for theme in planned.themes}
                != set(contact.themes.values_list("pk", flat=True))
            )
            if themes_changed:
                contact.themes.set(planned.themes)
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
        _log(imported_by, PersonalDataLog.Action.IMPORT, description, len(table.rows))
    return result


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
        _log(exported_by, PersonalDataLog.Action.SUBJECT_EXPORT, description, rows)
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
        contact._history_user = erased_by  # type: ignore[attr-defined]
        contact.save()
        # The record saved just now is scrubbed already; this scrubs the older ones.
        contact.history.update(**scrubbed, history_change_reason=None)
        # Contact export files made before now may hold the person: remove them.
        ExportJob.objects.filter(dataset=ExportJob.Dataset.CONTACTS).delete()
        # The emergency admin's own log names the objects it changed.
        LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Contact), object_id=str(contact.pk)
        ).update(object_repr=placeholder)
        _log(erased_by, PersonalDataLog.Action.ERASURE, description, 1)
    return True
