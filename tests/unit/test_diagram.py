"""webui.projects.diagram: the BPMN diagram drawn as static SVG from the file's own DI.

Pure lxml in and out: no Flask, no database, no engine.
"""
from __future__ import annotations

import collections
import pathlib
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from webui.projects.diagram import render_svg
from webui.projects.diagram_shapes import clean

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "data" / "diagram" / "fixture.bpmn"
WORKFLOWS = ROOT / "workflows"
KEY_ACCOUNT = WORKFLOWS / "key_account_development.bpmn"
SVG = "http://www.w3.org/2000/svg"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
      "dc": "http://www.omg.org/spec/DD/20100524/DC", "di": "http://www.omg.org/spec/DD/20100524/DI",
      "svg": SVG}
FLOW_NODES = {"startEvent", "endEvent", "boundaryEvent", "intermediateCatchEvent", "intermediateThrowEvent",
              "task", "userTask", "scriptTask", "serviceTask", "businessRuleTask", "manualTask", "sendTask",
              "receiveTask", "callActivity", "subProcess", "transaction", "adHocSubProcess",
              "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway"}


def fixture_xml() -> bytes:
    return FIXTURE.read_bytes()


def render(xml: bytes | str | None = None, **kwargs) -> etree._Element:
    return etree.fromstring(render_svg(fixture_xml() if xml is None else xml, **kwargs).encode())


def groups(svg: etree._Element) -> dict[str, etree._Element]:
    return {g.get("data-element-id"): g for g in svg.iter(f"{{{SVG}}}g") if g.get("data-element-id")}


def group_ids(svg: etree._Element) -> list[str]:
    return [g.get("data-element-id") for g in svg.iter(f"{{{SVG}}}g") if g.get("data-element-id")]


def plane_ids(xml: bytes, plane_id: str) -> set[str]:
    plane = etree.fromstring(xml).find(f".//bpmndi:BPMNPlane[@id='{plane_id}']", NS)
    return {di.get("bpmnElement") for di in plane if di.tag.endswith(("BPMNShape", "BPMNEdge"))}


def classes(group: etree._Element) -> set[str]:
    return set(group.get("class", "").split())


def title_of(group: etree._Element) -> str:
    return group.find("svg:title", NS).text


def test_every_shape_and_edge_with_di_appears_exactly_once_as_a_group():
    ids = group_ids(render(process_id="fixture_process"))
    counts = collections.Counter(ids)
    assert set(counts) == plane_ids(fixture_xml(), "fixture_plane")
    assert all(n == 1 for n in counts.values()), counts


def test_elements_without_di_and_other_processes_diagrams_are_left_out():
    ids = set(group_ids(render(process_id="fixture_process")))
    assert "undrawn" not in ids
    assert not ids & {"side_start", "side_end", "side_flow"}


def test_a_process_id_selects_the_plane_of_that_process_or_its_collaboration():
    assert set(group_ids(render(process_id="side_process"))) == {"side_start", "side_end", "side_flow"}
    assert set(group_ids(render())) == set(group_ids(render(process_id="fixture_process")))


def test_an_unknown_process_id_is_a_value_error():
    with pytest.raises(ValueError):
        render_svg(fixture_xml(), process_id="no_such_process")


def test_a_file_without_any_diagram_is_a_value_error():
    xml = re.sub(rb"<bpmndi:BPMNDiagram.*</bpmndi:BPMNDiagram>", b"", fixture_xml(), flags=re.S)
    with pytest.raises(ValueError):
        render_svg(xml)


def test_a_shape_pointing_at_a_missing_element_is_skipped():
    ghost = (b'<bpmndi:BPMNShape id="ghost_di" bpmnElement="ghost"><dc:Bounds x="1" y="1" width="9" height="9" />'
             b'</bpmndi:BPMNShape></bpmndi:BPMNPlane>')
    xml = fixture_xml().replace(b"</bpmndi:BPMNPlane>", ghost, 1)
    assert "ghost" not in group_ids(render(xml, process_id="fixture_process"))


def test_text_input_with_an_xml_declaration_gives_the_same_svg_as_bytes():
    assert render_svg(fixture_xml().decode("utf-8")) == render_svg(fixture_xml())


