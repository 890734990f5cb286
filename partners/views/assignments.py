"""Placeholder: being built (issue #3)."""

from django.http import HttpRequest, HttpResponse


def assignment_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def assignment_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
