"""SVG drawing primitives for webui.projects.diagram: one function per BPMN shape kind.

Kept apart from the DI parsing so each half stays readable. Only presentation
attributes are used (no <style>, no style=""), so the SVG renders the same inline,
as an <img> and under a strict Content-Security-Policy.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from lxml import etree

from .diagram_text import clean, text_width, wrap  # noqa: F401 - clean is part of this module's interface

SVG_NS = "http://www.w3.org/2000/svg"
FONT_FAMILY = ('system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", '
               '"Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", sans-serif')
TEXT = "#1f2328"
# state -> (stroke, fill, stroke width); subprocess/pool fills are lighter variants
PALETTE = {
    "none": ("#4a4f55", "#ffffff", 1.5),
    "completed": ("#2e7d32", "#e3f2e5", 2.0),
    "current": ("#b45309", "#fff1cc", 3.5),
}
LIGHT_FILL = {"none": "#ffffff", "completed": "#f3faf4", "current": "#fffaf0"}

Box = tuple[float, float, float, float]  # x, y, width, height


def num(value: float) -> str:
    """Short, stable number formatting keeps the SVG small and diff-friendly."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def sub(parent: etree._Element, tag: str, text: str | None = None, **attrs) -> etree._Element:
    """Append an SVG element; `stroke_width=` becomes stroke-width, `class_=` class."""
    el = etree.SubElement(parent, f"{{{SVG_NS}}}{tag}")
    for key, value in attrs.items():
        if value is None:
            continue
        el.set(key.rstrip("_").replace("_", "-"), num(value) if isinstance(value, float | int) else str(value))
    if text is not None:
        el.text = clean(text)
    return el


def text_block(parent, lines: Sequence[str], x: float, y: float, size: float,
               valign: str = "middle", anchor: str = "middle", **attrs) -> etree._Element | None:
    """Multi-line text; y is the block's centre, top or bottom edge, per valign."""
    if not lines:
        return None
    lh = size * 1.2
    first = {"middle": y - (len(lines) - 1) * lh / 2 + size * 0.35, "top": y + size * 0.9,
             "bottom": y - (len(lines) - 1) * lh - size * 0.25}[valign]
    el = sub(parent, "text", x=x, y=first, font_size=size, fill=TEXT, text_anchor=anchor, **attrs)
    for i, line in enumerate(lines):
        sub(el, "tspan", line, x=x, y=first + i * lh)
    return el


def arrow_marker_id(state: str) -> str:
    return f"kamflow-bpmn-arrow-{state}"


def add_defs(svg: etree._Element) -> None:
    """Arrowheads per state, since marker colours cannot follow the line's stroke."""
    defs = sub(svg, "defs")
    for state, (stroke, _fill, _w) in PALETTE.items():
        marker = sub(defs, "marker", id=arrow_marker_id(state), viewBox="0 0 10 10", refX=9, refY=5,
                     markerWidth=10, markerHeight=10, markerUnits="userSpaceOnUse", orient="auto")
        sub(marker, "path", d="M0,1 L9,5 L0,9 Z", fill=stroke)


def draw_band(g, box: Box, name: str, header: float, horizontal: bool, state: str, pool: bool) -> None:
    """Pools and lanes: a band with its name in the header strip (rotated when horizontal)."""
    x, y, w, h = box
    stroke, _fill, width = PALETTE[state]
    fill = LIGHT_FILL[state] if pool or state != "none" else "none"
    sub(g, "rect", x=x, y=y, width=w, height=h, fill=fill, stroke=stroke, stroke_width=min(width, 2))
    size, weight = (13, "600") if pool else (12, None)
    if pool:
        line = (x + header, y, x + header, y + h) if horizontal else (x, y + header, x + w, y + header)
        sub(g, "line", x1=line[0], y1=line[1], x2=line[2], y2=line[3], stroke=stroke, stroke_width=1)
    if not horizontal:
        text_block(g, wrap(name, w - 10, size, 1), x + w / 2, y + header / 2, size, font_weight=weight)
        return
    cx, cy = x + header / 2, y + h / 2
    el = text_block(g, wrap(name, max(h - 10, 20), size, 2), cx, cy, size, font_weight=weight)
    if el is not None:
        el.set("transform", f"rotate(-90 {num(cx)} {num(cy)})")


