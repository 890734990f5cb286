"""htmx glue: requests whose fragment would be useless (a history restore, an expired
session) get the whole page instead."""

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from portal.lib.models import User


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind @login_required, as django-htmx's HtmxHttpRequest.

    Only for annotating: login_required guarantees the user is a User, not an
    AnonymousUser, and HtmxMiddleware sets `htmx` on every request.
    """

    user: User
    htmx: HtmxDetails


class PageHtmxDetails(HtmxDetails):
    """django-htmx's request details, where a history restore counts as a page load.

    The browser's Back button after a live filter makes htmx ask for the page again
    (HX-History-Restore-Request, the portal keeps no history cache); answering with the
    fragment left a bare list without header or filter. Views test `request.htmx` to
    choose the fragment, so here such a request is not an htmx one.
    """

    def __bool__(self) -> bool:
        return super().__bool__() and not self.history_restore_request


class HtmxHistoryRestoreMiddleware:
    """Replaces request.htmx with PageHtmxDetails; after django-htmx's middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.htmx = PageHtmxDetails(request)  # type: ignore[attr-defined]  # as django-htmx does
        return self.get_response(request)


class HtmxLoginRedirectMiddleware:
    """An expired session on an htmx request sends the whole page to the login form.

    Without this, htmx follows the 302 to the login page and swaps the complete login
    page into the fragment that was being refreshed. After logging in, the user returns
    to the page they were on (HX-Current-URL), not to the fragment's URL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.status_code != 302:
            return response
        login_path = resolve_url(settings.LOGIN_URL)
        if urlsplit(response["Location"]).path != login_path:
            return response
        current = request.headers.get("HX-Current-URL", "")
        if current and url_has_allowed_host_and_scheme(
            current, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            parts = urlsplit(current)
            page = parts.path + (f"?{parts.query}" if parts.query else "")
            return HttpResponseClientRedirect(redirect_to_login(page)["Location"])
        return HttpResponseClientRedirect(response["Location"])
