"""Forms of the open answers page: the question filter and hiding an answer."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from thermometer.models import Question
from thermometer.services.answers import REFERENCE_LENGTH


class QuestionFilterForm(forms.Form):
    question = forms.ChoiceField(label=gettext_lazy("Question"), required=False)

    def __init__(self, data: Any, *, questions: list[Question]) -> None:
        super().__init__(data)
        wording: dict[str, str] = {}
        for question in questions:  # the partners' wording first, as on the page
            wording.setdefault(question.code, question.text)
        field = self.fields["question"]
        assert isinstance(field, forms.ChoiceField)  # declared above
        field.choices = [
            ("", gettext_lazy("All open questions")),
            *wording.items(),
        ]


class HideAnswerForm(forms.Form):
    """An answer by its opaque reference and question code: never by Answer.pk, never
    by its response's UUID (services/answers.py)."""

    answer = forms.RegexField(
        label=gettext_lazy("Answer"),
        regex=rf"^[0-9a-f]{{{REFERENCE_LENGTH}}}$",
        max_length=REFERENCE_LENGTH,
    )
    question = forms.SlugField(label=gettext_lazy("Question"), max_length=60)
    action = forms.ChoiceField(
        label=gettext_lazy("Action"),
        choices=[("hide", gettext_lazy("Hide")), ("show", gettext_lazy("Show again"))],
    )
    confirm = forms.BooleanField(required=False)
    # The question filter of the page to return to.
    shown = forms.SlugField(label=gettext_lazy("Question filter"), max_length=60, required=False)
