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
        series=[("<i>Leder</i>", [1, 2, 3], "lus-radar__leader"), ("Partner", [3, 3, 3], "lus-radar__partner")],
    )
    svg = chart.svg(title="Vurderinger")
    # The axes are numbered (the page lists the labels); a series' label is escaped.
    assert "<b>" not in svg and "<i>" not in svg and "&lt;i&gt;Leder&lt;/i&gt;" in svg
    polygons = re.findall(r'<polygon points="([^"]+)" fill="#[0-9a-f]+" fill-opacity', svg)
    assert len(polygons) == 2
    expected = " ".join(f"{x},{y}" for x, y in chart.polygon(chart.series[0]))
    assert polygons[0] == expected
    assert "style=" not in svg and "<script" not in svg


def test_the_chart_is_readable_on_a_phone_and_not_told_by_colour_alone():
    """Issue 18, point 6: the numbers on the axes render at 12 px or more at 390 px (the
    figure is about 358 px wide there), the full labels are listed by the page, and the
    second series is dashed with square markers, the first solid with circles."""
    from lus.radar import FONT_SIZE, VIEW

    chart = radar_for(
        axes=["Et sundhedsvæsen på patientens præmisser", "Dygtighed", "Dristighed"],
        series=[("Leder", [4, 3, None], "lus-radar__leader"), ("Partner", [3, 3, 3], "lus-radar__partner")],
    )
    svg = chart.svg(title="Vurderinger")
    assert FONT_SIZE * 358 / VIEW >= 12
    assert re.findall(r'font-size="(\d+)"', svg) == [str(FONT_SIZE)] * 3
    assert "patient" not in svg  # the labels are the page's list, never cut off in the chart
    assert re.findall(r"<polygon points=[^>]*class=\"lus-radar__(\w+)\"", svg) == ["leader", "partner"]
    assert 'stroke-dasharray="8 5" class="lus-radar__partner"' in svg
    assert "stroke-dasharray" not in svg.split('class="lus-radar__leader"')[0].rsplit("<polygon", 1)[1]
    assert svg.count("<circle") == 2 and svg.count("<rect") == 3  # no marker for a missing score
