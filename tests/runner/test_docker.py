"""The docker runner for real: a Docker engine, the grading image, and probe submissions.

These tests need a running daemon and a current image (``.ci/docker-up`` makes both in CI).
Where they are missing the tests skip, unless ``GRADE_REQUIRE_DOCKER=1`` (CI sets it), which
turns a missing engine into a failure so that a green run cannot hide skipped containers.
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import socket
import threading
from pathlib import Path

import pytest

from grader import api
from grader.data.registry import FASHION_MNIST
from grader.digest import file_digest
from grader.runner import create_runner
from grader.runner.docker import CONTAINER_UID, CONTAINER_WORK, JOB_LABEL, docker_unavailable_reason
from grader.runner.engine import docker_client
from grader.runner.image import image_name
from tests.conftest import SOLUTIONS, SUBMISSIONS
from tests.grading import test_corpus, test_model_exercises
from tests.runner import test_local_boundary as local_boundary
from tests.synthetic import write_boston_like, write_image_dataset

pytestmark = pytest.mark.docker
PROBES = SUBMISSIONS / "docker"


@pytest.fixture(scope="module", autouse=True)
def docker_ready() -> None:
    reason = docker_unavailable_reason().en
    if reason:
        if os.environ.get("GRADE_REQUIRE_DOCKER") == "1":
            pytest.fail(f"GRADE_REQUIRE_DOCKER=1 but the docker runner cannot run: {reason}")
        pytest.skip(reason)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("docker-data")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("XDG_CACHE_HOME", str(root / "cache"))
        write_image_dataset("fashion-mnist", root / "datasets", n_train=3000, n_test=600)
        write_boston_like(root / "datasets")
        yield root / "datasets"


def our_containers() -> list:
    return docker_client().containers.list(all=True, filters={"label": JOB_LABEL})


def in_docker(exercise: str, path: Path, **options):
    report = api.grade(exercise, path, runner="docker", **options)
    assert report.runner == "docker"
    return report


# --- the same verdicts as the local runner ---------------------------------------------


@pytest.mark.parametrize("case", test_corpus.CASES, ids=lambda c: c.file)
def test_function_corpus_gets_the_same_verdicts_in_a_container(case) -> None:
    report = in_docker(case.exercise, SUBMISSIONS / case.file, seed=1234, timeout_s=case.timeout_s)
    assert report.verdict == case.verdict, report.message.en + report.output[-1500:]
    assert {c.name: c.status for c in report.checks if c.status != "passed"} == case.lost
    test_corpus.assert_report_says(case, report)


def test_the_same_seed_gives_the_same_report_in_both_runners() -> None:
    submission = SUBMISSIONS / "ex5_transposed.py"
    local = api.grade("exercise5", submission, runner="local", seed=7)
    docker = in_docker("exercise5", submission, seed=7)
    assert [(c.name, c.status, c.points, c.message.en) for c in docker.checks] == [
        (c.name, c.status, c.points, c.message.en) for c in local.checks
    ]


MODEL_CASES = [c for c in test_model_exercises.CASES if c.file in ("lambda_layer.py", "returns_none.py", "too_slow.py")]


@pytest.mark.parametrize("case", MODEL_CASES, ids=lambda c: f"{c.file}-{c.verdict}")
def test_model_corpus_gets_the_same_verdicts_in_containers(case, data_dir) -> None:
    report = in_docker("exercise10", test_model_exercises.MODELS / case.file, data_dir=data_dir, **dict(case.options))
    assert report.verdict == case.verdict, report.message.en + report.output[-1500:]
    if case.statuses is not None:
        assert tuple(c.status for c in report.checks) == case.statuses
    assert case.says in report.message.en + "\n".join(c.message.en for c in report.checks)


def test_an_evaluator_container_killed_for_memory_is_the_models_verdict(tmp_path, data_dir) -> None:
    # The daemon's OOM kill of the evaluator's container: memory-exceeded, not "the grader failed".
    model = test_model_exercises._huge_activation_model(tmp_path / "wide.keras")
    report = in_docker("exercise10", model, data_dir=data_dir)
    assert report.verdict == "memory-exceeded", report.message.en
    assert "while predicting the hidden test set with your model" in report.message.en
    assert not our_containers()


def test_a_model_exercise_trains_and_is_evaluated_in_containers(data_dir) -> None:
    docker = in_docker("exercise4", SOLUTIONS / "exercise4.py", data_dir=data_dir)
    assert docker.verdict == "passed", docker.message.en + docker.output[-1500:]
    assert docker.model is not None and docker.model.value >= docker.model.threshold
    assert docker.model.epochs >= 1
    assert any("never mounted into the training container" in n.en for n in docker.notes)
    assert not our_containers()


# --- what holds inside the container ----------------------------------------------------


@pytest.fixture
def bridge_server():
    """A TCP server on the host's side of docker's bridge: a container with any network could reach it."""
    config = docker_client().networks.get("bridge").attrs["IPAM"]["Config"][0]
    gateway = config.get("Gateway") or str(next(ipaddress.ip_network(config["Subnet"]).hosts()))
    server = socket.create_server((gateway, 0))
    server.settimeout(30)
    accepted: list[str] = []

    def serve() -> None:
        try:
            conn, peer = server.accept()
            accepted.append(peer[0])
            conn.close()
        except OSError:
            pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield gateway, server.getsockname()[1], accepted
    server.close()
    thread.join(timeout=5)


def test_inside_the_container_no_network_non_root_read_only_no_capabilities(tmp_path, bridge_server) -> None:
    host, port, accepted = bridge_server
    probe = tmp_path / "probe.py"
    probe.write_text((PROBES / "probes_container.py").read_text().replace("@HOST@", host).replace("@PORT@", str(port)))
    report = in_docker("exercise5", probe, seed=3)
    assert report.verdict == "passed", report.message.en + report.output
    line = next(x for x in report.output.splitlines() if x.startswith("PROBE "))
    seen = json.loads(line.removeprefix("PROBE "))
    assert seen["interfaces"] == ["lo"]  # --network none
    assert seen["connect"] == "ENETUNREACH" and accepted == []
    assert seen["uid"] != 0
    assert "ro" in seen["root_mount"] and seen["write_usr"] == "EROFS"
    assert seen["write_job_in"] == "EROFS" and seen["write_submission"] in ("EROFS", "EACCES")
    assert seen["write_tmp"] == "ok" and seen["write_work"] == "ok"
    assert seen["capabilities"] == "0000000000000000" and seen["no_new_privs"] == "1"
    assert seen["reference_code"] is False  # the image carries no checks or reference answers
    assert report.submission_sha256 == file_digest(probe)


def test_touching_more_memory_than_the_limit_is_memory_exceeded() -> None:
    report = in_docker("exercise5", PROBES / "touches_too_much_memory.py")
    assert report.verdict == "memory-exceeded", report.message.en + report.output
    assert "The memory limit (2048 MB for the whole container) was exceeded" in report.message.en
    assert report.message.ko and not our_containers()


def test_a_fork_bomb_hits_the_pids_limit_and_ends_with_its_container() -> None:
    report = in_docker("exercise5", PROBES / "fork_bomb.py", timeout_s=8)
    assert report.verdict == "timeout", report.message.en + report.output
    assert "fork refused: EAGAIN" in report.output
    assert report.timings["sandbox_s"] < 2 * 8 + 30  # graded twice: whole, then without its top level
    assert not our_containers()


def test_a_timeout_kills_the_container_and_keeps_the_partial_log() -> None:
    report = in_docker("exercise5", PROBES / "spins.py", timeout_s=3)
    assert report.verdict == "timeout"
    assert "The time limit of 3 s ran out during check" in report.message.en
    assert any("top-level code did not finish within the time limit of 3 s" in n.en for n in report.notes)
    assert "spinning now" in report.output
    assert not our_containers()


def test_hidden_test_data_is_nowhere_in_the_training_container(tmp_path, data_dir) -> None:
    hidden = data_dir / next(f.path for f in FASHION_MNIST.files if f.path.endswith("t10k-images-idx3-ubyte.gz"))
    hunter = tmp_path / "hunter.py"
    hunter.write_text(
        (PROBES / "hunts_whole_filesystem.py")
        .read_text()
        .replace("@SIZE@", str(hidden.stat().st_size))
        .replace("@DIGEST@", file_digest(hidden))
        .replace("@DATA_DIR@", str(data_dir))
    )
    report = in_docker("exercise10", hunter, data_dir=data_dir)
    hunt = next(line for line in report.output.splitlines() if line.startswith("HUNT"))
    assert hunt.startswith("HUNT 0 []") and hunt.endswith("data dir visible: False"), hunt
    assert report.verdict == "passed", report.message.en + report.output[-1500:]


# --- choosing the runner ---------------------------------------------------------------


def test_auto_picks_docker_when_the_image_is_current() -> None:
    assert create_runner("auto").runner.name == "docker"
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py", runner="auto")
    assert report.runner == "docker" and report.passed and not report.notes


@pytest.fixture
def stale_image():
    """The grading image relabelled as if built from other grader code."""
    client = docker_client()
    name = "tfcert-grader:stale-test"
    dockerfile = f"FROM {image_name()}\nLABEL org.tfcert-grader.digest=0000000000000000\n".encode()
    client.images.build(fileobj=io.BytesIO(dockerfile), tag=name, rm=True)
    yield name
    client.images.remove(name, force=True)


def test_an_image_from_other_grader_code_is_refused_and_auto_says_why(monkeypatch, stale_image) -> None:
    monkeypatch.setenv("GRADE_IMAGE", stale_image)
    with pytest.raises(api.UsageError, match="built from other grader code"):
        api.grade("exercise5", SOLUTIONS / "exercise5.py", runner="docker")
    report = api.grade("exercise5", SOLUTIONS / "exercise5.py", runner="auto")
    assert report.runner == "local" and report.passed
    assert any("built from other grader code" in n.en and "grade image build" in n.en for n in report.notes)


def test_doctor_reports_the_image_and_that_auto_picks_docker() -> None:
    diagnosis = api.diagnose()
    assert diagnosis.auto_runner == "docker"
    image = next(f for f in diagnosis.findings if f.topic.en == "grading image")
    assert image.status == "ok" and "tensorflow 2.21" in image.detail.en
    assert diagnosis.image_versions["python"].startswith("3.")


# --- what a killed grade, a planted link, a shared cache or a full disk cannot do ------


def _start_grade_in_docker(timeout_s: int):
    """`grade` spinning in a container, and that container once it exists."""
    import subprocess
    import sys
    import time

    from tests.conftest import ROOT

    before = {c.id for c in our_containers()}
    argv = [sys.executable, "cli.py", "exercise5", str(PROBES / "spins.py"), "--runner", "docker"]
    grade = subprocess.Popen([*argv, "--timeout", str(timeout_s)], cwd=ROOT, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not [c for c in our_containers() if c.id not in before]:
        time.sleep(0.2)
    (started,) = [c for c in our_containers() if c.id not in before]
    time.sleep(1)
    return grade, started


def _job_folders() -> set[Path]:
    import tempfile

    from grader.runner.jobs import JOB_PREFIX

    return set(Path(tempfile.gettempdir()).glob(f"{JOB_PREFIX}*"))


def _reapers() -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and b"grader.runner.reaper" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def test_kill_9_of_grade_removes_its_container_and_job_folder_within_seconds() -> None:
    import signal
    import time

    folders = _job_folders()
    grade, left = _start_grade_in_docker(timeout_s=300)
    os.kill(grade.pid, signal.SIGKILL)
    grade.wait()
    killed = time.monotonic()
    while time.monotonic() - killed < 15 and left.id in {c.id for c in our_containers()}:
        time.sleep(0.2)
    assert left.id not in {c.id for c in our_containers()}, "the container outlived grade"
    assert time.monotonic() - killed < 10  # seconds, not the 300 s time limit
    assert not _job_folders() - folders


def test_with_its_reaper_killed_too_the_container_stops_itself_and_the_next_grade_removes_it() -> None:
    import signal
    import time

    from grader.runner.docker import DEADLINE_GRACE_S

    folders = _job_folders()
    grade, left = _start_grade_in_docker(timeout_s=2)
    for pid in [grade.pid, *_reapers()]:
        os.kill(pid, signal.SIGKILL)
    grade.wait()
    deadline = time.monotonic() + 2 + DEADLINE_GRACE_S + 15
    while time.monotonic() < deadline:
        left.reload()
        if left.status != "running":
            break
        time.sleep(1)
    assert left.status != "running", "the container outlived its own deadline"
    assert api.grade("exercise5", SOLUTIONS / "exercise5.py", runner="docker").passed
    assert left.id not in {c.id for c in our_containers()}  # the next grade removed it...
    assert not _job_folders() - folders  # ...and its job folder


def test_a_link_planted_where_the_host_reads_back_leaks_nothing(tmp_path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-OF-THE-GRADING-USER")
    probe = tmp_path / "links.py"
    probe.write_text((PROBES / "links_its_output.py").read_text().replace("@SECRET@", str(secret)))
    report = in_docker("exercise5", probe, seed=3)
    assert "refused /job/output.log" in report.output  # the job folder itself is not in the container
    assert "TOP-SECRET" not in report.output and "TOP-SECRET" not in report.dumps()
    assert report.verdict == "passed"


def test_untrusted_jobs_share_no_compile_cache(tmp_path) -> None:
    import uuid

    marker = f"PLANT{uuid.uuid4().hex[:8]}"
    probe = tmp_path / "cache.py"
    probe.write_text((PROBES / "plants_in_the_cache.py").read_text().replace("@MARKER@", marker))
    first, second = in_docker("exercise5", probe, seed=3), in_docker("exercise5", probe, seed=3)
    assert "planted" in first.output  # it may write there...
    assert "CACHE SEES []" in second.output  # ...but the next job starts from nothing


def test_a_job_that_writes_too_much_is_stopped_at_its_quota() -> None:
    report = in_docker("exercise5", SUBMISSIONS / "local" / "fills_the_disk.py", seed=3, timeout_s=60)
    assert "tmp full: No space left on device" in report.output
    assert report.verdict == "crashed", report.message.en + report.output
    assert "Your code wrote more than 1024 MB of files" in report.message.en
    assert not our_containers()


@local_boundary.as_root
def test_files_deleted_while_open_cannot_pass_a_containers_quota() -> None:
    probe = SUBMISSIONS / "local" / "hides_its_writes_in_deleted_files.py"
    report = in_docker("exercise5", probe, seed=3, timeout_s=60)
    local_boundary.assert_stopped_at_the_quota_by_the_kernel(report)
    assert not our_containers()


def test_the_local_hunter_finds_nothing_planted_nor_the_grader_in_a_container(tmp_path, monkeypatch) -> None:
    """The local runner's hunter (tests/submissions/local/), run against the docker runner."""
    monkeypatch.setenv("GRADER_TEST_SECRET", "in grade's environment only")
    report = local_boundary.hunt_with_things_planted(tmp_path, runner="docker")
    assert report.runner == "docker"
    hunt = json.loads(local_boundary._line(report, "HUNT ").removeprefix("HUNT "))
    # The container's working folder is its own tmpfs (/work, not the local sandbox's /home/learner).
    hunt["writable"] = [p for p in hunt["writable"] if not p.startswith(CONTAINER_WORK)]
    assert hunt == {k: [] for k in hunt}, hunt
    uid, gid, caps = local_boundary._line(report, "ID ").split()[1:]
    assert int(uid) == CONTAINER_UID and int(gid) != 0 and int(caps, 16) == 0
    assert report.verdict == "passed", report.message.en


