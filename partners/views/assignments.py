"""Account-holder assignments: adding them, changing them and ending them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from partners.forms.assignments import AccountHolderForm
from partners.models import AccountHolder


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.add_accountholder", raise_exception=True)
def assignment_create(request: HttpRequest) -> HttpResponse:
    initial = {"organisation": request.GET.get("organisation")}
    form = AccountHolderForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid() and _save(form):
        messages.success(request, _("The account-holder has been assigned."))
        return redirect(form.instance.organisation)
    return render(request, "partners/assignment_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("partners.change_accountholder", raise_exception=True)
def assignment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(AccountHolder.objects.select_related("organisation"), pk=pk)
    form = AccountHolderForm(
        request.POST if request.method == "POST" else None, instance=assignment
    )
    if request.method == "POST" and form.is_valid() and _save(form):
        messages.success(request, _("The assignment has been saved."))
        return redirect(assignment.organisation)
    return render(
        request, "partners/assignment_form.html", {"form": form, "assignment": assignment}
    )


def _save(form: AccountHolderForm) -> bool:
    """Save, turning a lost race on the one-primary constraint into a form error."""
    try:
        with transaction.atomic():
            form.save()
    except IntegrityError:
        form.add_error("is_primary", _("This organisation already has a primary account-holder."))
        return False
    return True
