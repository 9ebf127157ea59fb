"""The house rule, checked: no module of the library over 400 lines, no function over 60.

A function's length is its own lines, less its docstring (documentation
is welcome): a function defined inside it (a closure a compiler returns,
say) is measured on its own and not counted twice. Split what grows past the limit; ALLOWED names the few exceptions,
each with its reason.
"""
from __future__ import annotations

import ast
import functools
from pathlib import Path
from typing import Dict, Iterator, Tuple

PACKAGE = Path(__file__).resolve().parents[1] / "jobinventory"
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60

#: Alembic migrations: each is one version of the schema, written once and never changed afterwards.
EXEMPT_DIRS = ("store/migrations/versions/",)
#: "path/in/jobinventory.py:function" -> why it may be longer.
ALLOWED: Dict[str, str] = {
    "tasks.py:run_stream": "a stream's page loop, the hot path of every job: its locals stay in one frame "
                           "(a call per summary costs more than the length)",
}


def _functions(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield node


def _span(node: ast.AST) -> int:
    return node.end_lineno - node.lineno + 1  # type: ignore[attr-defined]


def _own_lines(function: ast.AST) -> int:
    """The function's lines less its docstring and the functions and classes defined directly in it."""
    nested, stack = 0, list(ast.iter_child_nodes(function))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            nested += _span(node)
        else:
            stack.extend(ast.iter_child_nodes(node))
    body = function.body  # type: ignore[attr-defined]
    docstring = body[0] if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
        and isinstance(body[0].value.value, str) else None
    return _span(function) - nested - (_span(docstring) if docstring is not None else 0)


@functools.lru_cache(maxsize=None)
def _sizes() -> Tuple[Tuple[str, int, Dict[str, int]], ...]:
    """(module path in jobinventory/, its lines, {"module:function": own lines})."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(PACKAGE).as_posix()
        if name.startswith(EXEMPT_DIRS):
            continue
        functions = {f"{name}:{f.name}": _own_lines(f) for f in _functions(ast.parse(source))}
        found.append((name, source.count("\n"), functions))
    return tuple(found)


def test_no_module_over_400_lines():
    too_long = {name: lines for name, lines, _ in _sizes() if lines > MAX_MODULE_LINES and name not in ALLOWED}
    assert too_long == {}, f"split these modules (at most {MAX_MODULE_LINES} lines each)"


def test_no_function_over_60_lines():
    too_long = {
        key: lines for _, _, functions in _sizes() for key, lines in functions.items()
        if lines > MAX_FUNCTION_LINES and key not in ALLOWED
    }
    assert too_long == {}, f"split these functions (at most {MAX_FUNCTION_LINES} lines of their own)"


def test_the_allow_list_names_only_what_exists_and_is_long():
    found = {key: lines for _, _, functions in _sizes() for key, lines in functions.items()}
    modules = {name: lines for name, lines, _ in _sizes()}
    for key in ALLOWED:
        assert key in found or key in modules, f"{key} is gone: drop it from ALLOWED"
        limit = MAX_FUNCTION_LINES if key in found else MAX_MODULE_LINES
        assert found.get(key, modules.get(key, 0)) > limit, f"{key} fits now: drop it from ALLOWED"


def test_the_measure_counts_a_closure_once():
    tree = ast.parse('def outer():\n    """Doc."""\n    x = 1\n    def inner():\n        return 2\n    return inner\n')
    outer, inner = sorted(_functions(tree), key=lambda f: f.lineno)
    assert (_own_lines(outer), _own_lines(inner)) == (3, 2)
