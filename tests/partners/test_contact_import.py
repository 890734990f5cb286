"""The contact import (issue #3, item 7): all rows or none, a report per row, idempotent,
and every kind of bad file answered with a 400 and a reason, never a 500."""

import codecs
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

import openpyxl
import pytest

from partners.forms.imports import ContactImportForm
from partners.models import Contact, Organisation, PersonalDataLog, Theme
from partners.services import contact_import
from portal.lib.exports import services as exports
from portal.lib.models import ExportJob, User
from portal.lib.tabular.imports import RowError
from tests.factories import ContactFactory, OrganisationFactory, ThemeFactory

URL = reverse("partners:contact_import")
ENGLISH = {"Accept-Language": "en"}
HEADER = "organisation,name,function,email,phone,themes,visibility,topics"
GOOD_ROWS = [
    "GM0355,Anna de Vries (fictief),Beleidsadviseur,anna@example.invalid,030 000 0001,"
    "Wonen; Mobiliteit,gedeeld,woningbouw",
    "Baarn,Bram Jansen (fictief),,bram@example.invalid,,,intern,",
    "baarn,Carla Smit (fictief),Projectleider,,+31 35 000 0003,wonen,shared,",
]


@pytest.fixture
def register(db: None) -> dict:
    return {
        "zeist": OrganisationFactory(name="Zeist", cbs_code="GM0355"),
        "baarn": OrganisationFactory(name="Baarn", cbs_code="GM0308"),
        "wonen": ThemeFactory(name="Wonen", slug="wonen"),
        "mobiliteit": ThemeFactory(name="Mobiliteit", slug="mobiliteit"),
    }


def csv_file(*rows: str, header: str = HEADER, name: str = "contacten.csv", encoding="utf-8"):
    content = "\r\n".join([header, *rows]).encode(encoding)
    return SimpleUploadedFile(name, content, content_type="text/csv")


def xlsx_file(rows: list[list[object]], name: str = "contacten.xlsx") -> SimpleUploadedFile:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload(client: Client, file: SimpleUploadedFile):
    return client.post(URL, {"file": file}, headers=ENGLISH)


def contacts() -> list[tuple]:
    return list(
        Contact.objects.order_by("name").values_list(
            "organisation__name", "name", "function", "email", "phone", "visibility", "topics"
        )
    )


# --- Good files ------------------------------------------------------------------------------


def test_a_good_csv_creates_the_contacts(
    admin_client_portal: Client, administrator: User, register: dict
) -> None:
    response = upload(admin_client_portal, csv_file(*GOOD_ROWS))
    assert response.status_code == 302
    assert response["Location"] == URL
    assert contacts() == [
        ("Zeist", "Anna de Vries (fictief)", "Beleidsadviseur", "anna@example.invalid",
         "030 000 0001", "shared", "woningbouw"),
        ("Baarn", "Bram Jansen (fictief)", "", "bram@example.invalid", "", "internal", ""),
        ("Baarn", "Carla Smit (fictief)", "Projectleider", "", "+31 35 000 0003", "shared", ""),
    ]  # fmt: skip
    anna = Contact.objects.get(name__startswith="Anna")
    assert set(anna.themes.values_list("name", flat=True)) == {"Wonen", "Mobiliteit"}
    assert {record.history_user for record in anna.history.all()} == {administrator}


def test_a_good_xlsx_creates_the_contacts(admin_client_portal: Client, register: dict) -> None:
    rows = [
        ["Organisatie", "Naam", "E-mailadres", "Telefoonnummer", "Thema's", "Zichtbaarheid"],
        ["Zeist", "Anna de Vries (fictief)", "anna@example.invalid", 302589111, "Wonen", "gedeeld"],
        [None, None, None, None, None, None],  # Excel's trailing empty rows
        ["GM0308", "Bram Jansen (fictief)", None, None, None, None],
    ]
    response = upload(admin_client_portal, xlsx_file(rows))
    assert response.status_code == 302
    assert contacts() == [
        ("Zeist", "Anna de Vries (fictief)", "", "anna@example.invalid", "302589111", "shared", ""),
        ("Baarn", "Bram Jansen (fictief)", "", "", "", "internal", ""),
    ]


