"""Compiling scripts, conditions and DMN expressions into restricted code (RestrictedPython).

RestrictedPython rewrites every attribute read into `_getattr_(obj, name)`, every item read into
`_getitem_`, every `for` and comprehension into `_getiter_`, and refuses names starting with `_`.
On top of its policy this one routes the operators that build big objects from small ones
(`*`, `**`, `<<`, `%`) through `_binop_`, and makes every `while` iteration and every call of a
function defined in the script take one step from a budget (`_tick_`), so loops and recursion
are bounded. The guards themselves live in `engine.spiff.guards`.
"""
from __future__ import annotations

import ast
import re
import threading
from functools import lru_cache
from types import CodeType

from RestrictedPython import RestrictingNodeTransformer, compile_restricted_eval, compile_restricted_exec

from .guards import MAX_FORMAT_WIDTH

_GUARDED_OPERATORS = {ast.Mult: "*", ast.Pow: "**", ast.LShift: "<<", ast.Mod: "%"}
_WIDTHS = re.compile(r"\d+")


class ScriptRefused(Exception):
    """Code uses something scripts may not (a name starting with `_`, an import, a class...); `line` says where."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def _tick() -> ast.Expr:
    return ast.Expr(ast.Call(func=ast.Name("_tick_", ast.Load()), args=[], keywords=[]))


class ScriptPolicy(RestrictingNodeTransformer):
    """RestrictedPython's policy, with loops, recursion and the growing operators bounded."""

    def visit_Module(self, node: ast.Module):
        return ast.fix_missing_locations(super().visit_Module(node))

    def visit_Expression(self, node: ast.Expression):
        return ast.fix_missing_locations(super().visit_Expression(node))

    def visit_BinOp(self, node: ast.BinOp):
        node = self.node_contents_visit(node)
        symbol = _GUARDED_OPERATORS.get(type(node.op))
        if symbol is None:
            return node
        call = ast.Call(func=ast.Name("_binop_", ast.Load()),
                        args=[ast.Constant(symbol), node.left, node.right], keywords=[])
        return ast.copy_location(call, node)

    def visit_While(self, node: ast.While):
        node = self.node_contents_visit(node)
        node.body.insert(0, ast.copy_location(_tick(), node))
        return node

    def visit_FunctionDef(self, node: ast.FunctionDef):
        node = super().visit_FunctionDef(node)
        node.body.insert(0, ast.copy_location(_tick(), node))
        return node

    def visit_Lambda(self, node: ast.Lambda):
        node = super().visit_Lambda(node)
        ticked = ast.BoolOp(op=ast.Or(), values=[_tick().value, node.body])   # _tick_() is None
        node.body = ast.copy_location(ticked, node.body)
        return node

    def visit_ClassDef(self, node: ast.ClassDef):
        self.error(node, "class definitions are not allowed in scripts")
        return node

    def visit_AsyncFunctionDef(self, node):
        self.error(node, "async functions are not allowed in scripts")
        return node

    def visit_FormattedValue(self, node: ast.FormattedValue):
        """An f-string's width must be a constant no wider than the format limit."""
        spec = node.format_spec
        if spec is not None:
            parts = spec.values if isinstance(spec, ast.JoinedStr) else [spec]
            if any(not isinstance(part, ast.Constant) for part in parts):
                self.error(node, "format specifications computed at run time are not allowed in scripts")
            elif any(int(w) > MAX_FORMAT_WIDTH for p in parts for w in _WIDTHS.findall(str(p.value))):
                self.error(node, f"format widths above {MAX_FORMAT_WIDTH} are not allowed in scripts")
        return self.node_contents_visit(node)


# Python before 3.11.8 and 3.12.1 counts the AST converter's recursion in state its threads share:
# two threads parsing at once (a fresh worker's first requests parse the process's scripts) could
# fail with "SystemError: AST constructor recursion depth mismatch" (CPython gh-106905). Every parse
# and compile of a script here takes this lock; each snippet is parsed once per process (cached).
AST_LOCK = threading.RLock()


@lru_cache(maxsize=4096)
def compile_script(code: str, mode: str = "exec") -> CodeType:
    """The restricted code object of a snippet (code objects are immutable, so caching is safe)."""
    compiler = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    with AST_LOCK:
        result = compiler(code, filename="<string>", policy=ScriptPolicy)
    if result.errors:
        first = result.errors[0]
        match = re.match(r"Line (\d+): (.*)", first, re.S)
        if match:
            raise ScriptRefused(match.group(2).strip(), int(match.group(1)))
        raise ScriptRefused(first)
    return result.code
