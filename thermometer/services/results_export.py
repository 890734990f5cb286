"""A round's results as an XLSX workbook (one sheet per view) or a CSV file (one view).

These exports are built in the request, unlike the partner exports that go through
Celery: they are bounded by the questionnaire, not by the data. The largest view,
distributions, has at most groups × questions × answer values rows (6 × 20 × 10 =
1,200; a few hundred in practice), the others a few dozen; trends add one row per
question and published round. Every number is read through services/reports.py, so
a group under the anonymity threshold cannot leak through an export: its row says
"Too few responses" and holds no numbers.

The same data gives the same bytes: the workbook carries a fixed date instead of the
time it was written.
"""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

import openpyxl
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.cell import Cell as XlsxCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from thermometer.models import PARTNER_GROUPS, SCALE_LABELS, ImprovementAction, ResultGroup, Round
from thermometer.services.reports import (
    Cell,
    Perspective,
    RoundReport,
    published_rounds,
    round_report,
    trend_report,
)

# The views, by the key used in the URL (?weergave=) and the file name, with the
# title of their sheet.
VIEWS: dict[str, Promise] = {
    "marks": _("Report marks"),
    "properties": _("Properties"),
    "distributions": _("Distributions"),
    "response": _("Response"),
    "actions": _("Improvement actions"),
    "trends": _("Trends"),
}
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TOO_FEW = _("Too few responses")
TWO_PLACES = Decimal("0.01")
# The date inside every workbook, instead of the time it was written: byte-stable files.
FIXED_MOMENT = datetime(2020, 1, 1, tzinfo=UTC)

# A cell that starts with one of these is run as a formula by spreadsheet programs
# (CSV injection); a leading apostrophe makes it text. As in partners' exports.
_FORMULA_START = re.compile(r"^(?:[=@\t\r]|[+-](?![\d\s()./-]*$))")

# Number formats of the XLSX cells by kind of column.
_NUMBER_FORMATS = {"mean": "0.00", "share": "0.0", "date": "yyyy-mm-dd"}

Value = str | int | Decimal | date | None


@dataclass(frozen=True)
class Column:
    header: str | Promise
    kind: str = "text"  # text, int, count, mean, median, share, date


@dataclass
class Sheet:
    key: str
    title: str | Promise
    columns: list[Column]
    rows: list[list[Value]]


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def export_results(survey_round: Round, *, file_format: str, views: Sequence[str]) -> ExportFile:
    """The results of the round in `views` as one file: XLSX (a sheet per view) or CSV
    (exactly one view). Raises ValueError for an unknown format or view."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown format {file_format!r}")
    unknown = [view for view in views if view not in VIEWS]
    if unknown or not views:
        raise ValueError(f"unknown views {unknown!r}")
    if file_format == "csv" and len(views) != 1:
        raise ValueError("a CSV file holds exactly one view")
    report = round_report(survey_round)
    sheets = [_BUILDERS[view](report) for view in views]
    label = views[0] if len(views) == 1 else "all"
    slug = slugify(survey_round.name) or f"round-{survey_round.pk}"
    content = _csv(sheets[0]) if file_format == "csv" else _xlsx(sheets)
    return ExportFile(
        filename=f"thermometer-{slug}-{label}.{file_format}",
        content_type=CONTENT_TYPES[file_format],
        content=content,
    )


# --- The views ---------------------------------------------------------------------


def _number(cell: Cell, value: Decimal | None) -> Value:
    """A shown cell's number, "Too few responses" for a hidden one, else nothing."""
    if cell.shown:
        return value
    return str(TOO_FEW) if cell.hidden else None


