"""Historical rounds: a round run on paper or in another tool, imported as counts.

The file holds, per question and respondent group, how many respondents gave each
answer value (DESIGN.md, the instrument: the province's 2020 baseline was counted
this way). Counts may be halves: a respondent who ticked between two boxes counts half
for each. From the counts the import makes the same Result and GroupResult rows the
aggregation makes from answers (services/aggregation.py), so the round reads, exports
and trends like any other. Questions are taken from the newest questionnaire versions
by code, so the results compare with later rounds.

The file format (CSV with ; or , in UTF-8 or Windows-1252, or XLSX, first sheet):

    vraag            question code (q1a, q1b-betrouwbaar, q3b-flexibel, …); a property
                     key alone (betrouwbaar) means q1b-<property>
    groep            gemeente, waterschap, uitvoeringsdienst, overig or medewerkers
                     (the English names and the model values work too)
    1 … 5 / 1 … 10   the count per answer value: a multiple of 0.5, "2,5" or "2.5",
                     at most MAX_COUNT; no thousands separators ("1.000" is refused,
                     not read as 1)
    uitgenodigd      optional: invited in the group, a whole number up to
                     MAX_INVITED; where given, the same on each row of the group
    vraagtekst       optional and ignored: the template fills it in for reading

A row whose counts are all empty or zero is skipped: the template has a row for every
question and group, and a question nobody answered has no result. Every row is checked
before anything is written; one wrong row and nothing is imported.

In an XLSX file a cell holding a date or TRUE/FALSE where a number belongs, or a
formula without a computed value (a file written by a program rather than saved by
Excel), is a row error, never read as empty.
"""

import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

import openpyxl
from openpyxl.styles import Font

from portal import tabular
from portal.models import User
from portal.tabular import BOOLEAN as BOOLEAN  # with DATE and FORMULA: CountsTable.problems
from portal.tabular import DATE, FORMULA, ImportFileError, RowError, normal_header
from thermometer.models import (
    PARTNER_GROUPS,
    PROPERTY_LABELS,
    Aggregation,
    GroupResult,
    Question,
    Questionnaire,
    RespondentGroup,
    Result,
    ResultGroup,
    Round,
)
from thermometer.services import aggregation
from thermometer.services.results_export import workbook_bytes

logger = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
MAX_COLUMNS = 30
# Limits that keep every stored number well inside its column (Result.value_sum has 12
# digits, the respondent counts are 32-bit integers): a cell holds at most MAX_COUNT,
# so a row of ten cells adds up to at most MAX_INVITED respondents.
MAX_COUNT = 100_000
MAX_INVITED = 1_000_000
# A round before this day is a typing error (and year 1 cannot be stored as a time).
EARLIEST_DAY = date(1990, 1, 1)
SCALE_MAX = {Question.Kind.MARK: 10, Question.Kind.SCALE: 5}
VALUE_COLUMNS = tuple(str(value) for value in range(1, 11))

# Column names of the file, with the names people use for them. They name a file
# format, so they are not translated.
HEADER_ALIASES = {
    "vraag": "vraag",
    "vraagcode": "vraag",
    "code": "vraag",
    "question": "vraag",
    "question code": "vraag",
    "groep": "groep",
    "doelgroep": "groep",
    "respondentgroep": "groep",
    "group": "groep",
    "uitgenodigd": "uitgenodigd",
    "aantal uitgenodigd": "uitgenodigd",
    "invited": "uitgenodigd",
    "vraagtekst": "vraagtekst",
    "question text": "vraagtekst",
    **{value: value for value in VALUE_COLUMNS},
}
REQUIRED_COLUMNS = ("vraag", "groep", "1")

