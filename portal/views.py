from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from django_htmx.http import HttpResponseClientRefresh

from partners import queries
from partners.models import Organisation
from portal.lib import roles
from portal.lib.htmx import AuthenticatedRequest
from thermometer import queries as thermometer_queries


@require_GET
@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    role = roles.primary_role(request.user)
    context: dict = {"role": role}
    own = queries.organisation_of(request.user) if role is roles.Role.PARTNER else None
    if own is not None:
        context["own_organisation"] = own
        context["answer"] = queries.whom_to_call(own, None, user=request.user)
    if roles.is_province_staff(request.user):
        context["open_rounds"] = list(thermometer_queries.rounds_open_to_staff())
    if request.user.has_perm("thermometer.view_result"):
        context["latest_results"] = thermometer_queries.latest_published_round()
    if roles.Role.ACCOUNT_HOLDER in roles.roles_of(request.user):
        context["open_follow_ups"] = list(queries.open_follow_ups_for(request.user)[:20])
    if request.user.has_perm("partners.view_organisation"):
        context["organisation_count"] = Organisation.objects.active().count()
    return render(request, "portal/home.html", context)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "portal/accessibility.html",
        {"accessibility_contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


# Load balancers probe with GET or HEAD.
@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: the process answers. Touches no database or cache on purpose."""
    return JsonResponse({"status": "ok"})


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database and, when configured, Redis answer; 503 otherwise."""
    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "unavailable"
    if settings.REDIS_URL:
        try:
            cache.set("readyz", "1", timeout=5)
            checks["redis"] = "ok" if cache.get("readyz") == "1" else "unavailable"
        except Exception:  # redis-py raises its own ConnectionError/TimeoutError types.
            checks["redis"] = "unavailable"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A stale CSRF token (e.g. after logging in on another tab).

    On an htmx request a 403 page would be swapped into a fragment, so the browser is
    told to reload the page instead, which fetches a fresh token.
    """
    if request.headers.get("HX-Request") == "true":
        return HttpResponseClientRefresh()
    return render(request, "403_csrf.html", status=403)
