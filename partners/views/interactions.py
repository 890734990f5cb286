"""Placeholder: being built (issue #3)."""

from django.http import HttpRequest, HttpResponse


def interaction_list(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def interaction_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def interaction_detail(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def interaction_edit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def follow_up_done(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
