"""The counts file of a historical round: its format, reading it, and the template.

A historical round is a round run on paper or in another tool, imported as counts.

The file holds, per question and respondent group, how many respondents gave each
answer value. Counts may be halves: a respondent who ticked between two boxes counts
half for each. services/counts_check.py checks the rows, services/history_import.py
stores the round.

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

from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from portal.lib.tabular.imports import Table, read_table
from portal.lib.tabular.reading import FORMULA, ImportFileError
from portal.lib.tabular.writing import Column, XlsxWriter
from thermometer.models import SCALE_MAX, Question, Questionnaire, RespondentGroup

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


def newest_questions() -> dict[str, dict[str, Question]]:
    """The mark and scale questions of the newest questionnaire versions by code, per
    variant ("external", "internal"): the questions a file may give counts for."""
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


def variant_of(group: str) -> str:
    """The questionnaire a respondent group answered: staff the internal one."""
    return (
        Questionnaire.Variant.INTERNAL
        if group == RespondentGroup.STAFF
        else Questionnaire.Variant.EXTERNAL
    )


def value_columns(table: Table) -> list[str]:
    """The count columns of the file, in order: 1 to 5, or 1 to 10."""
    return [key for key in VALUE_COLUMNS if key in table.headers]


def read_counts_file(*, name: str, content: bytes) -> Table:
    """The rows of an uploaded CSV or XLSX file; ImportFileError if it cannot be used.

    Table.problems names the XLSX cells a count cannot be read from (formulas without
    a value, dates, TRUE/FALSE): each is a row error, never read as empty. The question
    text is ignored, and a date in the code or group reads as text.
    """
    table = read_table(
        name=name,
        content=content,
        known=HEADER_ALIASES,
        columns="vraag, groep, 1 … 10, uitgenodigd, vraagtekst",
        required=REQUIRED_COLUMNS,
        max_bytes=MAX_BYTES,
        max_rows=MAX_ROWS,
        max_columns=MAX_COLUMNS,
        no_rows=_("The file has column names but no rows."),
        header_first=False,
        delimiters=(";", ","),  # on a tie: semicolons
        report_unusable=True,
        keep_problem=lambda key, problem: (
            key != "vraagtekst" and (problem == FORMULA or key not in {"vraag", "groep"})
        ),
    )
    values = value_columns(table)
    if values != list(VALUE_COLUMNS[:5]) and values != list(VALUE_COLUMNS):
        raise ImportFileError(
            _(
                "The count columns must be 1 to 5 (five-point scales only) or 1 to 10 "
                "(report marks too); this file has %(columns)s."
            )
            % {"columns": ", ".join(values)}
        )
    return table


# --- The template ----------------------------------------------------------------------

TEMPLATE_COLUMNS = ("vraag", "groep", "vraagtekst", "uitgenodigd", *VALUE_COLUMNS)


def counts_template() -> bytes:
    """An XLSX file to fill in: a row per question and group with empty counts, and a
    sheet that explains the columns. Imported as it is, it holds no counts."""
    writer = XlsxWriter()
    writer.add_sheet(
        _("Counts"), [Column(name) for name in TEMPLATE_COLUMNS], widths=(24, 20, 70, 13)
    )
    questions = newest_questions()
    for group, word in GROUP_WORDS.items():
        for code, question in questions[variant_of(group)].items():
            text = f"{question.section.title} – {question.text}"
            writer.write([code, word, text, *[None] * (len(TEMPLATE_COLUMNS) - 3)])
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
    writer.add_sheet(_("Explanation"), [Column(lines[0])], widths=(110,))
    for line in lines[1:]:
        writer.write([str(line)])
    return writer.close()
