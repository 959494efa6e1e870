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
import re

from grader.exercise import parse_submission
from grader.text import Text


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


def _kept(node: ast.stmt, first: bool, names: frozenset[str] = frozenset()) -> bool:
    """Whether a top-level statement is a definition: an import, a def or class, a constant, the
    docstring, or an assignment to one of ``names`` (the required functions and what aliases
    name: ``split_x = lambda seq, size: ...`` is how that file defines it)."""
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        bound = {t.id for t in targets if isinstance(t, ast.Name)} & names
        if bound and node.value is not None:  # kept unless it rebinds the name from itself (split_x(...))
            return not bound & {n.id for n in ast.walk(node.value) if isinstance(n, ast.Name)}
        try:
            return node.value is None or _is_constant(node.value)
        except RecursionError:  # -(-(-(...))) a thousand deep: not a constant a definition needs
            return False
    return first and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)  # the docstring


def definitions_only(source: str, names: frozenset[str] = frozenset()) -> tuple[str, list[tuple[int, int]]]:
    """``source`` with every top-level statement but definitions blanked out, and the line
    ranges left out. A file that does not parse is returned as it is (the import reports it).

    A statement is cut out by its own span, not by whole lines: a line copied from a notebook
    can hold more than one (``import numpy as np; print(np.__version__)``), and the import must
    stay. Its text becomes ``pass`` on its last line, after blank lines for the others (a top-level
    statement starts at column 0, and one that follows on that line still follows a statement).
    """
    tree = parse_submission(source)
    if tree is None:
        return source, []
    # As the parser counts lines (str.splitlines also breaks at form feeds and U+2028), in bytes:
    # ast's columns are UTF-8 byte offsets, and a Korean string before a statement shifts them.
    lines = [line.encode("utf-8") for line in re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", source)]
    kept = [node for i, node in enumerate(tree.body) if _kept(node, i == 0, names)]
    used = _names_used(kept) | names  # an import of a required name (`... import f as split_x`) stays
    cut = [node for node in tree.body if node not in kept or not _import_used(node, used)]
    for node in reversed(cut):  # from the end: a cut never moves the columns of one before it
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        end = node.end_col_offset if node.end_col_offset is not None else len(lines[last].rstrip(b"\r\n"))
        rest = lines[last][end:]
        for n in range(first, last):
            head = lines[n][: node.col_offset] if n == first else b""
            lines[n] = head + _line_end(lines[n])
        lines[last] = (lines[last][: node.col_offset] if first == last else b"") + b"pass" + rest
    dropped = [(node.lineno, node.end_lineno or node.lineno) for node in cut]
    return b"".join(lines).decode("utf-8"), dropped


def has_top_level_work(source: str) -> bool:
    """Whether the file's top level does more than import and define: what a learner could move
    under ``if __name__ == "__main__":``."""
    tree = parse_submission(source)
    return tree is not None and any(
        not _kept(node, first=i == 0) for i, node in enumerate(tree.body) if not isinstance(node, ast.Import)
    )


def _names_used(kept: list[ast.stmt]) -> set[str]:
    """Every name the kept definitions mention (in bodies, defaults, decorators, annotations)."""
    return {
        node.id
        for stmt in kept
        if not isinstance(stmt, (ast.Import, ast.ImportFrom))
        for node in ast.walk(stmt)
        if isinstance(node, ast.Name)
    }


def _import_used(node: ast.stmt, used: set[str]) -> bool:
    """Whether an import is one the definitions need: an import nothing kept mentions is cut too,
    so that what is graded without its top level does not wait for TensorFlow's start (seconds,
    and far more on a loaded machine) that only the cut training needed. A star import, or one
    of ``__future__``, stays: what it binds, or changes, is not known from here."""
    if not isinstance(node, (ast.Import, ast.ImportFrom)):
        return True
    if isinstance(node, ast.ImportFrom) and (node.module == "__future__" or any(a.name == "*" for a in node.names)):
        return True
    return any((alias.asname or alias.name).split(".")[0] in used for alias in node.names)


def _line_end(line: bytes) -> bytes:
    return line[len(line.rstrip(b"\r\n")) :]


def describe_ranges(ranges: list[tuple[int, int]]) -> Text:
    """``lines 3, 7-12, 20`` (or ``line 3``; ``3, 7-12, 20번째 줄``) for the lines left out
    (statements on one line or on consecutive lines read as one range)."""
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(end, merged[-1][1])
        else:
            merged.append([start, end])
    said = ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in merged)
    return Text(f"{'line' if said.isdigit() else 'lines'} {said}", f"{said}번째 줄")


def skipped_bindings(source: str, names: set[str]) -> dict[str, int]:
    """Of ``names``, those the file sets in a top-level statement `definitions_only` leaves out,
    with the line of the first such statement: what a function that raised NameError under
    ``--no-top-level`` was looking for (``dataset = load_iris().data`` at line 3)."""
    tree = parse_submission(source)
    if tree is None:
        return {}
    found: dict[str, int] = {}
    for index, node in enumerate(tree.body):
        if _kept(node, index == 0):
            continue
        for target in ast.walk(node):
            if isinstance(target, ast.Name) and isinstance(target.ctx, ast.Store) and target.id in names:
                found.setdefault(target.id, node.lineno)
    return found


# Ways a file can bind a name its syntax tree does not show: where any appears, what it defines
# is only known by running it.
_DYNAMIC = re.compile(r"\b(?:exec|eval|globals|locals|vars|setattr|__import__)\s*\(|__dict__|sys\.modules|import\s+\*")


def statically_absent(text: str, required: list[str], aliases: dict[str, str]) -> list[str] | None:
    """Of the ``required`` function names, those the file binds nowhere (no def, assignment or
    import of the name, nor of the name an alias gives it), read from its syntax tree before
    anything runs; None where that cannot be known (it does not parse, or binds names at run time)."""
    from grader.grading.aliases import bound_names

    if _DYNAMIC.search(text):
        return None
    names = bound_names(text)
    if names is None:
        return None
    return [name for name in required if name not in names and aliases.get(name) not in names]
