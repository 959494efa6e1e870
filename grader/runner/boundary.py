"""What the local runner's boundary holds on this machine, property by property.

The properties every untrusted child should have (issues 11 and 23), each held or not here,
with how it holds and, when it does not, the command that fixes it. ``grade doctor`` lists
them; ``grade bulk`` refuses to grade other people's code without 1–4 unless told to.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from grader.config import SANDBOX_ENV, settings
from grader.runner import Limits, bubblewrap, cgroups, quota, syscalls
from grader.text import Text, with_particle

REQUIRED_FOR_BULK = (1, 2, 3, 4)


def bwrap_reason() -> str:
    """Why the local runner cannot use bubblewrap here ('' when it can)."""
    if settings().sandbox_off:
        return f"{SANDBOX_ENV}=off"
    return bubblewrap.unavailable_reason()


@dataclass(frozen=True)
class Property:
    number: int
    name: Text
    held: bool
    how: Text  # how it holds, or what is missing
    fix: str = ""  # the command or step that makes it hold, when it does not


def bwrap_setup_reason() -> str:
    """`bwrap_reason` without starting a sandbox to find out: what a run needs before it tries."""
    if settings().sandbox_off:
        return f"{SANDBOX_ENV}=off"
    return bubblewrap.setup_reason()


def _bwrap_fix(reason: str) -> str:
    if reason.startswith(SANDBOX_ENV):
        return f"unset {SANDBOX_ENV}"
    if "not installed" in reason:
        return bubblewrap.install_hint()
    if "setpriv" in reason:
        return "install util-linux (setpriv)"
    if "Linux" in reason:
        return "use --runner docker"
    # bwrap is there but the kernel refused it: unprivileged user namespaces are switched off.
    return (
        "sudo sysctl -w kernel.unprivileged_userns_clone=1 (Ubuntu: kernel.apparmor_restrict_unprivileged_userns=0), "
        "or run grade as root, or use --runner docker"
    )


def local_properties() -> tuple[Property, ...]:
    reason = bwrap_reason()
    boxed = reason == ""
    missing = Text(f"no sandbox: {reason}", f"샌드박스 없음: {reason}")
    fix = "" if boxed else _bwrap_fix(reason)
    root = os.getuid() == 0
    if boxed:
        user = bubblewrap.sandbox_user()
        who = (
            Text(
                f"each job runs as a uid of its own from {user.uid} up ({bubblewrap.UID_SLOTS} at once; not root), "
                "no capabilities",
                f"작업마다 {user.uid}부터 자기만의 uid로 실행 (동시에 {bubblewrap.UID_SLOTS}개; root 아님), 권한 없음",
            )
            if user.dropped
            else Text(
                f"runs as your uid {user.uid} in a user namespace, no capabilities",
                f"사용자 네임스페이스에서 본인 {with_particle(f'uid {user.uid}', '으로/로')} 실행, 권한 없음",
            )
        )
    elif root:
        who = Text("runs as root: it can read and change every file", "root로 실행: 모든 파일을 읽고 바꿀 수 있음")
    else:
        who = Text(f"runs as your uid {os.getuid()}", f"본인 {with_particle(f'uid {os.getuid()}', '으로/로')} 실행")
    version = cgroups.available()
    memory = (
        Text(
            f"cgroup v{version}: one budget for the whole process tree",
            f"cgroup v{version}: 프로세스 트리 전체에 한 한도",
        )
        if version
        else Text(
            "no cgroup here: a per-process data limit only (RLIMIT_DATA)",
            "cgroup 없음: 프로세스마다의 데이터 한도(RLIMIT_DATA)만 적용",
        )
    )
    memory_fix = (
        ""
        if version
        else ("run grade as root, or use --runner docker" if not root else "mount the cgroup memory controller")
    )
    return (
        Property(1, Text("unprivileged", "비특권"), boxed or not root, who, "" if boxed or not root else fix),
        Property(
            2,
            Text("minimal filesystem view", "최소한의 파일 시스템"),
            boxed,
            Text(
                "system read-only; only its job's folders and the grader's sandbox package; no home, /tmp, data dir",
                "시스템은 읽기 전용; 자기 작업 폴더와 채점기의 sandbox 패키지만; 홈, /tmp, 데이터 폴더 없음",
            )
            if boxed
            else missing,
            fix,
        ),
        Property(
            3,
            Text("no network", "네트워크 없음"),
            boxed,
            Text("its own network namespace: loopback only", "별도 네트워크 네임스페이스: loopback만")
            if boxed
            else missing,
            fix,
        ),
        Property(
            4,
            Text("dies with grade", "grade와 함께 종료"),
            boxed,
            Text(
                "its own PID namespace, killed when grade ends (kill -9 included)",
                "별도 PID 네임스페이스, grade가 끝나면 (kill -9 포함) 종료",
            )
            if boxed
            else missing,
            fix,
        ),
        Property(5, Text("one memory budget", "메모리 한도 하나"), version is not None, memory, memory_fix),
        Property(
            6,
            Text("bounded disk", "디스크 한도"),
            boxed,
            Text(
                f"tmpfs /tmp and {bubblewrap.WORK_MOUNT} ({bubblewrap.SCRATCH_MB} MB each) and an output quota",
                f"tmpfs /tmp와 {bubblewrap.WORK_MOUNT} (각 {bubblewrap.SCRATCH_MB} MB)와 출력 한도",
            )
            if boxed
            else Text(
                "an output quota, but /tmp and the home folder are the machine's",
                "출력 한도는 있지만 /tmp와 홈 폴더는 컴퓨터의 것",
            ),
            fix,
        ),
        Property(
            7,
            Text("public data per job", "작업마다 공개 데이터"),
            True,
            Text("each training job gets its own copy of the public files", "학습 작업마다 공개 파일의 자기 사본"),
        ),
        Property(
            8,
            Text("sandboxed evaluator", "샌드박스 안의 평가기"),
            boxed,
            Text(
                "hidden data read-only, only its output writable, no network, unprivileged",
                "숨겨진 데이터는 읽기 전용, 출력만 쓰기 가능, 네트워크 없음, 비특권",
            )
            if boxed
            else missing,
            fix,
        ),
        _filter_property(boxed, missing, fix),
        _quota_property(boxed, missing, fix),
    )


def _quota_property(boxed: bool, missing: Text, fix: str) -> Property:
    name = Text("kernel-enforced output quota", "커널이 지키는 출력 한도")
    if not boxed:
        return Property(10, name, False, missing, fix)
    why = quota.unavailable_reason()
    if why:
        why_ko = {"not Linux": "Linux가 아님"}.get(why, "grade가 root가 아님: 일반 사용자는 tmpfs를 mount할 수 없음")
        return Property(
            10,
            name,
            False,
            Text(
                f"{why}; grade measures the output folders 4 times a second instead, and each file is limited "
                "(RLIMIT_FSIZE), but files deleted while open escape the measurement until the job ends",
                f"{why_ko}; 대신 grade가 출력 폴더를 1초에 4번 재고 파일마다 한도(RLIMIT_FSIZE)가 있지만, 연 채로 지운 "
                "파일은 작업이 끝날 때까지 측정되지 않음",
            ),
            "run grade as root (or use --runner docker as root)",
        )
    return Property(
        10,
        name,
        True,
        Text(
            "each job's writable folders are tmpfs of the quota's size: the kernel refuses what passes it "
            "(it counts against the job's memory)",
            "작업마다 쓰기 가능한 폴더가 한도 크기의 tmpfs: 넘는 쓰기는 커널이 거부 (작업의 메모리에 포함)",
        ),
    )


def _filter_property(boxed: bool, missing: Text, fix: str) -> Property:
    why = syscalls.unavailable_reason()
    name = Text("syscall filter", "시스템 호출 필터")
    if not boxed:
        return Property(9, name, False, missing, fix)
    if why:
        return Property(
            9, name, False, Text(f"no seccomp filter: {why}", f"seccomp 필터 없음: {why}"), "install libseccomp2 (apt)"
        )
    return Property(
        9,
        name,
        True,
        Text(
            "seccomp (libseccomp): keyrings, ptrace, new namespaces, bpf, perf, userfaultfd, io_uring, mounts, "
            "personality refused",
            "seccomp (libseccomp): 키링, ptrace, 새 네임스페이스, bpf, perf, userfaultfd, io_uring, mount, "
            "personality 거부",
        ),
    )


def unsandboxed_note() -> Text:
    """What a report says when its run had no sandbox: which properties did not hold, and why."""
    missing = [p for p in local_properties() if not p.held]
    numbers = ", ".join(str(p.number) for p in missing)
    reason = bwrap_reason()
    return Text(
        f"local sandbox: properties {numbers} did not hold here ({reason}); your code could read this "
        "machine's files and reach its network. `grade doctor` lists them with the fix.",
        f"local 샌드박스: 이 컴퓨터에서는 {numbers}번 항목이 충족되지 않았습니다 ({reason}); 코드가 이 컴퓨터의 "
        "파일을 읽고 네트워크에 접속할 수 있었습니다. `grade doctor`가 해결 방법과 함께 보여 줍니다.",
    )


def missing_for_bulk() -> list[Property]:
    """The properties 1–4 that do not hold here: grading other people's code needs them."""
    return [p for p in local_properties() if p.number in REQUIRED_FOR_BULK and not p.held]


def memory_limit_text(limits: Limits, cgroup: cgroups.JobCgroup | None) -> Text:
    """Which memory limit held for a run, in the report's words."""
    if cgroup is not None:
        return Text(
            f"{limits.memory_mb} MB for the whole sandbox (cgroup v{cgroup.version})",
            f"샌드박스 전체에 {limits.memory_mb} MB (cgroup v{cgroup.version})",
        )
    return Text(
        f"{limits.memory_mb} MB per process (RLIMIT_DATA; no cgroup on this machine)",
        f"프로세스마다 {limits.memory_mb} MB (RLIMIT_DATA; 이 컴퓨터에는 cgroup 없음)",
    )
