"""results_answers_export and thermometer/exports.py: the open answers of a round as a
file, made by the kernel's exports (issue #5: large exports as Celery tasks)."""

import csv
import html
import io
import re
import time

from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

import openpyxl
import pytest

from partners.models import PersonalDataLog
from portal.lib.exports import services as exports
from portal.lib.exports import tasks
from portal.lib.models import ExportJob, User
from tests.factories import RoundFactory, UserFactory, add_response
from thermometer.exports import OpenAnswersDataset
from thermometer.models import Answer, Question, Response, Round

EN = {"Accept-Language": "en"}
HIDDEN = "Noem de naam van onze wethouder"
SMALL = "Alleen de staf zegt dit"
# Out of order, mixed case, one twice, one a formula: the file sorts as the page does.
MUNICIPALITIES = [
    "Zorg voor snelheid",
    "actief meedenken",
    "Meer overleg",
    "Meer overleg",
    "=SOM(A1)",
    "beter bereikbaar",
    "Korte lijnen",
    "Duidelijke planning",
    "Eerder betrekken",
    "Minder formulieren",
    "Open houding",
    HIDDEN,
]

pytestmark = pytest.mark.django_db


def export_rows(job: ExportJob) -> tuple:
    """(primary keys, batch queryset, columns) of the open answers dataset for a job."""
    found = OpenAnswersDataset().rows(job)
    return found.pks, found.fetch, found.columns


@pytest.fixture(autouse=True)
def threshold(settings) -> None:
    settings.THERMOMETER_MIN_GROUP_SIZE_OPEN = 10


@pytest.fixture
def survey_round() -> Round:
    """Municipalities (12) on their own; water boards and agencies (5 + 5) merged;
    staff (4) too few to read; one municipality's answer hidden."""
    survey_round = RoundFactory(status="published", name="Ronde 2026")
    for n, text in enumerate(MUNICIPALITIES):
        answers = {"open-verbeteren": text} | ({"open-behouden": f"Behouden {n}"} if n < 3 else {})
        add_response(survey_round, group="gemeente", answers=answers)
    for group, name in [("waterschap", "Waterschap"), ("uitvoeringsdienst", "Dienst")]:
        for n in range(5):
            add_response(survey_round, group=group, answers={"open-verbeteren": f"{name} {n}"})
    for _n in range(4):
        add_response(survey_round, group="staff", answers={"open-verbeteren": SMALL})
    Answer.objects.filter(text=HIDDEN).update(hidden_at=timezone.now())
    return survey_round


def export_url(survey_round: Round) -> str:
    return reverse("thermometer:results_answers_export", args=[survey_round.pk])


def make_job(user: User, survey_round: Round, file_format: str = "csv") -> ExportJob:
    return ExportJob.objects.create(
        requested_by=user,
        dataset=OpenAnswersDataset.key,
        format=file_format,
        filters={"round": str(survey_round.pk)},
    )


def built(job: ExportJob) -> ExportJob:
    exports.run_export(job)
    job.refresh_from_db()
    return job


def file_rows(job: ExportJob) -> list[list[str]]:
    content = bytes(job.content)
    if job.format == "csv":
        assert content.startswith(b"\xef\xbb\xbf")
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        return [["" if v is None else v for v in row] for row in workbook.worksheets[0].values]
    finally:
        workbook.close()


def page_rows(client: Client, survey_round: Round) -> list[tuple[str, str, str]]:
    """(question code, group heading, answer) in the order of the open answers page."""
    response = client.get(reverse("thermometer:results_answers", args=[survey_round.pk]))
    assert response.status_code == 200
    listed = []
    body = response.content.decode()
    for code, section in re.findall(r'data-question="([^"]+)">(.*?)</section>', body, re.S):
        for label, block in re.findall(r"<h3[^>]*>(.*?)</h3>(.*?)</div>", section, re.S):
            for text in re.findall(r'<li id="answer-[^"]+"[^>]*>\s*(.*?)\s*</li>', block, re.S):
                listed.append((code, html.unescape(label), html.unescape(text)))
    return listed


def dutch(message: str) -> str:
    with translation.override("nl"):
        return _(message)


