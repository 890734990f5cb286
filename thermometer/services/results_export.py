"""A round's results as an XLSX workbook (one sheet per view) or a CSV file (one view).

These exports are built in the request, unlike the exports of datasets that go
through Celery (portal/lib/exports/): they are bounded by the questionnaire, not by the
data. The largest view, distributions, has at most groups × questions × answer values
rows (6 × 20 × 10 = 1,200; a few hundred in practice), the others a few dozen; trends
add one row per question and published round. Every number is read through services/reports.py, so
a group under the anonymity threshold cannot leak through an export: its row says
"Too few responses" and holds no numbers.

The files are written by portal/lib/tabular/writing.py: formula guard, Dutch Excel's
CSV dialect, and the same bytes for the same data.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from portal.lib.tabular.writing import CONTENT_TYPES, Column, Sheet, Value, csv_file, xlsx_file
from thermometer.models import PARTNER_GROUPS, SCALE_LABELS, ImprovementAction, ResultGroup, Round
from thermometer.services.reports import (
    Cell,
    Perspective,
    RoundReport,
    round_report,
)
from thermometer.services.trends import published_rounds, trend_report

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
TOO_FEW = _("Too few responses")
TWO_PLACES = Decimal("0.01")


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
    content = csv_file(sheets[0]) if file_format == "csv" else xlsx_file(sheets)
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
        title=VIEWS["marks"],
        columns=[
            Column(_("Perspective")),
            Column(_("Group")),
            Column(_("Respondents"), kind="int"),
            Column(_("Mean"), kind="mean"),
            Column(_("Median"), kind="median"),
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
        Column(labels[Perspective.STAFF_ABOUT_PROVINCE], kind="mean"),
        Column(labels[Perspective.STAFF_EXPECTED], kind="mean"),
        *(
            Column(
                f"{labels[Perspective.PARTNERS_ABOUT_PROVINCE]}: {ResultGroup(g).label}",
                kind="mean",
            )
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
    return Sheet(title=VIEWS["properties"], columns=columns, rows=rows)


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
        title=VIEWS["distributions"],
        columns=[
            Column(_("Group")),
            Column(_("Question code")),
            Column(_("Question")),
            Column(_("Answer"), kind="int"),
            Column(_("Answer label")),
            Column(_("Count"), kind="count"),
            Column(_("Percentage"), kind="share"),
        ],
        rows=rows,
    )


def _response(report: RoundReport) -> Sheet:
    # A small group's count is withheld as on the page (GroupRate.shown): it would say
    # that the one organisation in it took part.
    return Sheet(
        title=VIEWS["response"],
        columns=[
            Column(_("Group")),
            Column(_("Invited"), kind="int"),
            Column(_("Responded"), kind="int"),
            Column(_("Response rate (%)"), kind="share"),
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
        title=VIEWS["actions"],
        columns=[
            Column(_("Title")),
            Column(_("Action owner")),
            Column(_("Status")),
            Column(_("Due date"), kind="date"),
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
        latest = partner_row or staff_row
        assert latest is not None  # the code is one of theirs
        label = latest.label
        for index, survey_round in enumerate(rounds):
            means = [
                _trend_mean(row.points[index].cell) if row else None
                for row in (partner_row, staff_row)
            ]
            if means != [None, None]:
                rows.append([code, label, survey_round.name, *means])
    return Sheet(
        title=VIEWS["trends"],
        columns=[
            Column(_("Question code")),
            Column(_("Question")),
            Column(_("Round")),
            Column(ResultGroup.ALL_PARTNERS.label, kind="mean"),
            Column(ResultGroup.STAFF.label, kind="mean"),
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
