"""The local runner's boundary, proved by hostile submissions (tests/submissions/local/).

Each probe tries what a learner who wants 100 would try next and prints what it found; the
test asserts it found nothing and got exactly the verdict its honest part deserves. They run
as whoever runs the suite: as root in CI, and again as an unprivileged user (.ci/run).
"""

from __future__ import annotations

import json
import os
import pty
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest

from grader import api
from grader.runner import bubblewrap, quota
from grader.runner.jobs import JOB_PREFIX, OWNER_FILE
from tests.conftest import ROOT, SOLUTIONS, SUBMISSIONS, needs_sandbox

LOCAL = SUBMISSIONS / "local"
pytestmark = needs_sandbox


def _probe(name: str, tmp_path: Path, **values: str) -> Path:
    text = (LOCAL / name).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _line(report, prefix: str) -> str:
    return next(line for line in report.output.splitlines() if line.startswith(prefix))


def _plant(marker: str, places: list[Path]) -> list[Path]:
    """What the hunter must not find: a classmate's file in a bulk-style folder, a copy of
    hidden test data, an exam key and a results store, each named with ``marker``."""
    planted = []
    for place in places:
        place.mkdir(parents=True, exist_ok=True)
        for name in (f"{marker}_exercise5.py", f"{marker}-t10k-images-idx3-ubyte.gz", f"{marker}.key"):
            (place / name).write_text("planted")
            planted.append(place / name)
        store = place / f"{marker}-out"
        store.mkdir(exist_ok=True)
        (store / "results.sqlite").write_text("planted")
        planted.append(store)
    return planted


def hunt_with_things_planted(tmp_path: Path, runner: str):
    """Grade the hunter while a classmate's file, hidden data, a key, a store and another job's
    folder lie around the machine; the planted things are removed afterwards."""
    marker = f"PLANTED{uuid.uuid4().hex[:8]}"
    places = [Path(tempfile.mkdtemp(prefix="grade-bulk-")), Path("/var/tmp") / marker, tmp_path / "home"]
    other_job = Path(tempfile.mkdtemp(prefix=JOB_PREFIX))  # another grading's folder, as in bulk
    (other_job / OWNER_FILE).write_text(str(os.getpid()))
    planted = _plant(marker, places)
    try:
        return api.grade("exercise5", _probe("hunts_the_machine.py", tmp_path, MARKER=marker), seed=1, runner=runner)
    finally:
        for path in [*planted, *places, other_job]:
            subprocess.run(["rm", "-rf", str(path)], check=False)


def test_a_hunter_finds_no_grader_code_job_store_key_or_hidden_copy_and_can_change_nothing(
    tmp_path, monkeypatch
) -> None:
    monkeypatch.setenv("GRADER_TEST_SECRET", "in grade's environment only")
    report = hunt_with_things_planted(tmp_path, runner="local")
    hunt = json.loads(_line(report, "HUNT ").removeprefix("HUNT "))
    assert hunt == {k: [] for k in hunt}, hunt  # nothing planted, of the grader, of jobs; no write outside its own
    uid, gid, caps = _line(report, "ID ").split()[1:]
    assert int(uid) != 0 and int(gid) != 0 and int(caps, 16) == 0
    if os.getuid() == 0:  # a uid of its own from the base (another grading on the machine may hold the first)
        base = bubblewrap.DEFAULT_SANDBOX_ID
        assert base <= int(uid) < base + bubblewrap.UID_SLOTS
    assert report.verdict == "passed", report.message.en  # the honest part still counts


def test_the_network_is_loopback_only_and_nothing_reaches_a_server_here(tmp_path) -> None:
    server = socket.create_server(("0.0.0.0", 0))
    server.settimeout(0.2)
    accepted: list[object] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                accepted.append(server.accept())
            except TimeoutError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    host = socket.gethostbyname(socket.gethostname())
    probe = _probe("reaches_the_network.py", tmp_path, PORT=str(server.getsockname()[1]), HOST=host)
    try:
        report = api.grade("exercise5", probe, seed=1)
    finally:
        stop.set()
        thread.join()
        server.close()
    assert _line(report, "INTERFACES") == "INTERFACES ['lo']"
    assert "REFUSED 127.0.0.1 ECONNREFUSED" in report.output  # its own loopback: nobody listens there
    assert f"REFUSED {host}" in report.output and "CONNECTED" not in report.output
    assert accepted == []
    assert report.verdict == "passed"


