"""Render a BPMN file's own diagram (its DI) as static SVG, with progress highlighted.

Offline and without JavaScript (no bpmn-js): the shapes and waypoints the modeller saved,
drawn with lxml alone (no Flask, no engine), so cheap to test and safe from any view."""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

from lxml import etree

from . import diagram_shapes as shapes
from .diagram_shapes import Box, sub

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN, "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI"}
MARGIN = 30.0
EVENTS = {"startEvent", "endEvent", "boundaryEvent", "intermediateCatchEvent", "intermediateThrowEvent"}
ACTIVITIES = {"task", "userTask", "scriptTask", "serviceTask", "businessRuleTask", "manualTask",
              "sendTask", "receiveTask", "callActivity"}
SUBPROCESSES = {"subProcess", "transaction", "adHocSubProcess"}
# paint order: pools under lanes under expanded subprocesses under flows under nodes
LAYER = {"participant": 0, "lane": 1, "edge": 3, "node": 4, "boundaryEvent": 5}


def render_svg(bpmn_xml: str | bytes, process_id: str | None = None, completed: Iterable[str] = (),
               current: Iterable[str] = (), labels: Mapping[str, str] | None = None,
               translate: Callable[[str], str] | None = None) -> str:
    """Return an SVG document (no XML declaration) for inline use in HTML.

    `completed`/`current` are BPMN element ids; `labels` maps ids to display names, and
    `translate` turns any other element's name into the page's language. Raises
    ValueError if the file has no diagram for `process_id`.
    """
    root = _parse(bpmn_xml)
    model = {el.get("id"): el for el in root.iter(f"{{{BPMN}}}*") if el.get("id")}
    plane = _pick_plane(root, model, process_id)
    ctx = _Context(model, set(completed), set(current), dict(labels or {}), translate or str)
    items: list[tuple[float, int, etree._Element, etree._Element]] = []
    for order, di in enumerate(plane.iter(f"{{{NS['bpmndi']}}}BPMNShape", f"{{{NS['bpmndi']}}}BPMNEdge")):
        element = model.get(di.get("bpmnElement", ""))
        if element is None or _local(element) in ("process", "collaboration"):
            continue
        items.append((_layer(element, di), order, element, di))
    extent = _extent(plane)
    if extent is None:
        raise ValueError("the diagram has no shapes with bounds")
    x0, y0, x1, y1 = extent
    title = _diagram_title(plane, model, process_id, ctx)
    svg = etree.Element(f"{{{shapes.SVG_NS}}}svg", nsmap={None: shapes.SVG_NS})
    for key, value in (("viewBox", " ".join(shapes.num(v) for v in (x0 - MARGIN, y0 - MARGIN,
                                                                     x1 - x0 + 2 * MARGIN, y1 - y0 + 2 * MARGIN))),
                       ("width", "100%"), ("preserveAspectRatio", "xMidYMin meet"), ("role", "img"),
                       ("aria-label", shapes.clean(title)), ("class", "bpmn-diagram"),
                       ("font-family", shapes.FONT_FAMILY), ("font-size", "12")):
        svg.set(key, value)
    sub(svg, "title", title)
    shapes.add_defs(svg)
    lane_boxes = [_bounds(di) for _l, _o, el, di in items if _local(el) == "lane"]
    ctx.boxes = {el.get("id"): _bounds(di) for _l, _o, el, di in items}
    ctx.boundaries = [el for _l, _o, el, _di in items if _local(el) == "boundaryEvent"]
    ctx.flow_ends = [pts[i] for edge in plane.iter(f"{{{NS['bpmndi']}}}BPMNEdge")
                     if (pts := _waypoints(edge)) for i in (0, -1)]
    for _layer_no, _order, element, di in sorted(items, key=lambda item: item[:2]):
        _draw(svg, ctx, element, di, lane_boxes)
    return etree.tostring(svg, encoding="unicode")


class _Context:
    """What every draw call needs: the model index, progress sets and display names."""

    def __init__(self, model, completed, current, labels, translate):
        self.model, self.completed, self.current, self.labels = model, completed, current, labels
        self.translate = translate
        self.flow_ends: list[tuple[float, float]] = []  # where flows attach, to keep labels clear
        self.boxes: dict[str, Box | None] = {}
        self.boundaries: list[etree._Element] = []

    def state(self, element_id: str) -> str:
        if element_id in self.current:
            return "current"
        return "completed" if element_id in self.completed else "none"

    def name(self, element: etree._Element) -> str:
        return self.labels.get(element.get("id", "")) or self.translate(element.get("name") or "")

    def flow_state(self, flow: etree._Element) -> str:
        """A flow is 'taken' if listed, or if its completed source had no other way out.

        Gateway choices are not guessed: in a loop every branch's ends may be completed.
        """
        own = self.state(flow.get("id", ""))
        source = self.model.get(flow.get("sourceRef", ""))
        if own != "none" or source is None or source.get("id") not in self.completed:
            return own
        siblings = [el for el in source.getparent() if _local(el) == "sequenceFlow"
                    and el.get("sourceRef") == source.get("id")]
        single = len(siblings) == 1 or _local(source) == "parallelGateway"
        return "completed" if single else "none"


