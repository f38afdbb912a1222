"""The layers: the engine stands alone (no Flask, no web UI, no command line; only
engine/spiff touches SpiffWorkflow); the web UI never imports the command line above it."""
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


def importers(folder, packages):
    return sorted({str(p.relative_to(ROOT)) for p, names in imports(folder)
                   if any(n.split(".")[0] in packages for n in names)})


def test_the_engine_imports_neither_the_web_ui_nor_the_command_line():
    assert importers("engine", {"webui", "kamflow"}) == []


def test_the_web_ui_never_imports_the_command_line():
    assert importers("webui", {"kamflow"}) == []


def test_the_command_line_is_the_one_place_that_composes_both_layers():
    assert importers("kamflow", {"engine"}) and importers("kamflow", {"webui"})


def test_only_engine_spiff_imports_spiffworkflow():
    offenders = {str(p.relative_to(ROOT)) for folder in ("engine", "webui") for p, names in imports(folder)
                 if any(n.startswith("SpiffWorkflow") for n in names) and "engine/spiff" not in str(p)}
    assert offenders == set()


def test_engine_modules_stay_small():
    big = {str(p.relative_to(ROOT)): n for p in (ROOT / "engine").rglob("*.py")
           if (n := len(p.read_text().splitlines())) > 300}
    assert big == {}
