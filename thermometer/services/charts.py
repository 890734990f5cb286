"""The results as chart geometry: report rows turned into the kernel's chart input.

The arithmetic is portal/lib/charts.py; here only what a result means for a chart: a
cell below the anonymity threshold is drawn as "too few responses", never as a value.
"""

from collections.abc import Sequence
from decimal import Decimal

from portal.lib.charts import (
    EMPTY,
    HIDDEN,
    SHOWN,
    BarChart,
    Datum,
    StackedChart,
    StackedInput,
    bar_chart,
    stacked_chart,
)
from thermometer.services.reports import Cell, MarkRow, PropertyRow


def datum(label: str, cell: Cell, *, series: str = "") -> Datum:
    if cell.shown and cell.mean is not None:
        return Datum(label=label, value=cell.mean, state=SHOWN, series=series)
    return Datum(label=label, value=None, state=HIDDEN if cell.hidden else EMPTY, series=series)


def marks_chart(rows: Sequence[MarkRow]) -> BarChart:
    """The report mark per perspective: one bar per row, scale 1–10."""
    return bar_chart([(row.label, [datum(row.label, row.cell)]) for row in rows], scale_max=10)


def properties_chart(rows: Sequence[PropertyRow]) -> BarChart:
    """Per property the three perspectives as a group of bars, scale 1–5."""
    return bar_chart(
        [
            (
                row.label,
                [datum(label, cell, series=key) for key, label, cell in row.perspectives],
            )
            for row in rows
        ],
        scale_max=5,
    )


def rates_chart(rates: Sequence[tuple[str, Decimal | None, bool]]) -> BarChart:
    """Response rates in percent, as (label, rate, shown): a rate is unknown when nobody's
    invitations are known, and withheld ("too few responses") for a small group."""
    return bar_chart(
        [
            (
                label,
                [
                    Datum(
                        label=label,
                        value=rate if shown else None,
                        state=SHOWN if shown and rate is not None else EMPTY if shown else HIDDEN,
                    )
                ],
            )
            for label, rate, shown in rates
        ],
        scale_max=100,
    )


def distribution_chart(rows: Sequence[tuple[str, Cell]]) -> StackedChart:
    """One 100% bar per question over its answer values, left (1) to right (max)."""
    return stacked_chart(
        [
            StackedInput(
                label=label,
                shares=cell.shares if cell.shown else [],
                state=SHOWN if cell.shown and cell.shares else HIDDEN if cell.hidden else EMPTY,
            )
            for label, cell in rows
        ]
    )
