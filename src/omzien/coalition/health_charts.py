"""The geometry of the small inline SVG charts on the network health page. Pure functions: they
take what queries.py computed and return coordinates; the templates draw them. Every chart has a
table beside it that holds the same numbers (the table is the real content)."""

import math

# Dark colours that keep a 4.5:1 contrast on white; the survey lines also differ in dash
# pattern, so colour is never the only difference.
LINE_STYLES = [
    {"colour": "#1a4e8a", "dash": ""},
    {"colour": "#b3261e", "dash": "8 4"},
    {"colour": "#2e6b30", "dash": "2 4"},
    {"colour": "#5b2a86", "dash": "10 4 2 4"},
]
LABEL_LIMIT = 28


def bar_chart(values, labels, width=640, height=220, margin=32):
    """Bars for a list of whole numbers; each bar has x, y, width, height and the spot of its
    value and of its axis label (from `labels`)."""
    top = max(values, default=0) or 1
    plot_height = height - 2 * margin
    slot = (width - 2 * margin) / max(len(values), 1)
    bars = []
    for index, (value, label) in enumerate(zip(values, labels, strict=True)):
        bar_height = plot_height * value / top
        x = margin + index * slot + slot * 0.15
        bars.append({
            "value": value,
            "label": label,
            "x": round(x, 1),
            "y": round(height - margin - bar_height, 1),
            "width": round(slot * 0.7, 1),
            "height": round(bar_height, 1),
            "centre": round(x + slot * 0.35, 1),
            "value_y": round(height - margin - bar_height - 6, 1),
            "label_y": height - margin + 18,
        })
    return {"width": width, "height": height, "bars": bars, "baseline": height - margin,
            "left": margin, "right": width - margin}


def line_chart(series_by_point, point_labels, labels, width=640, height=260, margin=40,
               low=1, high=5):
    """Lines over points on the x axis (survey rounds, named by `point_labels`), one per series
    (factor, named by `labels`); a value of None leaves a gap. `series_by_point[i][j]` is
    series j at point i."""
    count = len(series_by_point)
    step = (width - 2 * margin) / max(count - 1, 1)

    def x_at(index):
        return round(margin + index * step if count > 1 else width / 2, 1)

    def y_at(value):
        return round(height - margin - (height - 2 * margin) * (value - low) / (high - low), 1)

    series = []
    for number, label in enumerate(labels):
        style = LINE_STYLES[number % len(LINE_STYLES)]
        points = [(x_at(i), y_at(values[number])) for i, values in enumerate(series_by_point)
                  if values[number] is not None]
        segments, current = [], []
        for i, values in enumerate(series_by_point):
            if values[number] is None:
                if len(current) > 1:
                    segments.append(current)
                current = []
            else:
                current.append(f"{x_at(i)},{y_at(values[number])}")
        if len(current) > 1:
            segments.append(current)
        series.append({"label": label, "points": [{"x": x, "y": y} for x, y in points],
                       "segments": [" ".join(segment) for segment in segments], **style,
                       "legend_y": 16 + 18 * number})
    gridlines = [{"value": value, "y": y_at(value)} for value in range(low, high + 1)]
    ticks = [{"x": x_at(i), "label": label, "label_y": height - margin + 18}
             for i, label in enumerate(point_labels)]
    return {"width": width, "height": height, "series": series, "gridlines": gridlines,
            "ticks": ticks, "left": margin, "right": width - margin}


def network_picture(partners, pairs, size=560, radius=220):
    """Partners evenly on a circle and a line per pair, thicker for a heavier link."""
    centre = size / 2
    nodes, spots = [], {}
    for index, partner in enumerate(partners):
        angle = 2 * math.pi * index / max(len(partners), 1) - math.pi / 2
        x, y = centre + radius * math.cos(angle), centre + radius * math.sin(angle)
        label_x = centre + (radius + 14) * math.cos(angle)
        label_y = centre + (radius + 14) * math.sin(angle) + 6
        anchor = "start" if label_x > centre + 1 else "end" if label_x < centre - 1 else "middle"
        name = str(partner)
        spots[partner.pk] = (round(x, 1), round(y, 1))
        nodes.append({
            "partner": partner, "x": round(x, 1), "y": round(y, 1), "anchor": anchor,
            "label_x": round(label_x, 1), "label_y": round(label_y, 1),
            "label": name if len(name) <= LABEL_LIMIT else name[: LABEL_LIMIT - 1] + "…",
        })
    heaviest = max((pair.weight for pair in pairs), default=1)
    lines = []
    for pair in pairs:
        if pair.partner_a.pk in spots and pair.partner_b.pk in spots:
            (x1, y1), (x2, y2) = spots[pair.partner_a.pk], spots[pair.partner_b.pk]
            lines.append({"x1": x1, "y1": y1, "x2": x2, "y2": y2, "weight": pair.weight,
                          "stroke": round(1 + 7 * pair.weight / heaviest, 1)})
    # Wide enough for the labels left and right of the circle.
    return {"width": size + 520, "height": size, "offset": -260, "nodes": nodes,
            "lines": lines}
