"""The certificate's raw files (`grader.data.raw`): the real layouts verify, each wrong layout and
truncation is named, public copies hold no hidden row, and hostile files only ever yield problems."""

from __future__ import annotations

import io
import json
import struct
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from grader.data import raw, store
from grader.data.registry import HORSES_OR_HUMANS, LINEAR_POINTS, RPS, SARCASM, SUNSPOTS, DataFile, DataMissing
from grader.text import Text
from tests.synthetic_raw import (
    blank_png,
    png_bytes,
    write_layout_zip,
    write_rps_like,
    write_sarcasm_like,
    write_sunspots_like,
    write_zip,
)

RAW_FILES = {f.path: f for d in (RPS, HORSES_OR_HUMANS, SARCASM, SUNSPOTS) for f in d.files}
RPS_TRAIN, RPS_TEST = RPS.files


@pytest.fixture(scope="module")
def real(tmp_path_factory) -> Path:
    """Every raw file in its real layout at its real size (one blank PNG per image member)."""
    root = tmp_path_factory.mktemp("real")
    for f in (*RPS.files, *HORSES_OR_HUMANS.files):
        write_layout_zip(root / f.path, f.layout)
    write_sarcasm_like(root)
    write_sunspots_like(root)
    return root


def _problems(data_dir: Path, f: DataFile) -> list[str]:
    return [p.en for p in raw.verify(data_dir, f)]


def test_each_real_layout_verifies_and_counts_as_official(real) -> None:
    for f in RAW_FILES.values():
        assert (f.path, raw.verify(real, f)) == (f.path, [])
        assert store.file_state(real, f) == "official"
    start = time.perf_counter()
    raw.verify(real, RPS_TRAIN)  # 2520 members: each judged by its PNG header alone
    assert time.perf_counter() - start < 0.3


def test_a_smaller_set_in_the_same_structure_is_a_substitute_and_its_counts_are_named(tmp_path) -> None:
    write_rps_like(tmp_path, per_class_train=4, per_class_test=2)
    assert _problems(tmp_path, RPS_TRAIN) == [
        "rps.zip: wrong layout: expected 840, 840, 840 images in rps/paper/, rps/rock/, rps/scissors/; found 4, 4, 4"
    ]
    assert store.file_state(tmp_path, RPS_TRAIN) == "substitute"
    assert store.file_state(tmp_path / "absent", RPS_TRAIN) == "missing"


def _rps_zip(tmp_path: Path, members: list[tuple[str, bytes]]) -> Path:
    write_zip(tmp_path / "rps.zip", members)
    return tmp_path


def _members(root: str = "rps/", png: bytes = b"", counts: tuple[int, ...] = (840, 840, 840)) -> list:
    png = png or blank_png()
    return [
        (f"{root}{c}/{c}{i:04d}.png", png)
        for c, n in zip(("paper", "rock", "scissors"), counts, strict=True)
        for i in range(n)
    ]


WRONG_LAYOUTS = {
    "classes at the top": (
        _members(root=""),
        "rps.zip: wrong layout: expected the class folders rps/paper/, rps/rock/, rps/scissors/ and nothing else "
        "beside them; found paper/, rock/, scissors/",
    ),
    "a fourth class": (
        [*_members(), ("rps/lizard/lizard0000.png", b"")],
        "rps.zip: wrong layout: expected the class folders rps/paper/, rps/rock/, rps/scissors/ and nothing else "
        "beside them; found rps/lizard/, rps/paper/, rps/rock/, rps/scissors/",
    ),
    "a smaller image": (
        [*_members(counts=(839, 840, 840)), ("rps/paper/small.png", blank_png(150, 150))],
        "rps.zip: wrong layout: images that are not 300x300 PNGs: 1 (rps/paper/small.png (150x150))",
    ),
    "a JPEG named .png": (
        [*_members(counts=(839, 840, 840)), ("rps/paper/photo.png", b"\xff\xd8\xff\xe0" + bytes(40))],
        "rps.zip: wrong layout: images that are not 300x300 PNGs: 1 (rps/paper/photo.png (not a PNG))",
    ),
    "a text file in a class folder": (
        [*_members(), ("rps/rock/notes.txt", b"hi")],
        "rps.zip: wrong layout: members that are not PNG images directly inside a class folder: 1 (rps/rock/notes.txt)",
    ),
    "a member outside the folders": (
        [*_members(), ("../../evil.png", b"")],
        # (with the folder entries write_zip writes before the file, as `zip -r` does)
        "rps.zip: wrong layout: member names that point outside the archive's folders: 3 (../, ../../, ../../evil.png)",
    ),
}