def _parse(bpmn_xml: str | bytes) -> etree._Element:
    """Parse without DTDs, entities or network access: the file is data, not a program."""
    if isinstance(bpmn_xml, str):
        bpmn_xml = re.sub(r"^\s*<\?xml[^>]*\?>", "", bpmn_xml)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, remove_pis=True)
    return etree.fromstring(bpmn_xml, parser)


def _pick_plane(root, model, process_id):
    planes = root.findall(".//bpmndi:BPMNPlane", NS)
    if process_id is None:
        if not planes:
            raise ValueError("the BPMN file has no diagram")
        return planes[0]
    for plane in planes:
        if plane.get("bpmnElement") == process_id:
            return plane
    for plane in planes:
        target = model.get(plane.get("bpmnElement", ""))
        if target is not None and _local(target) == "collaboration" and any(
                p.get("processRef") == process_id for p in target.iter(f"{{{BPMN}}}participant")):
            return plane
    raise ValueError(f"no diagram for process {process_id!r}")


def _diagram_title(plane, model, process_id, ctx) -> str:
    target = model.get(process_id or plane.get("bpmnElement", ""))
    if target is not None and _local(target) == "collaboration":
        participant = next(target.iter(f"{{{BPMN}}}participant"), None)
        ref = participant.get("processRef") if participant is not None else None
        target = model.get(ref or "", participant)
    if target is None:
        return "BPMN"
    return ctx.name(target) or target.get("id") or "BPMN"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _bounds(node: etree._Element | None) -> Box | None:
    bounds = node.find("dc:Bounds", NS) if node is not None else None
    if bounds is None:
        return None
    return tuple(float(bounds.get(k, 0)) for k in ("x", "y", "width", "height"))


def _label_box(di: etree._Element) -> Box | None:
    return _bounds(di.find("bpmndi:BPMNLabel", NS))


def _waypoints(di: etree._Element) -> list[tuple[float, float]]:
    return [(float(p.get("x", 0)), float(p.get("y", 0))) for p in di.findall("di:waypoint", NS)]


def _extent(plane) -> tuple[float, float, float, float] | None:
    xs: list[float] = []
    ys: list[float] = []
    for bounds in plane.iter(f"{{{NS['dc']}}}Bounds"):
        x, y = float(bounds.get("x", 0)), float(bounds.get("y", 0))
        xs += [x, x + float(bounds.get("width", 0))]
        ys += [y, y + float(bounds.get("height", 0))]
    for point in plane.iter(f"{{{NS['di']}}}waypoint"):
        xs.append(float(point.get("x", 0)))
        ys.append(float(point.get("y", 0)))
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _expanded(element, di) -> bool:
    if di.get("isExpanded") is not None:
        return di.get("isExpanded") == "true"
    box = _bounds(di)
    return box is not None and box[2] >= 200 and box[3] >= 120


def _layer(element, di) -> float:
    kind = _local(element)
    if di.tag.endswith("BPMNEdge"):
        return LAYER["edge"]
    if kind in SUBPROCESSES and _expanded(element, di):
        return 2 + 0.01 * sum(1 for a in element.iterancestors() if _local(a) in SUBPROCESSES)
    return LAYER.get(kind, LAYER["node"])


def _group(svg, element, state: str, title: str) -> etree._Element:
    attrs = {"class": f"bpmn-element bpmn-{_local(element)} state-{state}",
             "data-element-id": element.get("id")}
    if state == "current":
        attrs["aria-current"] = "step"
    group = sub(svg, "g")
    for key, value in attrs.items():
        group.set(key, shapes.clean(value))
    sub(group, "title", title)
    return group


