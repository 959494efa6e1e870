"""The layout's rules, checked on the source: no import cycles, one place that reads the
environment, modules a reader can hold in their head."""

from __future__ import annotations

import ast

from tests.layout.imports import PACKAGE, cycles, graph, module_name, modules

# The child side reads its own job's variables (KERAS_HOME, the hidden data's mount).
READS_ENVIRONMENT = {"grader.config", "grader.evaluator.child"}
CHILD_PACKAGE = "grader.sandbox"
MAX_LINES = 400


def test_no_module_imports_one_that_imports_it_back() -> None:
    # Function-level imports count: a cycle put off until call time is still a cycle.
    # (`python -m tests.layout.imports` prints any it finds.)
    assert cycles(graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_config_reads_the_environment() -> None:
    readers = set()
    for name, path in modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv"):
                if isinstance(node.value, ast.Name) and node.value.id == "os":
                    readers.add(name)
    assert {r for r in readers if not r.startswith(CHILD_PACKAGE)} == READS_ENVIRONMENT


def test_the_child_package_imports_nothing_else_of_the_grader() -> None:
    # What an untrusted process can see: the runners bind grader/sandbox alone.
    edges = graph()
    outside = {
        (name, dep)
        for name, deps in edges.items()
        if name.startswith(CHILD_PACKAGE)
        for dep in deps
        if not dep.startswith(CHILD_PACKAGE)
    }
    assert outside == set()


def test_no_module_is_over_the_size_a_reader_can_hold() -> None:
    command_line = sorted(PACKAGE.parent.glob("cli*.py"))  # the CLI modules beside the package count too
    assert [p.name for p in command_line][:1] == ["cli.py"]
    sizes = {p.stem: len(p.read_text(encoding="utf-8").splitlines()) for p in command_line}
    sizes |= {module_name(p): len(p.read_text(encoding="utf-8").splitlines()) for p in PACKAGE.rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}


def test_layers_call_downwards_report_knows_nothing_of_bulk_or_exams() -> None:
    # A Report renders one grading; the class views live in grader.bulk, the exam views in grader.exam.
    above = ("grader.bulk", "grader.exam", "grader.api")
    reached = {
        (name, dep)
        for name, deps in graph().items()
        if name.startswith(("grader.report", "grader.check", "grader.grading", "grader.runner"))
        for dep in deps
        if dep.startswith(above)
    }
    assert reached == set()
