"""Questionnaire versions: a version in use is frozen; changes go into a copy."""

from django.db import transaction
from django.db.models import Max

from thermometer.models import Question, Questionnaire, Section


@transaction.atomic
def new_version(questionnaire: Questionnaire) -> Questionnaire:
    """Copy a questionnaire into the next version of its variant, with the same codes.

    The copy can be edited (add a question, reword one) and chosen for a later round;
    answers keep pointing at the version they were given to, and results compare
    across versions by question code.
    """
    latest = Questionnaire.objects.select_for_update().filter(variant=questionnaire.variant)
    number = (latest.aggregate(Max("version"))["version__max"] or 0) + 1
    copy = Questionnaire.objects.create(
        variant=questionnaire.variant, version=number, title=questionnaire.title
    )
    sections = {}
    for section in questionnaire.sections.all():
        sections[section.pk] = Section.objects.create(
            questionnaire=copy, position=section.position, title=section.title, intro=section.intro
        )
    Question.objects.bulk_create(
        Question(
            questionnaire=copy,
            section=sections[question.section_id],
            position=question.position,
            code=question.code,
            kind=question.kind,
            perspective=question.perspective,
            property=question.property,
            text=question.text,
            help_text=question.help_text,
            required=question.required,
        )
        for question in questionnaire.questions.all()
    )
    return copy
