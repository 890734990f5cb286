"""Geometry of the server-rendered SVG charts: pure functions from numbers to coordinates.

Every app's charts are drawn from here: horizontal (grouped) bars, 100% stacked bars
and sparklines. The SVG markup lives in templates/components/charts/; here only the
arithmetic, so it can be tested without rendering. An app turns its own results into
Datum and StackedInput values (e.g. thermometer/services/charts.py). Every chart has a
fixed viewBox and scales with CSS; next to every chart the page shows its data table.
Coordinates are floats rounded to one decimal; the templates print them with
{% localize off %} (the Dutch locale would write "12,5", which SVG does not read).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 640
LABEL_WIDTH = 240  # the row labels, left of the bars (about 38 characters at 12px)
VALUE_MARGIN = 48  # room for the value label right of a full bar
PLOT_WIDTH = WIDTH - LABEL_WIDTH - VALUE_MARGIN
TOP = 8
AXIS_HEIGHT = 24  # the tick labels under the plot
BAR_HEIGHT = 18
BAR_GAP = 4
ROW_GAP = 14

SHOWN, HIDDEN, EMPTY = "shown", "hidden", "empty"


@dataclass(frozen=True)
class Datum:
    """One value to draw, or why there is none (state HIDDEN: withheld, e.g. too few
    responses; EMPTY: no data)."""

    label: str
    value: Decimal | None
    state: str
    series: str = ""


@dataclass(frozen=True)
class Tick:
    x: float
    value: int


@dataclass(frozen=True)
class Bar:
    label: str
    series: str
    state: str
    value: Decimal | None
    x: float
    y: float
    width: float
    height: float
    text_x: float  # where the value (or "too few responses") is written
    text_y: float


@dataclass(frozen=True)
class BarRow:
    label: str
    label_y: float
    bars: list[Bar]


@dataclass(frozen=True)
class BarChart:
    width: int
    height: float
    plot_x: float
    plot_width: float
    plot_top: float
    plot_bottom: float
    label_x: float  # the right edge of the row labels
    tick_y: float  # the baseline of the tick labels
    scale_max: int
    ticks: list[Tick]
    rows: list[BarRow]


def _round(value: float) -> float:
    return round(value, 1)


def ticks(scale_max: int) -> list[Tick]:
    """Grid lines from 0 to the scale's maximum: every value for 1–5, every other one for
    1–10, quarters for percentages."""
    step = 1 if scale_max <= 5 else 2 if scale_max <= 10 else scale_max // 4
    return [
        Tick(x=_round(LABEL_WIDTH + PLOT_WIDTH * value / scale_max), value=value)
        for value in range(0, scale_max + 1, step)
    ]


def bar_chart(rows: Sequence[tuple[str, Sequence[Datum]]], *, scale_max: int) -> BarChart:
    """Horizontal bars, one row per label with one bar per series (grouped bars)."""
    y = float(TOP)
    chart_rows = []
    for label, data in rows:
        bars = []
        for index, item in enumerate(data):
            bar_y = y + index * (BAR_HEIGHT + BAR_GAP)
            width = (
                PLOT_WIDTH * min(float(item.value), scale_max) / scale_max
                if item.value is not None
                else 0.0
            )
            bars.append(
                Bar(
                    label=item.label,
                    series=item.series,
                    state=item.state,
                    value=item.value,
                    x=LABEL_WIDTH,
                    y=_round(bar_y),
                    width=_round(width),
                    height=BAR_HEIGHT,
                    text_x=_round(LABEL_WIDTH + width + 4),
                    text_y=_round(bar_y + BAR_HEIGHT * 0.72),
                )
            )
        row_height = len(data) * BAR_HEIGHT + max(len(data) - 1, 0) * BAR_GAP
        chart_rows.append(BarRow(label=label, label_y=_round(y + row_height / 2 + 4), bars=bars))
        y += row_height + ROW_GAP
    plot_bottom = y - ROW_GAP + 4
    return BarChart(
        width=WIDTH,
        height=_round(plot_bottom + AXIS_HEIGHT),
        plot_x=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        plot_top=TOP - 4,
        plot_bottom=_round(plot_bottom),
        label_x=LABEL_WIDTH - 8,
        tick_y=_round(plot_bottom + AXIS_HEIGHT - 6),
        scale_max=scale_max,
        ticks=ticks(scale_max),
        rows=chart_rows,
    )


# --- Stacked 100% bars (distributions) ------------------------------------------------


@dataclass(frozen=True)
class Segment:
    value: int  # the answer value, 1..scale max
    share: Decimal
    x: float
    width: float
    text_x: float  # the centre of the segment, for its percentage
    labelled: bool  # wide enough to print the percentage inside


@dataclass(frozen=True)
class StackedRow:
    label: str
    state: str
    y: float
    label_y: float
    segments: list[Segment]


@dataclass(frozen=True)
class StackedChart:
    width: int
    height: float
    plot_x: float
    plot_width: float
    label_x: float
    rows: list[StackedRow]


MIN_LABELLED_WIDTH = 30  # px of viewBox: below this "12%" does not fit inside


@dataclass(frozen=True)
class StackedInput:
    """One row of a stacked chart: the shares (percentages) of the values 1, 2, …, or
    why there are none (state HIDDEN or EMPTY)."""

    label: str
    shares: Sequence[Decimal]
    state: str


def stacked_chart(rows: Sequence[StackedInput]) -> StackedChart:
    """One 100% bar per row over its values, left (1) to right (max)."""
    y = float(TOP)
    chart_rows = []
    for row in rows:
        label, state = row.label, row.state
        segments = []
        if state == SHOWN:
            x = float(LABEL_WIDTH)
            for value, share in enumerate(row.shares, start=1):
                width = PLOT_WIDTH * float(share) / 100
                if width > 0:
                    segments.append(
                        Segment(
                            value=value,
                            share=share,
                            x=_round(x),
                            width=_round(width),
                            text_x=_round(x + width / 2),
                            labelled=width >= MIN_LABELLED_WIDTH,
                        )
                    )
                x += width
        chart_rows.append(
            StackedRow(
                label=label,
                state=state,
                y=_round(y),
                label_y=_round(y + BAR_HEIGHT * 0.72),
                segments=segments,
            )
        )
        y += BAR_HEIGHT + ROW_GAP
    return StackedChart(
        width=WIDTH,
        height=_round(y - ROW_GAP + TOP),
        plot_x=LABEL_WIDTH,
        plot_width=PLOT_WIDTH,
        label_x=LABEL_WIDTH - 8,
        rows=chart_rows,
    )


# --- Sparklines (trends) ------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    x: float
    y: float


@dataclass(frozen=True)
class Sparkline:
    width: int
    height: int
    points: list[Point]  # the shown values only
    segments: list[str]  # "x,y x,y ..." polylines; a gap where a value is not shown


def sparkline(
    values: Sequence[Decimal | None], *, scale_max: int, width: int = 120, height: int = 32
) -> Sparkline:
    """A small line over the rounds; None (not asked, or hidden) breaks the line."""
    pad = 3
    step = (width - 2 * pad) / max(len(values) - 1, 1)
    points: list[Point] = []
    segments: list[str] = []
    current: list[Point] = []
    for index, value in enumerate(values):
        if value is None:
            if current:
                segments.append(" ".join(f"{p.x},{p.y}" for p in current))
            current = []
            continue
        point = Point(
            x=_round(pad + index * step),
            y=_round(height - pad - (height - 2 * pad) * float(value) / scale_max),
        )
        points.append(point)
        current.append(point)
    if current:
        segments.append(" ".join(f"{p.x},{p.y}" for p in current))
    return Sparkline(width=width, height=height, points=points, segments=segments)
