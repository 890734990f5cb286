"""Results of the thermometer: per round, its progress while computed, and trends.

Every number comes from services/reports.py, which applies the anonymity threshold:
no view here reads Result rows (or answers) itself, so a hidden group cannot leak.
Which rounds a user may read is rounds_with_results(): a partner asking for a round
that is closed but not published gets a 404, as if it did not exist.
"""

import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from portal.lib.charts import sparkline
from portal.lib.htmx import AuthenticatedRequest
from portal.lib.jobs import progress_response
from thermometer.models import PARTNER_GROUPS, SCALE_LABELS, Aggregation, ResultGroup, Round
from thermometer.services import charts
from thermometer.services.aggregation import request_aggregation
from thermometer.services.reports import (
    REPORTED_GROUPS,
    Cell,
    QuestionResult,
    RoundReport,
    round_report,
    rounds_with_results,
)
from thermometer.services.trends import published_rounds, trend_report

# The views the export offers as CSV (thermometer/views/results_export.py).
EXPORT_VIEWS = ("marks", "properties", "distributions", "response", "actions")


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_list(request: AuthenticatedRequest) -> HttpResponse:
    rounds = rounds_with_results(request.user).select_related("aggregation")
    page = Paginator(rounds, per_page=settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "thermometer/results_list.html", {"page": page, "breadcrumb_trail": []})


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(rounds_with_results(request.user), pk=pk)
    report = round_report(survey_round)
    options = [ResultGroup.ALL_PARTNERS, *(g for g in report.groups if g in PARTNER_GROUPS)]
    group = _chosen(request, options)
    context = {
        **_report_context(report, group),
        "group_links": _group_links(request, options, group),
        "export_views": EXPORT_VIEWS,
        "breadcrumb_trail": _trail(),
    }
    return render(request, "thermometer/results_detail.html", context)


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
@vary_on_headers("HX-Request")
def results_progress(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The state of the round's computation; htmx polls it from the results page."""
    survey_round = get_object_or_404(rounds_with_results(request.user), pk=pk)
    aggregation = Aggregation.objects.filter(round=survey_round).first()
    context = {
        "round": survey_round,
        "aggregation": aggregation,
        **_progress_context(survey_round, aggregation),
    }
    if not request.htmx:
        context["breadcrumb_trail"] = [*_trail(), (_detail_url(survey_round), survey_round.name)]
        return render(request, "thermometer/results_progress.html", context)
    response = progress_response(request, job=aggregation, context=context)
    if aggregation is None or not aggregation.in_progress:
        # Finished (or failed): the whole page reloads to show the new results.
        response["HX-Refresh"] = "true"
    return response


@require_POST
@login_required
@permission_required("thermometer.run_aggregation", raise_exception=True)
def results_aggregate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(Round, pk=pk)
    try:
        request_aggregation(survey_round, by=request.user)
    except ValidationError as refusal:
        for message in refusal.messages:
            messages.error(request, message)
        if not rounds_with_results(request.user).filter(pk=survey_round.pk).exists():
            return redirect("thermometer:results_list")
    else:
        messages.success(
            request,
            _("The results are being computed again; they replace the stored results."),
        )
    return redirect("thermometer:results_detail", pk=survey_round.pk)


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_print(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """All groups' key tables on one page, for paper or PDF."""
    survey_round = get_object_or_404(rounds_with_results(request.user), pk=pk)
    report = round_report(survey_round)
    groups = [ResultGroup.ALL_PARTNERS, *(g for g in report.groups if g in PARTNER_GROUPS)]
    context = {
        "round": survey_round,
        "report": report,
        "sections": [
            {
                "group": group,
                "label": ResultGroup(group).label,
                "marks": report.marks(group),
                "properties": report.properties(group),
            }
            for group in groups
        ],
        "actions": list(survey_round.actions.order_by("due_date", "title", "pk")),
    }
    return render(request, "thermometer/results_print.html", context)


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def trends(request: HttpRequest) -> HttpResponse:
    """Per question the chosen group's mean over the published rounds, oldest first."""
    group = _chosen(request, list(REPORTED_GROUPS))
    report = trend_report(group, published_rounds())
    rows = [
        {
            "row": row,
            "sparkline": sparkline(
                [p.cell.mean if p.cell and p.cell.shown else None for p in row.points],
                scale_max=row.scale_max,
            ),
        }
        for row in report.rows
    ]
    context = {
        "report": report,
        "rows": rows,
        "any_changed": any(p.changed for row in report.rows for p in row.points),
        "group_label": ResultGroup(group).label,
        "group_links": _group_links(request, list(REPORTED_GROUPS), group),
        "breadcrumb_trail": _trail(),
    }
    return render(request, "thermometer/trends.html", context)


# --- Helpers -------------------------------------------------------------------------


def _chosen(request: HttpRequest, options: list[str]) -> str:
    """The group asked for in ?groep=, or all partners when it is not one of the options."""
    asked = request.GET.get("groep", "")
    return asked if asked in options else ResultGroup.ALL_PARTNERS


def _group_links(request: HttpRequest, options: list[str], chosen: str) -> list[dict[str, Any]]:
    return [
        {
            "group": group,
            "label": ResultGroup(group).label,
            "url": f"{request.path}?groep={group}",
            "current": group == chosen,
        }
        for group in options
    ]


def _report_context(report: RoundReport, group: str) -> dict[str, Any]:
    """The report's sections for one partner group, with the geometry of their charts."""
    marks = report.marks(group)
    properties = report.properties(group)
    return {
        "round": report.round,
        "report": report,
        "group": group,
        "group_label": ResultGroup(group).label,
        "aggregation": report.aggregation,
        **_progress_context(report.round, report.aggregation),
        "marks": marks,
        "marks_chart": charts.marks_chart(marks),
        "properties": properties,
        "properties_chart": charts.properties_chart(properties),
        "perspectives": properties[0].perspectives if properties else [],
        "distributions": _distributions(report.distributions(group)),
        "rates": report.rates,
        "rates_known": any(rate.invited for rate in report.rates),
        "rates_chart": charts.rates_chart(
            [(rate.label, rate.rate, rate.shown) for rate in report.rates]
        ),
        "actions": list(report.round.actions.order_by("due_date", "title", "pk")),
    }


def _distributions(distributions: list[tuple[QuestionResult, Cell]]) -> list[dict[str, Any]]:
    """The distributions as two charts with their tables: marks (1–10), scales (1–5)."""
    parts = []
    for scale_max in (10, 5):
        rows = [
            (question, cell) for question, cell in distributions if question.scale_max == scale_max
        ]
        if not rows:
            continue
        parts.append(
            {
                "scale_max": scale_max,
                "chart_id": f"distribution-chart-{scale_max}",
                "values": _value_labels(scale_max),
                "rows": [
                    {
                        "question": question,
                        "cell": cell,
                        "columns": list(zip(cell.counts, cell.shares, strict=True)),
                    }
                    for question, cell in rows
                ],
                "chart": charts.distribution_chart(
                    [(question.label, cell) for question, cell in rows]
                ),
            }
        )
    return parts


def _value_labels(scale_max: int) -> list[tuple[int, str]]:
    """The answer values of a scale with their words (poor … excellent), or 1–10."""
    if scale_max == len(SCALE_LABELS):
        return [(value, str(label)) for value, label in SCALE_LABELS.items()]
    return [(value, str(value)) for value in range(1, scale_max + 1)]


def _progress_context(survey_round: Round, aggregation: Aggregation | None) -> dict[str, Any]:
    """What components/_progress.html needs to show the round's computation."""
    return {
        "poll_url": reverse("thermometer:results_progress", args=[survey_round.pk]),
        "none_text": _("No results have been computed for this round yet."),
        "done_template": "thermometer/_aggregation_outcome.html#done",
        "failed_template": "thermometer/_aggregation_outcome.html#failed",
        "error_category": _error_category(aggregation),
    }


def _error_category(aggregation: Aggregation | None) -> str:
    """What went wrong, in a word a reader can act on; the stored error may hold a
    traceback or data, so it is never shown as such."""
    if aggregation is None or aggregation.status != Aggregation.Status.FAILED:
        return ""
    error = aggregation.error
    if error.startswith("Could not enqueue"):
        return _("The task queue could not be reached.")
    if "database" in error.lower() or error.startswith("OperationalError"):
        return _("The database could not be reached.")
    kind = re.match(r"^(\w+)\(", error)
    if kind:
        return _("Unexpected error (%(kind)s).") % {"kind": kind.group(1)}
    return _("Unexpected error.")


def _detail_url(survey_round: Round) -> str:
    return reverse("thermometer:results_detail", args=[survey_round.pk])


def _trail() -> list[tuple[str, str]]:
    return [(reverse("thermometer:results_list"), _("Thermometer results"))]