# Group names in files. The labels of the groups (Dutch and English) are added in
# _group_names().
GROUP_ALIASES = {
    "gemeente": RespondentGroup.GEMEENTE,
    "gemeenten": RespondentGroup.GEMEENTE,
    "municipality": RespondentGroup.GEMEENTE,
    "municipalities": RespondentGroup.GEMEENTE,
    "waterschap": RespondentGroup.WATERSCHAP,
    "waterschappen": RespondentGroup.WATERSCHAP,
    "water board": RespondentGroup.WATERSCHAP,
    "water boards": RespondentGroup.WATERSCHAP,
    "uitvoeringsdienst": RespondentGroup.UITVOERINGSDIENST,
    "uitvoeringsdiensten": RespondentGroup.UITVOERINGSDIENST,
    "executive agency": RespondentGroup.UITVOERINGSDIENST,
    "executive agencies": RespondentGroup.UITVOERINGSDIENST,
    "overig": RespondentGroup.OTHER_PARTNER,
    "overige": RespondentGroup.OTHER_PARTNER,
    "overige partners": RespondentGroup.OTHER_PARTNER,
    "other": RespondentGroup.OTHER_PARTNER,
    "other partners": RespondentGroup.OTHER_PARTNER,
    "medewerkers": RespondentGroup.STAFF,
    "medewerker": RespondentGroup.STAFF,
    "medewerkers provincie": RespondentGroup.STAFF,
    "staff": RespondentGroup.STAFF,
    "province staff": RespondentGroup.STAFF,
}
# The names the template writes, by group (the first alias of each group above).
GROUP_WORDS = {
    RespondentGroup.GEMEENTE: "gemeente",
    RespondentGroup.WATERSCHAP: "waterschap",
    RespondentGroup.UITVOERINGSDIENST: "uitvoeringsdienst",
    RespondentGroup.OTHER_PARTNER: "overig",
    RespondentGroup.STAFF: "medewerkers",
}
# A count: digits, then optionally a decimal comma or point and one or two digits.
# Three digits after the separator would be ambiguous ("1.000": one or a thousand).
_COUNT = re.compile(r"(\d+)(?:[.,](\d{1,2}))?", re.ASCII)
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+", re.ASCII)
_INVITED = re.compile(r"\d{1,7}", re.ASCII)


class CountsInvalid(Exception):
    """At least one row is wrong; nothing was imported."""

    def __init__(self, errors: list[RowError]) -> None:
        super().__init__(f"{len(errors)} problems")
        self.errors = errors


@dataclass
class CountsTable:
    """The rows of a counts file by column key, with their spreadsheet row numbers."""

    headers: dict[str, str]  # column key → the header as written in the file
    rows: list[tuple[int, dict[str, str]]]
    # Row number → column key → FORMULA, DATE or BOOLEAN: cells of an XLSX file whose
    # text cannot be taken as it is.
    problems: dict[int, dict[str, str]] = field(default_factory=dict)

    @property
    def value_columns(self) -> list[str]:
        return [key for key in VALUE_COLUMNS if key in self.headers]


# --- Reading the file --------------------------------------------------------------


def read_counts_file(*, name: str, content: bytes) -> CountsTable:
    """The rows of an uploaded CSV or XLSX file; ImportFileError if it cannot be used."""
    raw = tabular.read_rows(
        name=name,
        content=content,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        delimiters=(";", ","),  # on a tie: semicolons
        report_unusable=True,  # formulas, dates and TRUE/FALSE are row errors (_table)
    )
    return _table(raw.rows, raw.unusable)


def _table(raw: list[list[str]], problems: dict[tuple[int, int], str]) -> CountsTable:
    header_row = next((index for index, row in enumerate(raw) if row), None)
    if header_row is None:
        raise ImportFileError(_("The file is empty."))
    headers, positions = tabular.header_columns(
        raw[header_row],
        known=HEADER_ALIASES,
        columns="vraag, groep, 1 … 10, uitgenodigd, vraagtekst",
        required=REQUIRED_COLUMNS,
    )
    values = [key for key in VALUE_COLUMNS if key in headers]
    if values != list(VALUE_COLUMNS[:5]) and values != list(VALUE_COLUMNS):
        raise ImportFileError(
            _(
                "The count columns must be 1 to 5 (five-point scales only) or 1 to 10 "
                "(report marks too); this file has %(columns)s."
            )
            % {"columns": ", ".join(values)}
        )
    rows = []
    row_problems: dict[int, dict[str, str]] = {}
    for number, cells in enumerate(raw[header_row + 1 :], start=header_row + 2):
        row = tabular.row_values(cells, positions)
        found = {
            key: problem
            for key, position in positions.items()
            if (problem := problems.get((number - 1, position)))
            # The question text is ignored; a date in the code or group reads as text.
            and key != "vraagtekst"
            and (problem == FORMULA or key not in {"vraag", "groep"})
        }
        if any(row.values()) or found:  # spreadsheets often end in empty rows
            rows.append((number, row))
        if found:
            row_problems[number] = found
    if not rows:
        raise ImportFileError(_("The file has column names but no rows."))
    return CountsTable(headers=headers, rows=rows, problems=row_problems)


