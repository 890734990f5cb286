"""The contacts import: the page; partners/services/contact_import.py does the work."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners.forms.imports import ContactImportForm
from partners.services import contact_import
from portal.lib.htmx import AuthenticatedRequest
from portal.lib.tabular.imports import import_page


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.import_contacts", raise_exception=True)
def contact_import_page(request: AuthenticatedRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ContactImportForm(request.POST if posted else None, request.FILES if posted else None)

    def run(form: ContactImportForm) -> HttpResponse:
        upload = request.FILES["file"]
        assert isinstance(upload, UploadedFile)  # the form has read it
        result = contact_import.import_contacts(
            table=form.cleaned_data["file"],
            imported_by=request.user,
            filename=upload.name or "",  # the form refuses a file without a name
        )
        messages.success(
            request,
            _(
                "The import is done: %(created)s contacts added, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged},
        )
        return redirect("partners:contact_import")

    context = {
        "columns": _import_columns(),
        "max_rows": contact_import.IMPORT_MAX_ROWS,
        "breadcrumb_trail": [(reverse("partners:contact_list"), _("Contacts"))],
    }
    return import_page(
        request, form=form, template="partners/contact_import.html", run=run, context=context
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
