"""Charts drawn on the server as SVG: the geometry here, the markup in templates/insight/includes/.

No JavaScript and no charting library: a trend line or a bar is a few numbers, and the page stays
fast, printable and readable without scripts. Every chart sits beside the table it was drawn from,
which is what screen readers use (the SVG itself is one labelled image).
"""

import math

WIDTH = 640
LINE_HEIGHT = 240
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 48, 16, 12, 36
BAR_HEIGHT, BAR_GAP, BAR_LABEL_WIDTH = 22, 8, 200
# Series differ by colour and by dash pattern, so they can be told apart without seeing colour.
STYLES = [
    {"colour": "#1d70b8", "dash": ""},
    {"colour": "#d4351c", "dash": "6 4"},
    {"colour": "#00703c", "dash": "2 3"},
]


def nice_max(value: float) -> int:
    """The top of the axis: 1, 2 or 5 times a power of ten, at or above ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return int(step * power) if step * power >= 1 else 1
    return int(10 * power)


def _number(value) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def line_chart(table, columns: list[int], label_format=lambda value: f"{value:%d %b}") -> dict:
    """Lines for ``columns`` of ``table`` (column 0 is the date each row starts)."""
    rows = table.rows
    top = nice_max(max((_number(row[column]) for row in rows for column in columns), default=0))
    inner_w = WIDTH - PAD_LEFT - PAD_RIGHT
    inner_h = LINE_HEIGHT - PAD_TOP - PAD_BOTTOM
    step = inner_w / max(len(rows) - 1, 1)

    def x(index):
        return round(PAD_LEFT + index * step, 1)

    def y(value):
        return round(PAD_TOP + inner_h - inner_h * _number(value) / top, 1)

    series = []
    for number, column in enumerate(columns):
        style = STYLES[number % len(STYLES)]
        points = " ".join(f"{x(i)},{y(row[column])}" for i, row in enumerate(rows))
        # A line needs two points; a range of one day gets a dot.
        dots = [(x(0), y(rows[0][column]))] if len(rows) == 1 else []
        series.append({"label": table.columns[column], "points": points, "dots": dots, **style})
    every = max(1, math.ceil(len(rows) / 8))
    return {
        "width": WIDTH,
        "height": LINE_HEIGHT,
        "series": series,
        "y_ticks": [{"y": y(top * n / 4), "label": f"{top * n / 4:g}"} for n in range(5)],
        "x_labels": [{"x": x(i), "label": label_format(row[0])} for i, row in enumerate(rows) if i % every == 0],
        "left": PAD_LEFT,
        "right": WIDTH - PAD_RIGHT,
        "baseline": PAD_TOP + inner_h,
        "label_y": LINE_HEIGHT - 12,
    }


def bar_chart(table, value_column: int = 1) -> dict:
    """Horizontal bars, one per row: label from column 0, length from ``value_column``."""
    rows = table.rows
    top = nice_max(max((_number(row[value_column]) for row in rows), default=0))
    inner_w = WIDTH - BAR_LABEL_WIDTH - PAD_RIGHT - 40
    bars = []
    for index, row in enumerate(rows):
        value = _number(row[value_column])
        bars.append(
            {
                "label": str(row[0])[:32],
                "value": row[value_column],
                "y": PAD_TOP + index * (BAR_HEIGHT + BAR_GAP),
                "text_y": PAD_TOP + index * (BAR_HEIGHT + BAR_GAP) + BAR_HEIGHT * 0.7,
                "width": round(inner_w * value / top, 1),
                "value_x": round(BAR_LABEL_WIDTH + inner_w * value / top + 6, 1),
            }
        )
    return {
        "width": WIDTH,
        "height": PAD_TOP * 2 + len(rows) * (BAR_HEIGHT + BAR_GAP),
        "bars": bars,
        "bar_height": BAR_HEIGHT,
        "label_x": BAR_LABEL_WIDTH - 8,
        "bar_x": BAR_LABEL_WIDTH,
        "colour": STYLES[0]["colour"],
    }
