"""Charts drawn on the server as SVG: geometry only (points, ticks, bars) for the templates
in templates/status/, which draw them with attributes and classes (no inline style under
the strict CSP). Every chart is shown with its numbers as a table for screen readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40

# The colours of static/css/status.css, for the PDF (WeasyPrint's SVG reads presentation
# attributes, not CSS `fill`/`stroke`; the CSP forbids neither in a document).
COLOURS = {
    "ingen": "#b51d09",
    "kladde": "#a4c8ec",
    "indsendt": "#f7c75b",
    "godkendt": "#6ba56f",
    "i_gang": "#358038",
    "afsluttet": "#1b4d1d",
    "approved": "#0059b3",
    "done": "#b35900",
    "lus": "#6b2c91",
}


@dataclass(frozen=True)
class Series:
    key: str  # css modifier: status-series--<key>
    label: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class PlottedSeries:
    key: str
    label: str
    points: str  # "x,y x,y ..." for <polyline points>
    dots: tuple[tuple[float, float, int], ...]

    @property
    def colour(self) -> str:
        return COLOURS.get(self.key, "#1a1a1a")

    @property
    def last(self) -> int:
        return self.dots[-1][2] if self.dots else 0


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    series: tuple[PlottedSeries, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    left: int
    right: int
    top: int
    bottom: int  # the y of the x axis


def _nice_max(value: int) -> int:
    """The top of the y axis: four equal steps of 1, 2 or 5 times a power of ten."""
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if step * 4 >= value:
                return step * 4
        magnitude *= 10


def line_chart(*, weeks: list[date], series: list[Series]) -> LineChart | None:
    """One line per series over the weeks; None with fewer than two weeks to draw."""
    if len(weeks) < 2:
        return None
    top_value = _nice_max(max((max(s.values, default=0) for s in series), default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return round(LEFT + plot_w * i / (len(weeks) - 1), 1)

    def y(v: int) -> float:
        return round(TOP + plot_h * (1 - v / top_value), 1)

    plotted = tuple(
        PlottedSeries(
            key=s.key,
            label=s.label,
            points=" ".join(f"{x(i)},{y(v)}" for i, v in enumerate(s.values)),
            dots=tuple((x(i), y(v), v) for i, v in enumerate(s.values)),
        )
        for s in series
    )
    y_ticks = tuple(Tick(pos=y(top_value * k // 4), label=str(top_value * k // 4)) for k in range(5))
    every = max(1, -(-len(weeks) // 6))
    x_ticks = tuple(Tick(pos=x(i), label=w.strftime("%d.%m")) for i, w in enumerate(weeks) if i % every == 0)
    return LineChart(
        width=WIDTH,
        height=HEIGHT,
        series=plotted,
        y_ticks=y_ticks,
        x_ticks=x_ticks,
        left=LEFT,
        right=WIDTH - RIGHT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
    )


@dataclass(frozen=True)
class BarPart:
    key: str
    label: str
    value: int
    x: float
    width: float

    @property
    def colour(self) -> str:
        return COLOURS.get(self.key, "#1a1a1a")


@dataclass(frozen=True)
class StackedBar:
    width: int
    height: int
    parts: tuple[BarPart, ...]
    total: int


def stacked_bar(*, parts: list[tuple[str, str, int]], width: int = 640, height: int = 32) -> StackedBar:
    """One horizontal bar split by share (the plan states of a part of the tree)."""
    total = sum(v for _k, _l, v in parts)
    out = []
    pos = 0.0
    for key, label, value in parts:
        w = round(width * value / total, 1) if total else 0.0
        out.append(BarPart(key=key, label=label, value=value, x=round(pos, 1), width=w))
        pos += w
    return StackedBar(width=width, height=height, parts=tuple(out), total=total)
