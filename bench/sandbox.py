"""What the RestrictedPython sandbox costs: the same work with the sandboxed script engine and with
the environment it replaced (a dunder/import check, then plain `exec`/`eval`), in one run.

Two rows, each timed alternately (old, new, old, new...) so machine noise hits both alike:
- `snippets`: the key-account process's own scripts and conditions, evaluated directly;
- `completion`: a raw SpiffWorkflow load → complete the first task → save cycle of the real
  key-account process (which runs its scripts, gateway conditions and DMN table).

    .venv/bin/python bench/sandbox.py [--n 300]
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment  # noqa: E402
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser  # noqa: E402
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402

from engine.demo import answer  # noqa: E402
from engine.spiff import scripts  # noqa: E402

PROCESS = "key_account_development"
FUNCTIONS = {"committee_members_for": lambda owner: ["cat", "ken", "col"]}
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}


class _Unsandboxed(TaskDataEnvironment):
    """The environment before the sandbox: dunder names and imports refused, then plain eval/exec."""

    def evaluate(self, expression, context, external_context=None):
        scripts.check_code(expression, "eval")
        return super().evaluate(expression, context, external_context)

    def execute(self, script, context, external_context=None):
        scripts.check_code(script, "exec")
        return super().execute(script, context, external_context)


def engines() -> dict[str, PythonScriptEngine]:
    before = _Unsandboxed({"__builtins__": scripts.SAFE_BUILTINS, **scripts.SCRIPT_GLOBALS, **FUNCTIONS})
    return {"before": PythonScriptEngine(environment=before), "sandbox": scripts.make_script_engine(FUNCTIONS)}


def snippets_rate(engine: PythonScriptEngine, n: int) -> float:
    tree = etree.parse(str(ROOT / "workflows" / f"{PROCESS}.bpmn"))
    code = [s.text for s in tree.iterfind(".//bpmn:script", NS)]
    conditions = [c.text for c in tree.iterfind(".//bpmn:conditionExpression", NS) if c.text]
    data = {"owner": "amy", "project": {"budget_amount": 2_000_000}, "customer": {"account_type": "global"},
            "votes": [{"decision": "approve"}, {"decision": "return"}, {"decision": "approve"}],
            "voting_rule": "two_thirds", "manager_review": {"decision": "approve", "return_to": "proposal"},
            "committee_result": {"outcome": "approve"}, "tiebreak": {"decision": "approve"}}
    env = engine.environment
    start = time.perf_counter()
    for _ in range(n):
        for script in code:
            env.execute(script, dict(data), {})
        for condition in conditions:
            env.evaluate(condition, dict(data))
    return n / (time.perf_counter() - start)


def completion_rate(engine: PythonScriptEngine, n: int) -> float:
    parser = SpiffBpmnParser()
    parser.add_dmn_files_by_glob(str(ROOT / "workflows" / "*.dmn"))
    parser.add_bpmn_files_by_glob(str(ROOT / "workflows" / "*.bpmn"))
    spec, subs = parser.get_spec(PROCESS), parser.get_subprocess_specs(PROCESS)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(dict(SPIFF_CONFIG)))
    wf = BpmnWorkflow(spec, subs, script_engine=engine)
    wf.get_tasks(state=TaskState.READY)[0].data.update(project_name="Bench", owner="amy")
    wf.do_engine_steps()
    fresh = serializer.serialize_json(wf)
    start = time.perf_counter()
    for _ in range(n):
        wf = serializer.deserialize_json(fresh)
        wf.script_engine = engine
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update(answer(task.task_spec.bpmn_id))
        task.run()
        wf.do_engine_steps()
        serializer.serialize_json(wf)
    return n / (time.perf_counter() - start)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--repeats", type=int, default=3, help="alternating old/new runs per row")
    args = ap.parse_args()
    print("ratio = sandboxed rate ÷ rate before the sandbox, both measured alternately in this run")
    print(f"{'work':<12}{'before/s':>11}{'sandbox/s':>11}{'ratio':>8}")
    for name, measure in (("snippets", snippets_rate), ("completion", completion_rate)):
        best = {"before": 0.0, "sandbox": 0.0}
        for _ in range(args.repeats):
            for label, engine in engines().items():
                best[label] = max(best[label], measure(engine, args.n))
        print(f"{name:<12}{best['before']:>11,.0f}{best['sandbox']:>11,.0f}{best['sandbox'] / best['before']:>8.2f}",
              flush=True)


if __name__ == "__main__":
    main()
