"""Placeholder: being built (issue #3)."""

from django.http import HttpRequest, HttpResponse


def search(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
