"""One person's data (AVG): what the portal holds on a contact, its export and erasure,
and the personal data log. The work is done by partners/services/personal_data.py."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from partners.forms.personal_data import EraseForm
from partners.models import Contact, PersonalDataLog
from partners.services import personal_data
from portal.lib.htmx import AuthenticatedRequest


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
def contact_subject_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """All data held on one person as a JSON download (a POST: it writes the log)."""
    contact = get_object_or_404(_contacts(request), pk=pk)
    data = personal_data.export_personal_data(contact, exported_by=request.user)
    filename = f"persoonsgegevens-contact-{contact.pk}.json"
    return JsonResponse(
        data,
        json_dumps_params={"indent": 2, "ensure_ascii": False},
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@require_POST
@login_required
@permission_required("partners.erase_contact", raise_exception=True)
def contact_erase(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(_contacts(request), pk=pk)
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _personal_data_page(request, contact, form)
    if personal_data.erase_contact(contact, erased_by=request.user):
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
