"""Open answers of a round, for province staff; administrators hide identifying ones.

STUB (issue #5 scaffold): replaced by the real views.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST


@require_GET
@login_required
@permission_required("thermometer.view_answer", raise_exception=True)
def results_answers(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_POST
@login_required
@permission_required("thermometer.hide_answer", raise_exception=True)
def results_answer_hide(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
