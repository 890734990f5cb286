"""Filling in the thermometer: a draft saved as you go, and the one-time submit.

A draft belongs to its invitation until submission; `submit_draft` moves the answers
into an anonymous Response in one transaction and deletes the draft. Every write takes
the invitation's row lock first, so a save and a submit of the same invitation (two
tabs, a double click) run one after the other instead of interleaving.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.db.models import Prefetch
from django.utils import timezone

from thermometer.models import (
    Answer,
    Draft,
    Invitation,
    Question,
    Questionnaire,
    RespondentGroup,
    Response,
    Section,
    SubmissionReceipt,
)

OPEN_ANSWER_MAX_LENGTH = 2000
NUMBER_RANGES: dict[str, range] = {
    Question.Kind.MARK: range(1, 11),
    Question.Kind.SCALE: range(1, 6),
}

AnswerValue = int | str


class SurveyError(Exception):
    """A save or submit that must not happen; nothing was stored."""


class AlreadySubmitted(SurveyError):
    """The invitation already has its response."""


class RoundClosed(SurveyError):
    """The round does not accept answers (not open, or past its closing time)."""


class RevisionConflict(SurveyError):
    """The form was based on an older revision of the draft (another tab saved since)."""

    def __init__(self, draft: Draft) -> None:
        super().__init__(f"draft is at revision {draft.revision}")
        self.draft = draft


def _same_answers(stored: Mapping[str, object], posted: Mapping[str, AnswerValue | None]) -> bool:
    """Whether saving `posted` (one section, None/"" = no answer) would change nothing."""
    return all(
        stored.get(code) == (None if value in (None, "") else value)
        for code, value in posted.items()
    )


class Incomplete(SurveyError):
    """Required questions are unanswered."""

    def __init__(self, missing: list[Question]) -> None:
        super().__init__(", ".join(question.code for question in missing))
        self.missing = missing


@dataclass
class Survey:
    """The questionnaire an invitation answers, with its sections and questions loaded."""

    questionnaire: Questionnaire
    sections: list[Section] = field(default_factory=list)

    @property
    def questions(self) -> list[Question]:
        return [question for section in self.sections for question in section.questions.all()]

    def section(self, position: int) -> Section | None:
        return next((s for s in self.sections if s.position == position), None)

    @property
    def step_count(self) -> int:
        """The sections plus the review step."""
        return len(self.sections) + 1


def questionnaire_for(invitation: Invitation) -> Questionnaire | None:
    """Staff answer the internal variant, partners the external one."""
    survey_round = invitation.round
    if invitation.respondent_group == RespondentGroup.STAFF:
        return survey_round.internal_questionnaire
    return survey_round.external_questionnaire


def load_survey(invitation: Invitation) -> Survey | None:
    """The invitation's questionnaire in two queries, whatever its number of questions."""
    questionnaire_id = (
        invitation.round.internal_questionnaire_id
        if invitation.respondent_group == RespondentGroup.STAFF
        else invitation.round.external_questionnaire_id
    )
    if questionnaire_id is None:
        return None
    sections = list(
        Section.objects.filter(questionnaire_id=questionnaire_id)
        .select_related("questionnaire")
        .prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position", "pk"))
        )
        .order_by("position")
    )
    if not sections:
        return None
    return Survey(questionnaire=sections[0].questionnaire, sections=sections)


def current_draft(invitation: Invitation) -> Draft:
    """The saved draft, or an unsaved empty one (reading never writes)."""
    return Draft.objects.filter(invitation=invitation).first() or Draft(invitation=invitation)


def is_answered(question: Question, answers: Mapping[str, AnswerValue]) -> bool:
    value = answers.get(question.code)
    return value is not None and value != ""


def missing_answers(
    questions: list[Question], answers: Mapping[str, AnswerValue]
) -> list[Question]:
    return [q for q in questions if q.required and not is_answered(q, answers)]


def _valid_value(question: Question, value: object) -> bool:
    if question.kind == Question.Kind.OPEN:
        return isinstance(value, str) and len(value) <= OPEN_ANSWER_MAX_LENGTH
    return isinstance(value, int) and value in NUMBER_RANGES[question.kind]


def _lock_invitation(invitation: Invitation) -> Invitation:
    """Lock the invitation row and check it still takes answers. Inside a transaction."""
    locked = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("round")
        .get(pk=invitation.pk)
    )
    if locked.used_at is not None:
        raise AlreadySubmitted
    if not locked.round.is_accepting:
        raise RoundClosed
    return locked