def test_an_import_is_logged(
    admin_client_portal: Client, administrator: User, register: dict
) -> None:
    upload(admin_client_portal, csv_file(*GOOD_ROWS))
    [entry] = PersonalDataLog.objects.all()
    assert (entry.user, entry.action, entry.row_count) == (administrator, "import", 3)
    assert "contacten.csv" in entry.description


def test_importing_the_same_file_again_changes_nothing(
    admin_client_portal: Client, register: dict
) -> None:
    upload(admin_client_portal, csv_file(*GOOD_ROWS))
    before = contacts()
    history = Contact.history.count()
    response = upload(admin_client_portal, csv_file(*GOOD_ROWS))
    assert response.status_code == 302
    assert contacts() == before
    assert Contact.history.count() == history, "no change, so no new versions"
    assert PersonalDataLog.objects.count() == 2
    assert "0 nieuw, 0 bijgewerkt, 3 ongewijzigd" in PersonalDataLog.objects.first().description


def test_a_row_updates_the_contact_with_the_same_organisation_and_email(
    admin_client_portal: Client, register: dict
) -> None:
    existing = ContactFactory(
        organisation=register["zeist"],
        name="A. de Vries",
        email="Anna@Example.INVALID",
        visibility=Contact.Visibility.INTERNAL,
        themes=[register["mobiliteit"]],
    )
    other_organisation = ContactFactory(
        organisation=register["baarn"], name="Anna elders", email="anna@example.invalid"
    )
    upload(admin_client_portal, csv_file(GOOD_ROWS[0]))
    existing.refresh_from_db()
    assert Contact.objects.count() == 2
    assert (existing.name, existing.function, existing.visibility) == (
        "Anna de Vries (fictief)",
        "Beleidsadviseur",
        "shared",
    )
    assert set(existing.themes.all()) == {register["wonen"], register["mobiliteit"]}
    other_organisation.refresh_from_db()
    assert other_organisation.name == "Anna elders"


def test_columns_left_out_of_the_file_are_left_alone(
    admin_client_portal: Client, register: dict
) -> None:
    existing = ContactFactory(
        organisation=register["zeist"],
        email="anna@example.invalid",
        phone="030 111 1111",
        visibility=Contact.Visibility.SHARED,
        themes=[register["wonen"]],
    )
    upload(
        admin_client_portal,
        csv_file("Zeist,Anna,anna@example.invalid", header="organisation,name,email"),
    )
    existing.refresh_from_db()
    assert (existing.name, existing.phone, existing.visibility) == (
        "Anna",
        "030 111 1111",
        "shared",
    )
    assert list(existing.themes.all()) == [register["wonen"]]


def test_a_contacts_export_can_be_imported_again(
    admin_client_portal: Client, administrator: User, register: dict
) -> None:
    ContactFactory(organisation=register["zeist"], themes=[register["wonen"]])
    ContactFactory(organisation=register["baarn"], email="", visibility="internal")
    for file_format in ("csv", "xlsx"):
        job = ExportJob.objects.create(
            requested_by=administrator, dataset="contacts", format=file_format
        )
        exports.run_export(job)
        job.refresh_from_db()
        before = contacts()
        response = upload(admin_client_portal, SimpleUploadedFile(job.filename, bytes(job.content)))
        assert response.status_code == 302, response.context and response.context["form"].errors
        assert contacts() == before
        assert "0 nieuw, 0 bijgewerkt, 2 ongewijzigd" in PersonalDataLog.objects.first().description


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (codecs.BOM_UTF8 + f"{HEADER}\r\nZeist,Zoë Çelik (fictief)".encode(), "bom.csv"),
        (f"{HEADER}\r\nZeist,Zoë Çelik (fictief)".encode("cp1252"), "windows.csv"),
        (f"{HEADER}\r\nZeist,Zoë Çelik (fictief)".encode("utf-16"), "unicode.txt"),
        (f"{HEADER.replace(',', ';')}\r\nZeist;Zoë Çelik (fictief)".encode(), "puntkomma.csv"),
        (f"sep=;\r\n{HEADER.replace(',', ';')}\r\nZeist;Zoë Çelik (fictief)".encode(), "x.csv"),
    ],
    ids=["utf-8 with BOM", "windows-1252", "utf-16", "semicolons", "excel's sep= line"],
)
def test_the_usual_csv_dialects_are_read(
    admin_client_portal: Client, register: dict, content: bytes, name: str
) -> None:
    response = upload(admin_client_portal, SimpleUploadedFile(name, content))
    assert response.status_code == 302
    assert Contact.objects.get().name == "Zoë Çelik (fictief)"