# --- Checking the rows ---------------------------------------------------------------


@dataclass
class _Counted:
    """One valid row: the question and group with the counts per answer value."""

    row: int
    group: str
    question: Question
    distribution: dict[int, Decimal]
    invited: int | None = None

    @property
    def total(self) -> Decimal:
        return sum(self.distribution.values(), Decimal(0))


@dataclass
class _Plan:
    counted: list[_Counted] = field(default_factory=list)
    invited: dict[str, int] = field(default_factory=dict)


def newest_questions() -> dict[str, dict[str, Question]]:
    """The mark and scale questions of the newest questionnaire versions by code, per
    variant ("external", "internal")."""
    found: dict[str, dict[str, Question]] = {}
    for variant in Questionnaire.Variant.values:
        newest = Questionnaire.objects.filter(variant=variant).order_by("-version").first()
        questions = (
            Question.objects.filter(questionnaire=newest, kind__in=list(SCALE_MAX))
            .select_related("section")
            .order_by("section__position", "position")
        )
        found[variant] = {question.code: question for question in questions}
    return found


def _group_names() -> dict[str, str]:
    """Group names in files → RespondentGroup values; "" for all partners (refused)."""
    names = {key: str(value) for key, value in GROUP_ALIASES.items()}
    for language in ("nl", "en"):
        with translation.override(language):
            names |= {normal_header(str(label)): value for value, label in RespondentGroup.choices}
            names[normal_header(str(ResultGroup.ALL_PARTNERS.label))] = ""
    return names | {"partners": "", "alle partners": "", "all partners": ""}


def _variant(group: str) -> str:
    return (
        Questionnaire.Variant.INTERNAL
        if group == RespondentGroup.STAFF
        else Questionnaire.Variant.EXTERNAL
    )


class _RowReader:
    """Reads one row into a _Counted, collecting what is wrong with it."""

    def __init__(self, table: CountsTable) -> None:
        self.table = table
        self.questions = newest_questions()
        self.groups = _group_names()

    def read(self, number: int, values: dict[str, str]) -> tuple[_Counted | None, list[RowError]]:
        errors: list[RowError] = []

        def error(key: str, message: str) -> None:
            errors.append(RowError(number, self.table.headers.get(key, key), message))

        # Cells whose text cannot be taken (XLSX): reported instead of their text.
        unusable = self.table.problems.get(number, {})
        for key, problem in unusable.items():
            error(key, _problem_message(problem))
        values = {key: "" if key in unusable else text for key, text in values.items()}
        group = None if "groep" in unusable else self._group(values["groep"], error)
        question = None if "vraag" in unusable else self._question(values["vraag"], group, error)
        distribution = self._counts(values, error)
        invited = self._invited(values.get("uitgenodigd", ""), error)
        if errors or group is None or question is None:
            return None, errors
        counted = _Counted(number, group, question, distribution, invited)
        self._check_kind(counted, error)
        return (None if errors else counted), errors

    def _group(self, text: str, error: Callable[[str, str], None]) -> str | None:
        group = self.groups.get(normal_header(text))
        if not text:
            error("groep", _("The group is missing."))
        elif group == "":
            error(
                "groep",
                _("“All partners” is added up from the partner groups: leave out this row."),
            )
        elif group is None:
            error(
                "groep",
                _(
                    "Unknown group “%(value)s”: use gemeente, waterschap, uitvoeringsdienst, "
                    "overig or medewerkers."
                )
                % {"value": _shown(text)},
            )
        return group or None

    def _question(
        self, text: str, group: str | None, error: Callable[[str, str], None]
    ) -> Question | None:
        code = normal_header(text)
        if slugify(code) in PROPERTY_LABELS:
            code = f"q1b-{slugify(code)}"
        if not code:
            error("vraag", _("The question code is missing."))
            return None
        if group is None:
            return None
        question = self.questions[_variant(group)].get(code)
        if question is None:
            error(
                "vraag",
                _(
                    "Unknown question “%(value)s” for %(group)s: use a code of a report "
                    "mark or five-point scale of the newest questionnaire, e.g. q1a or "
                    "q1b-betrouwbaar."
                )
                % {"value": _shown(text), "group": RespondentGroup(group).label},
            )
        return question

    def _counts(
        self, values: dict[str, str], error: Callable[[str, str], None]
    ) -> dict[int, Decimal]:
        distribution: dict[int, Decimal] = {}
        for key in self.table.value_columns:
            text = values.get(key, "")
            if not text:
                continue
            count, problem = _count(text)
            if problem:
                error(key, problem)
            elif count:
                distribution[int(key)] = count
        return distribution

    def _invited(self, text: str, error: Callable[[str, str], None]) -> int | None:
        if not text:
            return None
        if _INVITED.fullmatch(text) and int(text) <= MAX_INVITED:
            return int(text)
        if text.isascii() and text.isdigit():
            error(
                "uitgenodigd",
                _("The number invited is more than %(limit)s.") % {"limit": MAX_INVITED},
            )
        else:
            error("uitgenodigd", _("The number invited must be a whole number."))
        return None

    def _check_kind(self, counted: _Counted, error: Callable[[str, str], None]) -> None:
        code, scale_max = counted.question.code, SCALE_MAX[counted.question.kind]
        columns = self.table.value_columns
        if len(columns) < scale_max:
            error(
                "vraag",
                _("%(code)s is a report mark from 1 to 10: the file needs the columns 1 to 10.")
                % {"code": code},
            )
            return
        for value in counted.distribution:
            if value > scale_max:
                error(
                    str(value),
                    _("%(code)s is a five-point scale: there are no answers above 5.")
                    % {"code": code},
                )
        total = counted.total
        if total != total.to_integral_value():
            error(
                columns[0],
                _(
                    "The counts add up to %(total)s: the total must be a whole number of "
                    "respondents (two halves make one)."
                )
                % {"total": _dutch(total)},
            )


