"""Exports of organisations and contacts (issue #3, item 7) through the kernel's exports:
the form, the job's file, its progress page and its download; and who may open each
URL of exports, the contacts import and personal data."""

import csv
import io

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import translation

import openpyxl
import pytest

from partners.exports import ContactsDataset, OrganisationsDataset
from partners.models import Contact, Organisation, PersonalDataLog
from portal.lib.exports import services as exports
from portal.lib.exports import tasks
from portal.lib.models import ExportJob, User
from portal.lib.tabular.writing import CONTENT_TYPES
from tests.conftest import ROLES
from tests.factories import ContactFactory, OrganisationFactory, RegionFactory, ThemeFactory
from tests.urlwalk import Redirect, Route, all_routes, outcome

CREATE = reverse("exports:create")
HTMX = {"HX-Request": "true"}


def status_url(job: ExportJob) -> str:
    return reverse("exports:status", args=[job.pk])


def download_url(job: ExportJob) -> str:
    return reverse("exports:download", args=[job.pk])


@pytest.fixture
def register(db: None) -> dict:
    u16 = RegionFactory(name="U16")
    zeist = OrganisationFactory(name="Zeist", cbs_code="GM0355", region=u16)
    baarn = OrganisationFactory(name="Baarn", cbs_code="GM0308", region=None)
    wonen = ThemeFactory(name="Wonen", slug="wonen")
    mobiliteit = ThemeFactory(name="Mobiliteit", slug="mobiliteit")
    return {
        "zeist": zeist,
        "baarn": baarn,
        "wonen": wonen,
        "anna": ContactFactory(
            organisation=zeist,
            name="Anna de Vries (fictief)",
            function="Beleidsadviseur wonen",
            email="anna@example.invalid",
            phone="+31 30 000 0001",
            topics="woningbouw, statushouders",
            visibility=Contact.Visibility.SHARED,
            themes=[wonen, mobiliteit],
        ),
        "bram": ContactFactory(
            organisation=baarn,
            name="Bram Jansen (fictief)",
            function='=HYPERLINK("http://evil.example")',
            email="bram@example.invalid",
            phone="035 000 0002",
            topics="",
            visibility=Contact.Visibility.INTERNAL,
        ),
        "gone": ContactFactory(
            organisation=zeist,
            name="Geanonimiseerd contact",
            function="",
            email="",
            phone="",
            anonymised_at="2026-01-01T12:00:00+01:00",
        ),
    }


