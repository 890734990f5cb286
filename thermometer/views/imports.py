"""Historical rounds: aggregated counts entered or imported by an administrator.

STUB (issue #5 scaffold): replaced by the real views.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods


@require_http_methods(["GET", "POST"])
@login_required
@permission_required(["thermometer.add_round", "thermometer.add_result"], raise_exception=True)
def results_import(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@require_GET
@login_required
@permission_required(["thermometer.add_round", "thermometer.add_result"], raise_exception=True)
def results_import_template(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
