"""Placeholder: being built (issue #4)."""

from django.http import HttpRequest, HttpResponse


def survey_start(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def survey_section(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def survey_review(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def survey_submit(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def survey_done(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