def _plan(table: CountsTable) -> _Plan:
    """Check every row, and the rows together; raise CountsInvalid listing all problems."""
    reader = _RowReader(table)
    invited_column = table.headers.get("uitgenodigd", "uitgenodigd")
    errors: list[RowError] = []
    plan = _Plan()
    seen: dict[tuple[str, str], int] = {}
    invited_at: dict[str, tuple[int, int]] = {}  # group → (invited, the row that said so)
    for number, values in table.rows:
        counted, row_errors = reader.read(number, values)
        errors += row_errors
        if counted is None:
            continue
        key = (counted.question.code, counted.group)
        if key in seen:
            message = _("Row %(row)s already has %(code)s for this group.") % {
                "row": seen[key],
                "code": counted.question.code,
            }
            errors.append(RowError(number, table.headers["vraag"], message))
            continue
        seen[key] = number
        if counted.invited is not None:
            earlier = invited_at.setdefault(counted.group, (counted.invited, number))
            if earlier[0] != counted.invited:
                message = _("Row %(row)s gives %(invited)s invited for this group.") % {
                    "row": earlier[1],
                    "invited": earlier[0],
                }
                errors.append(RowError(number, invited_column, message))
                continue
        if counted.total:  # a question nobody answered (or a template row) has no result
            plan.counted.append(counted)

    respondents = _respondents(plan.counted)
    for group, (invited, number) in invited_at.items():
        if invited < respondents.get(group, 0):
            message = _("%(invited)s invited, but %(respondents)s responded in this group.") % {
                "invited": invited,
                "respondents": respondents[group],
            }
            errors.append(RowError(number, invited_column, message))
    plan.invited = {group: invited for group, (invited, _row) in invited_at.items()}
    if not errors and not plan.counted:
        message = _("The file holds no counts: fill in the number of answers per value.")
        errors.append(RowError(table.rows[0][0], table.headers["1"], message))
    if errors:
        raise CountsInvalid(sorted(errors, key=lambda e: e.row))
    return plan


