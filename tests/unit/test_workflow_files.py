"""Static checks of the process model files in workflows/ (pure lxml: no SpiffWorkflow, no database).

The ids, lane ids and property names checked here are the contract in docs/process.md.
"""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[2]
BPMN_FILE = ROOT / "workflows" / "key_account_development.bpmn"
DMN_FILE = ROOT / "workflows" / "voting_rule.dmn"
FORMS_DIR = ROOT / "forms"

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
    "dmn": "https://www.omg.org/spec/DMN/20191111/MODEL/",
}

# Everything that sits on a sequence flow (BPMN's flow nodes), by local tag name.
FLOW_NODE_TAGS = {
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "businessRuleTask", "sendTask",
    "receiveTask", "callActivity", "subProcess", "transaction",
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
}
GATEWAY_TAGS = {"exclusiveGateway", "inclusiveGateway"}

CONTRACT_LANES = {"rep", "department_manager", "committee", "chair"}
CONTRACT_NODES = {
    "start", "set_deadlines", "information_merge", "information_gathering", "customer_info",
    "competitor_info", "project_info", "decision_makers", "decision_participants", "proposal_merge",
    "proposal", "manager_review", "manager_reminder", "manager_escalation", "manager_decision",
    "find_committee", "voting_rule", "committee_vote", "committee_reminder", "committee_escalation",
    "tally_votes", "committee_decision", "chair_tiebreak", "tiebreak_decision", "authorisation",
    "end_established", "end_declined",
}


def local(element) -> str:
    return etree.QName(element).localname


@pytest.fixture(scope="module")
def bpmn():
    return etree.parse(str(BPMN_FILE))


@pytest.fixture(scope="module")
def process(bpmn):
    (proc,) = bpmn.xpath("//bpmn:process[@id='key_account_development']", namespaces=NS)
    return proc


def flow_nodes(container, deep=True):
    """Flow nodes directly in `container` (and, if deep, inside its embedded subprocesses)."""
    found = []
    for child in container:
        if not isinstance(child.tag, str) or etree.QName(child).namespace != NS["bpmn"]:
            continue
        if local(child) in FLOW_NODE_TAGS:
            found.append(child)
            if deep and local(child) in ("subProcess", "transaction"):
                found.extend(flow_nodes(child, deep=True))
    return found


def sequence_flows(process):
    return process.xpath(".//bpmn:sequenceFlow", namespaces=NS)


def shapes_by_element(bpmn):
    shapes = {}
    for shape in bpmn.xpath("//bpmndi:BPMNShape", namespaces=NS):
        (bounds,) = shape.xpath("dc:Bounds", namespaces=NS)
        shapes[shape.get("bpmnElement")] = tuple(float(bounds.get(k)) for k in ("x", "y", "width", "height"))
    return shapes


def properties(element):
    return {
        p.get("name"): p.get("value")
        for p in element.xpath("bpmn:extensionElements/spiffworkflow:properties/spiffworkflow:property", namespaces=NS)
    }


def overlap(a, b) -> bool:
    ax, ay, aw, ah = a
    bx, by, bw, bh = b
    return ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah


def inside(inner, outer) -> bool:
    ix, iy, iw, ih = inner
    ox, oy, ow, oh = outer
    return ox <= ix and oy <= iy and ix + iw <= ox + ow and iy + ih <= oy + oh


def test_the_process_is_executable_and_sits_in_one_pool(bpmn, process):
    participants = bpmn.xpath("//bpmn:collaboration/bpmn:participant", namespaces=NS)
    assert [p.get("processRef") for p in participants] == ["key_account_development"]
    assert process.get("isExecutable") == "true"
    assert process.get("name") == "Key-account development (stage 1)"


def test_lane_ids_are_the_four_of_the_contract(process):
    lanes = process.xpath("bpmn:laneSet/bpmn:lane", namespaces=NS)
    assert {lane.get("id") for lane in lanes} == CONTRACT_LANES
    assert len(lanes) == len(CONTRACT_LANES)


