"""`grade data fetch` of the certificate's raw files from a real local HTTP server (as an exam room's
mirror): files in the real layout become official; a truncated download and a wrong layout are
each named, with the URL, and leave nothing in the data dir."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

import cli
from grader import api
from grader.data import raw_readers
from grader.data.registry import HORSES_OR_HUMANS, RPS
from grader.grading import UsageError
from tests.synthetic_raw import write_layout_zip, write_sarcasm_like, write_sunspots_like, write_zip

RAW = ["rps", "horses-or-humans", "sarcasm", "sunspots"]


@dataclass
class Mirror:
    url: str
    files: dict[str, bytes] = field(default_factory=dict)
    halved: set[str] = field(default_factory=set)  # sent with their whole length announced, then cut off


@pytest.fixture
def mirror() -> Iterator[Mirror]:
    served = Mirror("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            data = served.files.get(self.path.lstrip("/"))
            if data is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[: len(data) // 2] if self.path.lstrip("/") in served.halved else data)

        def log_message(self, *args) -> None:  # quiet: the test says what matters
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    served.url = f"http://127.0.0.1:{server.server_port}/files/"
    served.files = {}
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()


def _serve_real(mirror: Mirror, tmp_path: Path) -> None:
    """Every raw file in its real layout and counts, under its name, as the mirror's files."""
    origin = tmp_path / "origin"
    for f in (*RPS.files, *HORSES_OR_HUMANS.files):
        write_layout_zip(origin / f.path, f.layout)
    write_sarcasm_like(origin)
    write_sunspots_like(origin)
    mirror.files.update({f"files/{p.name}": p.read_bytes() for p in origin.iterdir()})


def _left(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir()) if data_dir.is_dir() else []


def test_fetch_through_a_mirror_gets_the_real_layouts_and_status_says_official(mirror, tmp_path) -> None:
    _serve_real(mirror, tmp_path)
    data = tmp_path / "data"
    fetched = dict(api.fetch_data([*RAW, "linear-points"], data_dir=data, mirror=mirror.url.rstrip("/")))
    assert fetched == {
        "rps": ["rps.zip", "rps-test-set.zip"],
        "horses-or-humans": ["horse-or-human.zip", "validation-horse-or-human.zip"],
        "sarcasm": ["sarcasm.json"],
        "sunspots": ["Sunspots.csv"],
        "linear-points": ["linear_points.csv"],  # made here, not downloaded
    }
    _, states = api.data_status(data_dir=data)
    listed = {s.dataset.name: set(s.files.values()) for s in states}
    assert {name: listed[name] for name in fetched} == {name: {"official"} for name in fetched}
    assert not [p for p in _left(data) if p.startswith(".")]  # no staging folder left behind
    assert dict(api.fetch_data(["rps"], data_dir=data, mirror=mirror.url)) == {"rps": []}  # already there


def test_a_download_cut_off_before_its_announced_length_is_named_truncated_and_leaves_nothing(mirror, tmp_path) -> None:
    _serve_real(mirror, tmp_path)
    mirror.halved.add("files/rps.zip")
    size = len(mirror.files["files/rps.zip"])
    with pytest.raises(UsageError) as refused:
        api.fetch_data(["rps"], data_dir=tmp_path / "data", mirror=mirror.url)
    assert refused.value.text.en == (
        f"could not download rps.zip from {mirror.url}rps.zip: "
        f"truncated download: {size // 2} of the {size} bytes announced came"
    )
    assert refused.value.text.ko.endswith(
        f"내려받기가 중간에 끊겼습니다: 알려진 {size}바이트 중 {size // 2}바이트만 받았습니다"
    )
    assert _left(tmp_path / "data") == []