def _count(text: str) -> tuple[Decimal | None, str]:
    """A count from a cell, a non-negative multiple of a half up to MAX_COUNT, or
    (None, what is wrong with the text)."""
    text = text.strip()
    shown = {"value": _shown(text)}
    if _THOUSANDS.fullmatch(text):
        return None, _(
            "“%(value)s” is not a count: write a thousand as 1000, without a separator, "
            "and a half as 2,5."
        ) % shown
    match = _COUNT.fullmatch(text)
    if match and len(match[1].lstrip("0")) > len(str(MAX_COUNT)):
        return None, _too_large(text)
    if match:
        value = Decimal(f"{match[1]}.{match[2] or 0}")
        if value > MAX_COUNT:
            return None, _too_large(text)
        if (value * 2) == (value * 2).to_integral_value():
            return value, ""
    return None, _(
        "“%(value)s” is not a count: use a whole number or a half, e.g. 3 or 2,5."
    ) % shown


def _too_large(text: str) -> str:
    return _("“%(value)s” is too large: a count is at most %(limit)s.") % {
        "value": _shown(text),
        "limit": MAX_COUNT,
    }


def _problem_message(problem: str) -> str:
    if problem == FORMULA:
        return _(
            "Formula without a computed value: open and save the file in Excel, or "
            "paste the values."
        )
    if problem == DATE:
        return _(
            "The cell holds a date, not a number: format the cell as a number and fill "
            "in the count again."
        )
    return _("The cell holds TRUE or FALSE, not a number.")


def _shown(text: str) -> str:
    """A value from the file as quoted in a message: long ones cut short."""
    return text if len(text) <= 30 else f"{text[:30]}…"


