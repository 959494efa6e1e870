"""Class submissions in any shape (hypothesis): zips and folders of odd names, duplicates,
nesting, files and folders sharing a name, Hangul in both normal forms, formula-like ids.

Collecting never fails with anything but its own refusal (`CollectError`, exit 2 with the
reason); whatever it collects is recorded and exported, and every CSV cell reads back safe.
No grading here: that path is fuzzed per exercise in tests/check/.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.bulk.collect import CollectError, collect
from grader.bulk.export import export
from grader.bulk.store import ResultStore

BUDGET = settings(
    max_examples=120, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)

name_parts = st.sampled_from(
    ["kim", "김민수", "김민수".encode().decode("utf-8"), "\u1100\u1175\u11b7", "=cmd|' /C calc'!A0", "+1", "-x", "@a",
     "\ttab", "a b", "x" * 120, ".hidden", "..", "CON", "ß", "e\u0301", "__MACOSX"]
)  # fmt: skip
exercises = st.sampled_from(["exercise5", "exercise2", "iris-windows", "exercise99", "", "model"])
suffixes = st.sampled_from([".py", ".ipynb", ".keras", ".pdf", ".txt", "", ".PY"])
file_names = st.builds(lambda n, e, s: f"{n}_{e}{s}" if e else f"{n}{s}", name_parts, exercises, suffixes)
contents = st.sampled_from(
    [b"def split_x(seq, size):\n    return seq\n", b"", b"\xff\xfe\x00", b"# \xea\xb9\x80\n", b"{}"]
)
paths = st.lists(st.one_of(file_names, st.builds(lambda d, f: f"{d}/{f}", name_parts, file_names)), min_size=1,
                 max_size=6)  # fmt: skip


def _write_zip(target: Path, entries: list[tuple[str, bytes]]) -> None:
    with zipfile.ZipFile(target, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are part of the test
        for name, data in entries:
            archive.writestr(name, data)


def _write_folder(target: Path, entries: list[tuple[str, bytes]]) -> None:
    for name, data in entries:
        path = target / name
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError:  # a name this filesystem refuses, or a file where a folder must go
            continue


@BUDGET
@given(as_zip=st.booleans(), names=paths, data=st.data())
def test_any_class_folder_or_zip_is_collected_or_refused_with_a_reason(tmp_path_factory, as_zip, names, data) -> None:
    root = tmp_path_factory.mktemp("class")
    entries = [(n, data.draw(contents)) for n in names]
    source = root / "class.zip" if as_zip else root / "class"
    source.parent.mkdir(exist_ok=True)
    if as_zip:
        _write_zip(source, entries)
    else:
        source.mkdir()
        _write_folder(source, entries)
    work = root / "work"
    work.mkdir()
    try:
        collected = collect(source, workdir=work)
    except CollectError as refused:
        assert str(refused)
        return
    for problem in collected.problems:
        assert problem.reason.en and problem.reason.ko
    out = root / "out"
    with ResultStore(out) as store:
        store.record_collection(collected)
    written = export(out, ["csv"], lang="en")
    for path in written:
        if path.suffix == ".csv":
            for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
                assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row), row
