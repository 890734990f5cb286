"""Historical rounds: aggregated counts imported by an administrator.

The work is done by thermometer/services/history_import.py; the new round is closed,
and is published from its page like any other.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.lib.htmx import AuthenticatedRequest
from portal.lib.tabular.imports import import_page
from portal.lib.tabular.writing import CONTENT_TYPES
from thermometer.forms.imports import ResultsImportForm
from thermometer.services import counts_file, history_import


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(["thermometer.add_round", "thermometer.add_result"], raise_exception=True)
def results_import(request: AuthenticatedRequest) -> HttpResponse:
    posted = request.method == "POST"
    form = ResultsImportForm(request.POST if posted else None, request.FILES if posted else None)

    def run(form: ResultsImportForm) -> HttpResponse:
        data = form.cleaned_data
        survey_round = history_import.import_round(
            by=request.user,
            name=data["name"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            note=data["note"],
            table=data["file"],
        )
        messages.success(
            request,
            _(
                "%(name)s has been imported as a closed round. Check the results, "
                "then publish the round from its page."
            )
            % {"name": survey_round.name},
        )
        return redirect("thermometer:results_detail", pk=survey_round.pk)

    context = {
        "max_rows": counts_file.MAX_ROWS,
        "breadcrumb_trail": [(reverse("thermometer:results_list"), _("Results"))],
    }
    return import_page(
        request, form=form, template="thermometer/results_import.html", run=run, context=context
    )


@require_GET
@login_required
@permission_required(["thermometer.add_round", "thermometer.add_result"], raise_exception=True)
def results_import_template(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        counts_file.counts_template(),
        content_type=CONTENT_TYPES["xlsx"],
        headers={
            "Content-Disposition": content_disposition_header(
                True, "thermometer-sjabloon-aantallen.xlsx"
            )
        },
    )