def _draw(svg, ctx: _Context, element, di, lane_boxes) -> None:
    kind, eid = _local(element), element.get("id", "")
    name = ctx.name(element)
    if di.tag.endswith("BPMNEdge"):
        _draw_edge(svg, ctx, element, di, kind, name)
        return
    box = _bounds(di)
    if box is None:
        return
    state = ctx.state(eid)
    group = _group(svg, element, state, name or eid)
    horizontal = di.get("isHorizontal", "true" if box[2] >= box[3] else "false") == "true"
    if kind == "participant":
        inner = [lane[0] - box[0] for lane in lane_boxes if lane and box[0] < lane[0] < box[0] + box[2]
                 and box[1] <= lane[1] < box[1] + box[3]]
        shapes.draw_band(group, box, name, min(inner) if inner else 30.0, horizontal, state, pool=True)
    elif kind == "lane":
        shapes.draw_band(group, box, name, 30.0, horizontal, state, pool=False)
    elif kind in SUBPROCESSES and _expanded(element, di):
        shapes.draw_subprocess(group, box, name, state)
    elif kind in ACTIVITIES or kind in SUBPROCESSES:
        busy = any(b.get("attachedToRef") == eid and (bb := ctx.boxes.get(b.get("id", ""))) is not None
                   and bb[1] < box[1] + box[3] < bb[1] + bb[3] for b in ctx.boundaries)
        shapes.draw_task(group, box, name, kind, state, _loop(element), kind in SUBPROCESSES, busy)
    elif kind in EVENTS:
        definitions = [_local(c) for c in element if _local(c).endswith("EventDefinition")]
        interrupting = element.get("cancelActivity", "true") != "false" and element.get("isInterrupting") != "false"
        shapes.draw_event(group, box, kind, definitions, interrupting, state)
        _outside_label(group, name, box, _label_box(di), ctx.flow_ends)
    elif kind.endswith("Gateway"):
        shapes.draw_gateway(group, box, kind, state)
        _outside_label(group, name, box, _label_box(di), ctx.flow_ends)
    else:
        shapes.draw_generic(group, box, name, state)


def _loop(element) -> str | None:
    mi = element.find("bpmn:multiInstanceLoopCharacteristics", NS)
    if mi is not None:
        return "sequential" if mi.get("isSequential") == "true" else "parallel"
    return "loop" if element.find("bpmn:standardLoopCharacteristics", NS) is not None else None


def _outside_label(group, name: str, box: Box, label: Box | None, flow_ends) -> None:
    """Events and gateways carry their name outside: where the modeller put it, else
    below, above or top-right, whichever side no flow attaches to."""
    if not name:
        return
    if label is not None:
        lx, ly, lw, _lh = label
        lines = shapes.wrap(name, max(lw * 1.2 + 8, 60), 11)
        if lx + lw <= box[0] + 2:  # label left of the shape: grow leftwards, away from it
            shapes.text_block(group, lines, lx + lw, ly, 11, valign="top", anchor="end")
        elif lx >= box[0] + box[2] - 2:
            shapes.text_block(group, lines, lx, ly, 11, valign="top", anchor="start")
        else:
            shapes.text_block(group, lines, lx + lw / 2, ly, 11, valign="top")
        return
    x, y, w, h = box
    cx = x + w / 2

    def attached(edge_y: float) -> bool:
        return any(abs(px - cx) < 4 and abs(py - edge_y) < 4 for px, py in flow_ends)

    lines = shapes.wrap(name, 100, 11)
    if not attached(y + h):
        shapes.text_block(group, lines, cx, y + h + 5, 11, valign="top")
    elif not attached(y):
        shapes.text_block(group, lines, cx, y - 5, 11, valign="bottom")
    else:
        shapes.text_block(group, lines, x + w + 2, y + 2, 11, valign="bottom", anchor="start")


def _draw_edge(svg, ctx: _Context, element, di, kind: str, name: str) -> None:
    points = _waypoints(di)
    if len(points) < 2:
        return
    source, target = (ctx.model.get(element.get(ref, "")) for ref in ("sourceRef", "targetRef"))
    state = ctx.flow_state(element) if kind == "sequenceFlow" else ctx.state(element.get("id", ""))
    ends = " → ".join(ctx.name(el) or el.get("id", "") for el in (source, target) if el is not None)
    group = _group(svg, element, state, name or ends or element.get("id", ""))
    is_default = source is not None and source.get("default") == element.get("id")
    shapes.draw_edge(group, points, state, kind, "default" if is_default else None)
    if not name:
        return
    label = _label_box(di)
    if label is not None:
        lx, ly, lw, _lh = label
        lines = shapes.wrap(name, lw * 1.25 + 10, 11)
        shapes.text_block(group, lines, lx + lw / 2, ly, 11, valign="top")
        return
    (ax, ay), (bx, by) = points[0], points[1]  # no DI label: beside the start of the flow
    lines = shapes.wrap(name, 120, 11)
    if abs(bx - ax) >= abs(by - ay):
        step = 8 if bx >= ax else -8
        shapes.text_block(group, lines, ax + step, ay - 5, 11, valign="bottom",
                          anchor="start" if step > 0 else "end")
    else:
        step = 10 if by >= ay else -10
        shapes.text_block(group, lines, ax + 6, ay + step, 11, valign="top" if step > 0 else "bottom",
                          anchor="start")
