"""Results to XLSX and CSV.

STUB (issue #5 scaffold): replaced by the real view.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


@require_GET
@login_required
@permission_required("thermometer.view_result", raise_exception=True)
def results_export(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