def _mean(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _plain(value: Decimal | None) -> int | Decimal | None:
    """7.00 as 7 and 6.50 as 6.5: medians and counts as people write them."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def _partner_groups(report: RoundReport) -> list[str]:
    """The partner groups with results, "all partners" first; at least "all partners"."""
    groups = [g for g in report.groups if g == ResultGroup.ALL_PARTNERS or g in PARTNER_GROUPS]
    return groups or [ResultGroup.ALL_PARTNERS]


def _marks(report: RoundReport) -> Sheet:
    rows = [report.marks(group)[0] for group in _partner_groups(report)]
    rows += report.marks()[1:]  # the staff's perspectives, whatever the partner group
    return Sheet(
        key="marks",
        title=VIEWS["marks"],
        columns=[
            Column(_("Perspective")),
            Column(_("Group")),
            Column(_("Respondents"), "int"),
            Column(_("Mean"), "mean"),
            Column(_("Median"), "median"),
        ],
        rows=[
            [row.label, row.cell.group_label, *_cell_numbers(row.cell)]
            for row in rows
            if not row.cell.empty
        ],
    )


def _cell_numbers(cell: Cell) -> list[Value]:
    """Respondents, mean and median; for a hidden cell only the reason."""
    if not cell.shown:
        return [str(TOO_FEW), None, None]
    return [cell.respondents, _mean(cell.mean), _plain(cell.median)]


def _properties(report: RoundReport) -> Sheet:
    groups = _partner_groups(report)
    by_group = {group: report.properties(group) for group in groups}
    labels = Perspective.LABELS
    columns = [
        Column(_("Property")),
        Column(labels[Perspective.STAFF_ABOUT_PROVINCE], "mean"),
        Column(labels[Perspective.STAFF_EXPECTED], "mean"),
        *(
            Column(f"{labels[Perspective.PARTNERS_ABOUT_PROVINCE]}: {ResultGroup(g).label}", "mean")
            for g in groups
        ),
    ]
    rows = []
    for index, row in enumerate(by_group[groups[0]]):
        rows.append(
            [
                row.label,
                _number(row.staff_about, _mean(row.staff_about.mean)),
                _number(row.staff_expected, _mean(row.staff_expected.mean)),
                *(
                    _number(cell, _mean(cell.mean))
                    for cell in (by_group[g][index].partners_about for g in groups)
                ),
            ]
        )
    return Sheet(key="properties", title=VIEWS["properties"], columns=columns, rows=rows)


def _distributions(report: RoundReport) -> Sheet:
    rows: list[list[Value]] = []
    for group in report.groups:
        label = str(ResultGroup(group).label)
        for question, cell in report.distributions(group):
            start: list[Value] = [label, question.code, question.text]
            if not cell.shown:
                rows.append([*start, str(TOO_FEW), None, None, None])
                continue
            scale = question.kind == "scale"
            for value, (count, share) in enumerate(zip(cell.counts, cell.shares, strict=True), 1):
                value_label = str(SCALE_LABELS[value]) if scale else ""
                rows.append([*start, value, value_label, _plain(count), share])
    return Sheet(
        key="distributions",
        title=VIEWS["distributions"],
        columns=[
            Column(_("Group")),
            Column(_("Question code")),
            Column(_("Question")),
            Column(_("Answer"), "int"),
            Column(_("Answer label")),
            Column(_("Count"), "count"),
            Column(_("Percentage"), "share"),
        ],
        rows=rows,
    )


def _response(report: RoundReport) -> Sheet:
    # A small group's count is withheld as on the page (GroupRate.shown): it would say
    # that the one organisation in it took part.
    return Sheet(
        key="response",
        title=VIEWS["response"],
        columns=[
            Column(_("Group")),
            Column(_("Invited"), "int"),
            Column(_("Responded"), "int"),
            Column(_("Response rate (%)"), "share"),
        ],
        rows=[
            [rate.label, rate.invited, rate.respondents, rate.rate]
            if rate.shown
            else [rate.label, rate.invited, str(TOO_FEW), None]
            for rate in report.rates
        ],
    )


def _actions(report: RoundReport) -> Sheet:
    actions = ImprovementAction.objects.filter(round=report.round).order_by(
        "due_date", "title", "pk"
    )
    return Sheet(
        key="actions",
        title=VIEWS["actions"],
        columns=[
            Column(_("Title")),
            Column(_("Action owner")),
            Column(_("Status")),
            Column(_("Due date"), "date"),
            Column(_("Properties addressed")),
        ],
        rows=[
            [
                action.title,
                action.owner,
                action.get_status_display(),
                action.due_date,
                ", ".join(action.property_labels),
            ]
            for action in actions
        ],
    )


def _trends(report: RoundReport) -> Sheet:
    """Per question code and published round, the means of all partners and of staff."""
    rounds = list(published_rounds())
    partners = trend_report(ResultGroup.ALL_PARTNERS, rounds)
    staff = trend_report(ResultGroup.STAFF, rounds)
    rows_by_code = {
        "partners": {row.code: row for row in partners.rows},
        "staff": {row.code: row for row in staff.rows},
    }
    # Staff answer every code the partners do, and more: their order leads.
    codes = list(dict.fromkeys([*rows_by_code["staff"], *rows_by_code["partners"]]))
    rows: list[list[Value]] = []
    for code in codes:
        partner_row = rows_by_code["partners"].get(code)
        staff_row = rows_by_code["staff"].get(code)
        label = (partner_row or staff_row).label  # type: ignore[union-attr]
        for index, survey_round in enumerate(rounds):
            means = [
                _trend_mean(row.points[index].cell) if row else None
                for row in (partner_row, staff_row)
            ]
            if means != [None, None]:
                rows.append([code, label, survey_round.name, *means])
    return Sheet(
        key="trends",
        title=VIEWS["trends"],
        columns=[
            Column(_("Question code")),
            Column(_("Question")),
            Column(_("Round")),
            Column(ResultGroup.ALL_PARTNERS.label, "mean"),
            Column(ResultGroup.STAFF.label, "mean"),
        ],
        rows=rows,
    )


def _trend_mean(cell: Cell | None) -> Value:
    return None if cell is None else _number(cell, _mean(cell.mean))


_BUILDERS: dict[str, Callable[[RoundReport], Sheet]] = {
    "marks": _marks,
    "properties": _properties,
    "distributions": _distributions,
    "response": _response,
    "actions": _actions,
    "trends": _trends,
}


# --- The files ---------------------------------------------------------------------


def _csv_text(value: Value) -> str:
    """A cell for Dutch Excel: decimal comma, ISO dates, text guarded against formulas."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, int | date):
        return value.isoformat() if isinstance(value, date) else str(value)
    text = str(value)
    return "'" + text if _FORMULA_START.match(text) else text


def _csv(sheet: Sheet) -> bytes:
    """Semicolons and a byte order mark: what Dutch Excel opens without a wizard."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_csv_text(str(column.header)) for column in sheet.columns])
    writer.writerows([_csv_text(value) for value in row] for row in sheet.rows)
    return codecs.BOM_UTF8 + buffer.getvalue().encode("utf-8")


def _xlsx(sheets: Iterable[Sheet]) -> bytes:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for sheet in sheets:
        worksheet = workbook.create_sheet(_sheet_title(sheet.title))
        for index, column in enumerate(sheet.columns, start=1):
            worksheet.cell(row=1, column=index, value=str(column.header)).font = bold
            texts = [str(column.header), *(_csv_text(row[index - 1]) for row in sheet.rows)]
            width = max(len(text) for text in texts) + 2
            worksheet.column_dimensions[get_column_letter(index)].width = min(max(width, 8), 60)
        for number, row in enumerate(sheet.rows, start=2):
            for index, (column, value) in enumerate(zip(sheet.columns, row, strict=True), 1):
                _xlsx_cell(worksheet.cell(row=number, column=index), column, value)
        worksheet.freeze_panes = "A2"
    return workbook_bytes(workbook)


def workbook_bytes(workbook: openpyxl.Workbook) -> bytes:
    """The workbook as an XLSX file whose bytes depend on its contents only."""
    # openpyxl takes naive datetimes as UTC.
    moment = FIXED_MOMENT.replace(tzinfo=None)
    workbook.properties.created = workbook.properties.modified = moment
    raw = io.BytesIO()
    # ExcelWriter, not workbook.save(): save() stamps the current time in the file.
    ExcelWriter(workbook, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    return _with_fixed_dates(raw.getvalue())


def _xlsx_cell(cell: XlsxCell, column: Column, value: Value) -> None:
    if value == "":
        return
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"  # text, even when it starts with "=": no formulas
        return
    cell.value = value
    if value is not None and column.kind in _NUMBER_FORMATS:
        cell.number_format = _NUMBER_FORMATS[column.kind]


def _sheet_title(title: str | Promise) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", str(title))[:31]


def _with_fixed_dates(data: bytes) -> bytes:
    """The same ZIP archive with every entry dated FIXED_MOMENT instead of now."""
    stable = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=FIXED_MOMENT.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = entry.external_attr
            target.writestr(fixed, source.read(entry))
    return stable.getvalue()