def _dutch(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _respondents(counted: Iterable[_Counted]) -> dict[str, int]:
    """Respondents per group: the largest row total (some skipped a question)."""
    respondents: dict[str, int] = defaultdict(int)
    for row in counted:
        respondents[row.group] = max(respondents[row.group], int(row.total))
    return dict(respondents)


# --- Storing the round ----------------------------------------------------------------


def import_round(
    *, by: User, name: str, opens_on: date, closes_on: date, note: str, table: CountsTable
) -> Round:
    """Create a closed round with the results of `table`: all of it or, on any problem,
    nothing.

    Raises CountsInvalid listing every wrong row, and ValidationError (per field:
    name, opens_on, closes_on; or NON_FIELD_ERRORS) for a name in use, dates that do
    not fit, or numbers the database refuses. The round is published
    afterwards like any other.
    """
    name = " ".join(name.split())
    problems: dict[str, list[str]] = {}
    if not name:
        problems.setdefault("name", []).append(_("Give the round a name."))
    if opens_on < EARLIEST_DAY:
        problems.setdefault("opens_on", []).append(_earliest_message())
    if closes_on <= opens_on:
        problems.setdefault("closes_on", []).append(
            _("The closing date must be after the opening date.")
        )
    if closes_on > timezone.localdate():
        problems.setdefault("closes_on", []).append(
            _("An imported round lies in the past: the closing date cannot be after today.")
        )
    if Round.objects.filter(name=name).exists():
        problems.setdefault("name", []).append(_name_taken())
    if problems:
        raise ValidationError(problems)
    plan = _plan(table)
    respondents = _respondents(plan.counted)
    newest = {
        variant: Questionnaire.objects.filter(variant=variant).order_by("-version").first()
        for variant in Questionnaire.Variant.values
    }
    try:
        with transaction.atomic():
            survey_round = Round.objects.create(
                name=name,
                status=Round.Status.CLOSED,
                opens_at=_start_of(opens_on),
                closes_at=_start_of(closes_on),
                external_questionnaire=newest[Questionnaire.Variant.EXTERNAL],
                internal_questionnaire=newest[Questionnaire.Variant.INTERNAL],
                include_staff=RespondentGroup.STAFF in respondents,
                record_organisation=False,
                created_by=by,
            )
            now = timezone.now()
            Aggregation.objects.create(
                round=survey_round,
                source=Aggregation.Source.IMPORT,
                status=Aggregation.Status.DONE,
                step=aggregation.STEPS,
                steps=aggregation.STEPS,
                responses=sum(respondents.values()),
                requested_by=by,
                requested_at=now,
                started_at=now,
                finished_at=now,
                note=note.strip(),
            )
            Result.objects.bulk_create(_results(survey_round, plan.counted))
            GroupResult.objects.bulk_create(
                aggregation.build_group_results(
                    survey_round,
                    respondents=respondents,
                    invited={group: plan.invited.get(group) for group in respondents},
                )
            )
    except IntegrityError as error:
        # Another administrator took the name between the check and the insert.
        if Round.objects.filter(name=name).exists():
            raise ValidationError({"name": [_name_taken()]}) from error
        raise
    except (DataError, OverflowError) as error:
        # A number too large for its column. The limits on the file rule this out;
        # should one slip through, the database refuses it (PostgreSQL: DataError,
        # SQLite: OverflowError) and the transaction has stored nothing.
        logger.warning("Import of round %r refused by the database: %s", name, error)
        raise ValidationError(
            {
                NON_FIELD_ERRORS: [
                    _(
                        "The counts could not be stored: a number in the file is too large. "
                        "Nothing has been imported."
                    )
                ]
            }
        ) from error
    logger.info("Round %s imported by user %s: %s rows", survey_round.pk, by.pk, len(plan.counted))
    return survey_round


def _name_taken() -> str:
    return _("A round with this name already exists.")


def _earliest_message() -> str:
    return _("The opening date must be on or after 1 January 1990.")


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _results(survey_round: Round, counted: list[_Counted]) -> list[Result]:
    """A Result per row, plus "all partners" per code: the sum of the partner groups."""
    results = []
    partners: dict[str, dict[int, Decimal]] = {}
    partner_question: dict[str, Question] = {}
    for row in counted:
        results.append(
            aggregation.result_row(
                survey_round, group=row.group, question=row.question, distribution=row.distribution
            )
        )
        if row.group in PARTNER_GROUPS:
            summed = partners.setdefault(row.question.code, defaultdict(Decimal))
            for value, count in row.distribution.items():
                summed[value] += count
            partner_question.setdefault(row.question.code, row.question)
    for code, distribution in partners.items():
        results.append(
            aggregation.result_row(
                survey_round,
                group=ResultGroup.ALL_PARTNERS,
                question=partner_question[code],
                distribution=distribution,
            )
        )
    return results


# --- The template ----------------------------------------------------------------------

TEMPLATE_COLUMNS = ("vraag", "groep", "vraagtekst", "uitgenodigd", *VALUE_COLUMNS)


def counts_template() -> bytes:
    """An XLSX file to fill in: a row per question and group with empty counts, and a
    sheet that explains the columns. Imported as it is, it holds no counts."""
    workbook = openpyxl.Workbook()
    counts = workbook.active
    counts.title = str(_("Counts"))[:31]
    bold = Font(bold=True)
    counts.append(list(TEMPLATE_COLUMNS))
    for cell in counts[1]:
        cell.font = bold
    questions = newest_questions()
    for group, word in GROUP_WORDS.items():
        for code, question in questions[_variant(group)].items():
            counts.append([code, word, f"{question.section.title} – {question.text}"])
    counts.freeze_panes = "A2"
    for letter, width in (("A", 24), ("B", 20), ("C", 70), ("D", 13)):
        counts.column_dimensions[letter].width = width

    explanation = workbook.create_sheet(str(_("Explanation"))[:31])
    lines = [
        _("How to fill in this template"),
        _(
            "One row per question and group. Fill in, per answer value, how many "
            "respondents gave that answer."
        ),
        _(
            "Five-point scales use the columns 1 to 5 (1 poor, 2 mediocre, 3 sufficient, "
            "4 good, 5 excellent); the report marks q1a, q2 and q3a use the columns 1 to 10."
        ),
        _(
            "A respondent who ticked between two boxes counts as a half for each: write "
            "0,5. The counts of a row must add up to a whole number of respondents."
        ),
        _(
            "uitgenodigd (optional): how many were invited in the group. Where you give "
            "it, give the same number on every row of the group."
        ),
        _(
            "Leave the counts of a row empty when the question was not asked or nobody "
            "answered it: such rows are skipped. A file without any counts is refused."
        ),
        _(
            "Groups: gemeente, waterschap, uitvoeringsdienst, overig (partners) and "
            "medewerkers (province staff). All partners together is added up by the "
            "portal: there is no row for it."
        ),
        _("The column vraagtekst is only there to read; the import ignores it."),
        _(
            "Results of a group are shown only when at least %(minimum)s respondents "
            "answered, as for every round."
        )
        % {"minimum": settings.THERMOMETER_MIN_GROUP_SIZE},
    ]
    for line in lines:
        explanation.append([str(line)])
    explanation["A1"].font = bold
    explanation.column_dimensions["A"].width = 110
    return workbook_bytes(workbook)
