"""Grading a function under the name a file gives it (``--function split_x=split_data``): the
one parser of NAME=YOURS mappings (the CLI's option and a bulk manifest's column), and the
checks of a mapping against the exercise and the file, read as a syntax tree, never run.
"""

from __future__ import annotations

from pathlib import Path

from grader.exercise import MAX_SUBMISSION_BYTES, Exercise, parse_submission
from grader.text import Refusal, Text, with_particle


class AliasRefused(Refusal, ValueError):
    """A mapping that cannot be: a name the exercise does not ask for, not a Python name, or
    one neither the file nor the mapping defines."""


def parse_aliases(text: str) -> tuple[tuple[str, str], ...] | None:
    """``split_x=split_data; split_xy=make_xy`` (``;`` or ``,`` between them) as pairs, the form
    ``--function`` and a bulk manifest's function column share; None when it is not that form."""
    pairs = []
    for part in filter(None, (p.strip() for p in text.replace(",", ";").split(";"))):
        name, sep, yours = (x.strip() for x in part.partition("="))
        if not sep or not name.isidentifier() or not yours.isidentifier():
            return None
        pairs.append((name, yours))
    return tuple(pairs)


def bound_names(source: str) -> set[str] | None:
    """The names a file binds anywhere (defs, classes, assignments, imports), read as a syntax
    tree, never run; None when it does not parse (its report says why)."""
    import ast

    tree = parse_submission(source)
    if tree is None:
        return None
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def resolve_aliases(exercise: Exercise, aliases: dict[str, str], submission: Path) -> dict[str, str]:
    """Each alias checked (`AliasRefused` for a name the exercise does not ask for, one that is
    not a Python name, or one neither the file nor the mapping defines), and the ones that apply:
    an alias to a name the file lacks, where the file defines the exercise's own name (a
    manifest's column for a student who kept it), is dropped. The file is read only for aliases."""
    if not aliases:
        return {}
    wanted = [f.name for f in exercise.functions]
    names = names_in(submission)
    for name, defined_as in aliases.items():
        if name not in wanted:
            raise AliasRefused(
                Text(
                    f"--function {name}={defined_as}: {exercise.id} asks for {', '.join(wanted)}, not {name}",
                    f"--function {name}={defined_as}: {exercise.id}에서 채점하는 함수는 {', '.join(wanted)}이며 "
                    f"{with_particle(name, '은/는')} 없습니다",
                )
            )
        if not defined_as.isidentifier():
            raise AliasRefused(
                Text(
                    f"--function {name}={defined_as}: {defined_as!r} is not a Python name",
                    f"--function {name}={defined_as}: "
                    f"{with_particle(repr(defined_as), '은/는')} 파이썬 이름이 아닙니다",
                )
            )
        if names is not None and defined_as not in names and name not in names:
            raise AliasRefused(
                Text(
                    f"--function {name}={defined_as}: {submission.name} defines no {defined_as}",
                    f"--function {name}={defined_as}: {submission.name}에 "
                    f"{with_particle(defined_as, '이/가')} 정의되어 있지 않습니다",
                )
            )
    if names is None:
        return aliases
    return {name: yours for name, yours in aliases.items() if yours in names or name not in names}


def names_in(submission: Path) -> set[str] | None:
    """What a script binds, or None where that is not known (not a script, too large to grade)."""
    if submission.suffix != ".py":
        return None
    try:
        if submission.stat().st_size > MAX_SUBMISSION_BYTES:
            return None
        return bound_names(submission.read_text(encoding="utf-8-sig", errors="replace"))
    except OSError:
        return None
