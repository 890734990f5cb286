"""Contacts: people at partner organisations and the province's own contact points."""

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

from partners.forms.contacts import ContactForm
from partners.forms.filters import ContactFilter
from partners.models import Contact, Theme
from portal.lib.audit import history_entries
from portal.lib.htmx import AuthenticatedRequest


@require_GET
@login_required
@permission_required("partners.view_contact", raise_exception=True)
@vary_on_headers("HX-Request")
def contact_list(request: AuthenticatedRequest) -> HttpResponse:
    contacts = (
        Contact.objects.visible_to(request.user)
        .active()
        .select_related("organisation")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("name")))
    )
    found = ContactFilter(request.GET, queryset=contacts)
    page = Paginator(found.qs, per_page=settings.PAGE_SIZE).get_page(request.GET.get("page"))
    template = "partners/contact_list.html" + ("#results" if request.htmx else "")
    status = 200 if found.is_valid() else 400
    return render(request, template, {"filter": found, "page": page}, status=status)


@require_GET
@login_required
@permission_required("partners.view_contact", raise_exception=True)
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(
        Contact.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    context = {"contact": contact, "breadcrumb_trail": _trail()}
    if request.user.has_perm("partners.change_contact"):
        # The audit trail is for province staff; partners see only the card.
        context["history"] = history_entries(contact.history.all())
    return render(request, "partners/contact_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.add_contact", raise_exception=True)
def contact_create(request: HttpRequest) -> HttpResponse:
    initial = {"organisation": request.GET.get("organisation")}
    form = ContactForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(form):
        messages.success(request, _("%(name)s has been added.") % {"name": form.instance})
        return redirect(form.instance)
    return render(
        request, "partners/contact_form.html", {"form": form, "breadcrumb_trail": _trail()}
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.change_contact", raise_exception=True)
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.active(), pk=pk)
    form = ContactForm(request.POST if request.method == "POST" else None, instance=contact)
    if request.method == "POST" and form.is_valid() and _save(form):
        messages.success(request, _("The changes to %(name)s have been saved.") % {"name": contact})
        return redirect(contact)
    trail = [*_trail(), (contact.get_absolute_url(), contact.name)]
    return render(
        request,
        "partners/contact_form.html",
        {"form": form, "contact": contact, "breadcrumb_trail": trail},
    )


def _save(form: ContactForm) -> bool:
    """Save, turning a lost race on the unique e-mail constraint into a form error."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error(
            "email", _("This organisation already has a contact with this e-mail address.")
        )
        return False
    return True


def _trail() -> list[tuple[str, str]]:
    return [(reverse("partners:contact_list"), _("Contacts"))]
