"""thermometer/charts.py: the geometry of the results charts, without rendering."""

from decimal import Decimal

from thermometer import charts
from thermometer.services.reports import Cell, MarkRow, PropertyRow

SHOWN_8 = Cell(group="partners", respondents=12, shown=True, mean=Decimal("8.0000"))
HIDDEN = Cell(group="waterschap", respondents=3)
EMPTY = Cell(group="staff")


def test_a_bar_is_as_long_as_its_value_on_the_scale() -> None:
    chart = charts.bar_chart([("Mark", [charts.datum("Mark", SHOWN_8)])], scale_max=10)
    bar = chart.rows[0].bars[0]
    assert bar.state == "shown"
    assert bar.x == charts.LABEL_WIDTH
    assert bar.width == charts.PLOT_WIDTH * 0.8
    assert bar.text_x == charts.LABEL_WIDTH + charts.PLOT_WIDTH * 0.8 + 4
    assert bar.value == Decimal("8.0000")


def test_hidden_and_empty_cells_get_no_bar_and_no_value() -> None:
    chart = charts.bar_chart(
        [("Hidden", [charts.datum("H", HIDDEN)]), ("Empty", [charts.datum("E", EMPTY)])],
        scale_max=5,
    )
    hidden, empty = (row.bars[0] for row in chart.rows)
    assert (hidden.state, hidden.value, hidden.width) == ("hidden", None, 0)
    assert (empty.state, empty.value, empty.width) == ("empty", None, 0)
    assert hidden.text_x == charts.LABEL_WIDTH + 4  # the text starts at the axis


def test_rows_are_stacked_downwards_and_the_chart_grows_with_them() -> None:
    one = charts.bar_chart([("A", [charts.datum("A", SHOWN_8)])], scale_max=10)
    three = charts.bar_chart(
        [(label, [charts.datum(label, SHOWN_8)]) for label in "ABC"], scale_max=10
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
    chart = charts.properties_chart([row, row])
    bars = chart.rows[0].bars
    assert [bar.series for bar in bars] == ["staff", "expected", "partners"]
    assert [bar.state for bar in bars] == ["shown", "shown", "hidden"]
    assert bars[1].y - bars[0].y == charts.BAR_HEIGHT + charts.BAR_GAP
    assert bars[0].width == charts.PLOT_WIDTH * 4 / 5
    assert chart.rows[1].bars[0].y > bars[2].y  # the next property below the group


def test_the_marks_chart_has_a_bar_per_perspective() -> None:
    rows = [MarkRow(perspective="partners", cell=SHOWN_8, question=None)]
    chart = charts.marks_chart(rows)
    assert chart.scale_max == 10
    assert chart.rows[0].label == "Partners about the province"


def test_an_unknown_response_rate_is_empty_and_a_rate_is_a_percentage() -> None:
    chart = charts.rates_chart([("Municipalities", Decimal("50.0")), ("Staff", None)])
    known, unknown = (row.bars[0] for row in chart.rows)
    assert known.width == charts.PLOT_WIDTH / 2
    assert (unknown.state, unknown.width) == ("empty", 0)


def test_a_stacked_bar_spans_the_plot_in_answer_order() -> None:
    cell = Cell(
        group="gemeente",
        respondents=10,
        shown=True,
        mean=Decimal("3"),
        counts=(Decimal(1), Decimal(0), Decimal(4), Decimal(4), Decimal(1)),
    )
    chart = charts.stacked_chart([("Reliable", cell)])
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
    chart = charts.stacked_chart([("Reliable", HIDDEN), ("Expert", EMPTY)])
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
