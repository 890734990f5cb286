"""Filling in the thermometer, one section per page, for the invitation of the session.

Answers are saved as you go: by htmx on every change (a small "saved" fragment) and
by the plain form buttons without JavaScript. Every form carries the draft's revision;
a save from an older tab is refused with 409 Conflict, for htmx and plain posts alike:
the status says what happened, and the page that follows shows the current answers.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from thermometer.forms.survey import SectionForm
from thermometer.models import SCALE_LABELS, Draft, Invitation, Question, Round, Section
from thermometer.services.access import invitation_from_session
from thermometer.services.survey import (
    AlreadySubmitted,
    Incomplete,
    RevisionConflict,
    RoundClosed,
    Survey,
    current_draft,
    is_answered,
    load_survey,
    missing_answers,
    save_answers,
    submit_draft,
)

CONFLICT_MESSAGE = gettext_lazy(
    "Your answers were changed in another window in the meantime; the page has been "
    "refreshed. Check the answers below and continue."
)


@never_cache
@require_GET
def survey_start(request: HttpRequest) -> HttpResponse:
    """Resume where the respondent left off: their last section, or the first."""
    gate = _gate(request)
    if isinstance(gate, HttpResponse):
        return gate
    position = current_draft(gate.invitation).current_section
    if position > len(gate.survey.sections):
        return redirect("thermometer:survey_review")
    return redirect("thermometer:survey_section", section=max(position, 1))


@never_cache
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def survey_section(request: HttpRequest, section: int) -> HttpResponse:
    gate = _gate(request)
    if isinstance(gate, HttpResponse):
        return gate
    current = gate.survey.section(section)
    if current is None:
        raise Http404
    draft = current_draft(gate.invitation)
    if request.method == "POST":
        return _save_section(request, gate.invitation, gate.survey, current, draft)
    form = SectionForm(section=current, answers=draft.answers)
    return _section_page(request, gate.survey, current, draft, form)


@never_cache
@require_GET
def survey_review(request: HttpRequest) -> HttpResponse:
    gate = _gate(request)
    if isinstance(gate, HttpResponse):
        return gate
    return _review_page(request, gate.survey, current_draft(gate.invitation))


@never_cache
@require_POST
def survey_submit(request: HttpRequest) -> HttpResponse:
    gate = _gate(request, used=_already_submitted)
    if isinstance(gate, HttpResponse):
        return gate
    try:
        submit_draft(gate.invitation, revision=_posted_revision(request))
    except AlreadySubmitted:
        return _already_submitted(request)
    except RoundClosed:
        return _closed(request, gate.invitation)
    except RevisionConflict as conflict:
        messages.warning(request, CONFLICT_MESSAGE)
        return _review_page(request, gate.survey, conflict.draft, status=409)
    except Incomplete:
        draft = current_draft(gate.invitation)
        return _review_page(request, gate.survey, draft, refused=True)
    return redirect("thermometer:survey_done")


@never_cache
@require_GET
def survey_done(request: HttpRequest) -> HttpResponse:
    invitation = invitation_from_session(request)
    if invitation is None:
        return _no_invitation(request)
    if invitation.used_at is None:
        return redirect("thermometer:survey_start")
    return render(request, "thermometer/survey_done.html", {"round": invitation.round})


# --- Saving a section ---------------------------------------------------------------------

NAVIGATION = {"previous": -1, "save": 0, "next": 1}


def _save_section(
    request: HttpRequest, invitation: Invitation, survey: Survey, section: Section, draft: Draft
) -> HttpResponse:
    # The buttons name their action; an htmx autosave (a change event) sends none.
    action = request.POST.get("action", "autosave")
    autosave = action not in NAVIGATION
    form = SectionForm(request.POST, section=section, answers=draft.answers)
    if not form.is_valid():
        if autosave and _is_htmx(request):
            return render(request, "thermometer/survey_section.html#not-saved")
        return _section_page(request, survey, section, draft, form)
    complete = action != "next" or form.require_complete()
    step = NAVIGATION.get(action, 0) if complete else 0
    target = min(max(section.position + step, 1), len(survey.sections) + 1)
    try:
        draft = save_answers(
            invitation,
            section=section,
            answers=form.answers(),
            revision=_posted_revision(request),
            current_section=target,
        )
    except RevisionConflict as conflict:
        messages.warning(request, CONFLICT_MESSAGE)
        if _is_htmx(request):
            return _htmx_refusal(
                reverse("thermometer:survey_section", args=[section.position]), 409
            )
        fresh = SectionForm(section=section, answers=conflict.draft.answers)
        return _section_page(request, survey, section, conflict.draft, fresh, status=409)
    except AlreadySubmitted:
        return _used(request)
    except RoundClosed:
        return _closed(request, invitation)
    if autosave and _is_htmx(request):
        return render(request, "thermometer/survey_section.html#saved", {"draft": draft})
    if not complete:
        return _section_page(request, survey, section, draft, form)
    if action == "save":
        messages.success(request, _("Your answers have been saved."))
    if target > len(survey.sections):
        return redirect("thermometer:survey_review")
    return redirect("thermometer:survey_section", section=target)


def _posted_revision(request: HttpRequest) -> int:
    """The revision the form was based on; anything unreadable counts as out of date."""
    try:
        return int(request.POST.get("revision", ""))
    except ValueError:
        return -1


# --- Pages --------------------------------------------------------------------------------


def _section_page(
    request: HttpRequest,
    survey: Survey,
    section: Section,
    draft: Draft,
    form: SectionForm,
    *,
    status: int = 200,
) -> HttpResponse:
    context = {
        "survey": survey,
        "section": section,
        "step": section.position,
        "draft": draft,
        "form": form,
    }
    return render(request, "thermometer/survey_section.html", context, status=status)


@dataclass
class ReviewRow:
    question: Question
    answer: str


def _review_page(
    request: HttpRequest,
    survey: Survey,
    draft: Draft,
    *,
    refused: bool = False,
    status: int = 200,
) -> HttpResponse:
    answers = draft.answers
    sections = [
        (section, [ReviewRow(q, _display(q, answers)) for q in section.questions.all()])
        for section in survey.sections
    ]
    context = {
        "survey": survey,
        "step": survey.step_count,
        "draft": draft,
        "sections": sections,
        "missing": missing_answers(survey.questions, answers),
        "refused": refused,
    }
    return render(request, "thermometer/survey_review.html", context, status=status)


def _display(question: Question, answers: dict) -> str:
    if not is_answered(question, answers):
        return ""
    value = answers[question.code]
    if question.kind == Question.Kind.SCALE:
        return str(SCALE_LABELS.get(value, value))
    return str(value)


# --- Refusals: no invitation, used, closed -------------------------------------------------


@dataclass
class Gate:
    """What a survey view works with."""

    invitation: Invitation
    survey: Survey


def _gate(
    request: HttpRequest, *, used: Callable[[HttpRequest], HttpResponse] | None = None
) -> Gate | HttpResponse:
    """The session's invitation and its survey, or the page to show instead."""
    invitation = invitation_from_session(request)
    if invitation is None:
        return _no_invitation(request)
    if invitation.used_at is not None:
        return (used or _used)(request)
    survey = load_survey(invitation) if invitation.round.is_accepting else None
    if survey is None:
        return _closed(request, invitation)
    return Gate(invitation, survey)


