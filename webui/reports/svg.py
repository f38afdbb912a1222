"""A small server-side chart: bars with an optional line, as inline SVG.

Drawn on the server so it renders offline, in print and without scripts (the pages' policy
forbids inline scripts and styles: colours are attributes). Bars are dark grey and the line is
black with round markers, so the two stay apart in black-and-white print. All text (axis titles,
category labels) comes in already translated; labels are escaped here.
"""
from __future__ import annotations

from dataclasses import dataclass
from markupsafe import Markup, escape

WIDTH, HEIGHT = 760, 356
LEFT, RIGHT, TOP, BOTTOM = 70, 60, 30, 106      # below the plot: category labels, then the axis title
MAX_LABEL = 14                       # characters of a category label under its bar


@dataclass(frozen=True)
class Chart:
    title: str
    labels: list[str]
    bars: list[float]
    bar_axis: str                    # what the bars measure, e.g. "Revenue (TWD)"
    line: list[float] | None = None  # 0-1 shares drawn against the right axis (0-100%)
    line_axis: str = ""
    label_axis: str = ""             # what the categories under the bars are, e.g. "Accounts by revenue rank"


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL else label[:MAX_LABEL - 1] + "…"


def _number(value: float) -> str:
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return f"{value / limit:.1f}{suffix}"
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"


def _text(x: float, y: float, content: str, anchor: str = "middle", extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="12" fill="#222"{extra}>'
            f'{escape(content)}</text>')


def render(chart: Chart) -> Markup:
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = max(chart.bars, default=0) or 1
    n = max(len(chart.bars), 1)
    slot = plot_w / n
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'role="img" aria-label="{escape(chart.title)}"><title>{escape(chart.title)}</title>',
             f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="#222"/>',
             f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="#222"/>']
    for step in range(5):
        value, y = top * step / 4, TOP + plot_h - plot_h * step / 4
        parts.append(f'<line x1="{LEFT - 4}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ccc" '
                     f'stroke-dasharray="2 3"/>')
        parts.append(_text(LEFT - 8, y + 4, _number(value), "end"))
    for i, (label, value) in enumerate(zip(chart.labels, chart.bars)):
        h = plot_h * max(value, 0) / top
        x = LEFT + slot * i + slot * 0.15
        parts.append(f'<rect class="bar" x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
                     f'height="{h:.1f}" fill="#5b6b7f" stroke="#222" stroke-width="0.5"><title>{escape(label)}: '
                     f'{escape(_number(value))}</title></rect>')
        cx = LEFT + slot * (i + 0.5)
        parts.append(_text(cx, TOP + plot_h + 14, _short(label), "end",
                           f' transform="rotate(-35 {cx:.1f} {TOP + plot_h + 14:.1f})"'))
    parts.append(_text(16, TOP + plot_h / 2, chart.bar_axis, "middle",
                       f' transform="rotate(-90 16 {TOP + plot_h / 2:.1f})"'))
    if chart.label_axis:
        parts.append(_text(LEFT + plot_w / 2, HEIGHT - 6, chart.label_axis))
    if chart.line:
        points = [(LEFT + slot * (i + 0.5), TOP + plot_h - plot_h * min(max(v, 0), 1))
                  for i, v in enumerate(chart.line)]
        parts.append('<polyline class="line" fill="none" stroke="#000" stroke-width="2" points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in points) + '"/>')
        parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#fff" stroke="#000"/>' for x, y in points]
        for step in range(5):
            y = TOP + plot_h - plot_h * step / 4
            parts.append(_text(LEFT + plot_w + 8, y + 4, f"{step * 25}%", "start"))
        x = WIDTH - 12
        parts.append(_text(x, TOP + plot_h / 2, chart.line_axis, "middle",
                           f' transform="rotate(90 {x} {TOP + plot_h / 2:.1f})"'))
    parts.append("</svg>")
    return Markup("".join(parts))  # nosec B704 - every text in it went through escape(); the rest is numbers
