from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from partners.forms.filters import OrganisationFilter
from partners.forms.organisations import OrganisationForm
from partners.models import Contact, Organisation, Theme
from portal.lib.audit import history_entries
from portal.lib.htmx import AuthenticatedRequest
from portal.lib.roles import is_province_staff


@require_GET
@login_required
@permission_required("partners.view_organisation", raise_exception=True)
@vary_on_headers("HX-Request")
def organisation_list(request: AuthenticatedRequest) -> HttpResponse:
    organisations = Organisation.objects.select_related("region")
    found = OrganisationFilter(request.GET, queryset=organisations)
    page = Paginator(found.qs, per_page=settings.PAGE_SIZE).get_page(request.GET.get("page"))
    template = "partners/organisation_list.html" + ("#results" if request.htmx else "")
    # A tampered filter value (?kind=unknown) is bad input: say so, with the form errors.
    status = 200 if found.is_valid() else 400
    return render(request, template, {"filter": found, "page": page}, status=status)


@require_GET
@login_required
@permission_required("partners.view_organisation", raise_exception=True)
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("region"), pk=pk)
    contacts = (
        Contact.objects.visible_to(request.user)
        .active()
        .filter(organisation=organisation)
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
    )
    context = {
        "organisation": organisation,
        "breadcrumb_trail": _trail(),
        "contacts": list(contacts),
    }
    if is_province_staff(request.user):
        assignments = list(
            organisation.account_holders.select_related("user", "theme").order_by(
                "-is_primary", "scope", "-starts_on", "pk"
            )
        )
        context["current_assignments"] = [a for a in assignments if a.is_current]
        context["past_assignments"] = [a for a in assignments if not a.is_current]
        context["history"] = history_entries(organisation.history.all())
    return render(request, "partners/organisation_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.add_organisation", raise_exception=True)
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and _save(form):
        messages.success(request, _("%(name)s has been added.") % {"name": form.instance})
        return redirect(form.instance)
    return render(
        request, "partners/organisation_form.html", {"form": form, "breadcrumb_trail": _trail()}
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.change_organisation", raise_exception=True)
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, instance=organisation
    )
    if request.method == "POST" and form.is_valid() and _save(form):
        messages.success(
            request, _("The changes to %(name)s have been saved.") % {"name": organisation}
        )
        return redirect(organisation)
    trail = [*_trail(), (organisation.get_absolute_url(), organisation.name)]
    return render(
        request,
        "partners/organisation_form.html",
        {"form": form, "organisation": organisation, "breadcrumb_trail": trail},
    )


def _save(form: OrganisationForm) -> bool:
    """Save, turning a lost race on a unique constraint into a form error."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        # Another request stored the same name or code between validation and save.
        form.add_error(
            None,
            _(
                "An organisation with this name or code was just added by "
                "someone else. Check the register and try again."
            ),
        )
        return False
    return True


def _trail() -> list[tuple[str, str]]:
    return [(reverse("partners:organisation_list"), _("Organisations"))]
