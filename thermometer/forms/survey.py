from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thermometer.models import SCALE_LABELS, Question, Section
from thermometer.services.survey import OPEN_ANSWER_MAX_LENGTH, AnswerValue

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as StrPromise

REQUIRED_MESSAGES: dict[str, "StrPromise"] = {
    Question.Kind.MARK: _("Choose a mark from 1 to 10."),
    Question.Kind.SCALE: _("Choose one of the five answers."),
    Question.Kind.OPEN: _("Write an answer to this question."),
}


class SectionForm(forms.Form):
    """One section of a questionnaire: a field per question, named by its stable code.

    Every field is optional for saving a draft; `require_complete()` adds the
    "required" errors that stop the respondent from moving on.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        section: Section,
        answers: Mapping[str, AnswerValue],
    ) -> None:
        questions = list(section.questions.all())
        initial = {q.code: answers[q.code] for q in questions if q.code in answers}
        super().__init__(data, initial=initial)
        self.section = section
        self.questions = questions
        for question in questions:
            field = _field_for(question)
            field.question = question  # type: ignore[attr-defined]  # read by the template
            self.fields[question.code] = field
        # The eight properties share one instruction: shown once above the grid and
        # tied to each property's fieldset, instead of repeated eight times.
        scale_help = {q.help_text for q in questions if q.kind == Question.Kind.SCALE}
        self.shared_scale_help = scale_help.pop() if len(scale_help) == 1 else ""
        for question in questions:
            shared = question.kind == Question.Kind.SCALE and self.shared_scale_help
            own_help = "" if shared else question.help_text
            self.fields[question.code].own_help = own_help  # type: ignore[attr-defined]  # read by the template

    def answers(self) -> dict[str, AnswerValue | None]:
        """Every question of the section with its cleaned answer (None or "" = empty)."""
        return {q.code: self.cleaned_data.get(q.code) for q in self.questions}

    def require_complete(self) -> bool:
        """Add an error to each unanswered required question; True when none is missing."""
        missing = [
            q for q in self.questions if q.required and self.cleaned_data.get(q.code) in (None, "")
        ]
        for question in missing:
            self.add_error(question.code, REQUIRED_MESSAGES[question.kind])
        return not missing


def _field_for(question: Question) -> forms.Field:
    if question.kind == Question.Kind.OPEN:
        return forms.CharField(
            label=question.text,
            help_text=question.help_text,
            required=False,
            max_length=OPEN_ANSWER_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={
                "max_length": _(
                    "Keep your answer to at most %(limit_value)d characters "
                    "(it now has %(show_value)d)."
                )
            },
        )
    choices: list[tuple[int, str | Promise]]
    if question.kind == Question.Kind.MARK:
        choices = [(number, str(number)) for number in range(1, 11)]
    else:
        choices = [(number, label) for number, label in SCALE_LABELS.items()]
    return forms.TypedChoiceField(
        label=question.text,
        help_text=question.help_text,
        required=False,
        choices=choices,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": REQUIRED_MESSAGES[question.kind]},
    )