def test_a_container_cannot_reach_the_terminal_grade_prints_to(tmp_path) -> None:
    probe = tmp_path / "writes_to_the_terminal.py"
    probe.write_text((SUBMISSIONS / "local" / "writes_to_the_terminal.py").read_text())
    code, text = local_boundary.grade_in_a_terminal(probe, "--runner", "docker")
    assert code == 0, text
    assert "TERMINALS []" in text and "FORGED" not in text and "PASSED" in text


# --- trust, round 2: the same probes through a container (issue 23) ------------------------


def test_no_answer_is_carried_between_containers_through_the_keyrings(tmp_path) -> None:
    local = SUBMISSIONS / "local"
    storer = in_docker("exercise5", local / "stores_its_answer_in_a_keyring.py", seed=1)
    assert storer.verdict == "passed", storer.message.en
    stored = next(line for line in storer.output.splitlines() if line.startswith("KEYRING store: "))
    assert "stored" not in stored, stored  # Docker's default seccomp profile refuses add_key
    loader_text = (local / "loads_an_answer_from_a_keyring.py").read_text().replace("@MARKER@", "none")
    (tmp_path / "loader.py").write_text(loader_text)
    loader = in_docker("exercise5", tmp_path / "loader.py", seed=1)
    assert "KEYRING found: nothing" in loader.output
    assert (loader.verdict, loader.score) == ("contract-error", 0)


def test_a_tree_a_container_leaves_is_removed_and_a_deep_one_cannot_stop_the_clock(tmp_path) -> None:
    local = SUBMISSIONS / "local"
    outside = tmp_path / "outside.txt"
    outside.write_text("kept")
    leaver = (local / "leaves_a_tree_no_one_can_remove.py").read_text()
    (tmp_path / "leaver.py").write_text(leaver.replace("@OUTSIDE@", str(outside)).replace("@DEPTH@", "2500"))
    report = in_docker("exercise5", tmp_path / "leaver.py", seed=1, timeout_s=60)
    assert report.verdict == "passed", report.message.en + report.output[-800:]
    assert outside.read_text() == "kept"
    late = (local / "deep_tree_then_late_answer.py").read_text().replace("@DEPTH@", "1500").replace("@LATE_S@", "30")
    (tmp_path / "late.py").write_text(late)
    report = in_docker("exercise5", tmp_path / "late.py", seed=1, timeout_s=8)
    assert (report.verdict, report.score) == ("timeout", 0), report.message.en
    assert our_containers() == []
