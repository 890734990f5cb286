"""Placeholder: being built (issue #4)."""

from django.http import HttpRequest, HttpResponse


def round_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def round_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def round_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def round_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def round_transition(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