def test_every_id_named_in_the_contract_exists(process):
    ids = {node.get("id") for node in flow_nodes(process)}
    assert CONTRACT_NODES <= ids, CONTRACT_NODES - ids


def test_every_flow_node_of_the_process_is_in_exactly_one_lane(process):
    refs = [ref.text for ref in process.xpath("bpmn:laneSet/bpmn:lane/bpmn:flowNodeRef", namespaces=NS)]
    top_level = [node.get("id") for node in flow_nodes(process, deep=False)]
    for node_id in top_level:
        assert refs.count(node_id) == 1, f"{node_id} is in {refs.count(node_id)} lanes"
    assert set(refs) <= set(top_level), set(refs) - set(top_level)


def test_boundary_events_share_the_lane_of_their_host(process):
    lane_of = {
        ref.text: ref.getparent().get("id")
        for ref in process.xpath("bpmn:laneSet/bpmn:lane/bpmn:flowNodeRef", namespaces=NS)
    }
    for event in process.xpath("bpmn:boundaryEvent", namespaces=NS):
        assert lane_of[event.get("id")] == lane_of[event.get("attachedToRef")], event.get("id")


def test_every_flow_node_and_sequence_flow_has_a_diagram_element(bpmn, process):
    shapes = shapes_by_element(bpmn)
    edges = {edge.get("bpmnElement"): edge for edge in bpmn.xpath("//bpmndi:BPMNEdge", namespaces=NS)}
    for node in flow_nodes(process):
        assert node.get("id") in shapes, f"no shape for {node.get('id')}"
    for lane in process.xpath("bpmn:laneSet/bpmn:lane", namespaces=NS):
        assert lane.get("id") in shapes, f"no shape for lane {lane.get('id')}"
    for participant in bpmn.xpath("//bpmn:participant", namespaces=NS):
        assert participant.get("id") in shapes
    for flow in sequence_flows(process):
        assert flow.get("id") in edges, f"no edge for {flow.get('id')}"
        assert len(edges[flow.get("id")].xpath("di:waypoint", namespaces=NS)) >= 2


def test_every_node_and_flow_in_the_diagram_exists_in_the_model(bpmn):
    ids = {element.get("id") for element in bpmn.iter() if isinstance(element.tag, str) and element.get("id")}
    for di_element in bpmn.xpath("//bpmndi:BPMNShape | //bpmndi:BPMNEdge", namespaces=NS):
        assert di_element.get("bpmnElement") in ids, di_element.get("bpmnElement")


def test_every_user_task_names_its_form_files(process):
    user_tasks = process.xpath(".//bpmn:userTask", namespaces=NS)
    assert user_tasks
    for task in user_tasks:
        props = properties(task)
        task_id = task.get("id")
        assert props.get("formJsonSchemaFilename") == f"{task_id}.schema.json", task_id
        assert props.get("formUiSchemaFilename") == f"{task_id}.uischema.json", task_id
        for key in ("formJsonSchemaFilename", "formUiSchemaFilename"):
            name = props[key]
            assert (BPMN_FILE.parent / name).exists() or (FORMS_DIR / name).exists(), f"{name} not found"


def test_every_user_task_has_instructions_for_the_user(process):
    for task in process.xpath(".//bpmn:userTask", namespaces=NS):
        text = task.xpath(
            "string(bpmn:extensionElements/spiffworkflow:instructionsForEndUser)", namespaces=NS
        )
        assert text.strip(), task.get("id")


def test_every_outgoing_flow_of_a_deciding_gateway_carries_a_condition_unless_it_is_the_default(process):
    flows = {flow.get("id"): flow for flow in sequence_flows(process)}
    for gateway in process.xpath(".//bpmn:exclusiveGateway | .//bpmn:inclusiveGateway", namespaces=NS):
        outgoing = [flow for flow in flows.values() if flow.get("sourceRef") == gateway.get("id")]
        if len(outgoing) < 2:
            continue  # a merging gateway decides nothing
        for flow in outgoing:
            if flow.get("id") == gateway.get("default"):
                continue
            condition = flow.xpath("string(bpmn:conditionExpression)", namespaces=NS)
            assert condition.strip(), f"{flow.get('id')} out of {gateway.get('id')} has no condition"


