"""Historical rounds: aggregated counts imported by an administrator.

The work is done by thermometer/services/history_import.py; the new round is closed,
and is published from its page like any other.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thermometer.forms_import import ResultsImportForm
from thermometer.services import history_import
from thermometer.services.results_export import CONTENT_TYPES


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(["thermometer.add_round", "thermometer.add_result"], raise_exception=True)
def results_import(request: HttpRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ResultsImportForm(request.POST if posted else None, request.FILES if posted else None)
    report: list[history_import.RowError] = []
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            survey_round = history_import.import_round(
                by=request.user,
                name=data["name"],
                opens_on=data["opens_on"],
                closes_on=data["closes_on"],
                note=data["note"],
                table=data["file"],
            )
        except history_import.CountsInvalid as invalid:
            report = invalid.errors
        except ValidationError as refusal:
            by_field = refusal.message_dict if hasattr(refusal, "error_dict") else {}
            for field, errors in by_field.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not by_field:
                for error in refusal.messages:
                    form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s has been imported as a closed round. Check the results, "
                    "then publish the round from its page."
                )
                % {"name": survey_round.name},
            )
            return redirect("thermometer:results_detail", pk=survey_round.pk)
    # An invalid form re-renders with 200, as every form of the portal (STYLE.md).
    return render(
        request,
        "thermometer/results_import.html",
        {
            "form": form,
            "report": report,
            "rows_with_errors": len({error.row for error in report}),
            "max_rows": history_import.MAX_ROWS,
            "breadcrumb_trail": [(reverse("thermometer:results_list"), _("Results"))],
        },
    )


@require_GET
@login_required
@permission_required(["thermometer.add_round", "thermometer.add_result"], raise_exception=True)
def results_import_template(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        history_import.counts_template(),
        content_type=CONTENT_TYPES["xlsx"],
        headers={
            "Content-Disposition": content_disposition_header(
                True, "thermometer-sjabloon-aantallen.xlsx"
            )
        },
    )
