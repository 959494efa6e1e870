"""`grade bulk --backend ray --address`: a cluster started as Ray documents it today (token
authentication on) is joined with the token from Ray's own sources; a missing or wrong token, an
unreachable head or a wrong address is a usage error at once, in both languages, and the token
goes nowhere but the cluster."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader import api
from grader.bulk import BulkOptions
from grader.bulk.cluster import find_token, gcs_target
from grader.bulk.store import DB_NAME
from grader.config import Settings
from tests.bulk.test_bulk import make_class, stored

RAY_VARIABLES = ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_AUTH_TOKEN_PATH", "RAY_ADDRESS")
PORT = 6390


@dataclass(frozen=True)
class Head:
    address: str
    token: str


def ray_command(*args: str, home: Path, timeout: float = 180) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in RAY_VARIABLES}
    env.update(HOME=str(home), RAY_USAGE_STATS_ENABLED="0", RAY_AUTH_MODE="token")
    ray_cli = Path(sys.executable).with_name("ray")
    return subprocess.run([str(ray_cli), *args], capture_output=True, text=True, env=env, timeout=timeout)


@pytest.fixture(scope="module")
def head(tmp_path_factory):
    """A head started the way Ray's token-authentication guide says: a token generated on it,
    then ``RAY_AUTH_MODE=token ray start --head``."""
    pytest.importorskip("ray")
    home = tmp_path_factory.mktemp("head-home")
    generated = ray_command("get-auth-token", "--generate", home=home)
    assert generated.returncode == 0, generated.stderr[-2000:]
    token = (home / ".ray" / "auth_token").read_text().strip()
    started = ray_command(
        "start", "--head", "--port", str(PORT), "--num-cpus", "2", "--include-dashboard=false",
        "--disable-usage-stats", home=home,
    )  # fmt: skip
    assert started.returncode == 0, started.stderr[-2000:]
    try:
        yield Head(f"127.0.0.1:{PORT}", token)
    finally:
        ray_command("stop", "--force", home=home, timeout=120)


@pytest.fixture
def instructor(tmp_path, monkeypatch) -> Path:
    """The instructor's machine: a home of its own, none of Ray's variables set."""
    home = tmp_path / "instructor-home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in RAY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    return home


def refused(tmp_path: Path, address: str | None) -> tuple[str, float]:
    tmp_path.mkdir(exist_ok=True)
    started = time.monotonic()
    with pytest.raises(api.UsageError) as caught:
        api.grade_batch(
            make_class(tmp_path, n=3)[0], tmp_path / "out", options=BulkOptions(backend="ray", address=address)
        )
    assert not (tmp_path / "out").exists()  # said before anything was collected or stored
    return str(caught.value), time.monotonic() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- against a real head with token authentication on ---------------------------------


@pytest.mark.ray
def test_a_class_is_graded_on_a_cluster_with_token_authentication(head, instructor, tmp_path) -> None:
    ray = pytest.importorskip("ray")
    (instructor / ".ray").mkdir()
    (instructor / ".ray" / "auth_token").write_text(head.token + "\n")  # pasted, with its newline
    archive, expected = make_class(tmp_path)
    summary = api.grade_batch(
        archive, tmp_path / "ray", options=BulkOptions(backend="ray", address=head.address, runner="local")
    )
    assert ray.is_initialized() is False  # the driver let go of the cluster it joined
    assert "RAY_AUTH_MODE" not in os.environ  # token mode was this driver's only while it was joined
    assert summary.graded == 50 and summary.lost == []
    api.grade_batch(archive, tmp_path / "local", options=BulkOptions(workers=2, runner="local"))
    on_ray = {(s, e): (v, sc) for s, e, v, sc, _ in stored(tmp_path / "ray")}
    locally = {(s, e): (v, sc) for s, e, v, sc, _ in stored(tmp_path / "local")}
    assert on_ray == locally and {k: v for k, (v, _) in on_ray.items()} == {k: v for k, (v, _) in expected.items()}
    with sqlite3.connect(tmp_path / "ray" / DB_NAME) as db:
        workers = {w for (w,) in db.execute("SELECT worker FROM results")}
    assert all(":" in w for w in workers)
    api.export_results(tmp_path / "ray", ["csv", "json", "gradescope", "feedback"])
    for path in (tmp_path / "ray").rglob("*"):  # the store, the exports, the feedback
        assert not path.is_file() or head.token.encode() not in path.read_bytes(), path


@pytest.mark.ray
def test_a_token_from_ray_auth_token_path_joins_too(head, instructor, tmp_path, monkeypatch) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(head.token)
    monkeypatch.setenv("RAY_AUTH_TOKEN_PATH", str(token_file))
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim_exercise5.py").write_bytes((Path(__file__).parents[2] / "solutions" / "exercise5.py").read_bytes())
    summary = api.grade_batch(
        folder, tmp_path / "out", options=BulkOptions(backend="ray", address=head.address, runner="local")
    )
    assert summary.graded == 1 and [(s, v) for s, _, v, _, _ in stored(tmp_path / "out")] == [("kim", "passed")]


@pytest.mark.ray
def test_no_token_is_a_usage_error_at_once_that_says_where_to_put_one(head, instructor, tmp_path) -> None:
    message, seconds = refused(tmp_path, head.address)
    assert seconds < 5
    assert message.startswith(f"The Ray cluster at {head.address} requires token authentication")
    for where in ("RAY_AUTH_TOKEN=", "RAY_AUTH_TOKEN_PATH=", "~/.ray/auth_token", "ray get-auth-token"):
        assert where in message
    assert "토큰 인증을 요구하는데" in message  # and in Korean


@pytest.mark.ray
def test_a_wrong_token_is_a_usage_error_that_names_its_source_not_its_value(
    head, instructor, tmp_path, monkeypatch
) -> None:
    wrong = "f" * 64
    monkeypatch.setenv("RAY_AUTH_TOKEN", wrong)
    message, seconds = refused(tmp_path, head.address)
    assert seconds < 5 and wrong not in message
    assert f"The Ray cluster at {head.address} refused the token from RAY_AUTH_TOKEN: it is not the head's." in message
    assert "RAY_AUTH_TOKEN의 토큰을 거부했습니다" in message
    # RAY_AUTH_TOKEN comes first, as in Ray: a right token in the file does not hide a wrong variable.
    (instructor / ".ray").mkdir()
    (instructor / ".ray" / "auth_token").write_text(head.token)
    assert "refused the token from RAY_AUTH_TOKEN" in refused(tmp_path / "again", head.address)[0]


@pytest.mark.ray
def test_the_command_says_it_in_two_languages_with_no_traceback_and_no_retry_loop(head, instructor, tmp_path) -> None:
    archive, _ = make_class(tmp_path, n=2)
    grade = Path(sys.executable).with_name("grade")
    started = time.monotonic()
    ran = subprocess.run(
        [str(grade), "bulk", str(archive), "--backend", "ray", "--address", head.address, "--out", str(tmp_path / "o")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 2 and time.monotonic() - started < 15
    assert "requires token authentication" in ran.stderr and "토큰 인증을 요구하는데" in ran.stderr
    assert "Traceback" not in ran.stderr + ran.stdout and "gcs_client" not in ran.stderr
    assert "grading" not in ran.stdout  # no progress bar for a run that never started


@pytest.mark.ray
def test_ray_address_is_the_cluster_when_no_address_is_given(head, instructor, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("RAY_ADDRESS", head.address)
    message, seconds = refused(tmp_path, None)
    assert seconds < 5 and message.startswith(f"The Ray cluster at {head.address} requires token authentication")


@pytest.mark.ray
def test_without_an_address_grade_starts_a_ray_of_its_own_and_leaves_no_auth_mode_behind(
    head, instructor, tmp_path
) -> None:
    ray = pytest.importorskip("ray")
    archive, expected = make_class(tmp_path, n=4)
    for run in ("first", "again"):  # the second finds the token file a local Ray 2.59+ writes
        summary = api.grade_batch(archive, tmp_path / run, options=BulkOptions(backend="ray", runner="local"))
        assert summary.graded == 4 and summary.lost == []
        assert {(s, e): v for s, e, v, _, _ in stored(tmp_path / run)} == {k: v for k, (v, _) in expected.items()}
        assert ray.is_initialized() is False and "RAY_AUTH_MODE" not in os.environ


# --- no cluster needed ----------------------------------------------------------------


def test_an_address_where_no_cluster_answers_is_a_usage_error_at_once(instructor, tmp_path) -> None:
    pytest.importorskip("grpc")
    address = f"127.0.0.1:{free_port()}"
    message, seconds = refused(tmp_path, address)
    assert seconds < 5
    assert message.startswith(f"No Ray cluster answers at {address} (UNAVAILABLE")
    assert "응답하는 Ray 클러스터가 없습니다" in message


@pytest.mark.parametrize("address", ["head-node", "10.0.0.5:", ":6379", "10.0.0.5:99999", "a b:6379"])
def test_an_address_that_is_not_host_and_port_is_a_usage_error(address) -> None:
    with pytest.raises(api.UsageError, match=r"is not a Ray address: give HOST:PORT"):
        gcs_target(address)


@pytest.mark.parametrize("address", ["10.0.0.5:6379", "head.example:6379", "[::1]:6379"])
def test_host_and_port_are_probed_and_what_ray_resolves_itself_is_left_to_ray(address) -> None:
    assert gcs_target(address) == address
    assert gcs_target("auto") is None and gcs_target("ray://head:10001") is None


def settings_from(env: dict[str, str], home: Path) -> Settings:
    return Settings.from_environment({"HOME": str(home), **env})


def test_the_token_comes_from_rays_sources_in_rays_order(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # Settings finds the home the way Ray does
    assert find_token(settings_from({}, tmp_path)) is None
    (tmp_path / ".ray").mkdir()
    (tmp_path / ".ray" / "auth_token").write_text("  default-token\n")
    found = find_token(settings_from({}, tmp_path))
    assert (found.value, found.source) == ("default-token", str(tmp_path / ".ray" / "auth_token"))
    (tmp_path / "elsewhere").write_text("file-token")
    found = find_token(settings_from({"RAY_AUTH_TOKEN_PATH": str(tmp_path / "elsewhere")}, tmp_path))
    assert (found.value, found.source) == ("file-token", f"RAY_AUTH_TOKEN_PATH ({tmp_path / 'elsewhere'})")
    found = find_token(
        settings_from({"RAY_AUTH_TOKEN": "env-token", "RAY_AUTH_TOKEN_PATH": str(tmp_path / "elsewhere")}, tmp_path)
    )
    assert (found.value, found.source) == ("env-token", "RAY_AUTH_TOKEN")
    assert "env-token" not in repr(found) and "env-token" not in repr(
        settings_from({"RAY_AUTH_TOKEN": "env-token"}, tmp_path)
    )


def test_a_token_path_that_cannot_be_read_is_a_usage_error_as_it_is_fatal_for_ray(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    for bad in (tmp_path / "missing", tmp_path):  # no such file; a folder
        with pytest.raises(api.UsageError, match=r"RAY_AUTH_TOKEN_PATH names .* which holds no token"):
            find_token(settings_from({"RAY_AUTH_TOKEN_PATH": str(bad)}, tmp_path))


@settings(max_examples=200, deadline=None)
@given(content=st.binary(max_size=300))
def test_any_token_file_gives_a_header_safe_token_or_none(tmp_path_factory, content: bytes) -> None:
    home = tmp_path_factory.mktemp("home")
    (home / ".ray").mkdir()
    (home / ".ray" / "auth_token").write_bytes(content)
    found = find_token(Settings.from_environment({"HOME": str(home)}))
    if found is not None:
        assert found.value == found.value.strip() and found.value.isascii() and found.value.isprintable()
        assert found.value == content.decode("ascii").strip()
