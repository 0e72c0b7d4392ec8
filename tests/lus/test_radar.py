"""The radar chart's geometry: axis 0 straight up, clockwise, radius proportional to the score."""

import re

from lus.radar import CENTRE, RADIUS, radar_for


def test_the_points_lie_where_the_scores_say():
    chart = radar_for(axes=["A", "B", "C", "D"], series=[("Leder", [5, 4, 3, None], "x")])
    assert chart.polygon(chart.series[0]) == [
        (CENTRE, CENTRE - RADIUS),  # 5 on the upward axis: the rim
        (round(CENTRE + RADIUS * 4 / 5, 1), CENTRE),  # 4 on the right-hand axis
        (CENTRE, round(CENTRE + RADIUS * 3 / 5, 1)),  # 3 pointing down
        (CENTRE, CENTRE),  # no score: the centre
    ]


def test_the_svg_draws_one_polygon_per_series_with_those_points_and_escapes_labels():
    chart = radar_for(
        axes=["<b>Dialog</b>", "Dygtighed", "Dristighed"],
        series=[("Leder", [1, 2, 3], "lus-radar__leader"), ("Partner", [3, 3, 3], "lus-radar__partner")],
    )
    svg = chart.svg(title="Vurderinger")
    assert "<b>" not in svg and "&lt;b&gt;Dialog&lt;/b&gt;" in svg
    polygons = re.findall(r'<polygon points="([^"]+)" fill="#[0-9a-f]+" fill-opacity', svg)
    assert len(polygons) == 2
    expected = " ".join(f"{x},{y}" for x, y in chart.polygon(chart.series[0]))
    assert polygons[0] == expected
    assert "style=" not in svg and "<script" not in svg
