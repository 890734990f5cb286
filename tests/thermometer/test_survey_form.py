"""forms/survey.py: one section of the questionnaire as a form."""

from django.utils import translation

from thermometer.forms.survey import SectionForm
from thermometer.models import Question, Questionnaire


def test_a_required_open_question_left_empty_is_a_message_not_a_server_error(db: None) -> None:
    """Found while typing the code (#9): an administrator may mark an open question as
    required, and the form had no message for it (a KeyError, so a 500)."""
    questionnaire = Questionnaire.objects.get(variant="external", version=1)
    question = Question.objects.filter(questionnaire=questionnaire, kind="open").first()
    question.required = True
    question.save()
    form = SectionForm({}, section=question.section, answers={})
    assert form.is_valid()
    with translation.override("en"):
        assert form.require_complete() is False
        assert form.errors[question.code] == ["Write an answer to this question."]
