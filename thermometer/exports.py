"""The thermometer's datasets for the kernel's exports (portal/lib/exports/).

Open answers are the thermometer data that grow large, so their file is built like
every export: by a worker, with progress, kept for the requester only. This module
contributes the dataset: which answers, in which order, in which columns.

The file lists what the open answers page lists for the requester, by the same
function (services/answers.read_open_answers) and so under the same anonymity
threshold, in the page's order: question, group, then text and reference, never key
or time. Hidden answers are left out for everyone, administrators too: a file leaves
the portal. Like the page, the file holds no response, organisation or date.
"""

from collections.abc import Mapping

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.lib.exports import datasets, services
from portal.lib.models import ExportJob, User
from portal.lib.tabular.writing import Column
from thermometer.models import Answer, Round
from thermometer.services.answers import open_questions, read_open_answers
from thermometer.services.reports import rounds_with_results

PERMISSION = "thermometer.view_answer"


class OpenAnswersDataset(datasets.Dataset):
    key = "open_answers"
    label = gettext_lazy("Open answers of the thermometer")
    permission = PERMISSION

    def rows(self, job: ExportJob) -> datasets.ExportRows:
        """The answers the page lists for the requester, without hidden ones, in its
        order (five queries, however many answers); ExportRefused when the requester
        may no longer read the round's results."""
        survey_round = _readable_round(job)
        found = read_open_answers(
            survey_round, questions=open_questions(survey_round), include_hidden=False
        )
        # The block of an answer decides its group label ("Partners in smaller groups"
        # for merged ones); it is not on the answer, so the columns keep it from here.
        group_of: dict[int, str] = {
            answer.pk: block.label
            for question in found
            for block in question.blocks
            for answer in block.answers
        }
        columns = (
            Column(gettext_lazy("Question code"), lambda answer: answer.question.code),
            # The wording this group was asked (the staff questionnaire words some
            # differently).
            Column(gettext_lazy("Question"), lambda answer: answer.question.text),
            Column(gettext_lazy("Group"), lambda answer: group_of[answer.pk]),
            Column(gettext_lazy("Answer"), lambda answer: answer.text),
        )
        # An answer an administrator hides while the file is made is left out, as a
        # deleted one would be.
        fetch = Answer.objects.select_related("question").filter(hidden_at__isnull=True)
        return datasets.ExportRows(pks=list(group_of), fetch=fetch, columns=columns)

    def describe(self, filters: Mapping[str, str]) -> list[tuple[str, str]]:
        """The round of an export, by name, for its status page."""
        key = str(filters.get("round", ""))
        name = (
            Round.objects.filter(pk=key).values_list("name", flat=True).first()
            if key.isdigit()
            else None
        )
        return [(_("Round"), name or key)]

    def trail(self, job: ExportJob) -> list[tuple[str, str]]:
        """Results › the round › Open answers, as on the page the export started from."""
        trail = [(reverse("thermometer:results_list"), _("Results"))]
        key = str(job.filters.get("round", ""))
        survey_round = Round.objects.filter(pk=key).first() if key.isdigit() else None
        if survey_round is not None:
            trail += [
                (reverse("thermometer:results_detail", args=[key]), survey_round.name),
                (reverse("thermometer:results_answers", args=[key]), _("Open answers")),
            ]
        return trail


def start_answers_export(survey_round: Round, *, requested_by: User, file_format: str) -> ExportJob:
    """Have a worker make the file of the round's open answers."""
    return services.start_export(
        requested_by=requested_by,
        dataset=OpenAnswersDataset.key,
        file_format=file_format,
        filters={"round": str(survey_round.pk)},
    )


def _readable_round(job: ExportJob) -> Round:
    key = str(job.filters.get("round", ""))
    rounds = rounds_with_results(job.requested_by)
    survey_round = rounds.filter(pk=key).first() if key.isdigit() else None
    if survey_round is None:
        # Unpublished again, or the requester lost the right to read closed rounds.
        raise datasets.ExportRefused(
            f"The requester may no longer read the results of round {key or '(none)'}."
        )
    return survey_round


def register() -> None:
    """Make the open answers exportable; called from ThermometerConfig.ready()."""
    datasets.register(OpenAnswersDataset())