def make_job(user: User, dataset: str, file_format: str = "csv", **filters: str) -> ExportJob:
    return ExportJob.objects.create(
        requested_by=user, dataset=dataset, format=file_format, filters=filters
    )


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def xlsx_rows(content: bytes) -> list[list[str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    try:
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    finally:
        workbook.close()
    width = len(rows[0])  # a read-only sheet leaves out empty cells at the end of a row
    return [
        ["" if value is None else value for value in (*row, *[None] * width)][:width]
        for row in rows
    ]


def dutch_headers(columns) -> list[str]:
    with translation.override("nl"):
        return [str(column.header) for column in columns]


# --- The form ---------------------------------------------------------------------------


def test_the_form_carries_the_list_filters_along(staff_client: Client, register: dict) -> None:
    zeist = register["zeist"]
    response = staff_client.get(
        CREATE,
        {"dataset": "contacts", "organisation": zeist.pk, "q": "anna", "page": "2"},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'<input type="hidden" name="organisation" value="{zeist.pk}">' in body
    assert '<input type="hidden" name="q" value="anna">' in body
    assert 'name="page"' not in body, "only filters travel, not the page number"
    described = dict(response.context["described_filters"])
    assert described == {"Search": "anna", "Organisation": "Zeist"}
    assert response.context["form"]["dataset"].value() == "contacts"


def test_posting_the_form_starts_an_export_once_committed(
    staff_client: Client,
    staff_user: User,
    register: dict,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    enqueued = []
    monkeypatch.setattr(tasks.run_export, "delay", enqueued.append)
    data = {"dataset": "contacts", "format": "xlsx", "organisation": register["zeist"].pk}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = staff_client.post(CREATE, data)
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == status_url(job)
    assert (job.requested_by, job.dataset, job.format) == (staff_user, "contacts", "xlsx")
    assert job.filters == {"organisation": str(register["zeist"].pk)}
    assert job.status == ExportJob.Status.PENDING
    assert enqueued == [], "nothing is enqueued before the transaction commits"
    assert len(callbacks) == 1
    callbacks[0]()
    assert enqueued == [job.pk]


def test_the_organisation_export_keeps_only_organisation_filters(
    staff_client: Client, register: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tasks.run_export, "delay", lambda job_id: None)
    staff_client.post(
        CREATE,
        {
            "dataset": "organisations",
            "format": "csv",
            "q": "zei",
            "kind": "gemeente",
            "theme": "wonen",
        },
    )
    assert ExportJob.objects.get().filters == {"q": "zei", "kind": "gemeente"}


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"dataset": "contacts"},
        {"dataset": "everything", "format": "csv"},
        {"dataset": "contacts", "format": "pdf"},
        # A tampered filter is refused, not silently dropped.
        {"dataset": "organisations", "format": "csv", "kind": "no-such-kind"},
        {"dataset": "contacts", "format": "csv", "organisation": "999999"},
    ],
)
def test_an_invalid_form_starts_nothing(
    staff_client: Client, register: dict, data: dict, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(CREATE, data, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert b"There is a problem" in response.content
    assert not ExportJob.objects.exists()
    assert callbacks == []


# --- The file -----------------------------------------------------------------------------


def test_the_organisations_csv_holds_the_register(staff_user: User, register: dict) -> None:
    job = make_job(staff_user, "organisations")
    exports.run_export(job)
    job.refresh_from_db()
    with translation.override("nl"):
        kind = str(Organisation.Kind.GEMEENTE.label)
    assert csv_rows(bytes(job.content)) == [
        dutch_headers(OrganisationsDataset.columns),
        ["Baarn", kind, "GM0308", "", "", "", "", ""],
        ["Zeist", kind, "GM0355", "", "", "", "U16", ""],
    ]
    assert job.filename.endswith(".csv")
    assert job.status == ExportJob.Status.DONE


def test_the_contacts_xlsx_holds_the_contacts_but_no_anonymised_ones(
    staff_user: User, register: dict
) -> None:
    job = make_job(staff_user, "contacts", "xlsx")
    exports.run_export(job)
    job.refresh_from_db()
    rows = xlsx_rows(bytes(job.content))
    assert rows == [
        dutch_headers(ContactsDataset.columns),
        [
            "Zeist",
            "Anna de Vries (fictief)",
            "Beleidsadviseur wonen",
            "anna@example.invalid",
            "+31 30 000 0001",
            "Mobiliteit; Wonen",
            "gedeeld",
            "woningbouw, statushouders",
        ],
        [
            "Baarn",
            "Bram Jansen (fictief)",
            '=HYPERLINK("http://evil.example")',
            "bram@example.invalid",
            "035 000 0002",
            "",
            "intern",
            "",
        ],
    ]
    assert job.filename.endswith(".xlsx")


def test_a_formula_in_the_data_stays_text(staff_user: User, register: dict) -> None:
    """CSV injection: a cell that starts with = is text in both formats."""
    csv_job, xlsx_job = make_job(staff_user, "contacts"), make_job(staff_user, "contacts", "xlsx")
    exports.run_export(csv_job)
    exports.run_export(xlsx_job)
    csv_job.refresh_from_db()
    xlsx_job.refresh_from_db()
    anna, bram = csv_rows(bytes(csv_job.content))[1:]
    assert bram[2] == '\'=HYPERLINK("http://evil.example")'
    assert bram[4] == "035 000 0002"
    assert anna[4] == "+31 30 000 0001", "a telephone number is not taken for a formula"
    workbook = openpyxl.load_workbook(io.BytesIO(bytes(xlsx_job.content)))
    assert workbook.worksheets[0]["C3"].data_type == "s"


def test_the_export_applies_the_filters(staff_user: User, register: dict) -> None:
    zeist = make_job(staff_user, "contacts", organisation=str(register["zeist"].pk))
    wonen = make_job(staff_user, "contacts", themes=str(register["wonen"].pk))
    searched = make_job(staff_user, "organisations", q="baa")
    sorted_ = make_job(staff_user, "contacts", sort="-name")
    by_word = make_job(staff_user, "contacts", q="jansen")
    for job in (zeist, wonen, searched, sorted_, by_word):
        exports.run_export(job)
        job.refresh_from_db()
    assert [row[1] for row in csv_rows(bytes(by_word.content))[1:]] == ["Bram Jansen (fictief)"]
    assert [row[1] for row in csv_rows(bytes(sorted_.content))[1:]] == [
        "Bram Jansen (fictief)",
        "Anna de Vries (fictief)",
    ]
    assert [row[1] for row in csv_rows(bytes(zeist.content))[1:]] == ["Anna de Vries (fictief)"]
    assert [row[1] for row in csv_rows(bytes(wonen.content))[1:]] == ["Anna de Vries (fictief)"]
    assert [row[0] for row in csv_rows(bytes(searched.content))[1:]] == ["Baarn"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_running_a_job_again_rebuilds_the_same_file(
    staff_user: User, register: dict, file_format: str
) -> None:
    job = make_job(staff_user, "contacts", file_format)
    exports.run_export(job)
    job.refresh_from_db()
    first, finished_at = bytes(job.content), job.finished_at
    exports.run_export(job)
    job.refresh_from_db()
    assert bytes(job.content) == first
    assert job.finished_at == finished_at
    assert job.status == ExportJob.Status.DONE


def test_progress_is_saved_batch_by_batch(
    staff_user: User, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    ContactFactory.create_batch(5)
    job = make_job(staff_user, "contacts")
    seen = []
    save_progress = exports._save_progress

    def spy(job_id: int, done: int) -> None:
        save_progress(job_id, done)
        row = ExportJob.objects.get(pk=job_id)
        seen.append((row.status, row.done, row.total))

    monkeypatch.setattr(exports, "_save_progress", spy)
    exports.run_export(job, batch_size=2)
    assert seen == [("running", 2, 5), ("running", 4, 5), ("running", 5, 5)]
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.percent) == ("done", 5, 5, 100)
    assert len(csv_rows(bytes(job.content))) == 6


def test_an_empty_export_is_a_file_with_only_the_header(staff_user: User, db: None) -> None:
    job = make_job(staff_user, "contacts", "xlsx")
    exports.run_export(job)
    job.refresh_from_db()
    assert xlsx_rows(bytes(job.content)) == [dutch_headers(ContactsDataset.columns)]
    assert (job.status, job.percent) == ("done", 100)


def test_a_contacts_export_is_logged_once(staff_user: User, register: dict) -> None:
    job = make_job(staff_user, "contacts", organisation=str(register["zeist"].pk))
    exports.run_export(job)
    exports.run_export(job)  # a redelivered task
    [entry] = PersonalDataLog.objects.all()
    assert (entry.user, entry.action, entry.row_count) == (staff_user, "export", 1)
    assert f"#{job.pk}" in entry.description
    assert "Zeist" in entry.description, "the log says what was exported"


def test_an_organisations_export_is_not_personal_data(staff_user: User, register: dict) -> None:
    exports.run_export(make_job(staff_user, "organisations"))
    assert not PersonalDataLog.objects.exists()


def test_a_requester_who_lost_the_permission_gets_no_file(
    partner_user: User, register: dict
) -> None:
    job = make_job(partner_user, "contacts")
    exports.run_export(job)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert job.content is None
    assert not PersonalDataLog.objects.exists()


# --- The progress page ----------------------------------------------------------------------


def test_the_status_page_shows_progress_and_polls_while_running(
    staff_client: Client, staff_user: User, db: None
) -> None:
    job = make_job(staff_user, "contacts")
    ExportJob.objects.filter(pk=job.pk).update(status="running", total=5, done=2)
    response = staff_client.get(status_url(job), headers={"Accept-Language": "en"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body
    assert '<progress aria-labelledby="progress-label" max="100" value="40">40%</progress>' in body
    assert "2 of 5 rows (40%)" in body
    assert 'hx-trigger="every 2s"' in body
    assert download_url(job) not in body
    assert 'role="status"' in body, "the end is announced to screen readers"
    assert "HX-Request" in response["Vary"]


def test_htmx_gets_only_the_fragment_which_stops_polling_when_done(
    staff_client: Client, staff_user: User, db: None
) -> None:
    job = make_job(staff_user, "contacts")
    running = staff_client.get(status_url(job), headers=HTMX).content.decode()
    assert "<html" not in running
    assert running.lstrip().startswith('<div id="progress"')
    assert 'hx-trigger="every 2s"' in running
    assert 'role="status"' not in running, "the live region stays in the page"
    assert "<progress" in running and "value=" not in running.split("<progress")[1].split(">")[0]

    ExportJob.objects.filter(pk=job.pk).update(status="done", total=3, done=3, filename="x.csv")
    done = staff_client.get(status_url(job), headers=HTMX).content.decode()
    assert "<html" not in done
    assert "hx-trigger" not in done
    assert download_url(job) in done
    assert (
        "The file is ready."
        in staff_client.get(
            status_url(job), headers={**HTMX, "Accept-Language": "en"}
        ).content.decode()
    )


def test_a_poll_that_saw_the_same_state_gets_no_content(
    staff_client: Client, staff_user: User, db: None
) -> None:
    """Swapping in the same words again would make screen readers repeat them."""
    job = make_job(staff_user, "contacts")
    ExportJob.objects.filter(pk=job.pk).update(status="running", total=5, done=2)
    seen = ExportJob.objects.get(pk=job.pk).progress_key
    unchanged = staff_client.get(status_url(job), {"seen": seen}, headers=HTMX)
    assert unchanged.status_code == 204 and unchanged.content == b""
    ExportJob.objects.filter(pk=job.pk).update(done=3)
    changed = staff_client.get(
        status_url(job), {"seen": seen}, headers={**HTMX, "Accept-Language": "en"}
    )
    assert changed.status_code == 200
    assert "3 of 5 rows (60%)" in changed.content.decode()
    assert f"seen={ExportJob.objects.get(pk=job.pk).progress_key}" in changed.content.decode()


def test_a_failed_export_stops_polling(staff_client: Client, staff_user: User, db: None) -> None:
    job = make_job(staff_user, "contacts")
    ExportJob.objects.filter(pk=job.pk).update(status="failed", error="boom")
    body = staff_client.get(status_url(job), headers=HTMX).content.decode()
    assert "hx-trigger" not in body
    assert "boom" not in body, "internal errors are not shown"
    assert download_url(job) not in body


def test_the_status_page_runs_a_constant_number_of_queries(
    staff_client: Client, staff_user: User, db: None
) -> None:
    small, large = make_job(staff_user, "contacts"), make_job(staff_user, "organisations")
    ExportJob.objects.filter(pk=small.pk).update(status="running", total=10, done=3)
    ExportJob.objects.filter(pk=large.pk).update(
        status="done",
        total=3000,
        done=3000,
        content=b"x" * 1_000_000,
        filename="big.csv",
        filters={"q": "zeist", "kind": "gemeente"},
    )
    counts = []
    for job in (small, large):
        for headers in ({}, HTMX):
            with CaptureQueriesContext(connection) as queries:
                assert staff_client.get(status_url(job), headers=headers).status_code == 200
            counts.append(len(queries))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert max(counts) <= 8


def test_the_status_page_does_not_load_the_file(
    staff_client: Client, staff_user: User, db: None
) -> None:
    job = make_job(staff_user, "contacts")
    with CaptureQueriesContext(connection) as queries:
        staff_client.get(status_url(job), headers=HTMX)
    selects = [q["sql"] for q in queries.captured_queries if "lib_exportjob" in q["sql"]]
    assert selects and all('"content"' not in sql for sql in selects)


# --- The download -------------------------------------------------------------------------


def test_the_requester_downloads_the_file(
    staff_client: Client, staff_user: User, register: dict
) -> None:
    job = make_job(staff_user, "contacts", "xlsx")
    exports.run_export(job)
    job.refresh_from_db()
    response = staff_client.get(download_url(job))
    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES["xlsx"]
    assert response["Content-Disposition"] == f'attachment; filename="{job.filename}"'
    assert "no-store" in response["Cache-Control"]
    assert response.content == bytes(job.content)
    assert xlsx_rows(response.content)[1][1] == "Anna de Vries (fictief)"


@pytest.mark.parametrize("other", ["account_holder_client", "admin_client_portal"])
def test_nobody_else_sees_or_downloads_an_export(
    staff_user: User, register: dict, other: str, request: pytest.FixtureRequest
) -> None:
    job = make_job(staff_user, "contacts")
    exports.run_export(job)
    client = request.getfixturevalue(other)
    assert client.get(download_url(job)).status_code == 404
    assert client.get(status_url(job)).status_code == 404


def test_a_download_before_the_file_is_ready_goes_to_the_progress_page(
    staff_client: Client, staff_user: User, db: None
) -> None:
    job = make_job(staff_user, "contacts")
    response = staff_client.get(download_url(job))
    assert response.status_code == 302
    assert response["Location"] == status_url(job)


# --- Who may open each exchange URL ------------------------------------------------------------


LOGIN = Redirect("login")
# Exports belong to the staff member who asked for them: others get a 404.
# fmt: off
MATRIX = {
    #                                      anonymous outsider partner staff acc-holder beheerder
    "exports:create": {
        "GET":  (LOGIN, 403, 403, 200, 200, 200),
        "POST": (LOGIN, 403, 403, 200, 200, 200),  # an invalid form: errors, status 200
    },
    "exports:status": {
        "GET":  (LOGIN, 403, 403, 200, 404, 404),
        "POST": (405,   405, 405, 405, 405, 405),
    },
    "exports:download": {
        "GET":  (LOGIN, 403, 403, 200, 404, 404),
        "POST": (405,   405, 405, 405, 405, 405),
    },
    "partners:contact_import": {
        "GET":  (LOGIN, 403, 403, 403, 403, 200),
        "POST": (LOGIN, 403, 403, 403, 403, 400),  # no file: a rejected upload
    },
    "partners:contact_personal_data": {
        "GET":  (LOGIN, 403, 403, 403, 403, 200),
        "POST": (405,   405, 405, 405, 405, 405),
    },
    "partners:contact_subject_export": {
        "GET":  (405,   405, 405, 405, 405, 405),
        "POST": (LOGIN, 403, 403, 403, 403, 200),
    },
    "partners:contact_erase": {
        "GET":  (405,   405, 405, 405, 405, 405),
        "POST": (LOGIN, 403, 403, 403, 403, 200),  # unconfirmed: the form again, nothing erased
    },
    "partners:personal_data_log": {
        "GET":  (LOGIN, 403, 403, 403, 403, 200),
        "POST": (405,   405, 405, 405, 405, 405),
    },
}
# fmt: on


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_response(
    name: str, method: str, clients: dict[str, Client], staff_user: User, register: dict
) -> None:
    job = make_job(staff_user, "organisations")
    exports.run_export(job)
    values = {"pk": job.pk if name.startswith("exports:") else register["anna"].pk}
    url = exchange_routes()[name].url(values)
    actual = {}
    for role, client in clients.items():
        response = client.get(url) if method == "GET" else client.post(url, {"name": ""})
        actual[role] = outcome(response)
    assert actual == dict(zip(ROLES, MATRIX[name][method], strict=True))
    register["anna"].refresh_from_db()
    assert not register["anna"].is_anonymised


EXCHANGE_VIEWS = (
    "portal.lib.exports.views",
    "partners.views.imports",
    "partners.views.personal_data",
)


def exchange_routes() -> dict[str, Route]:
    """The URL patterns of exports, the contacts import and personal data."""
    return {
        route.key: route
        for route in all_routes()
        if (route.name or "").startswith(("partners:", "exports:"))
        and resolve(route.url({"pk": 1})).func.__module__ in EXCHANGE_VIEWS
    }


def test_the_matrix_covers_every_exchange_url() -> None:
    assert set(exchange_routes()) == set(MATRIX)


@pytest.mark.parametrize("persona", ["staff_client", "admin_client_portal"])
def test_no_get_on_an_exchange_url_changes_data(
    persona: str, request: pytest.FixtureRequest, staff_user: User, register: dict
) -> None:
    """With real objects behind every URL (the project-wide check uses made-up ones)."""
    from tests.portal.test_security import database_contents

    job = make_job(staff_user, "contacts")
    exports.run_export(job)
    client = request.getfixturevalue(persona)
    for name, route in exchange_routes().items():
        pk = job.pk if name.startswith("exports:") else register["anna"].pk
        before = database_contents()
        client.get(route.url({"pk": pk}), {"confirm": "on", "dataset": "contacts"})
        assert database_contents() == before, name


def test_a_failed_export_starts_again_with_its_filters_in_one_message(
    staff_client: Client, staff_user: User, db: None
) -> None:
    job = make_job(staff_user, "contacts", q="Anouk")
    ExportJob.objects.filter(pk=job.pk).update(status="failed", error="boom")
    body = staff_client.get(status_url(job), headers={"Accept-Language": "en"}).content.decode()
    alert = body.split("data-failed>", 1)[1].split("</div>", 1)[0]
    assert alert.count("<p") == 1, "the alert lays out its children side by side"
    assert f'href="{CREATE}?dataset=contacts&amp;q=Anouk"' in alert
    assert alert.count("Start a new export") == 1


def test_a_ready_export_says_how_many_rows_it_holds(
    staff_client: Client, staff_user: User, db: None
) -> None:
    job = make_job(staff_user, "contacts")
    ExportJob.objects.filter(pk=job.pk).update(status="done", total=4, done=4, filename="x.csv")
    body = staff_client.get(status_url(job), headers={"Accept-Language": "en"}).content.decode()
    assert "The file is ready. 4 of 4 rows (100%)" in body
