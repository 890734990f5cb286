"""thermometer/services/charts.py: the results as charts (on the kernel's geometry,
portal/lib/charts.py), without rendering; and static/css/results.css: the charts'
colours meet WCAG 1.4.11 (non-text contrast)."""

import re
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils import translation

import pytest

from portal.lib import charts
from thermometer.services import charts as results_charts
from thermometer.services.reports import Cell, MarkRow, PropertyRow

SHOWN_8 = Cell(group="partners", respondents=12, shown=True, mean=Decimal("8.0000"))
HIDDEN = Cell(group="waterschap", respondents=3)
EMPTY = Cell(group="staff")


def test_a_bar_is_as_long_as_its_value_on_the_scale() -> None:
    chart = charts.bar_chart([("Mark", [results_charts.datum("Mark", SHOWN_8)])], scale_max=10)
    bar = chart.rows[0].bars[0]
    assert bar.state == "shown"
    assert bar.x == charts.LABEL_WIDTH
    assert bar.width == charts.PLOT_WIDTH * 0.8
    assert bar.text_x == charts.LABEL_WIDTH + charts.PLOT_WIDTH * 0.8 + 4
    assert bar.value == Decimal("8.0000")


def test_hidden_and_empty_cells_get_no_bar_and_no_value() -> None:
    chart = charts.bar_chart(
        [
            ("Hidden", [results_charts.datum("H", HIDDEN)]),
            ("Empty", [results_charts.datum("E", EMPTY)]),
        ],
        scale_max=5,
    )
    hidden, empty = (row.bars[0] for row in chart.rows)
    assert (hidden.state, hidden.value, hidden.width) == ("hidden", None, 0)
    assert (empty.state, empty.value, empty.width) == ("empty", None, 0)
    assert hidden.text_x == charts.LABEL_WIDTH + 4  # the text starts at the axis


def test_rows_are_stacked_downwards_and_the_chart_grows_with_them() -> None:
    one = charts.bar_chart([("A", [results_charts.datum("A", SHOWN_8)])], scale_max=10)
    three = charts.bar_chart(
        [(label, [results_charts.datum(label, SHOWN_8)]) for label in "ABC"], scale_max=10
    )
    ys = [row.bars[0].y for row in three.rows]
    assert ys == sorted(ys) and len(set(ys)) == 3
    assert ys[1] - ys[0] == charts.BAR_HEIGHT + charts.ROW_GAP
    assert three.height - one.height == 2 * (charts.BAR_HEIGHT + charts.ROW_GAP)
    assert three.tick_y > three.plot_bottom > ys[-1]


def test_ticks_fit_the_scale() -> None:
    assert [tick.value for tick in charts.ticks(5)] == [0, 1, 2, 3, 4, 5]
    assert [tick.value for tick in charts.ticks(10)] == [0, 2, 4, 6, 8, 10]
    assert [tick.value for tick in charts.ticks(100)] == [0, 25, 50, 75, 100]
    assert charts.ticks(10)[-1].x == charts.LABEL_WIDTH + charts.PLOT_WIDTH


def test_the_properties_chart_groups_three_perspectives_per_property() -> None:
    row = PropertyRow(
        property="betrouwbaar",
        staff_about=Cell(group="staff", respondents=6, shown=True, mean=Decimal("4")),
        staff_expected=Cell(group="staff", respondents=6, shown=True, mean=Decimal("3.5")),
        partners_about=HIDDEN,
    )
    chart = results_charts.properties_chart([row, row])
    bars = chart.rows[0].bars
    assert [bar.series for bar in bars] == ["staff", "expected", "partners"]
    assert [bar.state for bar in bars] == ["shown", "shown", "hidden"]
    assert bars[1].y - bars[0].y == charts.BAR_HEIGHT + charts.BAR_GAP
    assert bars[0].width == charts.PLOT_WIDTH * 4 / 5
    assert chart.rows[1].bars[0].y > bars[2].y  # the next property below the group


