"""Exports, imports and personal data: the screens; partners/services/exchange.py does the work."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from partners.models import Contact, ExportJob, PersonalDataLog
from partners.services import exchange

# --- Forms --------------------------------------------------------------------------------


class ExportForm(forms.Form):
    dataset = forms.ChoiceField(
        label=gettext_lazy("What to export"),
        # The register's own datasets; other apps' (open answers) start on their own pages.
        choices=[
            (key, label) for key, label in ExportJob.Dataset.choices if key in exchange.FILTERSETS
        ],
        widget=forms.RadioSelect,
    )
    format = forms.ChoiceField(
        label=gettext_lazy("File format"),
        choices=ExportJob.Format.choices,
        initial=ExportJob.Format.XLSX,
        widget=forms.RadioSelect,
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("dataset"):
            # The list's filters come along as hidden fields (see export_create.html).
            try:
                cleaned["filters"] = exchange.clean_export_filters(
                    dataset=cleaned["dataset"], data=self.data
                )
            except forms.ValidationError as error:
                self.add_error(None, error)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("A CSV file or an Excel file (.xlsx), at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self) -> exchange.ContactTable:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refuse a large file before reading it into memory.
        if upload.size and upload.size > exchange.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": exchange.IMPORT_MAX_BYTES // 2**20}
            )
        try:
            return exchange.read_contact_file(name=upload.name or "", content=upload.read())
        except exchange.ImportFileError as error:
            raise forms.ValidationError(str(error)) from error


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone"),
        error_messages={
            "required": gettext_lazy("Tick the box to confirm that the data may be erased.")
        },
    )


# --- Exports ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.export_contacts", raise_exception=True)
def export_create(request: HttpRequest) -> HttpResponse:
    """The export form; the list pages link here with their filters in the query string."""
    if request.method == "POST":
        form = ExportForm(request.POST)
        if form.is_valid():
            job = exchange.start_export(
                requested_by=request.user,
                dataset=form.cleaned_data["dataset"],
                file_format=form.cleaned_data["format"],
                filters=form.cleaned_data["filters"],
            )
            return redirect("partners:export_status", pk=job.pk)
    else:
        form = ExportForm(initial={"dataset": request.GET.get("dataset")})
    data = request.POST if request.method == "POST" else request.GET
    filters = {key: data[key] for key in exchange.ALL_FILTER_KEYS if data.get(key)}
    dataset = data.get("dataset")
    if dataset in exchange.FILTER_KEYS:
        relevant = {k: v for k, v in filters.items() if k in exchange.FILTER_KEYS[dataset]}
        described = exchange.describe_filters(dataset=dataset, filters=relevant)
    else:
        described = list(filters.items())
    recent = ExportJob.objects.filter(requested_by=request.user).defer("content")[:10]
    return render(
        request,
        "partners/export_create.html",
        {
            "form": form,
            "filters": filters.items(),
            "described_filters": described,
            "recent": recent,
        },
    )


@require_GET
@login_required
@permission_required("partners.export_contacts", raise_exception=True)
@vary_on_headers("HX-Request")
def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of an export; htmx polls the #progress fragment until it is finished."""
    # Only the requester's own jobs, and never the file itself: this is polled.
    jobs = ExportJob.objects.filter(requested_by=request.user).defer("content")
    job = get_object_or_404(jobs, pk=pk)
    finished = job.status in {ExportJob.Status.DONE, ExportJob.Status.FAILED}
    if request.htmx:  # the polled fragment: as few queries as possible
        return render(
            request, "partners/export_status.html#progress", {"job": job, "finished": finished}
        )
    filters = exchange.describe_filters(dataset=job.dataset, filters=job.filters)
    return render(
        request,
        "partners/export_status.html",
        {"job": job, "finished": finished, "filters": filters, "breadcrumb_trail": _trail()},
    )