# --- The file -----------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_file_lists_exactly_what_the_page_lists(
    staff_user: User, staff_client: Client, survey_round: Round, file_format: str
) -> None:
    job = built(make_job(staff_user, survey_round, file_format))
    assert job.status == ExportJob.Status.DONE, job.error
    header, *rows = file_rows(job)
    assert header == [dutch("Question code"), dutch("Question"), dutch("Group"), dutch("Answer")]
    listed = page_rows(staff_client, survey_round)
    if file_format == "csv":  # the formula guard: a leading apostrophe makes it text
        listed = [(c, g, "'" + t if t.startswith("=") else t) for c, g, t in listed]
    assert [(code, group, text) for code, _q, group, text in rows] == listed
    texts = [text for *_rest, text in rows]
    assert HIDDEN not in texts, "a hidden answer"
    assert SMALL not in texts, "a group too small to read"
    merged = dutch("Partners in smaller groups")
    assert {group for _c, _q, group, text in rows if text.startswith("Dienst")} == {merged}
    assert job.total == job.done == len(rows) == 3 + 11 + 10


def test_the_file_is_ordered_by_text_within_each_question_and_group(
    staff_user: User, survey_round: Round
) -> None:
    rows = file_rows(built(make_job(staff_user, survey_round)))[1:]
    municipalities = [text for code, _q, group, text in rows if code == "open-verbeteren"][:11]
    assert municipalities == [
        "'=SOM(A1)",  # a formula stays text
        "actief meedenken",
        "beter bereikbaar",
        "Duidelijke planning",
        "Eerder betrekken",
        "Korte lijnen",
        "Meer overleg",
        "Meer overleg",
        "Minder formulieren",
        "Open houding",
        "Zorg voor snelheid",
    ]
    assert [code for code, *_rest in rows[:3]] == ["open-behouden"] * 3
    wording = Question.objects.get(
        questionnaire=survey_round.external_questionnaire, code="open-verbeteren"
    ).text
    assert {question for code, question, *_rest in rows if code == "open-verbeteren"} == {wording}


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_file_holds_no_response_organisation_or_date(
    staff_user: User, survey_round: Round, file_format: str
) -> None:
    job = built(make_job(staff_user, survey_round, file_format))
    cells = " ".join(" ".join(map(str, row)) for row in file_rows(job))
    for response in Response.objects.filter(round=survey_round):
        assert str(response.pk) not in cells
        assert response.pk.hex not in cells
    assert "2026-11-01" not in cells
    assert len(file_rows(job)[0]) == 4


def test_administrators_get_no_hidden_answers_in_the_file_either(
    administrator: User, survey_round: Round
) -> None:
    rows = file_rows(built(make_job(administrator, survey_round)))
    assert HIDDEN not in [row[3] for row in rows]
    assert len(rows) == 1 + 3 + 11 + 10


def test_an_answer_hidden_while_the_file_is_made_is_left_out(
    staff_user: User, survey_round: Round
) -> None:
    job = make_job(staff_user, survey_round)
    pks, rows, _columns = export_rows(job)
    Answer.objects.filter(text="Open houding").update(hidden_at=timezone.now())
    assert not rows.filter(pk__in=pks, text="Open houding").exists()


def test_a_job_for_a_round_that_is_no_longer_readable_fails(
    staff_user: User, survey_round: Round
) -> None:
    job = make_job(staff_user, survey_round)
    Round.objects.filter(pk=survey_round.pk).update(status="open")  # e.g. reopened
    job = built(job)
    assert job.status == ExportJob.Status.FAILED
    assert job.error == (
        f"The requester may no longer read the results of round {survey_round.pk}."
    )
    assert job.content is None
    assert job.finished_at is not None


def test_a_requester_without_the_open_answers_permission_gets_no_file(
    survey_round: Round,
) -> None:
    """partners.export_contacts alone is not enough: the dataset's own permission counts."""
    exporter = UserFactory()
    exporter.user_permissions.add(Permission.objects.get(codename="export_contacts"))
    job = built(make_job(exporter, survey_round))
    assert job.status == ExportJob.Status.FAILED
    assert job.content is None


def test_an_open_answers_export_is_not_logged_as_personal_data(
    staff_user: User, survey_round: Round
) -> None:
    built(make_job(staff_user, survey_round))
    assert not PersonalDataLog.objects.exists()


def test_the_rows_take_a_constant_number_of_queries(
    staff_user: User, django_assert_max_num_queries
) -> None:
    def measured(responses: int) -> int:
        survey_round = RoundFactory(status="published")
        for n in range(responses):
            add_response(survey_round, group="gemeente", answers={"open-verbeteren": f"A {n}"})
        job = ExportJob.objects.select_related("requested_by").get(
            pk=make_job(staff_user, survey_round).pk
        )
        with CaptureQueriesContext(connection) as queries:
            pks, _rows, _columns = export_rows(job)
        assert len(pks) == responses
        return len(queries)

    assert measured(10) == measured(300)
    survey_round = Round.objects.order_by("pk").last()
    job = ExportJob.objects.select_related("requested_by").get(
        pk=make_job(staff_user, survey_round).pk
    )
    # The requester's permissions (2), the round, its questions, the groups, the answers
    # and their counts: none per response.
    with django_assert_max_num_queries(7):
        export_rows(job)


