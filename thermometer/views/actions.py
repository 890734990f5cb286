"""Improvement actions ("you said, we did").

STUB (issue #5 scaffold): replaced by the real views.
"""

from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("thermometer.add_improvementaction", raise_exception=True)
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_GET
@login_required
@permission_required("thermometer.view_improvementaction", raise_exception=True)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError


@require_http_methods(["GET", "POST"])
@login_required
@permission_required("thermometer.change_improvementaction", raise_exception=True)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    raise NotImplementedError