@pytest.mark.parametrize("case", list(WRONG_LAYOUTS))
def test_each_wrong_folder_layout_is_named_with_what_was_expected_and_found(tmp_path, case) -> None:
    members, message = WRONG_LAYOUTS[case]
    problems = raw.verify(_rps_zip(tmp_path, members), RPS_TRAIN)
    assert [p.en for p in problems] == [message]
    assert problems[0].ko.startswith("rps.zip: 구성이 다릅니다: ")


def test_os_litter_is_tolerated_where_no_loader_sees_it(tmp_path) -> None:
    litter = [("rps/.DS_Store", b"x"), ("rps/rock/.DS_Store", b"x"), ("__MACOSX/rps/rock/._rock0000.png", b"x")]
    assert raw.verify(_rps_zip(tmp_path, _members() + litter), RPS_TRAIN) == []
    # Classes at the top: a __MACOSX/ folder there is one more class to flow_from_directory.
    horses = HORSES_OR_HUMANS.files[1]
    members = [(f"{c}/{c}{i}.png", blank_png()) for c, n in (("horses", 128), ("humans", 128)) for i in range(n)]
    write_zip(tmp_path / horses.path, [*members, ("__MACOSX/horses/._x.png", b"x")])
    assert _problems(tmp_path, horses) == [
        "validation-horse-or-human.zip: wrong layout: expected the class folders horses/, humans/ and nothing else "
        "beside them; found __MACOSX/, horses/, humans/"
    ]