@require_GET
@login_required
@permission_required("partners.export_contacts", raise_exception=True)
@never_cache
def export_download(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's export is not found, rather than forbidden: its number says nothing.
    job = get_object_or_404(ExportJob, pk=pk, requested_by=request.user)
    if job.status != ExportJob.Status.DONE:
        return redirect("partners:export_status", pk=job.pk)
    return HttpResponse(
        bytes(job.content),
        content_type=exchange.CONTENT_TYPES[job.format],
        headers={"Content-Disposition": content_disposition_header(True, job.filename)},
    )


def _trail() -> list[tuple[str, str]]:
    return [(reverse("partners:export_create"), _("Export"))]


# --- Imports ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.import_contacts", raise_exception=True)
def contact_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ImportForm(request.POST if posted else None, request.FILES if posted else None)
    report: list[exchange.RowError] = []
    if posted and form.is_valid():
        upload = request.FILES["file"]
        try:
            result = exchange.import_contacts(
                table=form.cleaned_data["file"], imported_by=request.user, filename=upload.name
            )
        except exchange.ContactImportInvalid as invalid:
            report = invalid.errors
        except IntegrityError:
            # A parallel import or edit added the same person (same organisation and
            # e-mail address) after this file was checked; nothing of it was saved.
            form.add_error(
                None,
                _(
                    "Someone else added some of these contacts at the same moment. "
                    "Nothing was imported; please upload the file again."
                ),
            )
        else:
            messages.success(
                request,
                _(
                    "The import is done: %(created)s contacts added, %(updated)s updated, "
                    "%(unchanged)s unchanged."
                )
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
            return redirect("partners:contact_import")
    # A rejected upload is a bad request; the page says what to fix.
    status = 400 if posted else 200
    return render(
        request,
        "partners/contact_import.html",
        {
            "form": form,
            "report": report,
            "rows_with_errors": len({error.row for error in report}),
            "columns": _import_columns(),
            "max_rows": exchange.IMPORT_MAX_ROWS,
            "breadcrumb_trail": [(reverse("partners:contact_list"), _("Contacts"))],
        },
        status=status,
    )


def _import_columns() -> list[tuple[str, bool, str]]:
    """(column, required, what goes in it) for the explanation on the import page."""
    return [
        ("organisation", True, _("Name or CBS code of the organisation, as in the register")),
        ("name", True, _("Full name")),
        ("function", False, _("Job title")),
        ("email", False, _("E-mail address; an existing contact with it is updated")),
        ("phone", False, _("Telephone number")),
        ("themes", False, _("Theme names, separated by semicolons")),
        ("visibility", False, _("intern or gedeeld (internal or shared); default intern")),
        ("topics", False, _("Other subjects, separated by commas")),
    ]


# --- One person's data --------------------------------------------------------------------


@require_GET
@login_required
@permission_required("partners.erase_contact", raise_exception=True)
def contact_personal_data(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(_contacts(request), pk=pk)
    return _personal_data_page(request, contact, EraseForm())


@require_POST
@login_required
@permission_required("partners.erase_contact", raise_exception=True)
@never_cache
def contact_subject_export(request: HttpRequest, pk: int) -> HttpResponse:
    """All data held on one person as a JSON download (a POST: it writes the log)."""
    contact = get_object_or_404(_contacts(request), pk=pk)
    data = exchange.export_personal_data(contact, exported_by=request.user)
    filename = f"persoonsgegevens-contact-{contact.pk}.json"
    return JsonResponse(
        data,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@require_POST
@login_required
@permission_required("partners.erase_contact", raise_exception=True)
def contact_erase(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(_contacts(request), pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _personal_data_page(request, contact, form)
    if exchange.erase_contact(contact, erased_by=request.user):
        messages.success(request, _("The personal data of this contact has been erased."))
    else:
        messages.info(request, _("This contact had already been anonymised."))
    return redirect("partners:contact_personal_data", pk=contact.pk)


def _contacts(request: HttpRequest) -> QuerySet[Contact]:
    return Contact.objects.visible_to(request.user).select_related("organisation")


def _personal_data_page(request: HttpRequest, contact: Contact, form: EraseForm) -> HttpResponse:
    trail = [
        (reverse("partners:contact_list"), _("Contacts")),
        (contact.get_absolute_url(), contact.name),
    ]
    return render(
        request,
        "partners/contact_personal_data.html",
        {
            "contact": contact,
            "themes": contact.themes.all(),
            "history_count": contact.history.count(),
            "moment_count": contact.interactions.count(),
            "erase_form": form,
            "breadcrumb_trail": trail,
        },
    )


@require_GET
@login_required
@permission_required("partners.erase_contact", raise_exception=True)
def personal_data_log(request: HttpRequest) -> HttpResponse:
    entries = PersonalDataLog.objects.select_related("user").order_by("-created_at", "-pk")
    page = Paginator(entries, per_page=settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partners/personal_data_log.html", {"page": page})
