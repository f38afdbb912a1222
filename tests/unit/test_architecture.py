"""The engine stands alone: no Flask, and only engine/spiff touches SpiffWorkflow."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports(folder):
    for path in (ROOT / folder).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield path, [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                yield path, [node.module]


def test_the_engine_never_imports_flask():
    offenders = [str(p) for p, names in imports("engine") if any(n.split(".")[0] == "flask" for n in names)]
    assert offenders == []


def test_only_engine_spiff_imports_spiffworkflow():
    offenders = {str(p.relative_to(ROOT)) for folder in ("engine", "webui") for p, names in imports(folder)
                 if any(n.startswith("SpiffWorkflow") for n in names) and "engine/spiff" not in str(p)}
    assert offenders == set()


def test_engine_modules_stay_small():
    big = {str(p.relative_to(ROOT)): n for p in (ROOT / "engine").rglob("*.py")
           if (n := len(p.read_text().splitlines())) > 300}
    assert big == {}