# --- Bad rows -----------------------------------------------------------------------------


def test_one_bad_row_imports_nothing_and_says_which_and_why(
    admin_client_portal: Client, register: dict
) -> None:
    bad = "Zeist,Dirk (fictief),,not-an-address,,,,"
    response = upload(admin_client_portal, csv_file(GOOD_ROWS[0], bad, GOOD_ROWS[1]))
    assert response.status_code == 400
    assert not Contact.objects.exists()
    assert not PersonalDataLog.objects.exists()
    assert response.context["report"] == [RowError(3, "email", "Enter a valid email address.")]
    body = response.content.decode()
    assert '<tr class="utrecht-table__row" data-row="3">' in body
    assert "Enter a valid email address." in body


def test_every_problem_of_every_row_is_reported(
    admin_client_portal: Client, register: dict
) -> None:
    rows = [
        "Nergenshuizen,Eva (fictief),,,,,,",
        ",,,,,,,",  # a blank row is skipped, not an error
        "Zeist,,,,0301234567x,,,",
        "Zeist,Frank (fictief),,,,Ruimte; Wonen,openbaar,",
        "Zeist,Gijs (fictief),,gijs@example.invalid,,,,",
        "Zeist,Gijs Jr (fictief),,GIJS@example.invalid,,,,",
        "Zeist," + "x" * 201 + ",,,,,,",
    ]
    response = upload(admin_client_portal, csv_file(*rows))
    assert response.status_code == 400
    assert not Contact.objects.exists()
    assert [(error.row, error.column) for error in response.context["report"]] == [
        (2, "organisation"),
        (4, "name"),
        (4, "phone"),
        (5, "themes"),
        (5, "visibility"),
        (7, "email"),  # the same contact as row 6
        (8, "name"),
    ]
    messages = [error.message for error in response.context["report"]]
    assert "Nergenshuizen" in messages[0]
    assert messages[1] == "This field is required."
    assert "Ruimte" in messages[3] and "Wonen" not in messages[3]
    assert "6" in messages[5]
    assert response.context["rows_with_errors"] == 5


def test_the_database_keeps_one_contact_per_email_address_and_organisation(
    register: dict,
) -> None:
    """So an import's match on e-mail address can never be ambiguous."""
    from django.db import IntegrityError, transaction

    ContactFactory(organisation=register["zeist"], email="anna@example.invalid")
    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(organisation=register["zeist"], email="ANNA@example.invalid")
    # Anonymised contacts no longer hold the address.
    ContactFactory(organisation=register["zeist"], email="", anonymised_at="2026-01-01T00:00Z")


# --- Bad files ------------------------------------------------------------------------------


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    return xlsx_file(rows).read()


