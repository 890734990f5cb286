"""Placeholder: being built (issue #3)."""

from django.http import HttpRequest, HttpResponse


def export_create(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def export_status(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def export_download(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def contact_import(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def contact_personal_data(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def contact_subject_export(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def contact_erase(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)


def personal_data_log(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse(status=501)
