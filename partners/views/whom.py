"""Placeholder: being built (issue #3)."""

from django.http import HttpRequest, HttpResponse


def whom_to_call(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def my_partners(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