@pytest.mark.parametrize(
    ("name", "dataset", "problem"),
    [
        ("rps.zip", "rps", "rps.zip: truncated download: the zip ends before its central directory ({cut} bytes)"),
        (
            "sarcasm.json",
            "sarcasm",
            "sarcasm.json: truncated download: the JSON array ends at byte {cut} without its closing ]",
        ),
        ("Sunspots.csv", "sunspots", "Sunspots.csv: truncated download: the last line is cut short: {last!r}"),
    ],
)
def test_a_cut_file_served_whole_is_named_truncated_and_leaves_nothing(
    mirror, tmp_path, name, dataset, problem
) -> None:
    _serve_real(mirror, tmp_path)
    whole = mirror.files[f"files/{name}"]
    middle = len(whole) // 2
    # Not at a line's end; in a CSV, inside a date, so the cut line is not a row of its own.
    cut = whole[: whole.index(b"-", middle) + 1] if name.endswith(".csv") else whole[: middle + 3]
    mirror.files[f"files/{name}"] = cut
    with pytest.raises(UsageError) as refused:
        api.fetch_data([dataset], data_dir=tmp_path / "data", mirror=mirror.url)
    last = cut.decode("utf-8", "replace").rsplit("\n", 1)[-1]
    assert refused.value.text.en == f"removed what {mirror.url}{name} sent: " + problem.format(cut=len(cut), last=last)
    assert _left(tmp_path / "data") == []


def test_a_zip_of_another_layout_is_named_and_leaves_nothing(mirror, tmp_path) -> None:
    _serve_real(mirror, tmp_path)
    at_the_top = replace(RPS.files[0].layout, root="")  # rock/ where rps/rock/ should be
    other = write_layout_zip(tmp_path / "rock-at-top.zip", at_the_top)
    mirror.files["files/rps.zip"] = other.read_bytes()
    with pytest.raises(UsageError) as refused:
        api.fetch_data(["rps"], data_dir=tmp_path / "data", mirror=mirror.url)
    assert refused.value.text.en == (
        f"removed what {mirror.url}rps.zip sent: rps.zip: wrong layout: expected the class folders "
        "rps/paper/, rps/rock/, rps/scissors/ and nothing else beside them; found paper/, rock/, scissors/"
    )
    assert refused.value.text.ko.startswith(
        f"{mirror.url}rps.zip에서 받은 파일을 지웠습니다: rps.zip: 구성이 다릅니다: "
    )
    assert _left(tmp_path / "data") == []


def test_a_missing_file_a_too_large_one_and_the_mirror_setting(mirror, tmp_path, monkeypatch) -> None:
    with pytest.raises(
        UsageError, match=r"could not download Sunspots\.csv from .*/files/Sunspots\.csv: HTTP Error 404"
    ):
        api.fetch_data(["sunspots"], data_dir=tmp_path / "data", mirror=mirror.url)
    _serve_real(mirror, tmp_path)
    monkeypatch.setattr(raw_readers, "MAX_CSV", 1000)
    with pytest.raises(UsageError, match="larger than the 1000 bytes such a file may have"):
        api.fetch_data(["sunspots"], data_dir=tmp_path / "data", mirror=mirror.url)
    monkeypatch.undo()
    monkeypatch.setenv("GRADE_DATA_MIRROR", mirror.url)  # what an exam room sets once
    assert api.fetch_data(["sunspots"], data_dir=tmp_path / "data") == [("sunspots", ["Sunspots.csv"])]


def test_the_command_line_fetches_through_a_mirror_and_names_a_wrong_layout(mirror, tmp_path) -> None:
    _serve_real(mirror, tmp_path)
    data = str(tmp_path / "data")

    def grade(*args: str):
        return CliRunner().invoke(cli.main, list(args), catch_exceptions=False)

    fetched = grade("data", "fetch", "rps", "sarcasm", "--data-dir", data, "--mirror", mirror.url)
    assert fetched.exit_code == 0, fetched.output
    assert fetched.output.splitlines() == ["rps: rps.zip, rps-test-set.zip", "sarcasm: sarcasm.json"]
    status = grade("data", "status", "--data-dir", data, "--lang", "en")
    rows = [line for line in status.output.splitlines() if "rps" in line or "sarcasm" in line]
    assert len(rows) == 3 and all("official" in row for row in rows)

    write_zip(tmp_path / "bad.zip", [("horses/h.png", b"")])
    mirror.files["files/horse-or-human.zip"] = (tmp_path / "bad.zip").read_bytes()
    refused = grade("data", "fetch", "horses-or-humans", "--data-dir", data, "--mirror", mirror.url)
    assert refused.exit_code == 2
    assert "horse-or-human.zip: wrong layout: expected the class folders horses/, humans/" in refused.output
    assert "horse-or-human.zip" not in _left(tmp_path / "data")