def test_groups_carry_the_bpmn_type_and_the_state_as_classes():
    found = groups(render(completed=["start", "draft"], current=["approve"]))
    assert {"bpmn-element", "bpmn-userTask", "state-completed"} <= classes(found["draft"])
    assert {"bpmn-startEvent", "state-completed"} <= classes(found["start"])
    assert {"bpmn-userTask", "state-current"} <= classes(found["approve"])
    assert {"bpmn-exclusiveGateway", "state-none"} <= classes(found["needs_review"])
    assert {"bpmn-participant", "state-none"} <= classes(found["fixture_pool"])
    assert {"bpmn-lane"} <= classes(found["lane_sales"])


def test_completed_and_current_steps_are_tinted_and_others_stay_neutral():
    found = groups(render(completed=["draft"], current=["check"]))
    fill = {eid: found[eid].find("svg:rect", NS).get("fill") for eid in ("draft", "check", "approve")}
    assert len(set(fill.values())) == 3


def test_only_the_current_steps_carry_aria_current_step():
    svg = render(completed=["start", "draft"], current=["approve", "review"])
    marked = {g.get("data-element-id") for g in svg.iter(f"{{{SVG}}}g") if g.get("aria-current")}
    assert marked == {"approve", "review"}
    assert groups(svg)["approve"].get("aria-current") == "step"


def test_a_step_both_completed_and_current_shows_as_current():
    assert "state-current" in classes(groups(render(completed=["draft"], current=["draft"]))["draft"])


def test_a_flow_out_of_a_completed_task_counts_as_taken_but_gateway_choices_are_not_guessed():
    found = groups(render(completed=["start", "draft", "needs_review"]))
    assert "state-completed" in classes(found["flow_draft_gateway"])
    assert "state-none" in classes(found["flow_to_review"])
    assert "state-none" in classes(found["flow_skip_review"])
    assert "state-completed" in classes(groups(render(completed=["flow_to_review"]))["flow_to_review"])


def test_the_output_is_an_accessible_responsive_svg_document():
    svg = render(process_id="fixture_process")
    assert svg.tag == f"{{{SVG}}}svg"
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Fixture <process> & 流程"
    assert svg.get("width") == "100%" and svg.get("height") is None
    assert svg[0].tag == f"{{{SVG}}}title" and svg[0].text == "Fixture <process> & 流程"
    assert all(g[0].tag == f"{{{SVG}}}title" for g in svg.iter(f"{{{SVG}}}g") if g.get("data-element-id"))


def test_the_font_stack_is_generic_and_covers_traditional_chinese():
    family = render().get("font-family")
    assert "Noto Sans CJK TC" in family and family.rstrip().endswith("sans-serif")


def test_names_with_markup_characters_are_escaped_and_chinese_is_kept():
    raw = render_svg(fixture_xml())
    assert "Draft &lt;proposal&gt; &amp; 草擬提案" in raw
    assert "<proposal>" not in raw and "<rep>" not in raw and "<review>" not in raw
    found = groups(etree.fromstring(raw.encode()))
    assert title_of(found["draft"]) == "Draft <proposal> & 草擬提案"
    assert "".join(found["lane_sales"].find("svg:text", NS).itertext()).startswith("Sales 業務")
    assert "No & skip" in "".join(found["flow_skip_review"].itertext())


def test_the_svg_has_no_script_no_event_handlers_and_no_external_references():
    raw = render_svg(fixture_xml(), completed=["start"], current=["draft"])
    svg = etree.fromstring(raw.encode())
    tags = {etree.QName(el).localname for el in svg.iter() if isinstance(el.tag, str)}
    assert not tags & {"script", "foreignObject", "image", "use", "a", "style", "iframe"}
    for el in svg.iter():
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on") and "href" not in name
            assert "url(" not in value or re.fullmatch(r"url\(#[\w-]+\)", value)
    assert "http" not in raw.replace(f'xmlns="{SVG}"', "")


