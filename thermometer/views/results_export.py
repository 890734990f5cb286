"""Results to XLSX and CSV: built in the request (see services/results_export.py)."""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.lib.htmx import AuthenticatedRequest
from thermometer.services.reports import rounds_with_results
from thermometer.services.results_export import FORMATS, VIEWS, export_results


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """?formaat=xlsx (default: every view, or ?weergave=) or ?formaat=csv&weergave=."""
    survey_round = get_object_or_404(rounds_with_results(request.user), pk=pk)
    file_format = request.GET.get("formaat") or "xlsx"
    view = request.GET.get("weergave", "")
    allowed = [key for key in VIEWS if _may_read(request, key)]
    problem = None
    if file_format not in FORMATS:
        problem = _("Choose the file format xlsx or csv.")
    elif view and view not in allowed:
        problem = _("This part of the results does not exist.")
    elif file_format == "csv" and not view:
        problem = _("A CSV file holds one part of the results: choose which one.")
    if problem:
        context = {"round": survey_round, "problem": problem, "views": _choices(allowed)}
        return render(request, "thermometer/export_invalid.html", context, status=400)
    exported = export_results(
        survey_round, file_format=file_format, views=[view] if view else allowed
    )
    return HttpResponse(
        exported.content,
        content_type=exported.content_type,
        headers={"Content-Disposition": content_disposition_header(True, exported.filename)},
    )


def _may_read(request: HttpRequest, view: str) -> bool:
    if view == "actions":
        return request.user.has_perm("thermometer.view_improvementaction")
    return True


def _choices(views: list[str]) -> list[tuple[str, str]]:
    return [(key, str(VIEWS[key])) for key in views]
