"""Grading a homework script without its top-level work: ``--no-top-level``.

Learners' files define ``split_x`` and then train a model, plot and print at import. With this
mode the grader keeps, of the file's top level, only imports, function and class definitions,
and assignments of constants (numbers, strings, and tuples, lists, sets or dicts of them), read
from its syntax tree; every other top-level statement is blanked out, line for line, so
tracebacks still name the learner's own line numbers.

Limits (documented in the README): a function that reads a global computed at top level
(``dataset = load_iris().data``) will find it missing; an import inside ``try``/``if`` at top
level is left out with its block; decorators run, since they belong to the definition.
"""

from __future__ import annotations

import ast


def _is_constant(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return _is_constant(node.operand)
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return all(_is_constant(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return all(
            k is not None and _is_constant(k) and _is_constant(v) for k, v in zip(node.keys, node.values, strict=True)
        )
    return False


def _kept(node: ast.stmt, first: bool) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, ast.Assign):
        return _is_constant(node.value)
    if isinstance(node, ast.AnnAssign):
        return node.value is None or _is_constant(node.value)
    return first and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)  # the docstring


def definitions_only(source: str) -> tuple[str, list[tuple[int, int]]]:
    """``source`` with every top-level statement but definitions blanked out, and the line
    ranges left out. A file that does not parse is returned as it is (the import reports it)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return source, []
    lines = source.splitlines(keepends=True)
    dropped: list[tuple[int, int]] = []
    for i, node in enumerate(tree.body):
        if _kept(node, first=i == 0):
            continue
        start, end = node.lineno, node.end_lineno or node.lineno
        dropped.append((start, end))
        for n in range(start - 1, end):
            lines[n] = "\n"
    return "".join(lines), dropped


def describe_ranges(ranges: list[tuple[int, int]]) -> str:
    """``3, 7-12, 20`` for the lines left out (statements on consecutive lines read as one range)."""
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start == merged[-1][1] + 1:
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in merged)
