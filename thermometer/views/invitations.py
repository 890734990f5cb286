"""Invitations: sending and reminding (administrators), the personal link, staff joining.

The personal link /t/<token>/ is exchanged for a session and a redirect to a token-free
URL. Unknown, revoked and expired tokens get one and the same answer, and exchanges are
rate-limited per client, so tokens cannot be probed. The token never goes into a log
line: responses on that URL are marked as logged for django.request, and the view is
CSRF-exempt (it changes nothing on POST, it refuses it) so the CSRF check cannot log it.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.lib.htmx import AuthenticatedRequest
from portal.lib.roles import is_province_staff
from thermometer.models import Round
from thermometer.services import access, invitations

EXCHANGE_LIMIT = 20
EXCHANGE_WINDOW = 10 * 60  # seconds


@require_POST
@login_required
@permission_required("thermometer.add_invitation", raise_exception=True)
def round_invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(Round, pk=pk)
    try:
        created = invitations.invite_round(survey_round, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d new invitation is being sent, with any not sent before.",
                "%(count)d new invitations are being sent, with any not sent before.",
                created,
            )
            % {"count": created},
        )
    return redirect(survey_round)


@require_POST
@login_required
@permission_required("thermometer.change_invitation", raise_exception=True)
def round_remind(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(Round, pk=pk)
    try:
        count = invitations.remind_round(survey_round, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            ngettext(
                "A reminder is being sent to %(count)d person who has not finished.",
                "A reminder is being sent to %(count)d people who have not finished.",
                count,
            )
            % {"count": count},
        )
    return redirect(survey_round)


@require_http_methods(["GET", "POST"])
@login_required
def staff_join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not is_province_staff(request.user):
        raise PermissionDenied
    survey_round = get_object_or_404(Round, pk=pk)
    if not survey_round.include_staff:
        raise Http404
    if not survey_round.is_accepting:
        return render(
            request, "thermometer/invitation_closed.html", {"round": survey_round}, status=403
        )
    if request.method == "POST":
        invitation = invitations.join_as_staff(survey_round, user=request.user)
        if invitation.revoked_at is not None:
            raise PermissionDenied
        if invitation.used_at is not None:
            return redirect("thermometer:link_used")
        access.remember_invitation(request, invitation)
        return redirect("thermometer:survey_start")
    return render(request, "thermometer/invitation_staff_join.html", {"round": survey_round})


def _unlogged(response: HttpResponse) -> HttpResponse:
    """Keep the token out of logs, Referer headers and caches."""
    # django.request logs every 4xx with the path, and so the token: this flag is how
    # Django's own handlers say "already logged".
    response._has_been_logged = True  # type: ignore[attr-defined]  # Django's private flag
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    return response


def _too_many_exchanges(request: HttpRequest) -> bool:
    """A fixed window per client address; counts every attempt, valid or not."""
    key = f"thermometer:exchange:{request.META.get('REMOTE_ADDR', '')}"
    cache.add(key, 0, timeout=EXCHANGE_WINDOW)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=EXCHANGE_WINDOW)
        attempts = 1
    return attempts > EXCHANGE_LIMIT


@csrf_exempt
def invitation_exchange(request: HttpRequest, token: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = HttpResponse(status=405)
        response["Allow"] = "GET, HEAD"
        return _unlogged(response)
    if _too_many_exchanges(request):
        return _unlogged(render(request, "thermometer/invitation_too_many.html", status=429))
    invitation = invitations.invitation_for_token(token)
    if invitation is None or invitation.revoked_at is not None:
        return _unlogged(redirect("thermometer:link_invalid"))
    if invitation.used_at is not None:
        return _unlogged(redirect("thermometer:link_used"))
    if not invitation.round.is_accepting:
        return _unlogged(redirect("thermometer:link_invalid"))
    access.remember_invitation(request, invitation)
    return _unlogged(redirect("thermometer:survey_start"))


@require_GET
@never_cache
def link_invalid(request: HttpRequest) -> HttpResponse:
    return render(request, "thermometer/invitation_link_invalid.html")


@require_GET
@never_cache
def link_used(request: HttpRequest) -> HttpResponse:
    return render(request, "thermometer/invitation_link_used.html")
