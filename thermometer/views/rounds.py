"""Administrators: the rounds of the thermometer and their progress.

Progress is invitation data only (invited, reminded, started, finished), so that
administrators can remind those who have not finished. No view here reads answers or
counts responses per group: while a round is open nobody may see those.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.lib.htmx import AuthenticatedRequest
from thermometer.forms.rounds import RoundForm, TransitionForm
from thermometer.models import Aggregation, Invitation, Response, Round
from thermometer.services.rounds import (
    available_actions,
    create_round,
    transition_round,
    update_round,
)

ACTIVE = Q(invitations__revoked_at__isnull=True)


@require_GET
@login_required
@permission_required("thermometer.view_round", raise_exception=True)
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = Round.objects.annotate(
        invited=Count("invitations", filter=ACTIVE),
        finished=Count("invitations", filter=ACTIVE & Q(invitations__used_at__isnull=False)),
    ).order_by("-opens_at", "-pk")
    page = Paginator(rounds, per_page=settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "thermometer/round_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("thermometer.add_round", raise_exception=True)
def round_create(request: AuthenticatedRequest) -> HttpResponse:
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        all_versions=request.GET.get("versions") == "all",
    )
    if request.method == "POST" and form.is_valid():
        survey_round = _save(form, lambda: create_round(by=request.user, **form.round_settings()))
        if survey_round is not None:
            messages.success(request, _("%(name)s has been added.") % {"name": survey_round})
            return redirect(survey_round)
    return render(
        request, "thermometer/round_form.html", {"form": form, "breadcrumb_trail": _trail()}
    )


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("thermometer.change_round", raise_exception=True)
def round_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(Round, pk=pk)
    form = RoundForm(
        request.POST if request.method == "POST" else None,
        survey_round=survey_round,
        has_responses=Response.objects.filter(round=survey_round).exists(),
        all_versions=request.GET.get("versions") == "all",
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(
            form,
            lambda: update_round(survey_round, by=request.user, **form.round_settings()),
        )
        if saved is not None:
            messages.success(
                request, _("The changes to %(name)s have been saved.") % {"name": saved}
            )
            return redirect(saved)
    trail = [*_trail(), (survey_round.get_absolute_url(), survey_round.name)]
    return render(
        request,
        "thermometer/round_form.html",
        {"form": form, "round": survey_round, "breadcrumb_trail": trail},
    )


@require_GET
@login_required
@permission_required(
    ["thermometer.view_round", "thermometer.view_invitation"], raise_exception=True
)
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(_rounds(), pk=pk)
    return render(request, "thermometer/round_detail.html", _detail_context(survey_round))


@require_POST
@login_required
@permission_required("thermometer.change_round", raise_exception=True)
def round_transition(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(_rounds(), pk=pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        context = _detail_context(survey_round, failed=form)
        return render(request, "thermometer/round_detail.html", context)
    action = form.cleaned_data["action"]
    target = {"open": Round.Status.OPEN, "close": Round.Status.CLOSED}.get(
        action, Round.Status.PUBLISHED
    )
    try:
        moved = transition_round(survey_round, to=target, by=request.user)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
    else:
        done = {
            "open": _("The round is open."),
            "close": _("The round is closed: no more answers are accepted."),
            "publish": _("The results of the round are published."),
        }
        if moved:
            messages.success(request, done[action])
        else:
            messages.info(request, _("Nothing changed: the round already had this status."))
    return redirect(survey_round)


# --- Helpers -------------------------------------------------------------------------


def _rounds() -> QuerySet[Round]:
    return Round.objects.select_related(
        "external_questionnaire", "internal_questionnaire", "aggregation"
    )


def _aggregation(survey_round: Round) -> Aggregation | None:
    """The round's results state (selected with the round), None before the first run."""
    try:
        return survey_round.aggregation
    except Aggregation.DoesNotExist:
        return None


def _detail_context(survey_round: Round, *, failed: TransitionForm | None = None) -> dict:
    """The round, its progress and, after an invalid transition form, its errors."""
    invitations = Invitation.objects.filter(round=survey_round, revoked_at__isnull=True)
    # One aggregate query for any number of invitations; staff (no organisation) form
    # a row of their own.
    progress = list(
        invitations.values("organisation", "organisation__name")
        .annotate(
            invited=Count("pk"),
            sent=Count("pk", filter=Q(sent_at__isnull=False)),
            reminded=Count("pk", filter=Q(reminder_count__gt=0)),
            started=Count("pk", filter=Q(started_at__isnull=False)),
            finished=Count("pk", filter=Q(used_at__isnull=False)),
        )
        .order_by("organisation__name")
    )
    totals = {
        key: sum(row[key] for row in progress)
        for key in ("invited", "sent", "reminded", "started", "finished")
    }
    context: dict[str, Any] = {
        "round": survey_round,
        "aggregation": _aggregation(survey_round),
        "breadcrumb_trail": _trail(),
        "organisations": list(survey_round.organisations.order_by("name").values("pk", "name")),
        "progress": progress,
        "totals": totals,
        "actions": available_actions(survey_round),
        "failed_action": failed.data.get("action") if failed else None,
        "failed_errors": [e for errors in failed.errors.values() for e in errors] if failed else [],
    }
    if survey_round.status in (Round.Status.DRAFT, Round.Status.OPEN):
        # Who has not finished: operational data of the invitation, for reminders.
        context["not_finished"] = list(
            invitations.filter(used_at__isnull=True)
            .select_related("organisation", "contact", "user")
            .order_by("organisation__name", "organisation", "email", "pk")
        )
    return context


def _save(form: RoundForm, save: Callable[[], Round]) -> Round | None:
    """Run the service; its refusals and a lost race on the name become form errors."""
    try:
        with transaction.atomic():
            return save()
    except ValidationError as refusal:
        form.add_error(None, refusal)
    except IntegrityError:
        form.add_error("name", _("A round with this name was just added by someone else."))
    return None


def _trail() -> list[tuple[str, str]]:
    return [(reverse("thermometer:round_list"), _("Thermometer rounds"))]
