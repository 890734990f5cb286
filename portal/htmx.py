"""htmx glue: redirects an htmx request cannot follow usefully."""

from collections.abc import Callable
from urllib.parse import urlparse

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

from django_htmx.http import HttpResponseClientRedirect


class HtmxLoginRedirectMiddleware:
    """An expired session on an htmx request sends the whole page to the login form.

    Without this, htmx follows the 302 to the login page and swaps the complete login
    page into the fragment that was being refreshed.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "htmx", False) and response.status_code == 302:
            login_path = resolve_url(settings.LOGIN_URL)
            if urlparse(response["Location"]).path == login_path:
                return HttpResponseClientRedirect(response["Location"])
        return response