def fit(name: str, width: float, height: float, sizes=(12.0, 11.0, 10.0)) -> tuple[list[str], float]:
    """Shrink the font a little before truncating: long task names are common."""
    for size in sizes:
        lines = wrap(name, width, size)
        if len(lines) * size * 1.2 <= height:
            return lines, size
    return wrap(name, width, sizes[-1], max(1, int(height // (sizes[-1] * 1.2)))), sizes[-1]


def draw_task(g, box: Box, name: str, kind: str, state: str, loop: str | None, collapsed: bool,
              busy_bottom: bool = False) -> None:
    """Activities: rounded box, wrapped centred name, type glyph top-left, loop marker bottom.

    `busy_bottom` keeps the name clear of boundary events sitting on the lower edge.
    """
    x, y, w, h = box
    stroke, fill, width = PALETTE[state]
    if kind == "callActivity":
        width += 2
    sub(g, "rect", x=x, y=y, width=w, height=h, rx=10, ry=10, fill=fill, stroke=stroke, stroke_width=width)
    glyph = TASK_GLYPHS.get(kind)
    if glyph:
        glyph(g, x + 6, y + 6, stroke)
    top = 19 if glyph else (15 if state == "completed" else 4)
    bottom = 17 if (loop or collapsed or busy_bottom) else 4
    lines, size = fit(name, w - 10, h - top - bottom)
    text_block(g, lines, x + w / 2, y + top + (h - top - bottom) / 2, size)
    marks = [m for m in (loop, "collapsed" if collapsed else None) if m]
    for i, mark in enumerate(marks):
        cx = x + w / 2 + (i - (len(marks) - 1) / 2) * 16
        _bottom_marker(g, mark, cx, y + h - 10, stroke)
    if state == "completed":
        sub(g, "path", d=f"M{num(x + w - 19)},{num(y + 10)} l4,4 l8,-8", fill="none",
            stroke=stroke, stroke_width=2.2, stroke_linecap="round", stroke_linejoin="round")


def _bottom_marker(g, mark: str, cx: float, cy: float, stroke: str) -> None:
    if mark == "collapsed":
        sub(g, "rect", x=cx - 6, y=cy - 6, width=12, height=12, fill="none", stroke=stroke, stroke_width=1)
        sub(g, "path", d=f"M{num(cx - 4)},{num(cy)} h8 M{num(cx)},{num(cy - 4)} v8", stroke=stroke)
        return
    for i in (-4, 0, 4):  # multi-instance: three bars, vertical if parallel (standard loops get none)
        d = f"M{num(cx + i)},{num(cy - 5)} v10" if mark == "parallel" else f"M{num(cx - 5)},{num(cy + i)} h10"
        sub(g, "path", d=d, stroke=stroke, stroke_width=2)


def _user_glyph(g, x, y, c):
    sub(g, "circle", cx=x + 7, cy=y + 5, r=3.5, fill="none", stroke=c, stroke_width=1.3)
    sub(g, "path", d=f"M{num(x + 1)},{num(y + 16)} c0,-6 12,-6 12,0 z", fill="none", stroke=c, stroke_width=1.3)


def _script_glyph(g, x, y, c):
    sub(g, "path", d=f"M{num(x + 3)},{num(y)} h10 c-3,4 3,8 0,16 h-10 c3,-8 -3,-12 0,-16 z",
        fill="none", stroke=c, stroke_width=1.2)
    sub(g, "path", d=f"M{num(x + 4)},{num(y + 5)} h6 M{num(x + 5)},{num(y + 8)} h6 M{num(x + 5)},{num(y + 11)} h6",
        stroke=c, stroke_width=1)


def _rule_glyph(g, x, y, c):
    sub(g, "rect", x=x, y=y + 1, width=16, height=12, fill="none", stroke=c, stroke_width=1.2)
    sub(g, "rect", x=x, y=y + 1, width=16, height=3.5, fill=c)
    sub(g, "path", d=f"M{num(x)},{num(y + 8.5)} h16 M{num(x + 5)},{num(y + 4)} v9", stroke=c, stroke_width=1)


TASK_GLYPHS = {"userTask": _user_glyph, "scriptTask": _script_glyph, "businessRuleTask": _rule_glyph}


def draw_subprocess(g, box: Box, name: str, state: str) -> None:
    x, y, w, h = box
    stroke, _fill, width = PALETTE[state]
    sub(g, "rect", x=x, y=y, width=w, height=h, rx=12, ry=12, fill=LIGHT_FILL[state],
        stroke=stroke, stroke_width=width)
    text_block(g, wrap(name, w - 20, 12, 2), x + 10, y + 8, 12, valign="top", anchor="start", font_weight="600")


def draw_event(g, box: Box, kind: str, definitions: Sequence[str], interrupting: bool, state: str) -> None:
    """Start thin, end thick, intermediate/boundary double ring; dashed if non-interrupting."""
    x, y, w, h = box
    cx, cy, r = x + w / 2, y + h / 2, min(w, h) / 2
    stroke, fill, width = PALETTE[state]
    dash = None if interrupting else "4 2.5"
    if kind == "endEvent":
        width = max(width, 3.5) + (1 if state != "none" else 0)
    sub(g, "circle", cx=cx, cy=cy, r=r, fill=fill, stroke=stroke, stroke_width=width, stroke_dasharray=dash)
    if kind in ("boundaryEvent", "intermediateCatchEvent", "intermediateThrowEvent"):
        sub(g, "circle", cx=cx, cy=cy, r=r - 3.5, fill="none", stroke=stroke, stroke_width=1.2,
            stroke_dasharray=dash)
    for definition in definitions[:1]:
        glyph = EVENT_GLYPHS.get(definition)
        if glyph:
            glyph(g, cx, cy, r, stroke)


def _timer_glyph(g, cx, cy, r, c):
    rc = r * 0.55
    sub(g, "circle", cx=cx, cy=cy, r=rc, fill="#ffffff", stroke=c, stroke_width=1.4)
    ticks = " ".join(f"M{num(cx + rc * 0.72 * math.cos(a))},{num(cy + rc * 0.72 * math.sin(a))} "
                     f"L{num(cx + rc * math.cos(a))},{num(cy + rc * math.sin(a))}"
                     for a in (i * math.pi / 6 for i in range(12)))
    sub(g, "path", d=ticks, stroke=c, stroke_width=0.9)
    sub(g, "path", d=f"M{num(cx)},{num(cy)} L{num(cx)},{num(cy - rc * 0.6)} M{num(cx)},{num(cy)} "
                     f"L{num(cx + rc * 0.45)},{num(cy + rc * 0.1)}", stroke=c, stroke_width=1.4,
        stroke_linecap="round")


def _terminate_glyph(g, cx, cy, r, c):
    sub(g, "circle", cx=cx, cy=cy, r=r * 0.55, fill=c)


EVENT_GLYPHS = {"timerEventDefinition": _timer_glyph, "terminateEventDefinition": _terminate_glyph}


def draw_gateway(g, box: Box, kind: str, state: str) -> None:
    x, y, w, h = box
    cx, cy = x + w / 2, y + h / 2
    stroke, fill, width = PALETTE[state]
    sub(g, "polygon", points=f"{num(cx)},{num(y)} {num(x + w)},{num(cy)} {num(cx)},{num(y + h)} {num(x)},{num(cy)}",
        fill=fill, stroke=stroke, stroke_width=width, stroke_linejoin="round")
    s = min(w, h) * 0.2
    if kind == "exclusiveGateway":
        d = (f"M{num(cx - s)},{num(cy - s)} L{num(cx + s)},{num(cy + s)} "
             f"M{num(cx + s)},{num(cy - s)} L{num(cx - s)},{num(cy + s)}")
        sub(g, "path", d=d, stroke=stroke, stroke_width=3.5, stroke_linecap="round")
    elif kind in ("parallelGateway", "complexGateway"):
        s *= 1.25
        d = f"M{num(cx - s)},{num(cy)} H{num(cx + s)} M{num(cx)},{num(cy - s)} V{num(cy + s)}"
        sub(g, "path", d=d, stroke=stroke, stroke_width=3.5, stroke_linecap="round")
    elif kind in ("inclusiveGateway", "eventBasedGateway"):
        sub(g, "circle", cx=cx, cy=cy, r=s * 1.1, fill="none", stroke=stroke, stroke_width=2.5)


def draw_generic(g, box: Box, name: str, state: str) -> None:
    """Data objects, annotations and anything else: a dashed box so nothing silently vanishes."""
    x, y, w, h = box
    stroke, fill, _width = PALETTE[state]
    sub(g, "rect", x=x, y=y, width=w, height=h, rx=3, fill=fill, stroke=stroke, stroke_dasharray="4 3")
    text_block(g, wrap(name, w - 8, 11, max(1, int(h // 13))), x + w / 2, y + h / 2, 11)


def draw_edge(g, points: Sequence[tuple[float, float]], state: str, kind: str, start_mark: str | None) -> None:
    """Sequence flows get solid lines with arrowheads; message flows and associations dashed."""
    stroke, width = PALETTE[state][0], {"none": 1.5, "completed": 2.5, "current": 3.0}[state]
    attrs = {"marker_end": f"url(#{arrow_marker_id(state)})"} if kind in ("sequenceFlow", "messageFlow") else {}
    dash = "6 4" if kind == "messageFlow" else ("2 3" if kind != "sequenceFlow" else None)
    sub(g, "polyline", points=" ".join(f"{num(px)},{num(py)}" for px, py in points), fill="none",
        stroke=stroke, stroke_width=width, stroke_linejoin="round", stroke_dasharray=dash, **attrs)
    if start_mark == "default" and len(points) >= 2:  # slash across the start of a default flow
        (x0, y0), (x1, y1) = points[0], points[1]
        length = math.hypot(x1 - x0, y1 - y0) or 1.0
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        mx, my = x0 + ux * 10, y0 + uy * 10
        d = (f"M{num(mx - 5 * ux + 5 * uy)},{num(my - 5 * uy - 5 * ux)} "
             f"L{num(mx + 5 * ux - 5 * uy)},{num(my + 5 * uy + 5 * ux)}")
        sub(g, "path", d=d, stroke=stroke, stroke_width=1.8)