def _hold_round_open(round_id: int) -> None:
    """Share-lock the round row for the rest of the submit. Inside a transaction.

    Closing a round takes FOR UPDATE on the row (services/rounds.py), so a close
    waits for submits in progress, and a submit that comes during a close waits for
    it and then sees the round closed. Without this a response could land after the
    round closed and its results were computed, and a recompute would change "all
    partners" by that one response: subtracting the two would reveal it. Submits do
    not block each other (FOR SHARE). SQLite serialises all writes anyway.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM thermometer_round WHERE id = %s FOR SHARE", [round_id])


def save_answers(
    invitation: Invitation,
    *,
    section: Section,
    answers: Mapping[str, AnswerValue | None],
    revision: int,
    current_section: int,
) -> Draft:
    """Store one section's answers in the draft, if the form saw its latest revision.

    `answers` holds every question of the section: None or "" clears an answer.
    Raises RevisionConflict (nothing stored) when another tab saved in between.
    """
    codes = {question.code: question for question in section.questions.all()}
    with transaction.atomic():
        locked = _lock_invitation(invitation)
        draft, _ = Draft.objects.select_for_update().get_or_create(invitation=locked)
        if draft.revision != revision and not _same_answers(draft.answers, answers):
            # A stale form that would store exactly what is stored is the same tab's
            # button overtaking its own autosave (or the reverse): nothing to lose,
            # so it goes through. Different answers come from another tab: refuse.
            raise RevisionConflict(draft)
        merged = dict(draft.answers)
        for code, value in answers.items():
            question = codes[code]
            if value is None or value == "":
                merged.pop(code, None)
            elif _valid_value(question, value):
                merged[code] = value
            else:
                raise ValueError(f"invalid answer for {code}: {value!r}")
        draft.answers = merged
        draft.revision += 1
        draft.current_section = current_section
        draft.save()
        if locked.started_at is None:
            locked.started_at = timezone.now()
            locked.save(update_fields=["started_at"])
    return draft


def submit_draft(invitation: Invitation, *, revision: int | None = None) -> Response:
    """Move the draft into an anonymous response and mark the invitation used.

    All or nothing, and at most once per invitation: the row lock serialises
    concurrent submits, and the receipt's unique invitation is the database's guard
    for any path that misses the lock. Raises AlreadySubmitted, RoundClosed,
    RevisionConflict or Incomplete, and then stores nothing.
    """
    with transaction.atomic():
        _hold_round_open(invitation.round_id)
        locked = _lock_invitation(invitation)
        draft = Draft.objects.select_for_update().filter(invitation=locked).first()
        if draft is None:
            draft = Draft(invitation=locked)
        if revision is not None and draft.revision != revision:
            raise RevisionConflict(draft)
        survey = load_survey(locked)
        if survey is None:
            raise RoundClosed
        questions = survey.questions
        missing = missing_answers(questions, draft.answers)
        if missing:
            raise Incomplete(missing)
        try:
            with transaction.atomic():
                SubmissionReceipt.objects.create(invitation=locked)
        except IntegrityError as error:
            raise AlreadySubmitted from error
        survey_round = locked.round
        response = Response.objects.create(
            round=survey_round,
            questionnaire=survey.questionnaire,
            respondent_group=locked.respondent_group,
            organisation_id=locked.organisation_id if survey_round.record_organisation else None,
            # The day only: a timestamp could be matched to the invitation's used_at.
            submitted_on=timezone.localdate(),
        )
        Answer.objects.bulk_create(
            [
                _answer(response, question, draft.answers[question.code])
                for question in questions
                if is_answered(question, draft.answers)
            ]
        )
        locked.used_at = timezone.now()
        locked.save(update_fields=["used_at"])
        if draft.pk is not None:
            draft.delete()
    return response


def _answer(response: Response, question: Question, value: object) -> Answer:
    if not _valid_value(question, value):
        # A draft only holds values its form validated; anything else is a bug.
        raise ValueError(f"invalid answer in the draft for {question.code}: {value!r}")
    if question.kind == Question.Kind.OPEN:
        assert isinstance(value, str)  # as _valid_value checked
        return Answer(response=response, question=question, text=value)
    assert isinstance(value, int)
    return Answer(response=response, question=question, number=value)