def _is_htmx(request: HttpRequest) -> bool:
    """`request.htmx`, read as HtmxMiddleware sets it.

    A respondent is not logged in, so these views take a plain HttpRequest rather
    than portal.lib.htmx.AuthenticatedRequest, whose type declares `htmx`.
    """
    return bool(HtmxDetails(request))


def _htmx_refusal(url: str, status: int) -> HttpResponse:
    """htmx does not swap an error status: send the whole page to a URL that explains."""
    response = HttpResponseClientRedirect(url)
    response.status_code = status
    return response


def _no_invitation(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and _is_htmx(request):
        return _htmx_refusal(reverse("thermometer:survey_start"), 403)
    return render(request, "thermometer/survey_no_invitation.html", status=403)


def _used(request: HttpRequest) -> HttpResponse:
    if _is_htmx(request):
        return HttpResponseClientRedirect(reverse("thermometer:link_used"))
    return redirect("thermometer:link_used")


def _already_submitted(request: HttpRequest) -> HttpResponse:
    """A second submit (double click, another tab, a retry): the first one counts."""
    return render(request, "thermometer/survey_already_submitted.html", status=409)


def _closed(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    if request.method == "POST" and _is_htmx(request):
        return _htmx_refusal(reverse("thermometer:survey_start"), 410)
    survey_round = invitation.round
    not_yet = survey_round.status == Round.Status.DRAFT or (
        survey_round.status == Round.Status.OPEN and timezone.now() < survey_round.opens_at
    )
    context = {"round": survey_round, "not_yet": not_yet}
    return render(
        request, "thermometer/survey_closed.html", context, status=403 if not_yet else 410
    )