def test_the_view_box_contains_every_bound_and_waypoint_of_the_plane():
    x, y, w, h = map(float, render(process_id="fixture_process").get("viewBox").split())
    plane = etree.fromstring(fixture_xml()).find(".//bpmndi:BPMNPlane[@id='fixture_plane']", NS)
    for b in plane.iter(f"{{{NS['dc']}}}Bounds"):
        bx, by, bw, bh = (float(b.get(k)) for k in ("x", "y", "width", "height"))
        assert x <= bx and y <= by and bx + bw <= x + w and by + bh <= y + h
    for p in plane.iter(f"{{{NS['di']}}}waypoint"):
        assert x <= float(p.get("x")) <= x + w and y <= float(p.get("y")) <= y + h


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_display_name_comes_back_verbatim_from_well_formed_svg(name):
    assume(clean(name).strip())
    svg = render(labels={"draft": name, "fixture_process": name})
    assert title_of(groups(svg)["draft"]) == clean(name)
    assert svg.get("aria-label") == clean(name)


def test_labels_replace_the_names_of_the_elements_they_map():
    found = groups(render(labels={"draft": "草擬 <提案>", "fixture_process": "流程"}))
    assert title_of(found["draft"]) == "草擬 <提案>"
    assert "Draft" not in "".join(found["draft"].itertext())
    assert title_of(found["approve"]) == "Approve 核准"


def test_sequence_flows_are_polylines_ending_in_an_arrowhead_defined_in_the_svg():
    svg = render()
    markers = {m.get("id") for m in svg.iter(f"{{{SVG}}}marker")}
    line = groups(svg)["flow_start_draft"].find("svg:polyline", NS)
    assert line.get("points") == "216,200 250,200"
    assert line.get("marker-end")[5:-1] in markers


def test_the_non_interrupting_timer_boundary_event_is_dashed_and_has_a_clock():
    event = groups(render())["approve_reminder"]
    circles = event.findall("svg:circle", NS)
    assert len(circles) >= 3  # outer ring, inner ring, clock face
    assert circles[0].get("stroke-dasharray")
    assert event.find("svg:path", NS) is not None  # clock hands and ticks


def test_the_end_event_has_a_thicker_border_than_the_start_event():
    found = groups(render())
    width = {eid: float(found[eid].find("svg:circle", NS).get("stroke-width")) for eid in ("start", "end")}
    assert width["end"] > width["start"]


def test_the_expanded_subprocess_is_drawn_beneath_and_around_its_child():
    svg = render()
    ids = group_ids(svg)
    assert ids.index("review") < ids.index("check")
    outer, inner = (groups(svg)[eid].find("svg:rect", NS) for eid in ("review", "check"))
    ox, oy, ow, oh = (float(outer.get(k)) for k in ("x", "y", "width", "height"))
    ix, iy, iw, ih = (float(inner.get(k)) for k in ("x", "y", "width", "height"))
    assert ox < ix and oy < iy and ix + iw < ox + ow and iy + ih < oy + oh


def test_the_exclusive_gateway_is_a_diamond_with_an_x():
    gateway = groups(render())["needs_review"]
    assert len(gateway.find("svg:polygon", NS).get("points").split()) == 4
    assert gateway.find("svg:path", NS).get("d").count("M") == 2


def flow_nodes(xml: bytes, process_id: str) -> set[str]:
    process = etree.fromstring(xml).find(f"bpmn:process[@id='{process_id}']", NS)
    return {el.get("id") for el in process.iter() if etree.QName(el).localname in FLOW_NODES}


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.bpmn")), ids=lambda p: p.name)
def test_every_flow_node_of_each_executable_workflow_is_drawn(path):
    xml = path.read_bytes()
    processes = etree.fromstring(xml).findall("bpmn:process[@isExecutable='true']", NS)
    assert processes, f"{path.name} has no executable process"
    for process in processes:
        drawn = set(group_ids(etree.fromstring(render_svg(xml, process.get("id")).encode())))
        missing = flow_nodes(xml, process.get("id")) - drawn
        assert not missing, f"{path.name}: no diagram shape for {sorted(missing)}"


def test_the_key_account_development_diagram_draws_every_flow_node_and_flow():
    xml = KEY_ACCOUNT.read_bytes()
    svg = etree.fromstring(render_svg(xml, "key_account_development", completed=["start"], current=["set_deadlines"])
                           .encode())
    drawn = set(group_ids(svg))
    process = etree.fromstring(xml).find("bpmn:process[@id='key_account_development']", NS)
    flows = {f.get("id") for f in process.iter(f"{{{NS['bpmn']}}}sequenceFlow")}
    assert flow_nodes(xml, "key_account_development") <= drawn
    assert flows <= drawn
    assert groups(svg)["set_deadlines"].get("aria-current") == "step"
