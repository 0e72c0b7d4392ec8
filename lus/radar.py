"""The "spind": both parties' ratings laid over each other, drawn on the server as SVG.

No script and no style attribute (the CSP forbids them); colours are SVG presentation
attributes and CSS classes from static/css/app.css. The page shows the same numbers as a
table, so the chart is never the only way to read them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 140
MAX_SCORE = 5
VIEW = 380  # the viewBox's side: the rings, the markers and the axis numbers
FONT_SIZE = 18  # in viewBox units: 18 * 358 / 380 ≈ 17 px on a 390 px phone
COLOURS = ("#0059b3", "#b3261e")


@dataclass(frozen=True)
class Series:
    label: str
    scores: tuple[int | None, ...]
    css_class: str


@dataclass(frozen=True)
class Radar:
    axes: tuple[str, ...]
    series: tuple[Series, ...]

    def point(self, axis: int, score: float) -> tuple[float, float]:
        """Where `score` on axis number `axis` lies: axis 0 points straight up, the others
        follow clockwise; the radius grows linearly from 0 at the centre to 5 at the rim."""
        angle = -math.pi / 2 + 2 * math.pi * axis / len(self.axes)
        r = RADIUS * score / MAX_SCORE
        return round(CENTRE + r * math.cos(angle), 1), round(CENTRE + r * math.sin(angle), 1)

    def polygon(self, series: Series) -> list[tuple[float, float]]:
        # A missing score is drawn at the centre, so the shape keeps one corner per axis.
        return [self.point(i, s or 0) for i, s in enumerate(series.scores)]

    def svg(self, *, title: str) -> SafeString:
        """The chart with numbered axes (the page lists the numbers' full labels beside it,
        so a long theme is never cut off) and the two series told apart by line style and
        markers as well as colour: the first solid with circles, the second dashed with
        squares. The viewBox is tight, so the numbers render at 12 px or more even on a
        390 px wide phone (VIEW units across about 358 px)."""
        n = len(self.axes)
        lo = CENTRE - VIEW / 2
        parts = [
            (
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{lo} {lo} {VIEW} {VIEW}" class="lus-radar" '
                f'role="img" aria-labelledby="lus-radar-title"><title id="lus-radar-title">{escape(title)}</title>'
            )
        ]
        parts.append(_frame(n))
        for k, series in enumerate(self.series):
            parts.extend(self._series_svg(k, series))
        parts.append("</svg>")
        return mark_safe("".join(parts))

    def _series_svg(self, k: int, series: Series) -> list[str]:
        colour = COLOURS[k % len(COLOURS)]
        dash = ' stroke-dasharray="8 5"' if k % 2 else ""
        points = " ".join(f"{x},{y}" for x, y in self.polygon(series))
        polygon = (
            f'<polygon points="{points}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2.5"{dash} '
            f'class="{escape(series.css_class)}"><title>{escape(series.label)}</title></polygon>'
        )
        parts = [polygon]
        for i, score in enumerate(series.scores):
            if score is None:
                continue
            x, y = self.point(i, score)
            if k % 2:
                parts.append(
                    f'<rect x="{x - 5}" y="{y - 5}" width="10" height="10" fill="{colour}" class="lus-marker"/>'
                )
            else:
                parts.append(f'<circle cx="{x}" cy="{y}" r="5.5" fill="{colour}" class="lus-marker"/>')
        return parts


@lru_cache(maxsize=32)
def _frame(n: int) -> str:
    """The rings, spokes and axis numbers of a chart with `n` axes: geometry only, the same
    for every chart of that many axes, so it is drawn once per process."""
    chart = Radar(axes=("",) * n, series=())
    parts = []
    for level in range(1, MAX_SCORE + 1):
        ring = " ".join(f"{x},{y}" for x, y in (chart.point(i, level) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="#c7c7c7" stroke-width="1"/>')
    for i in range(n):
        x, y = chart.point(i, MAX_SCORE)
        parts.append(f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x}" y2="{y}" stroke="#c7c7c7" stroke-width="1"/>')
        lx, ly = chart.point(i, MAX_SCORE + 0.75)
        parts.append(
            f'<text x="{lx}" y="{ly}" text-anchor="middle" dominant-baseline="middle" '
            f'font-size="{FONT_SIZE}" font-weight="600" fill="#1a1a1a">{i + 1}</text>'
        )
    return "".join(parts)


def radar_for(*, axes: list[str], series: list[tuple[str, list[int | None], str]]) -> Radar:
    return Radar(axes=tuple(axes), series=tuple(Series(label, tuple(scores), css) for label, scores, css in series))