def test_the_marks_chart_has_a_bar_per_perspective() -> None:
    rows = [MarkRow(perspective="partners", cell=SHOWN_8, question=None)]
    with translation.override("en"):  # the labels are translated (nl by default)
        chart = results_charts.marks_chart(rows)
    assert chart.scale_max == 10
    assert chart.rows[0].label == "Partners about the province"


def test_an_unknown_response_rate_is_empty_and_a_rate_is_a_percentage() -> None:
    chart = results_charts.rates_chart(
        [("Municipalities", Decimal("50.0"), True), ("Staff", None, True)]
    )
    known, unknown = (row.bars[0] for row in chart.rows)
    assert known.width == charts.PLOT_WIDTH / 2
    assert (unknown.state, unknown.width) == ("empty", 0)


def test_a_withheld_response_rate_is_drawn_as_too_few_responses() -> None:
    chart = results_charts.rates_chart([("Water boards", Decimal("25.0"), False)])
    (bar,) = chart.rows[0].bars
    assert (bar.state, bar.width, bar.value) == ("hidden", 0, None)


def test_a_stacked_bar_spans_the_plot_in_answer_order() -> None:
    cell = Cell(
        group="gemeente",
        respondents=10,
        shown=True,
        mean=Decimal("3"),
        counts=(Decimal(1), Decimal(0), Decimal(4), Decimal(4), Decimal(1)),
    )
    chart = results_charts.distribution_chart([("Reliable", cell)])
    segments = chart.rows[0].segments
    assert [s.value for s in segments] == [1, 3, 4, 5]  # no sliver for a value nobody gave
    assert [s.share for s in segments] == [
        Decimal("10.0"),
        Decimal("40.0"),
        Decimal("40.0"),
        Decimal("10.0"),
    ]
    assert segments[0].x == charts.LABEL_WIDTH
    for left, right in zip(segments, segments[1:], strict=False):
        assert abs(left.x + left.width - right.x) < 0.2
    assert abs(segments[-1].x + segments[-1].width - charts.LABEL_WIDTH - charts.PLOT_WIDTH) < 0.2
    assert [s.labelled for s in segments] == [True, True, True, True]


def test_a_stacked_bar_of_a_hidden_group_has_no_segments() -> None:
    chart = results_charts.distribution_chart([("Reliable", HIDDEN), ("Expert", EMPTY)])
    assert [(row.state, row.segments) for row in chart.rows] == [("hidden", []), ("empty", [])]


def test_a_sparkline_breaks_where_a_value_is_missing() -> None:
    line = charts.sparkline(
        [Decimal("5"), Decimal("10"), None, Decimal("0")], scale_max=10, width=63, height=26
    )
    assert [(p.x, p.y) for p in line.points] == [(3, 13), (22, 3), (60, 23)]
    assert line.segments == ["3.0,13.0 22.0,3.0", "60.0,23.0"]


def test_a_sparkline_of_one_round_is_a_single_point() -> None:
    line = charts.sparkline([Decimal("4")], scale_max=5)
    assert len(line.points) == 1 and line.segments == [f"{line.points[0].x},{line.points[0].y}"]


# --- Colours (static/css/results.css) ------------------------------------------------------

RESULTS_CSS = Path(settings.BASE_DIR) / "static" / "css" / "results.css"
WHITE = "#ffffff"
SCALES = (5, 10)


def css_rules() -> list[tuple[list[str], dict[str, str]]]:
    """(selectors, declarations) of every rule in results.css, in order; the file has no
    nested blocks (no @media), so a flat reading is enough."""
    text = re.sub(r"/\*.*?\*/", "", RESULTS_CSS.read_text(encoding="utf-8"), flags=re.S)
    rules = []
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", text):
        declarations = dict(
            (name.strip(), value.strip())
            for name, _, value in (d.partition(":") for d in body.split(";") if ":" in d)
        )
        rules.append(([s.strip() for s in selectors.split(",")], declarations))
    return rules