def grade_in_a_terminal(probe: Path, *options: str) -> tuple[int, str]:
    """Run ``grade exercise5 PROBE`` in a real pseudo-terminal, as a learner does: exit code, screen."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: grade, with the pty as its terminal
        os.chdir(ROOT)
        argv = [sys.executable, "cli.py", "exercise5", str(probe), "--show-output", "--seed", "1", *options]
        os.execv(sys.executable, argv)
    transcript = b""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            break
        if not chunk:
            break
        transcript += chunk
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), transcript.decode("utf-8", "replace")


def test_the_terminal_grade_prints_to_is_out_of_reach(tmp_path) -> None:
    """grade runs in a real pseudo-terminal, as a learner's does; the probe must not write to it."""
    code, text = grade_in_a_terminal(_probe("writes_to_the_terminal.py", tmp_path))
    assert code == 0, text
    assert "TERMINALS []" in text  # printed to its log, shown in the output panel
    assert "FORGED" not in text
    assert "PASSED" in text


def _marked(marker: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker.encode() in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def _wait_for(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def _job_dirs() -> set[Path]:
    """This user's job folders (another user's are none of its business, and unreadable)."""
    mine = set()
    for path in Path(tempfile.gettempdir()).glob(f"{JOB_PREFIX}*"):
        try:
            if path.stat().st_uid == os.geteuid() and (path / OWNER_FILE).exists():
                mine.add(path)
        except OSError:
            continue
    return mine


@pytest.mark.parametrize("command", ["grade", "bulk"])
def test_kill_9_of_grade_ends_the_whole_sandbox_and_the_next_grade_removes_its_folders(tmp_path, command) -> None:
    marker = f"OUTLIVES{uuid.uuid4().hex[:8]}"
    probe = _probe("outlives_grade.py", tmp_path, MARKER=marker)
    if command == "grade":
        argv = ["cli.py", "exercise5", str(probe), "--timeout", "300"]
    else:
        (tmp_path / "class").mkdir()
        probe.rename(tmp_path / "class" / "kim_exercise5.py")
        argv = ["cli.py", "bulk", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--timeout", "300"]
    before = _job_dirs()
    grade = subprocess.Popen([sys.executable, *argv], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert _wait_for(lambda: _marked(marker), 60), "the probe never started"
        os.kill(grade.pid, signal.SIGKILL)
        grade.wait()
        killed_at = time.monotonic()
        assert _wait_for(lambda: not _marked(marker), 5), f"still running: {_marked(marker)}"
        assert time.monotonic() - killed_at < 2.0  # about a second, not the time limit
    finally:
        for pid in _marked(marker):
            os.kill(pid, signal.SIGKILL)
        if grade.poll() is None:
            grade.kill()
    left = _job_dirs() - before
    assert left, "the killed grade left no job folder: this test would prove nothing"
    after = subprocess.run([sys.executable, "cli.py", "exercise5", str(SOLUTIONS / "exercise5.py")], cwd=ROOT)
    assert after.returncode == 0  # the next grade...
    assert not (left & _job_dirs())  # ...removes what the killed one left


def test_a_fork_bomb_is_refused_forks_and_ends_at_the_timeout(tmp_path) -> None:
    report = api.grade("exercise5", SUBMISSIONS / "docker" / "fork_bomb.py", seed=1, timeout_s=6)
    assert report.verdict == "timeout", report.message.en
    assert "fork refused: EAGAIN" in report.output
    assert report.timings["sandbox_s"] < 2 * 6 + 5  # graded twice: whole, then without its top level


def test_two_processes_under_one_memory_budget_are_memory_exceeded(tmp_path) -> None:
    from grader.runner import cgroups

    report = api.grade("exercise5", LOCAL / "shares_out_memory.py", seed=1)
    if cgroups.available() is None:  # per process only: both fit, and the report says which limit held
        pytest.skip("no cgroup here: the per-process limit lets both through (doctor says so)")
    assert report.verdict == "memory-exceeded", report.message.en + report.output
    assert "The memory limit (2048 MB for the whole sandbox (cgroup v" in report.message.en
    assert "메모리 한도(샌드박스 전체에 2048 MB" in report.message.ko


def test_writing_fills_its_tmpfs_and_the_output_quota_stops_it(tmp_path) -> None:
    report = api.grade("exercise5", LOCAL / "fills_the_disk.py", seed=1, timeout_s=60)
    assert "tmp full: No space left on device" in report.output
    assert report.verdict == "crashed", report.message.en
    assert "Your code wrote more than 1024 MB of files" in report.message.en
    assert "wrote 3200 MB" not in report.output
    assert "파일을 1024 MB 넘게 썼습니다" in report.message.ko


def test_joblib_and_multiprocessing_work_without_a_word_of_warning(tmp_path) -> None:
    # scikit-learn's joblib probes for shared memory at import and warns of "serial mode" into
    # the learner's output where there is none; the sandbox has a private /dev/shm.
    probe = tmp_path / "uses_joblib.py"
    probe.write_text(
        "import multiprocessing\nimport joblib\nimport sklearn.model_selection\n"
        "print('lock', multiprocessing.Lock())\n" + (SOLUTIONS / "exercise5.py").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    report = api.grade("exercise5", probe, seed=1)
    assert report.verdict == "passed", report.message.en + report.output
    assert report.output.strip() == "lock <Lock(owner=None)>", report.output


as_root = pytest.mark.skipif(
    os.geteuid() != 0, reason="only root may mount the quota tmpfs: grade doctor says the kernel quota is not held"
)


def assert_stopped_at_the_quota_by_the_kernel(report) -> None:
    """What `hides_its_writes_in_deleted_files.py` gets where the kernel holds the quota."""
    assert "stopped: No space left on device" in report.output, report.output
    assert "hidden MB: 1025" in report.output  # the quota (1024 MB) and the tmpfs's 1 MB slack, no more
    # the run was stopped over the quota; its functions were then graded alone
    assert any("wrote more than 1024 MB" in n.en for n in report.notes), report.notes
    assert (report.verdict, report.score) == ("failed", 85), report.message.en
    assert "Traceback" not in report.output  # the grader's own failed write is not shown as the learner's


@as_root
def test_files_deleted_while_open_cannot_pass_the_quota(tmp_path, monkeypatch) -> None:
    # No walk of the output folder sees such files; the folder's tmpfs refuses them past the quota.
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # this grading's job folders, apart from any other's
    report = api.grade("exercise5", LOCAL / "hides_its_writes_in_deleted_files.py", seed=1, timeout_s=60)
    assert_stopped_at_the_quota_by_the_kernel(report)
    assert not [p for p in quota._our_mounts() if p.startswith(str(tmp_path))]  # unmounted with its job folder
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("exercise", ["exercise2", "exercise5"])
def test_a_file_that_trains_keras_at_top_level_gets_the_full_score(exercise) -> None:
    report = api.grade(exercise, LOCAL / "trains_at_top_level.py", seed=1)
    assert "predict:" in report.output  # the model trained at import, under the sandbox's limits
    assert report.passed and report.score == 100, report.message.en + report.output[-2000:]


@pytest.mark.slow
def test_a_file_that_trains_with_a_tensorboard_callback_gets_the_full_score() -> None:
    # TensorFlow 2.21 no longer brings TensorBoard; the grading environment does (the models extra).
    report = api.grade("exercise5", LOCAL / "trains_with_tensorboard.py", seed=1)
    assert "tensorboard logs written" in report.output, report.output[-2000:]
    assert report.passed and report.score == 100, report.message.en


def test_a_job_that_ruins_its_public_data_cannot_ruin_the_next_learners(tmp_path, monkeypatch) -> None:
    pytest.importorskip("keras")
    from grader.data.registry import FASHION_MNIST
    from grader.data.store import public_copy
    from grader.digest import file_digest
    from tests.synthetic import write_image_dataset

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data_dir = tmp_path / "datasets"
    write_image_dataset("fashion-mnist", data_dir, n_train=600, n_test=120)
    shared = public_copy(FASHION_MNIST, data_dir)  # the very cache the grading uses
    before = {p: file_digest(p) for p in shared.rglob("*") if p.is_file()}
    report = api.grade("exercise10", LOCAL / "sabotages_the_public_data.py", data_dir=data_dir)
    said = _line(report, "SABOTAGE")
    assert said.startswith("SABOTAGE zeroed ") and int(said.split()[2]) >= 2  # its own copy: it may
    assert said.endswith("shared caches found []")
    assert {p: file_digest(p) for p in shared.rglob("*") if p.is_file()} == before
    assert report.verdict == "failed"  # an untrained model, judged as one


def test_the_evaluator_sees_the_hidden_data_read_only_and_can_write_only_its_output(tmp_path) -> None:
    """The evaluator runs no submission code, but it parses untrusted model files: it gets the
    same sandbox, with the data dir read-only and the grader without its reference answers."""
    from grader.runner import Limits, SandboxJob
    from grader.runner.local import _bindings

    for name in ("in", "out", "submission"):
        (tmp_path / name).mkdir()
    data = tmp_path / "hidden"
    data.mkdir()
    job = SandboxJob(
        dir=tmp_path, limits=Limits(timeout_s=5), module="grader.evaluator.child", mounts={"data": data}, trusted=True
    )
    bound = _bindings(job, bubblewrap.sandbox_user())
    writable = {b.dest for b in bound if b.kind == "--bind"}
    assert writable == {"/job/out"}
    assert ("--ro-bind", "/mnt/data", str(data)) in {(b.kind, b.dest, b.source) for b in bound}
    assert ("--tmpfs", "/grader/grader/check") in {(b.kind, b.dest) for b in bound}


def test_in_grade_bulk_a_hunter_finds_neither_the_store_nor_its_classmates(tmp_path) -> None:
    from grader.bulk import BulkOptions
    from grader.bulk.store import ResultStore

    marker = f"CLASSMATE{uuid.uuid4().hex[:8]}"
    folder = tmp_path / "class"
    folder.mkdir()
    for student in (f"{marker}a", f"{marker}b"):
        (folder / f"{student}_exercise5.py").write_bytes((SOLUTIONS / "exercise5.py").read_bytes())
    (folder / "hunter_exercise5.py").write_bytes(_probe("hunts_the_machine.py", tmp_path, MARKER=marker).read_bytes())
    out = tmp_path / "out"
    summary = api.grade_batch(folder, out, options=BulkOptions(workers=2, runner="local"))
    assert summary.graded == 3
    with ResultStore(out) as store:
        reports = {r.student: r.report for r in store.latest()}
    hunt = json.loads(_line(reports["hunter"], "HUNT ").removeprefix("HUNT "))
    assert hunt == {k: [] for k in hunt}, hunt  # no classmate's file, no results.sqlite, no other job
    assert {s: r.verdict for s, r in reports.items()} == dict.fromkeys(reports, "passed")


def test_a_submission_that_prints_bwraps_refusal_is_still_graded_in_the_sandbox(submission) -> None:
    """The runner does not test-start bwrap before each job; it looks into bwrap's own refusal
    only. A file that imitates that refusal must not talk its way out of the sandbox."""
    imitator = submission(
        "import os, sys\n"
        "sys.stderr.write('bwrap: Creating new namespace failed: Operation not permitted\\n')\n"
        "sys.stdout.write('UID %d\\n' % os.getuid()); sys.stdout.flush()\n"
        "def split_x(seq, size):\n"  # a function to grade, so that the file runs at all
        "    os._exit(1)\n"
        "os._exit(1)\n"  # bwrap's own exit code; sys.exit would be caught by the sandbox
    )
    report = api.grade("exercise5", imitator, seed=1)
    assert report.verdict == "crashed"
    assert not [n for n in report.notes if "sandbox" in n.en]  # no unsandboxed note: it stayed in
    assert report.output.count("UID ") == 1 and "UID 0" not in report.output  # one run, unprivileged


# --- the syscall filter (grader.runner.syscalls) ------------------------------------------

x86_64_only = pytest.mark.skipif(os.uname().machine != "x86_64", reason="the probes use x86_64 syscall numbers")


def _keyring_add(description: str, payload: bytes, ring: int) -> int | None:
    """add_key(2) from this (trusted) process: a key in one of its keyrings, or None where the
    kernel gives none (no keyrings, or a container whose own filter refuses them)."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    key = libc.syscall(248, b"user", description.encode(), payload, len(payload), ctypes.c_long(ring))
    return key if key >= 0 else None


@x86_64_only
def test_no_keyring_carries_an_answer_to_the_next_grading_nor_a_secret_of_grades_in(tmp_path) -> None:
    import ctypes

    marker = f"grade-secret-{uuid.uuid4().hex[:8]}"
    planted = _keyring_add(marker, b"the instructor's own secret", -3)  # the session keyring grade runs in
    if planted is None:
        pytest.skip("this kernel (or the container the suite runs in) gives no keyrings")
    try:
        storer = api.grade("exercise5", LOCAL / "stores_its_answer_in_a_keyring.py", seed=1)
        assert _line(storer, "KEYRING store: ") == "KEYRING store: EPERM EPERM EPERM"
        assert storer.verdict == "passed", storer.message.en  # refused, not killed: the honest part counts
        loader = api.grade("exercise5", _probe("loads_an_answer_from_a_keyring.py", tmp_path, MARKER=marker), seed=1)
        assert _line(loader, "KEYRING found: ") == "KEYRING found: nothing"
        assert _line(loader, "KEYRING search: ") == "KEYRING search: EPERM"
        assert "instructor's own secret" not in loader.output
        assert (loader.verdict, loader.score) == ("contract-error", 0)  # no solution of its own: nothing carried in
    finally:
        ctypes.CDLL(None).syscall(250, 3, ctypes.c_long(planted))  # KEYCTL_REVOKE


@x86_64_only
def test_the_filter_refuses_what_reaches_past_the_job_and_the_honest_part_still_passes() -> None:
    report = api.grade("exercise5", LOCAL / "tries_forbidden_syscalls.py", seed=1)
    said = dict(pair.split("=") for pair in _line(report, "SYSCALLS ").split()[1:])
    assert said.pop("clone3") == "ENOSYS"  # so the C library falls back to clone, whose flags the filter reads
    assert said == {name: "EPERM" for name in said}, said
    assert len(said) == 14
    assert _line(report, "PERSONALITY ") == "PERSONALITY allowed True"  # PER_LINUX32, as Docker allows
    assert report.verdict == "passed", report.message.en


@pytest.mark.skipif(os.getuid() != 0, reason="as an ordinary user every job keeps the user's uid (README)")
def test_concurrent_jobs_never_share_a_uid_and_a_classmates_threads_do_not_starve_a_job(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    # 60 threads held for 4 s: under one shared uid, its count would eat a concurrent job's process limit.
    for student in ("a", "b", "c"):
        (folder / f"{student}_exercise5.py").write_text(
            (LOCAL / "holds_its_uid.py").read_text().replace("@THREADS@", "60").replace("@HOLD_S@", "4")
        )
    out = tmp_path / "out"
    summary = api.grade_batch(folder, out, options=api.BulkOptions(workers=3, runner="local"))
    assert summary.graded == 3
    from grader.bulk.store import ResultStore

    with ResultStore(out) as store:
        rows = list(store.latest())
    assert {r.report.verdict for r in rows} == {"passed"}, [r.report.message.en for r in rows]
    ids = {r.student: _line(r.report, "UID ").split()[1:] for r in rows}
    assert len({uid for uid, _ in ids.values()}) == 3 and len({gid for _, gid in ids.values()}) == 3, ids
    assert all(int(uid) >= bubblewrap.DEFAULT_SANDBOX_ID for uid, _ in ids.values())


def test_a_tree_deeper_than_any_recursion_limit_cannot_stop_the_clock(tmp_path) -> None:
    # Before: os.walk's RecursionError ended the one thread that kept both limits, and a file
    # that answered after the limit passed.
    probe = _probe("deep_tree_then_late_answer.py", tmp_path, DEPTH="1500", LATE_S="30")
    started = time.monotonic()
    report = api.grade("exercise5", probe, seed=1, timeout_s=8)
    assert "TREE built" in report.output
    assert (report.verdict, report.score) == ("timeout", 0), report.message.en
    assert time.monotonic() - started < 8 + 10


def test_a_hundred_thousand_empty_files_are_over_the_quota(submission) -> None:
    path = submission(
        "import os, time\n"
        "def split_x(seq=None, size=None):\n"  # at import, and again if graded without the top level
        "    out = os.environ.get('GRADE_JOB_OUT', '/job/out')\n"
        "    for i in range(120_000):\n"
        "        open(os.path.join(out, f'{i}.{seq is None}'), 'w').close()\n"
        "    time.sleep(30)\n"
        "split_x()\n"
    )
    report = api.grade("exercise5", path, seed=1, timeout_s=60)
    assert (report.verdict, report.score) == ("crashed", 0), report.message.en
    assert "or more than 100,000 files and folders" in report.message.en


def test_what_a_child_leaves_is_removed_and_the_next_grading_is_not_harmed(tmp_path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("not the child's")

    def ours() -> set[Path]:  # this process's: another grade on the machine may be running beside it
        def owner(folder: Path) -> str:
            try:
                return (folder / OWNER_FILE).read_text().strip()
            except OSError:
                return ""

        return {p for p in _job_dirs() if owner(p) == str(os.getpid())}

    before = ours()
    probe = _probe("leaves_a_tree_no_one_can_remove.py", tmp_path, OUTSIDE=str(outside), DEPTH="2500")
    report = api.grade("exercise5", probe, seed=1, timeout_s=60)
    assert "LEFT locked fifo link deep" in report.output
    assert report.verdict == "passed", report.message.en
    assert ours() - before == set()  # 2,500 levels (past PATH_MAX), mode 000, a fifo: all gone
    assert outside.read_text() == "not the child's"  # the link was removed, not followed
    after = api.grade("exercise5", SOLUTIONS / "exercise5.py", seed=1)
    assert after.verdict == "passed"


@x86_64_only
def test_a_class_with_a_hostile_file_of_each_kind_stores_a_row_for_everyone(tmp_path) -> None:
    folder = tmp_path / "class"
    folder.mkdir()
    outside = tmp_path / "outside.txt"
    outside.write_text("kept")
    files = {
        "honest": (SOLUTIONS / "exercise5.py").read_text(),
        "surrogate": (SUBMISSIONS / "ex5_raises_a_lone_surrogate.py").read_text(),
        "storer": (LOCAL / "stores_its_answer_in_a_keyring.py").read_text(),
        "loader": (LOCAL / "loads_an_answer_from_a_keyring.py").read_text().replace("@MARKER@", "none"),
        "leaver": (LOCAL / "leaves_a_tree_no_one_can_remove.py")
        .read_text()
        .replace("@OUTSIDE@", str(outside))
        .replace("@DEPTH@", "2500"),
        "replacer": (SUBMISSIONS / "ex5_replaces_its_record.py").read_text(),
        "returner": (SUBMISSIONS / "ex5_returns_its_input.py").read_text(),
    }
    if os.geteuid() == 0:  # where the kernel holds the quota (as an ordinary user, README: not held)
        files["hider"] = (LOCAL / "hides_its_writes_in_deleted_files.py").read_text()
    for student, text in files.items():
        (folder / f"{student}_exercise5.py").write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    summary = api.grade_batch(folder, out, options=api.BulkOptions(workers=2, runner="local"))
    assert summary.graded == len(files) and summary.lost == []
    from grader.bulk.store import ResultStore

    with ResultStore(out) as store:
        verdicts = {r.student: (r.report.verdict, r.report.score) for r in store.latest()}
    assert verdicts == {
        "honest": ("passed", 100),
        "surrogate": ("failed", 15),  # only the check that expects a ValueError for a bad size passes
        "storer": ("passed", 100),
        "loader": ("contract-error", 0),
        "leaver": ("passed", 100),
        "replacer": ("crashed", 0),
        "returner": ("failed", 0),
        **({"hider": ("failed", 85)} if "hider" in files else {}),  # stopped at the quota, then graded alone
    }
    api.export_results(out, ["csv", "json", "gradescope", "feedback"])
    feedback = (out / "feedback" / "surrogate.md").read_text(encoding="utf-8")  # written, surrogates and all
    assert "raised ValueError at line 7, in split\\_x; its message is held back" in feedback
    assert outside.read_text() == "kept"