def test_a_cut_zip_is_a_truncated_download_and_other_bytes_are_not_a_zip(real, tmp_path) -> None:
    whole = (real / "rps.zip").read_bytes()
    (tmp_path / "rps.zip").write_bytes(whole[: len(whole) // 2])
    problems = raw.verify(tmp_path, RPS_TRAIN)
    assert [p.en for p in problems] == [
        f"rps.zip: truncated download: the zip ends before its central directory ({len(whole) // 2} bytes)"
    ]
    assert problems[0].ko.startswith("rps.zip: 내려받기가 중간에 끊겼습니다: zip 파일이 중앙 디렉터리 앞에서 끝납니다")
    (tmp_path / "rps.zip").write_bytes(b"<html>Not Found</html>")
    assert _problems(tmp_path, RPS_TRAIN) == [
        "rps.zip: wrong layout: expected a zip archive; found a file starting with b'<htm'"
    ]


def _zip_bomb(root: str) -> bytes:
    """A 300x300 PNG header followed by 64 MB of zeros: a few dozen KB deflated."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{root}rock/bomb.png")
        info.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(info, "w") as fh:
            fh.write(blank_png()[:33])
            for _ in range(64):
                fh.write(bytes(1 << 20))
    return buffer.getvalue()


def test_a_zip_bomb_and_a_lying_declared_size_are_refused_before_reading(tmp_path) -> None:
    (tmp_path / "rps.zip").write_bytes(_zip_bomb("rps/"))
    assert (tmp_path / "rps.zip").stat().st_size < 1 << 20
    assert any("members over 16777216 bytes: 1 (rps/rock/bomb.png)" in p for p in _problems(tmp_path, RPS_TRAIN))
    (tmp_path / "rps-test-set.zip").write_bytes(_zip_bomb("rps-test-set/"))
    with pytest.raises(DataMissing, match="over 16777216"):
        raw.hidden_test(RPS, tmp_path)
    write_layout_zip(tmp_path / "rps.zip", RPS_TRAIN.layout, counts=(2, 2, 2))
    _lie_about_sizes(tmp_path / "rps.zip", 0x7FFF_FFFF)
    assert any("members over 16777216 bytes: 6" in p for p in _problems(tmp_path, RPS_TRAIN))


def _lie_about_sizes(path: Path, size: int) -> None:
    """Each central directory entry says its member uncompresses to ``size`` bytes."""
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 24 : at + 28] = struct.pack("<I", size)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def _records(n: int, **extra) -> list[dict]:
    return [{"article_link": f"l{i}", "headline": f"h {i}", "is_sarcastic": i % 2, **extra} for i in range(n)]


RECORD_CASES = {
    "another field": (
        json.dumps(_records(26_709, source="x")),
        "sarcasm.json: wrong layout: expected records with exactly the fields article_link, headline, is_sarcastic; "
        "records with others: 26709 of 26709 (record 0: article_link, headline, is_sarcastic, source)",
    ),
    "a label as text": (
        json.dumps([*_records(26_708), {"article_link": "l", "headline": "h", "is_sarcastic": "1"}]),
        "sarcasm.json: wrong layout: expected a text headline and a 0/1 is_sarcastic; "
        "records with others: 1 (record 26708)",
    ),
    "fewer records": (json.dumps(_records(500)), "sarcasm.json: wrong layout: expected 26709 records; found 500"),
    "an object": ('{"records": []}', "sarcasm.json: wrong layout: expected a JSON array of records; found a JSON dict"),
    "JSON lines": (
        "\n".join(json.dumps(r) for r in _records(3)),
        "sarcasm.json: wrong layout: not JSON (Extra data: line 2 column 1 (char 61))",
    ),
}


@pytest.mark.parametrize("case", list(RECORD_CASES))
def test_each_wrong_records_layout_is_named(tmp_path, case) -> None:
    text, message = RECORD_CASES[case]
    (tmp_path / "sarcasm.json").write_text(text, encoding="utf-8")
    assert _problems(tmp_path, SARCASM.files[0]) == [message]


def test_a_cut_json_array_is_a_truncated_download(real, tmp_path) -> None:
    whole = (real / "sarcasm.json").read_bytes()
    (tmp_path / "sarcasm.json").write_bytes(whole[:1000])
    assert _problems(tmp_path, SARCASM.files[0]) == [
        "sarcasm.json: truncated download: the JSON array ends at byte 1000 without its closing ]"
    ]
    (tmp_path / "sarcasm.json").write_bytes('["한'.encode()[:-1])  # a character cut in two
    assert _problems(tmp_path, SARCASM.files[0]) == [
        "sarcasm.json: truncated download: the file ends inside a character, at byte 4"
    ]


def _sunspots(real: Path) -> list[str]:
    return (real / "Sunspots.csv").read_text(encoding="utf-8").splitlines(keepends=True)


def test_each_wrong_or_cut_csv_is_named(real, tmp_path) -> None:
    lines, f = _sunspots(real), SUNSPOTS.files[0]
    cases = {
        "".join(lines[:2000]): "Sunspots.csv: truncated download: expected 3235 rows; found only 1999",
        "".join(lines)[:50_000]: "Sunspots.csv: truncated download: the last line is cut short: "
        + repr("".join(lines)[:50_000].rsplit("\n", 1)[1]),
        "".join(lines) + "3235,2018-08-31,1.0\n": "Sunspots.csv: wrong layout: expected 3235 rows; found 3236",
        "Date,Sunspots\n" + "".join(lines[1:]): "Sunspots.csv: wrong layout: expected the header "
        "',Date,Monthly Mean Total Sunspot Number'; found 'Date,Sunspots'",
        "".join(lines[:5] + lines[6:]): "Sunspots.csv: wrong layout: expected rows 'index,YYYY-MM-DD,number', "
        f"counting from 0; rows that are not: 3230 (data row 4: {lines[6].strip()!r})",
        "".join(lines).replace("1749-02-28", "1749-02-30"): "Sunspots.csv: wrong layout: expected rows "
        "'index,YYYY-MM-DD,number', counting from 0; rows that are not: 1 (data row 1: '1,1749-02-30,"
        + lines[2].strip().rsplit(",", 1)[1]
        + "')",
        "": "Sunspots.csv: truncated download: the file is empty",
    }
    for text, message in cases.items():
        (tmp_path / "Sunspots.csv").write_text(text, encoding="utf-8")
        assert _problems(tmp_path, f) == [message]


def test_the_hidden_test_sets_are_the_test_zip_and_the_rows_after_the_public_part(tmp_path) -> None:
    write_rps_like(tmp_path, per_class_train=3, per_class_test=2)
    x, y = raw.hidden_test(RPS, tmp_path)
    with zipfile.ZipFile(tmp_path / "rps-test-set.zip") as zf:
        members = [f"rps-test-set/{c}/{c}{i:04d}.png" for c in ("paper", "rock", "scissors") for i in (0, 1)]
        assert list(x) == [zf.read(name) for name in members]
    assert y.dtype == np.int64 and y.tolist() == [0, 0, 1, 1, 2, 2]

    records = json.loads(write_sarcasm_like(tmp_path, n=20_050).joinpath("sarcasm.json").read_text())
    headlines, labels = raw.hidden_test(SARCASM, tmp_path)
    assert headlines.dtype == object and list(headlines) == [r["headline"] for r in records[20_000:]]
    assert labels.tolist() == [r["is_sarcastic"] for r in records[20_000:]]
    assert raw.public_texts(SARCASM, tmp_path) == [r["headline"] for r in records[:20_000]]

    write_sunspots_like(tmp_path)
    history, tail = raw.hidden_test(SUNSPOTS, tmp_path)
    values = [float(line.rsplit(",", 1)[1]) for line in _sunspots(tmp_path)[1:]]
    assert (history.tolist(), tail.tolist()) == (values[:3000], values[3000:])


def test_a_file_with_no_rows_after_the_public_part_has_no_hidden_test_set(tmp_path) -> None:
    write_sarcasm_like(tmp_path, n=100)
    with pytest.raises(DataMissing, match="no rows after the first 20000"):
        raw.hidden_test(SARCASM, tmp_path)


def test_public_copies_hold_no_hidden_file_row_or_headline(real, tmp_path) -> None:
    write_rps_like(tmp_path / "data", per_class_train=3, per_class_test=2)
    write_sarcasm_like(tmp_path / "data", n=20_300)
    write_sunspots_like(tmp_path / "data")
    for dataset in (RPS, SARCASM, SUNSPOTS, LINEAR_POINTS):
        raw.write_public(dataset, tmp_path / "data", tmp_path / "public")
    public = tmp_path / "public"
    assert sorted(p.name for p in public.iterdir()) == ["Sunspots.csv", "rps.zip", "sarcasm.json"]
    assert (public / "rps.zip").read_bytes() == (tmp_path / "data" / "rps.zip").read_bytes()

    records = json.loads((tmp_path / "data" / "sarcasm.json").read_text())
    copy = json.loads((public / "sarcasm.json").read_bytes().decode("ascii"))
    assert len(copy) == len(records) and copy[:20_000] == records[:20_000]
    assert not {r["headline"] for r in copy} & {r["headline"] for r in records[20_000:]}
    sample = {r["headline"] for r in copy[20_000:]}
    assert len(sample) == 300 and sample <= {r["headline"] for r in records[:20_000]}  # without repeats

    lines = _sunspots(tmp_path / "data")
    assert (public / "Sunspots.csv").read_text(encoding="utf-8") == "".join(lines[:3001])
    assert not set(lines[3001:]) & set(_sunspots(public))  # no row of the tail


def test_store_public_copy_of_a_raw_dataset_is_the_public_part(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    write_rps_like(tmp_path / "data", per_class_train=3, per_class_test=2)
    home = store.public_copy(RPS, tmp_path / "data")
    assert sorted(p.name for p in (home / "datasets").iterdir()) == ["rps.zip"]
    store.fetch(LINEAR_POINTS, tmp_path / "data")
    assert list(store.public_copy(LINEAR_POINTS, tmp_path / "data").joinpath("datasets").iterdir()) == []


def test_linear_points_are_the_starters_line_in_fixed_bytes(tmp_path) -> None:
    x, y = raw.linear_points()
    assert (x[0], x[-1], len(x)) == (-10.0, 10.0, 81) and np.array_equal(y, 2 * x - 1)
    assert np.array_equal(np.array([-1, 0, 1, 2, 3, 4]) * 2 - 1, [-3, -1, 1, 3, 5, 7])  # the starter's xs, ys
    assert store.fetch(LINEAR_POINTS, tmp_path) == ["linear_points.csv"]
    assert store.file_state(tmp_path, LINEAR_POINTS.files[0]) == "official"  # its hash, in the registry
    read_x, read_y = raw.hidden_test(LINEAR_POINTS, tmp_path)
    assert np.array_equal(read_x, x) and np.array_equal(read_y, y)
    (tmp_path / "linear_points.csv").write_text("x,y\n1,nan\n")
    with pytest.raises(DataMissing, match="not rows of numbers"):
        raw.hidden_test(LINEAR_POINTS, tmp_path)


# ---- hostile input: every file verifies or yields named problems; reading raises only DataMissing ----

HOSTILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KINDS = ("truncated download", "wrong layout", "damaged", "missing")


def _only_named_problems(data_dir: Path, f: DataFile, dataset) -> None:
    problems = raw.verify(data_dir, f)
    assert all(isinstance(p, Text) and any(k in p.en for k in KINDS) and p.ko for p in problems)
    try:
        raw.hidden_test(dataset, data_dir)
        raw.write_public(dataset, data_dir, data_dir / "public")
    except DataMissing as refused:
        assert refused.text.en and refused.text.ko


DATASET_OF = {f.path: d for d in (RPS, HORSES_OR_HUMANS, SARCASM, SUNSPOTS) for f in d.files}


@HOSTILE
@given(name=st.sampled_from(sorted(RAW_FILES)), data=st.binary(max_size=2000))
def test_random_bytes_only_ever_yield_named_problems(tmp_path, name, data) -> None:
    (tmp_path / name).write_bytes(data)
    f = RAW_FILES[name]
    _only_named_problems(tmp_path, f, DATASET_OF[name])


member_names = st.one_of(
    st.sampled_from(["../x.png", "/etc/passwd", "rps\\rock\\a.png", "C:/a.png", "rps/./rock/a.png", "rps//a.png"]),
    st.builds("/".join, st.lists(st.sampled_from(["rps", "rock", "..", ".", "", "a.png", "__MACOSX"]), max_size=5)),
    st.text(min_size=1, max_size=30),
)


@pytest.mark.filterwarnings("ignore:Duplicate name")  # two members of one name: hostile too
@HOSTILE
@given(names=st.lists(member_names, max_size=8), size=st.sampled_from([None, 0x7FFF_FFFF, 1 << 25]))
def test_hostile_zips_only_ever_yield_named_problems(tmp_path, names, size) -> None:
    members = [*_members(counts=(2, 2, 2), png=png_bytes(np.zeros((4, 4, 3), np.uint8))), *((n, b"x") for n in names)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in members:
            try:
                zf.writestr(name, data)
            except (ValueError, IndexError):  # a name zipfile itself refuses to write
                pass
    (tmp_path / "rps-test-set.zip").write_bytes(buffer.getvalue())
    if size is not None:
        _lie_about_sizes(tmp_path / "rps-test-set.zip", size)
    _only_named_problems(tmp_path, RPS_TEST, RPS)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
record_like = st.fixed_dictionaries(
    {"article_link": json_values, "headline": json_values, "is_sarcastic": json_values},
    optional={"extra": json_values},
)


@HOSTILE
@given(value=st.one_of(json_values, st.lists(record_like, max_size=5)), cut=st.integers(0, 200))
def test_json_of_any_shape_only_ever_yields_named_problems(tmp_path, value, cut) -> None:
    text = json.dumps(value)
    (tmp_path / "sarcasm.json").write_text(text[: len(text) - cut] if cut < len(text) else text, encoding="utf-8")
    _only_named_problems(tmp_path, SARCASM.files[0], SARCASM)


def test_deep_nesting_and_huge_numbers_are_named_not_raised(tmp_path) -> None:
    for text in ("[" * 100_000 + "]" * 100_000, "[" + "9" * 5000 + "]", "[" * 100_000):
        (tmp_path / "sarcasm.json").write_text(text)
        _only_named_problems(tmp_path, SARCASM.files[0], SARCASM)
