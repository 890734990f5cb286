"""Results of the thermometer: per round, its progress while computed, and trends.

STUB (issue #5 scaffold): replaced by the real views.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_list(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_progress(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_POST
@login_required
@permission_required("thermometer.run_aggregation", raise_exception=True)
def results_aggregate(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_print(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def trends(request: HttpRequest) -> HttpResponse:
    raise NotImplementedError
