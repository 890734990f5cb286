"""Whom do I call? The account-holders and contact points for a partner."""

from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from partners.forms.assignments import WhomToCallForm
from partners.models import Theme
from partners.queries import organisation_of, partners_of
from partners.queries import whom_to_call as find_whom_to_call
from portal.lib.htmx import AuthenticatedRequest
from portal.lib.roles import Role, is_province_staff, roles_of


@require_GET
@login_required
@permission_required("partners.view_organisation", raise_exception=True)
@vary_on_headers("HX-Request")
def whom_to_call(request: AuthenticatedRequest) -> HttpResponse:
    """A partner sees their own organisation at once; staff choose one."""
    is_partner = Role.PARTNER in roles_of(request.user) and not is_province_staff(request.user)
    own = organisation_of(request.user) if is_partner else None
    form = WhomToCallForm(request.GET or None)
    answer, status = None, 200
    if is_partner and own is None:
        # A partner account not yet linked to an organisation may not look up others.
        form.fields.pop("organisation")
    elif own is not None:
        # A partner's own organisation is fixed; only the theme is chosen.
        form.fields.pop("organisation")
        theme = None
        if form.is_bound and form.is_valid():
            theme = form.cleaned_data["theme"]
        elif form.is_bound:
            status = 400
        answer = find_whom_to_call(own, theme, user=request.user)
    elif form.is_bound:
        if form.is_valid():
            answer = find_whom_to_call(
                form.cleaned_data["organisation"], form.cleaned_data["theme"], user=request.user
            )
        else:
            status = 400
    context = {
        "form": form,
        "answer": answer,
        "own": own,
        "unlinked_partner": is_partner and own is None,
        "themes": Theme.objects.all(),
    }
    template = "partners/whom_to_call.html" + ("#answer" if request.htmx else "")
    return render(request, template, context, status=status)


@require_GET
@login_required
def my_partners(request: AuthenticatedRequest) -> HttpResponse:
    """The organisations an account-holder is assigned to, with their other account-holders."""
    if Role.ACCOUNT_HOLDER not in roles_of(request.user):
        raise PermissionDenied
    return render(
        request, "partners/my_partners.html", {"assignments": list(partners_of(request.user))}
    )
