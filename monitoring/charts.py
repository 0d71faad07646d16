"""Bar charts drawn on the server as SVG.

The procuracy's network is closed and the site's CSP forbids inline scripts
and style attributes, so a chart is plain SVG markup: this module computes
the geometry, ``templates/monitoring/_chart_*.html`` writes the elements,
and the colours come from classes in ``static/css/app.css``. Every chart
sits beside a table holding the same figures with the same links (screen
readers and printouts read the table; the SVG is labelled as an image).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

# The drawing's own coordinates; the SVG scales to its container's width.
WIDTH = 720
COLUMN_HEIGHT = 240
AXIS_LEFT = 44
AXIS_BOTTOM = 28
TOP = 12
# Bars under their labels, in a narrower drawing: on a phone it shrinks
# less, so the labels stay legible.
ROW_WIDTH = 480
ROW_HEIGHT = 44
ROW_BAR = 14
ROW_LABEL_CHARS = 52
# Labels of a column chart beyond this many would overlap: every n-th only.
MAX_COLUMN_LABELS = 12


@dataclass
class Segment:
    """One part of a stacked bar: a series' value, drawn and linked."""

    value: int
    series: str  # CSS class suffix: ``chart-<series>``
    label: str
    href: str = ""
    # Geometry, filled by the layout functions.
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0


@dataclass
class Bar:
    label: str
    segments: list[Segment]
    href: str = ""
    short_label: str = ""
    # Geometry of the bar's label and total.
    x: float = 0
    y: float = 0
    label_x: float = 0
    label_y: float = 0
    value_x: float = 0
    value_y: float = 0
    show_label: bool = True

    @property
    def total(self) -> int:
        return sum(segment.value for segment in self.segments)

    @property
    def drawn(self) -> list[Segment]:
        return [segment for segment in self.segments if segment.height or segment.width]


@dataclass
class Chart:
    title: str
    description: str
    bars: list[Bar]
    legend: list[tuple[str, str]]  # (series, label)
    width: int = WIDTH
    height: int = 0
    ticks: list[tuple[float, int]] = field(default_factory=list)
    axis_left: float = AXIS_LEFT
    axis_bottom: float = 0
    plot_width: float = 0
    empty: bool = False
    uid: str = "chart"


def nice_max(value: int) -> int:
    """The top of a value axis with four gridlines: four times the smallest
    whole 1, 2, 2.5 or 5 × 10ⁿ step that reaches ``value``."""
    if value <= 4:
        return 4
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    for step in (1, 2, 2.5, 5, 10):
        candidate = step * power
        if candidate >= raw and candidate == int(candidate):
            return int(candidate) * 4
    return int(10 * power) * 4  # pragma: no cover - the loop always returns


def columns(chart: Chart) -> Chart:
    """Lay out vertical stacked columns (one per bar, e.g. a month)."""
    chart.height = COLUMN_HEIGHT
    plot_bottom = COLUMN_HEIGHT - AXIS_BOTTOM
    plot_height = plot_bottom - TOP
    chart.axis_bottom = plot_bottom
    top = nice_max(max((bar.total for bar in chart.bars), default=0))
    chart.empty = not any(bar.total for bar in chart.bars)
    chart.ticks = [
        (plot_bottom - plot_height * step / 4, top * step // 4) for step in range(5)
    ]
    count = max(len(chart.bars), 1)
    slot = (WIDTH - AXIS_LEFT - 8) / count
    every = math.ceil(count / MAX_COLUMN_LABELS)
    for index, bar in enumerate(chart.bars):
        bar.x = AXIS_LEFT + slot * index + slot * 0.15
        width = slot * 0.7
        bottom = plot_bottom
        for segment in bar.segments:
            segment.x, segment.width = bar.x, width
            segment.height = plot_height * segment.value / top
            segment.y = bottom - segment.height
            bottom = segment.y
        bar.label_x = bar.x + width / 2
        bar.label_y = plot_bottom + 16
        bar.value_x, bar.value_y = bar.label_x, bottom - 3
        bar.show_label = index % every == 0
    return chart


def rows(chart: Chart) -> Chart:
    """Lay out horizontal stacked bars, each under its own label line (long
    names of agencies and units stay readable on a phone)."""
    chart.width = ROW_WIDTH
    top = max((bar.total for bar in chart.bars), default=0) or 1
    chart.empty = not any(bar.total for bar in chart.bars)
    plot_width = chart.plot_width = ROW_WIDTH - 60
    for index, bar in enumerate(chart.bars):
        if not bar.short_label:
            bar.short_label = (
                bar.label
                if len(bar.label) <= ROW_LABEL_CHARS
                else bar.label[: ROW_LABEL_CHARS - 1] + "…"
            )
        y = TOP + index * ROW_HEIGHT
        bar.label_x, bar.label_y = 0, y + 15
        bar.x, bar.y = 0, y + 22
        left = 0.0
        for segment in bar.segments:
            segment.x, segment.y = left, bar.y
            segment.width = plot_width * segment.value / top
            segment.height = ROW_BAR
            left += segment.width
        bar.value_x, bar.value_y = left + 6, bar.y + ROW_BAR - 2
    chart.height = TOP + len(chart.bars) * ROW_HEIGHT + 4
    return chart
