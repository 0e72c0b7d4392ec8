"""The "spind": both parties' ratings laid over each other, drawn on the server as SVG.

No script and no style attribute (the CSP forbids them); colours are SVG presentation
attributes and CSS classes from static/css/app.css. The page shows the same numbers as a
table, so the chart is never the only way to read them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SIZE = 420
CENTRE = SIZE / 2
RADIUS = 140
MAX_SCORE = 5


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
        n = len(self.axes)
        parts = [
            (
                f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="-150 -10 {SIZE + 300} {SIZE + 20}" class="lus-radar" role="img" '
                f'aria-labelledby="lus-radar-title"><title id="lus-radar-title">{escape(title)}</title>'
            )
        ]
        for level in range(1, MAX_SCORE + 1):
            ring = " ".join(f"{x},{y}" for x, y in (self.point(i, level) for i in range(n)))
            parts.append(f'<polygon points="{ring}" fill="none" stroke="#c7c7c7" stroke-width="1"/>')
        for i, axis in enumerate(self.axes):
            x, y = self.point(i, MAX_SCORE)
            parts.append(f'<line x1="{CENTRE}" y1="{CENTRE}" x2="{x}" y2="{y}" stroke="#c7c7c7" stroke-width="1"/>')
            lx, ly = self.point(i, MAX_SCORE + 0.9)
            anchor = "middle" if abs(lx - CENTRE) < 1 else ("start" if lx > CENTRE else "end")
            label = axis if len(axis) <= 28 else axis[:27] + "…"
            parts.append(
                f'<text x="{lx}" y="{ly}" text-anchor="{anchor}" font-size="11" fill="#1a1a1a">{escape(label)}</text>'
            )
        colours = ("#0059b3", "#d9534f")
        for k, series in enumerate(self.series):
            points = " ".join(f"{x},{y}" for x, y in self.polygon(series))
            colour = colours[k % len(colours)]
            parts.append(
                f'<polygon points="{points}" fill="{colour}" fill-opacity="0.15" stroke="{colour}" stroke-width="2" '
                f'class="{escape(series.css_class)}"><title>{escape(series.label)}</title></polygon>'
            )
        parts.append("</svg>")
        return mark_safe("".join(parts))


def radar_for(*, axes: list[str], series: list[tuple[str, list[int | None], str]]) -> Radar:
    return Radar(axes=tuple(axes), series=tuple(Series(label, tuple(scores), css) for label, scores, css in series))
