"""The certificate's raw files as the grader uses them: verified against their `Layout`, split
into the public part and the hidden test set, and copied publicly; and the generated points of
the linear task. The files are read by `grader.data.raw_readers`, as hostile input.

No hashes are published for these files, so `verify` checks their structure instead: a file in
exactly the real layout, counts included, is "official"; a smaller one in the same structure
still grades (a substitute), and one of another structure never reads.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np

from grader.data.raw_readers import (
    LABEL_FIELD,
    MAX_CSV,
    NUMBER,
    TEXT_FIELD,
    Refused,
    check_folders,
    folder_images,
    objects,
    read_capped,
    read_records,
    read_rows,
    verify_folders,
    verify_records,
    verify_rows,
)
from grader.data.registry import DataFile, DataMissing, Dataset
from grader.text import Text, join, with_particle

_VERIFIERS = {"folders": verify_folders, "records": verify_records, "rows": verify_rows}


def verify(data_dir: Path, f: DataFile) -> list[Text]:
    """[] when ``data_dir / f.path`` has exactly its layout; else the problems, each naming its
    kind (a truncated download, a wrong layout, a damaged file) and what was expected and found.

    >>> from grader.data.registry import SUNSPOTS
    >>> verify(Path("/nonexistent"), SUNSPOTS.files[0])[0].en
    'Sunspots.csv: missing'
    """
    if f.layout is None:
        raise ValueError(f"{f.path} has no layout to verify")
    path = data_dir / f.path
    if not path.is_file():
        return [Text(f"{f.path}: missing", f"{f.path}: 없습니다")]
    try:
        return _VERIFIERS[f.layout.kind](path, f, f.layout)
    except Refused as refused:
        return refused.problems


def _read(dataset: Dataset, f: DataFile, reader, data_dir: Path):
    """``reader(path, f, layout)``, or `DataMissing` saying why the file cannot be read."""
    assert f.layout is not None
    try:
        if not (data_dir / f.path).is_file():
            raise Refused(Text(f"{f.path} is missing", f"{with_particle(f.path, '이/가')} 없습니다"))
        return reader(data_dir / f.path, f, f.layout)
    except Refused as refused:
        hint = Text(
            f" (remove it if it is there and run `grade data fetch {dataset.name}`)",
            f" (있으면 지운 뒤 `grade data fetch {dataset.name}`를 실행하세요)",
        )
        raise DataMissing(join(refused.problems) + hint) from None


def hidden_test(dataset: Dataset, data_dir: Path) -> tuple[np.ndarray, np.ndarray]:
    """The hidden test set as (inputs, targets): each PNG's bytes and its class folder's index
    (folders-zip), headlines and 0/1 labels (records-json), the history and the hidden tail
    (sunspots-csv), x and y (points-csv). A smaller substitute reads too (counts and image sizes
    are not checked here), a file of another structure does not (`DataMissing`)."""
    f = next((f for f in dataset.files if f.hidden), dataset.files[0])
    if dataset.format == "folders-zip":
        return _read(dataset, f, folder_images, data_dir)
    if dataset.format == "points-csv":
        return read_linear_points(data_dir / f.path)
    cut = dataset.public_rows
    if dataset.format == "records-json":
        records = _has_hidden(dataset, f, _read(dataset, f, read_records, data_dir))[cut:]
        return objects([r[TEXT_FIELD] for r in records]), np.asarray([r[LABEL_FIELD] for r in records], np.int64)
    if dataset.format == "sunspots-csv":
        values = _has_hidden(dataset, f, _read(dataset, f, read_rows, data_dir)[1])
        return values[:cut], values[cut:]
    raise ValueError(f"{dataset.name} is not a raw dataset ({dataset.format})")


def _has_hidden(dataset: Dataset, f: DataFile, rows):
    if len(rows) <= dataset.public_rows:
        raise DataMissing(
            Text(
                f"{f.path} has no rows after the first {dataset.public_rows}: there is no hidden test set",
                f"{f.path}에는 처음 {dataset.public_rows}행 뒤에 행이 없어 숨은 테스트 세트가 없습니다",
            )
        )
    return rows


def public_texts(dataset: Dataset, data_dir: Path) -> list[str]:
    """The public part's headlines: what the exam's tokenizer is fitted on."""
    return [r[TEXT_FIELD] for r in _read(dataset, dataset.files[0], read_records, data_dir)[: dataset.public_rows]]


def write_public(dataset: Dataset, data_dir: Path, target: Path) -> None:
    """The public copy of a raw dataset into the datasets folder ``target``: training zips as they
    are (a hidden one never); the public records followed by a seeded sample of them as long as the
    hidden part (a starter's ``sentences[training_size:]`` keeps its length; those rows were trained
    on, so it is optimistic); the CSV's header and public lines verbatim; nothing for points."""
    target.mkdir(parents=True, exist_ok=True)
    for f in dataset.files:
        if f.layout is None or f.hidden:
            continue
        if f.layout.kind == "folders":
            _read(dataset, f, check_folders, data_dir)  # nothing the sandbox should not open
            shutil.copyfile(data_dir / f.path, target / f.path)
        elif f.layout.kind == "records":
            records = _read(dataset, f, read_records, data_dir)
            public, hidden = records[: dataset.public_rows], len(records) - dataset.public_rows
            sample = np.resize(np.random.RandomState(0).permutation(len(public)), max(hidden, 0) if public else 0)
            # ASCII escapes: a starter's bare open() reads it under any locale's encoding.
            _write_atomic(target / f.path, json.dumps(public + [public[i] for i in sample]).encode("ascii"))
        else:
            lines = _read(dataset, f, read_rows, data_dir)[0]
            _write_atomic(target / f.path, "".join(lines[: 1 + dataset.public_rows]).encode("utf-8"))


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# ---- points: the linear task's hidden points, generated ---------------------------------------


def linear_points() -> tuple[np.ndarray, np.ndarray]:
    """The starter's line, y = 2x - 1, from x = -10 to 10 in steps of 0.25 (exact in binary)."""
    x = np.arange(-40, 41, dtype=np.float64) / 4
    return x, 2 * x - 1


def write_linear_points(path: Path) -> None:
    x, y = linear_points()
    _write_atomic(path, ("x,y\n" + "".join(f"{a:.2f},{b:.2f}\n" for a, b in zip(x, y, strict=True))).encode("ascii"))


def read_linear_points(path: Path) -> tuple[np.ndarray, np.ndarray]:
    try:
        lines = read_capped(path, path.name, MAX_CSV).decode("ascii", "replace").splitlines()
    except Refused:
        lines = []
    rows = [line.split(",") for line in lines[1:]]
    if lines[:1] != ["x,y"] or not rows or any(len(r) != 2 or not all(map(NUMBER.fullmatch, r)) for r in rows):
        raise DataMissing(
            Text(
                f"{path.name} is not rows of numbers under 'x,y': remove it and run `grade data fetch linear-points`",
                f"{with_particle(path.name, '이/가')} 'x,y' 아래 숫자 행이 아닙니다: "
                "지운 뒤 `grade data fetch linear-points`를 실행하세요",
            )
        )
    points = np.asarray(rows, dtype=np.float64)
    return points[:, 0], points[:, 1]
