"""Open answers of a round, for province staff; administrators hide identifying ones.

What may be read, and in which blocks, is decided in thermometer/services/answers.py.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal.lib.exports.forms import ExportFormatForm
from portal.lib.htmx import AuthenticatedRequest
from thermometer import exports
from thermometer.forms.answers import HideAnswerForm, QuestionFilterForm
from thermometer.models import Answer, Round
from thermometer.services.answers import (
    answer_anchor,
    find_open_answer,
    hide_answer,
    open_questions,
    read_open_answers,
)
from thermometer.services.reports import rounds_with_results


@require_GET
@login_required
@permission_required("thermometer.view_answer", raise_exception=True)
def results_answers(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(rounds_with_results(request.user), pk=pk)
    questions = open_questions(survey_round)
    chosen = QuestionFilterForm(request.GET, questions=questions)
    valid = chosen.is_valid()
    code = chosen.cleaned_data.get("question", "") if valid else ""
    found = read_open_answers(
        survey_round,
        questions=questions,
        code=code or None,
        include_hidden=request.user.has_perm("thermometer.hide_answer"),
    )
    context = {
        "round": survey_round,
        "questions": found,
        "filter": chosen,
        "code": code,
        "minimum": settings.THERMOMETER_MIN_GROUP_SIZE_OPEN,
        # The file is made by the kernel's exports (thermometer/exports.py).
        "export_form": ExportFormatForm() if request.user.has_perm(exports.PERMISSION) else None,
        **_trail(survey_round),
    }
    # A tampered filter value is bad input: say so, with the form's error.
    return render(
        request, "thermometer/results_answers.html", context, status=200 if valid else 400
    )


@require_POST
@login_required
@permission_required("thermometer.hide_answer", raise_exception=True)
def results_answer_hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey_round = get_object_or_404(rounds_with_results(request.user), pk=pk)
    form = HideAnswerForm(request.POST)
    if not form.is_valid():
        context = {"round": survey_round, "form": form, **_trail(survey_round)}
        return render(request, "thermometer/answer_hide_invalid.html", context, status=400)
    data = form.cleaned_data
    hide = data["action"] == "hide"
    anchor = answer_anchor(data["answer"], data["question"])
    try:
        if hide and not data["confirm"]:
            answer = find_open_answer(survey_round, reference=data["answer"], code=data["question"])
            context = {
                "round": survey_round,
                "answer": answer,
                "form": form,
                "back": _answers_url(survey_round, data["shown"], anchor),
            }
            return render(request, "thermometer/answer_hide_confirm.html", context)
        hide_answer(
            round=survey_round,
            reference=data["answer"],
            code=data["question"],
            by=request.user,
            hidden=hide,
        )
    except Answer.DoesNotExist:
        raise Http404(_("There is no such open answer in this round.")) from None
    if hide:
        messages.success(request, _("The answer is hidden: province staff no longer see it."))
    else:
        messages.success(request, _("The answer is shown again."))
    return redirect(_answers_url(survey_round, data["shown"], anchor))


@require_POST
@login_required
@permission_required("thermometer.view_answer", raise_exception=True)
def results_answers_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Start the file of the open answers this page lists; a worker makes it, and the
    export's progress page (exports:status) follows it to the download."""
    survey_round = get_object_or_404(rounds_with_results(request.user), pk=pk)
    form = ExportFormatForm(request.POST)
    if not form.is_valid():
        context = {"round": survey_round, "form": form, **_trail(survey_round)}
        return render(request, "thermometer/answers_export_invalid.html", context, status=400)
    job = exports.start_answers_export(
        survey_round, requested_by=request.user, file_format=form.cleaned_data["format"]
    )
    return redirect("exports:status", pk=job.pk)


def _answers_url(survey_round: Round, shown: str, anchor: str) -> str:
    query = f"?{urlencode({'question': shown})}" if shown else ""
    return f"{reverse('thermometer:results_answers', args=[survey_round.pk])}{query}#{anchor}"


def _trail(survey_round: Round) -> dict[str, Any]:
    return {
        "breadcrumb_trail": [
            (reverse("thermometer:results_list"), _("Results")),
            (reverse("thermometer:results_detail", args=[survey_round.pk]), survey_round.name),
        ]
    }