BAD_FILES = {
    "empty": ("leeg.csv", b""),
    "only spaces": ("leeg.csv", b"  \r\n "),
    "a pdf": ("contacten.pdf", b"%PDF-1.4 ..."),
    "no extension": ("contacten", HEADER.encode()),
    "old excel": ("contacten.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
    "corrupt xlsx": ("contacten.xlsx", b"PK\x03\x04 this is no zip"),
    "xlsx that is text": ("contacten.xlsx", HEADER.encode()),
    "binary csv": ("contacten.csv", b"organisation,name\x00\x01\x02"),
    "unreadable encoding": ("contacten.csv", b"organisation,name\r\nZeist,\x81\x8d\x8f"),
    "missing column": ("contacten.csv", b"organisation,function\r\nZeist,Adviseur"),
    "unknown column": ("contacten.csv", b"organisation,name,shoe size\r\nZeist,Anna,42"),
    "duplicate column": ("contacten.csv", b"organisation,name,naam\r\nZeist,Anna,Anna"),
    "header only": ("contacten.csv", HEADER.encode()),
    "no header": ("contacten.csv", b",,\r\nZeist,Anna,"),
    "xlsx header only": ("contacten.xlsx", xlsx_bytes([["organisation", "name"]])),
    "xlsx without the columns": ("contacten.xlsx", xlsx_bytes([["a", "b"], [1, 2]])),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_a_bad_file_is_a_400_with_a_reason(
    admin_client_portal: Client, register: dict, case: str
) -> None:
    name, content = BAD_FILES[case]
    response = upload(admin_client_portal, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    errors = response.context["form"].errors["file"]
    assert errors and all(error.strip() for error in errors)
    assert "There is a problem" in response.content.decode()
    assert not Contact.objects.exists()
    assert not PersonalDataLog.objects.exists()


def test_a_file_over_the_size_limit_is_refused_unread(
    admin_client_portal: Client, register: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ContactImportForm.base_fields["file"], "max_bytes", 100)
    response = upload(admin_client_portal, csv_file(*GOOD_ROWS))
    assert response.status_code == 400
    assert "larger than" in response.context["form"].errors["file"][0]
    assert not Contact.objects.exists()


@pytest.mark.parametrize("maker", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused(
    admin_client_portal: Client, register: dict, monkeypatch: pytest.MonkeyPatch, maker: str
) -> None:
    monkeypatch.setattr(contact_import, "IMPORT_MAX_ROWS", 2)
    rows = [f"Zeist,Persoon {n} (fictief)" for n in range(3)]
    if maker == "csv":
        file = csv_file(*rows, header="organisation,name")
    else:
        file = xlsx_file([["organisation", "name"], *[row.split(",") for row in rows]])
    response = upload(admin_client_portal, file)
    assert response.status_code == 400
    assert "more than 2 rows" in response.context["form"].errors["file"][0]
    assert not Contact.objects.exists()


def test_the_row_limit_counts_contacts_not_the_header(
    admin_client_portal: Client, register: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contact_import, "IMPORT_MAX_ROWS", 2)
    rows = [f"Zeist,Persoon {n} (fictief)" for n in range(2)]
    response = upload(admin_client_portal, csv_file(*rows, "", "", header="organisation,name"))
    assert response.status_code == 302
    assert Contact.objects.count() == 2


def test_posting_without_a_file_is_a_400(admin_client_portal: Client, register: dict) -> None:
    response = admin_client_portal.post(URL, {}, headers=ENGLISH)
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["This field is required."]


# --- The page and who may use it ------------------------------------------------------------


def test_the_page_explains_the_columns(admin_client_portal: Client, db: None) -> None:
    response = admin_client_portal.get(URL)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in body and "novalidate" in body
    assert 'accept=".csv,.xlsx"' in body
    for column in contact_import.IMPORT_COLUMNS:
        assert f"<code>{column}</code>" in body


@pytest.mark.parametrize(
    "persona", ["staff_client", "account_holder_client", "partner_client", "outsider_client"]
)
def test_only_administrators_may_import(
    persona: str, request: pytest.FixtureRequest, register: dict
) -> None:
    client = request.getfixturevalue(persona)
    assert client.get(URL).status_code == 403
    assert upload(client, csv_file(*GOOD_ROWS)).status_code == 403
    assert not Contact.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client: Client, register: dict) -> None:
    response = upload(client, csv_file(*GOOD_ROWS))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not Contact.objects.exists()


def test_the_register_itself_is_not_changed_by_an_import(
    admin_client_portal: Client, register: dict
) -> None:
    """Unknown organisations and themes are errors, never created on the fly."""
    upload(admin_client_portal, csv_file("Nieuwegein,Anna,,,,Nieuw thema,,"))
    assert Organisation.objects.count() == 2
    assert Theme.objects.count() == 2


def test_a_contact_added_in_parallel_is_a_clear_error_not_a_500(
    admin_client_portal, db: None, monkeypatch
) -> None:
    """The unique e-mail constraint wins a race the row check could not see."""
    from django.db import IntegrityError

    def racing(self, *args, **kwargs):
        raise IntegrityError("contact_email_unique_per_organisation")

    monkeypatch.setattr(Contact, "save", racing)
    organisation = OrganisationFactory(name="Zeist", cbs_code="GM0355")
    body = "organisatie,naam,e-mail\nZeist,Anna (fictief),anna@zeist.example\n"
    upload = SimpleUploadedFile("contacten.csv", body.encode(), content_type="text/csv")
    response = admin_client_portal.post(reverse("partners:contact_import"), {"file": upload})
    assert response.status_code == 400
    assert not Contact.objects.filter(organisation=organisation).exists()