# --- Starting it, following it, downloading it ---------------------------------------------


def test_staff_start_the_export_and_follow_it_to_the_download(
    staff_client: Client,
    staff_user: User,
    survey_round: Round,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enqueued = []
    monkeypatch.setattr(tasks.run_export, "delay", enqueued.append)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(export_url(survey_round), {"format": "xlsx"})
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exports:status", args=[job.pk])
    assert (job.requested_by, job.dataset, job.format) == (staff_user, "open_answers", "xlsx")
    assert job.filters == {"round": str(survey_round.pk)}
    assert enqueued == [job.pk]
    tasks.run_export(job.pk)
    status = staff_client.get(response["Location"], headers=EN)
    assert status.status_code == 200
    body = status.content.decode()
    assert "Open answers of the thermometer" in body
    assert "Round: Ronde 2026" in body
    assert reverse("exports:download", args=[job.pk]) in body
    download = staff_client.get(reverse("exports:download", args=[job.pk]))
    job.refresh_from_db()
    assert download.status_code == 200
    assert download.content == bytes(job.content)
    assert job.filename.endswith(".xlsx")


def test_a_partner_cannot_start_it(
    partner_client: Client, survey_round: Round, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = partner_client.post(export_url(survey_round), {"format": "csv"})
    assert response.status_code == 403
    assert not ExportJob.objects.exists()
    assert callbacks == []


@pytest.mark.parametrize("data", [{}, {"format": "pdf"}])
def test_without_a_valid_format_nothing_starts_and_the_page_says_why(
    staff_client: Client, survey_round: Round, data: dict
) -> None:
    response = staff_client.post(export_url(survey_round), data, headers=EN)
    assert response.status_code == 400
    assert b"in which file format to export the open answers" in response.content
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("status", ["draft", "open"])
def test_the_open_answers_of_a_round_without_results_cannot_be_exported(
    staff_client: Client, status: str
) -> None:
    survey_round = RoundFactory(status=status)
    assert staff_client.post(export_url(survey_round), {"format": "csv"}).status_code == 404
    assert not ExportJob.objects.exists()


def test_the_open_answers_page_offers_the_export(staff_client: Client, survey_round: Round) -> None:
    response = staff_client.get(
        reverse("thermometer:results_answers", args=[survey_round.pk]), headers=EN
    )
    body = response.content.decode()
    assert f'action="{export_url(survey_round)}"' in body
    assert "Export the open answers" in body
    assert 'name="format" value="xlsx"' in body


def test_the_partners_export_form_does_not_offer_open_answers(
    staff_client: Client, db: None
) -> None:
    response = staff_client.get(reverse("exports:create"))
    choices = [key for key, _label in response.context["form"].fields["dataset"].choices]
    assert choices == ["organisations", "contacts"]
    posted = staff_client.post(
        reverse("exports:create"), {"dataset": "open_answers", "format": "csv"}
    )
    assert posted.status_code == 200
    assert "dataset" in posted.context["form"].errors
    assert not ExportJob.objects.exists()


def test_it_runs_on_a_real_worker_from_the_page_to_the_download(
    celery_worker, staff_user: User
) -> None:
    """Page → on_commit → broker → worker → file in the database → download."""
    survey_round = RoundFactory(status="published", name="Ronde 2027")
    for n in range(10):
        add_response(survey_round, group="gemeente", answers={"open-verbeteren": f"Punt {n}"})
    client = Client()
    client.force_login(staff_user)
    response = client.post(export_url(survey_round), {"format": "csv"})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    deadline = time.monotonic() + 30
    while job.status not in {ExportJob.Status.DONE, ExportJob.Status.FAILED}:
        assert time.monotonic() < deadline, f"export still {job.status}"
        time.sleep(0.05)
        job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("done", 10, 10), job.error
    download = client.get(reverse("exports:download", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == [f"Punt {n}" for n in range(10)]


def test_the_progress_page_leads_back_to_the_rounds_open_answers(
    staff_client: Client, staff_user: User, survey_round: Round
) -> None:
    job = make_job(staff_user, survey_round)
    response = staff_client.get(reverse("exports:status", args=[job.pk]), headers=EN)
    trail = response.context["breadcrumb_trail"]
    assert [url for url, _name in trail] == [
        reverse("thermometer:results_list"),
        reverse("thermometer:results_detail", args=[survey_round.pk]),
        reverse("thermometer:results_answers", args=[survey_round.pk]),
    ]
    assert trail[1][1] == survey_round.name
