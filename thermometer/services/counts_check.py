"""Checking the rows of a counts file (services/counts_file.py): every row, and the
rows together, before anything is stored.

A row whose counts are all empty or zero is skipped: the template has a row for every
question and group, and a question nobody answered has no result. One wrong row and
nothing is imported: ImportInvalid lists the problems of every row.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from portal.lib.tabular.imports import ImportInvalid, RowError, Table
from portal.lib.tabular.reading import DATE, FORMULA, normal_header
from thermometer.models import PROPERTY_LABELS, SCALE_MAX, Question, RespondentGroup, ResultGroup
from thermometer.services.counts_file import (
    GROUP_ALIASES,
    MAX_COUNT,
    MAX_INVITED,
    newest_questions,
    value_columns,
    variant_of,
)

# A count: digits, then optionally a decimal comma or point and one or two digits.
# Three digits after the separator would be ambiguous ("1.000": one or a thousand).
_COUNT = re.compile(r"(\d+)(?:[.,](\d{1,2}))?", re.ASCII)
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+", re.ASCII)
_INVITED = re.compile(r"\d{1,7}", re.ASCII)


@dataclass
class Counted:
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
class CountsPlan:
    """The valid rows of a file, with the number invited per group where it says."""

    counted: list[Counted] = field(default_factory=list)
    invited: dict[str, int] = field(default_factory=dict)


def _group_names() -> dict[str, str]:
    """Group names in files → RespondentGroup values; "" for all partners (refused)."""
    names = {key: str(value) for key, value in GROUP_ALIASES.items()}
    for language in ("nl", "en"):
        with translation.override(language):
            names |= {normal_header(str(label)): value for value, label in RespondentGroup.choices}
            names[normal_header(str(ResultGroup.ALL_PARTNERS.label))] = ""
    return names | {"partners": "", "alle partners": "", "all partners": ""}


class _RowReader:
    """Reads one row into a Counted, collecting what is wrong with it."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.questions = newest_questions()
        self.groups = _group_names()

    def read(self, number: int, values: dict[str, str]) -> tuple[Counted | None, list[RowError]]:
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
        counted = Counted(number, group, question, distribution, invited)
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
        question = self.questions[variant_of(group)].get(code)
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
        for key in value_columns(self.table):
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

    def _check_kind(self, counted: Counted, error: Callable[[str, str], None]) -> None:
        code, scale_max = counted.question.code, SCALE_MAX[counted.question.kind]
        columns = value_columns(self.table)
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


def check_counts(table: Table) -> CountsPlan:
    """Check every row, and the rows together; raise ImportInvalid listing all problems."""
    reader = _RowReader(table)
    invited_column = table.headers.get("uitgenodigd", "uitgenodigd")
    errors: list[RowError] = []
    plan = CountsPlan()
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

    respondents = respondents_per_group(plan.counted)
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
        raise ImportInvalid(errors)
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


def respondents_per_group(counted: Iterable[Counted]) -> dict[str, int]:
    """Respondents per group: the largest row total (some skipped a question)."""
    respondents: dict[str, int] = defaultdict(int)
    for row in counted:
        respondents[row.group] = max(respondents[row.group], int(row.total))
    return dict(respondents)