def test_every_node_and_flow_has_a_name_where_a_reader_needs_one(process):
    for node in flow_nodes(process):
        assert (node.get("name") or "").strip(), node.get("id")
    flows = sequence_flows(process)
    for flow in flows:
        if flow.xpath("bpmn:conditionExpression", namespaces=NS):
            assert (flow.get("name") or "").strip(), flow.get("id")


def test_sequence_flows_connect_existing_nodes_in_the_same_container(process):
    for flow in sequence_flows(process):
        container = flow.getparent()
        ids = {node.get("id") for node in flow_nodes(container, deep=False)}
        assert flow.get("sourceRef") in ids and flow.get("targetRef") in ids, flow.get("id")


def test_timer_boundary_events_are_non_interrupting_and_tell_the_engine_whom_to_notify(process):
    events = {event.get("id"): event for event in process.xpath(".//bpmn:boundaryEvent", namespaces=NS)}
    expected = {
        "manager_reminder": ("manager_review", "reminder_after", {"notify": "reminder"}),
        "manager_escalation": ("manager_review", "escalation_after",
                               {"notify": "escalation", "escalate_to": "reports_to"}),
        "committee_reminder": ("committee_vote", "reminder_after", {"notify": "reminder"}),
        "committee_escalation": ("committee_vote", "escalation_after",
                                 {"notify": "escalation", "escalate_to": "group:chair"}),
    }
    assert set(events) == set(expected)
    for event_id, (host, duration, props) in expected.items():
        event = events[event_id]
        assert event.get("cancelActivity") == "false", event_id
        assert event.get("attachedToRef") == host, event_id
        assert event.xpath("string(bpmn:timerEventDefinition/bpmn:timeDuration)", namespaces=NS).strip() == duration
        assert properties(event) == props, event_id


def test_end_events_of_the_process_state_their_outcome(process):
    outcomes = {
        event.get("id"): properties(event).get("outcome")
        for event in process.xpath("bpmn:endEvent", namespaces=NS)
    }
    assert outcomes["end_established"] == "established"
    assert outcomes["end_declined"] == "declined"


def test_the_committee_vote_runs_once_per_member_and_collects_the_votes(process):
    (task,) = process.xpath("bpmn:userTask[@id='committee_vote']", namespaces=NS)
    (loop,) = task.xpath("bpmn:multiInstanceLoopCharacteristics", namespaces=NS)
    assert loop.get("isSequential", "false") == "false"
    assert loop.xpath("string(bpmn:loopDataInputRef)", namespaces=NS) == "committee_members"
    assert loop.xpath("string(bpmn:loopDataOutputRef)", namespaces=NS) == "votes"
    assert loop.xpath("string(bpmn:inputDataItem/@id)", namespaces=NS) == "member"
    assert loop.xpath("string(bpmn:outputDataItem/@id)", namespaces=NS) == "vote"
    assert properties(task).get("assignee") == "member"


def test_the_business_rule_task_calls_the_voting_rule_decision(process):
    (task,) = process.xpath("bpmn:businessRuleTask[@id='voting_rule']", namespaces=NS)
    called = task.xpath("string(bpmn:extensionElements/spiffworkflow:calledDecisionId)", namespaces=NS)
    assert called == "voting_rule"


def test_shapes_of_nodes_do_not_overlap(bpmn, process):
    shapes = shapes_by_element(bpmn)
    nodes = flow_nodes(process)
    host_of = {node.get("id"): node.get("attachedToRef") for node in nodes if local(node) == "boundaryEvent"}
    parent_of = {
        node.get("id"): node.getparent().get("id") for node in nodes if local(node.getparent()) == "subProcess"
    }

    def related(a, b):
        return host_of.get(a) == b or host_of.get(b) == a or parent_of.get(a) == b or parent_of.get(b) == a

    for a, b in itertools.combinations([node.get("id") for node in nodes], 2):
        if related(a, b):
            continue
        assert not overlap(shapes[a], shapes[b]), f"{a} overlaps {b}"


