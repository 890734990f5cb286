"""portal/lib/charts.py: chart geometry from plain numbers, for any app."""

from decimal import Decimal

from portal.lib import charts


def test_a_grouped_bar_row_has_a_bar_per_series_below_each_other() -> None:
    data = [
        charts.Datum("A", Decimal("2.5"), charts.SHOWN, series="one"),
        charts.Datum("B", None, charts.HIDDEN, series="two"),
    ]
    chart = charts.bar_chart([("Row", data)], scale_max=5)
    first, second = chart.rows[0].bars
    assert (first.series, first.width) == ("one", charts.PLOT_WIDTH / 2)
    assert (second.state, second.width) == ("hidden", 0)
    assert second.y - first.y == charts.BAR_HEIGHT + charts.BAR_GAP
    assert chart.ticks[-1].value == 5


def test_a_value_above_the_scale_is_drawn_as_a_full_bar() -> None:
    chart = charts.bar_chart(
        [("Row", [charts.Datum("A", Decimal("12"), charts.SHOWN)])], scale_max=10
    )
    assert chart.rows[0].bars[0].width == charts.PLOT_WIDTH


def test_stacked_shares_fill_the_plot_and_only_shown_rows_get_segments() -> None:
    chart = charts.stacked_chart(
        [
            charts.StackedInput("Shown", [Decimal(25), Decimal(0), Decimal(75)], charts.SHOWN),
            charts.StackedInput("Withheld", [], charts.HIDDEN),
        ]
    )
    shown, withheld = chart.rows
    assert [segment.value for segment in shown.segments] == [1, 3]
    assert shown.segments[1].x == charts.LABEL_WIDTH + charts.PLOT_WIDTH / 4
    assert (withheld.state, withheld.segments) == ("hidden", [])
    assert withheld.y - shown.y == charts.BAR_HEIGHT + charts.ROW_GAP


def test_a_sparkline_breaks_where_a_value_is_missing() -> None:
    line = charts.sparkline([Decimal(1), None, Decimal(3), Decimal(4)], scale_max=4)
    assert len(line.points) == 3
    assert len(line.segments) == 2
    assert line.points[-1].y == 3.0  # the top, inside the padding
