"""Placeholder: being built (issue #4)."""

from django.http import HttpRequest, HttpResponse


def round_invite(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def round_remind(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def staff_join(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def invitation_exchange(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def link_invalid(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def link_used(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