def test_boundary_events_sit_on_the_border_of_their_host(bpmn, process):
    shapes = shapes_by_element(bpmn)
    for event in process.xpath(".//bpmn:boundaryEvent", namespaces=NS):
        ex, ey, ew, eh = shapes[event.get("id")]
        hx, hy, hw, hh = shapes[event.get("attachedToRef")]
        cx, cy = ex + ew / 2, ey + eh / 2
        on_vertical = cx in (hx, hx + hw) and hy <= cy <= hy + hh
        on_horizontal = cy in (hy, hy + hh) and hx <= cx <= hx + hw
        assert on_vertical or on_horizontal, event.get("id")


def test_every_top_level_node_lies_inside_the_band_of_its_lane(bpmn, process):
    shapes = shapes_by_element(bpmn)
    for lane in process.xpath("bpmn:laneSet/bpmn:lane", namespaces=NS):
        for ref in lane.xpath("bpmn:flowNodeRef", namespaces=NS):
            assert inside(shapes[ref.text], shapes[lane.get("id")]), f"{ref.text} outside lane {lane.get('id')}"


def test_the_embedded_subprocess_is_expanded_around_its_children(bpmn, process):
    shapes = shapes_by_element(bpmn)
    (expanded,) = bpmn.xpath("//bpmndi:BPMNShape[@bpmnElement='information_gathering']", namespaces=NS)
    assert expanded.get("isExpanded") == "true"
    for child in flow_nodes(process.xpath("bpmn:subProcess[@id='information_gathering']", namespaces=NS)[0]):
        assert inside(shapes[child.get("id")], shapes["information_gathering"]), child.get("id")


def test_pool_and_lanes_are_horizontal_and_lanes_fill_the_pool_without_overlap(bpmn, process):
    shapes = shapes_by_element(bpmn)
    for element_id in ["key_account_development_pool", *CONTRACT_LANES]:
        (shape,) = bpmn.xpath(f"//bpmndi:BPMNShape[@bpmnElement='{element_id}']", namespaces=NS)
        assert shape.get("isHorizontal") == "true", element_id
    pool = shapes["key_account_development_pool"]
    lanes = [shapes[lane_id] for lane_id in CONTRACT_LANES]
    for lane in lanes:
        assert inside(lane, pool)
    for a, b in itertools.combinations(lanes, 2):
        assert not overlap(a, b)
    assert sum(lane[3] for lane in lanes) == pool[3]


def test_sequence_flow_edges_are_drawn_orthogonally(bpmn):
    for edge in bpmn.xpath("//bpmndi:BPMNEdge", namespaces=NS):
        points = [(float(p.get("x")), float(p.get("y"))) for p in edge.xpath("di:waypoint", namespaces=NS)]
        for (x1, y1), (x2, y2) in zip(points, points[1:]):
            assert x1 == x2 or y1 == y2, edge.get("bpmnElement")


def test_the_voting_rule_decision_table_matches_the_contract():
    dmn = etree.parse(str(DMN_FILE))
    (decision,) = dmn.xpath("//dmn:decision", namespaces=NS)
    assert decision.get("id") == "voting_rule"
    (table,) = decision.xpath("dmn:decisionTable", namespaces=NS)
    assert table.get("hitPolicy") in ("FIRST", "UNIQUE")
    inputs = [text.strip() for text in table.xpath("dmn:input/dmn:inputExpression/dmn:text/text()", namespaces=NS)]
    assert inputs == ["account_type", "deal_size"]
    assert [output.get("name") for output in table.xpath("dmn:output", namespaces=NS)] == ["voting_rule"]
    outputs = {
        text.strip().strip('"')
        for text in table.xpath("dmn:rule/dmn:outputEntry/dmn:text/text()", namespaces=NS)
    }
    assert outputs == {"unanimous", "two_thirds", "majority"}
