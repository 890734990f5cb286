"""The export pages: start one, follow its progress, download the file.

Each page is for the requester only, and only while they may still export the
dataset: someone else's export is not found rather than forbidden (its number says
nothing), and a user who may export nothing at all is forbidden.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from portal.lib.exports import datasets, services
from portal.lib.exports.forms import ExportForm
from portal.lib.htmx import AuthenticatedRequest
from portal.lib.jobs import progress_response
from portal.lib.models import ExportJob
from portal.lib.tabular.writing import CONTENT_TYPES


@require_http_methods(["GET", "POST"])
@login_required
def export_create(request: AuthenticatedRequest) -> HttpResponse:
    """The export form; list pages link here with ?dataset= and their filters."""
    offered = [dataset for dataset in datasets.exportable_by(request.user) if dataset.choosable]
    if not offered:
        raise PermissionDenied
    posted = request.method == "POST"
    data = request.POST if posted else request.GET
    form = ExportForm(
        data if posted else None, offered=offered, initial={"dataset": data.get("dataset")}
    )
    if posted and form.is_valid():
        job = services.start_export(
            requested_by=request.user,
            dataset=form.cleaned_data["dataset"],
            file_format=form.cleaned_data["format"],
            filters=form.cleaned_data["filters"],
        )
        return redirect("exports:status", pk=job.pk)
    keys = dict.fromkeys(key for dataset in offered for key in dataset.filter_keys)
    filters = {key: data[key] for key in keys if data.get(key)}
    chosen = form.offered.get(data.get("dataset", ""))
    described = (
        chosen.describe({k: v for k, v in filters.items() if k in chosen.filter_keys})
        if chosen
        else list(filters.items())
    )
    recent = ExportJob.objects.filter(requested_by=request.user).defer("content")[:10]
    context = {"form": form, "filters": filters.items(), "described_filters": described}
    return render(request, "exports/export_create.html", {**context, "recent": recent})


@require_GET
@login_required
@vary_on_headers("HX-Request")
def export_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Progress of an export; htmx polls the progress fragment until it is finished."""
    # Never the file itself: this is polled.
    job, dataset = _own_job(request, pk, ExportJob.objects.defer("content"))
    trail = dataset.trail(job)
    context = {
        "job": job,
        "origin": trail[-1],
        "poll_url": request.path,
        "done_template": "exports/export_status.html#download",
        "failed_template": "exports/export_status.html#failed",
    }
    if request.htmx:
        # The polled fragment: as few queries as possible.
        return progress_response(request, job=job, context=context)
    context["filters"] = dataset.describe(job.filters)
    context["breadcrumb_trail"] = trail
    return render(request, "exports/export_status.html", context)


@require_GET
@login_required
@never_cache
def export_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    job, _dataset = _own_job(request, pk, ExportJob.objects.all())
    if job.status != ExportJob.Status.DONE:
        return redirect("exports:status", pk=job.pk)
    return HttpResponse(
        bytes(job.content or b""),
        content_type=CONTENT_TYPES[job.format],
        headers={"Content-Disposition": content_disposition_header(True, job.filename)},
    )


def _own_job(
    request: AuthenticatedRequest, pk: int, jobs: QuerySet[ExportJob]
) -> tuple[ExportJob, datasets.Dataset]:
    if not datasets.exportable_by(request.user):
        raise PermissionDenied
    job = get_object_or_404(jobs, pk=pk, requested_by=request.user)
    dataset = datasets.find(job.dataset)
    if dataset is None:
        raise Http404
    if not dataset.may_export(request.user):
        raise PermissionDenied
    return job, dataset