def declared(class_name: str, prop: str) -> str:
    """The value of `prop` for an element with `class_name`: the last rule whose selector
    ends in that class wins (the rules below keep to one specificity per property)."""
    found = [
        declarations[prop]
        for selectors, declarations in css_rules()
        for selector in selectors
        if re.search(rf"\.{re.escape(class_name)}$", selector) and prop in declarations
    ]
    assert found, f"results.css gives .{class_name} no {prop}"
    return found[-1]


def luminance(colour: str) -> float:
    """WCAG 2 relative luminance of #rgb or #rrggbb."""
    digits = colour.removeprefix("#").lower()
    if digits in ("fff", "000"):
        digits = digits * 2
    assert re.fullmatch(r"[0-9a-f]{6}", digits), f"not a hex colour: {colour}"

    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(digits[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one: str, other: str) -> float:
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_contrast_formula_matches_wcag() -> None:
    assert contrast("#000000", WHITE) == pytest.approx(21)
    assert contrast(WHITE, "#fff") == pytest.approx(1)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)


CHART_FILLS = [
    "results-bar",
    "results-pattern__ground--staff",
    "results-pattern__ground--expected",
    "results-pattern__ground--partners",
    "results-pattern__dot",
    *(f"results-seg--{scale}-{value}" for scale in SCALES for value in range(1, scale + 1)),
]


@pytest.mark.parametrize("class_name", CHART_FILLS)
def test_every_chart_fill_has_3_to_1_against_the_page(class_name: str) -> None:
    """WCAG 1.4.11: bars, segments and pattern grounds stand out from the white page."""
    assert contrast(declared(class_name, "fill"), WHITE) >= 3


@pytest.mark.parametrize("series", ["staff", "expected", "partners"])
def test_every_perspective_bar_has_a_dark_outline(series: str) -> None:
    """The white hatching is part of a bar too: a dark outline of one screen pixel gives
    every bar its full length at 3:1, whatever its pattern."""
    assert contrast(declared(f"results-bar--{series}", "stroke"), WHITE) >= 3
    assert float(declared(f"results-bar--{series}", "stroke-width")) >= 1
    assert declared(f"results-bar--{series}", "vector-effect") == "non-scaling-stroke"


def test_the_expected_dots_stand_out_from_their_ground() -> None:
    dot = declared("results-pattern__dot", "fill")
    assert contrast(dot, declared("results-pattern__ground--expected", "fill")) >= 3


def test_neighbouring_segments_are_kept_apart_by_a_white_line() -> None:
    """Neighbouring fills differ too little to tell their border by colour alone."""
    assert luminance(declared("results-seg", "stroke")) == pytest.approx(1)
    assert float(declared("results-seg", "stroke-width")) >= 1
    assert declared("results-seg", "vector-effect") == "non-scaling-stroke"


@pytest.mark.parametrize("scale", SCALES)
def test_a_higher_value_is_a_darker_segment(scale: int) -> None:
    """Darker means higher, in colour and in grey (a black-and-white print)."""
    lightness = [
        luminance(declared(f"results-seg--{scale}-{v}", "fill")) for v in range(1, scale + 1)
    ]
    assert lightness == sorted(lightness, reverse=True) and len(set(lightness)) == scale


@pytest.mark.parametrize(
    ("scale", "value"), [(scale, value) for scale in SCALES for value in range(1, scale + 1)]
)
def test_the_percentage_on_a_segment_has_4_5_to_1(scale: int, value: int) -> None:
    """The text on a segment is small (11px): WCAG 1.4.3 asks 4.5:1 with its fill. The
    label of a value takes its own rule if there is one, else the common one; the legend
    swatch of the value has the same colour as its segment."""
    fill = declared(f"results-seg--{scale}-{value}", "fill")
    assert declared(f"results-seg--{scale}-{value}", "background") == fill
    rules = css_rules()
    own = [
        d["fill"]
        for selectors, d in rules
        if "fill" in d
        and any(s.endswith(f".results-seg__label--{scale}-{value}") for s in selectors)
    ]
    text = own[-1] if own else declared("results-seg__label", "fill")
    assert contrast(text, fill) >= 4.5
