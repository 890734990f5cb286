"""Improvement actions ("you said, we did"): what the province does with a round's outcome.

Actions belong to rounds whose results exist (closed or published); readers see those
of the rounds whose results they may read (services/reports.rounds_with_results), so
a partner sees actions of published rounds only. Single-model CRUD: the ModelForm
saves, simple_history records who changed what (its middleware knows the user).

Adding is idempotent per form shown (its submission key, unique in the database); an
edit based on values someone else has changed since is refused (forms/actions.py).
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.lib.audit import history_entries
from portal.lib.htmx import AuthenticatedRequest
from thermometer.forms.actions import ImprovementActionForm
from thermometer.models import ImprovementAction, Round
from thermometer.services.reports import rounds_with_results

WITH_RESULTS = (Round.Status.CLOSED, Round.Status.PUBLISHED)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("thermometer.add_improvementaction", raise_exception=True)
def action_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(Round, pk=pk, status__in=WITH_RESULTS)
    form = ImprovementActionForm(
        request.POST if request.method == "POST" else None,
        instance=ImprovementAction(round=survey_round, created_by=request.user),
    )
    if request.method == "POST":
        key = form.submission_key
        existing = _saved_with(key)
        if existing is not None:  # a double click, or the form posted again
            return _already_saved(request, existing)
        if form.is_valid():
            form.instance.submission_key = key
            try:
                with transaction.atomic():
                    action = form.save()
            except IntegrityError:
                # The same form, posted at the same time, was saved first.
                existing = _saved_with(key)
                if existing is None:
                    raise
                return _already_saved(request, existing)
            messages.success(request, _("%(title)s has been added.") % {"title": action})
            return redirect(action)
    context = {"form": form, "round": survey_round, "breadcrumb_trail": _trail(survey_round)}
    return render(request, "thermometer/action_form.html", context)


@require_GET
@login_required
@permission_required("thermometer.view_improvementaction", raise_exception=True)
def action_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(
        ImprovementAction.objects.select_related("round").filter(
            round__in=rounds_with_results(request.user)
        ),
        pk=pk,
    )
    context = {"action": action, "round": action.round, "breadcrumb_trail": _trail(action.round)}
    if request.user.has_perm("thermometer.change_improvementaction"):
        context["history"] = history_entries(action.history.all())
    return render(request, "thermometer/action_detail.html", context)


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("thermometer.change_improvementaction", raise_exception=True)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actions = ImprovementAction.objects.select_related("round").filter(
        round__status__in=WITH_RESULTS
    )
    if request.method != "POST":
        action = get_object_or_404(actions, pk=pk)
        title = action.title
        form = ImprovementActionForm(instance=action)
    else:
        with transaction.atomic():
            # Locked from comparing the version until saving: no edit slips in between.
            action = get_object_or_404(actions.select_for_update(of=("self",)), pk=pk)
            title = action.title  # the form changes the instance, even when the input is invalid
            form = ImprovementActionForm(request.POST, instance=action)
            if form.is_valid():
                if form.has_changed():
                    form.save()
                    messages.success(
                        request, _("The changes to %(title)s have been saved.") % {"title": action}
                    )
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect(action)
        if form.stale:
            # Someone else saved in the meantime: show what is stored now.
            action.refresh_from_db()
            title = action.title
            form = ImprovementActionForm.refused_as_stale(action)
    trail = [*_trail(action.round), (action.get_absolute_url(), title)]
    context = {"form": form, "round": action.round, "action": action, "breadcrumb_trail": trail}
    return render(request, "thermometer/action_form.html", context)


def _saved_with(key: uuid.UUID | None) -> ImprovementAction | None:
    if key is None:
        return None
    return ImprovementAction.objects.filter(submission_key=key).first()


def _already_saved(request: HttpRequest, action: ImprovementAction) -> HttpResponse:
    messages.info(request, _("This improvement action was already saved."))
    return redirect(action)


def _trail(survey_round: Round) -> list[tuple[str, str]]:
    return [
        (reverse("thermometer:results_list"), _("Results")),
        (reverse("thermometer:results_detail", args=[survey_round.pk]), survey_round.name),
    ]
