"""A job folder: what the trusted side hands a runner, and how long it lives.

Making folders, marking their owner and removing stale ones live here; a function exercise's
calls, written in and read back, live in `grader.runner.calls` (`grader.sandbox.functions` documents
the layout from the child's side). Nothing here imports numpy: the sandbox starts before it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from grader.runner import quota
from grader.sandbox import protocol

JOB_PREFIX = "grade-"
OWNER_FILE = "owner.pid"  # the grade process a job folder belongs to; a folder whose owner is gone is stale


def new_job_root(prefix: str = JOB_PREFIX) -> Path:
    """A fresh private folder under the temporary dir, marked with the pid of this process."""
    root = Path(tempfile.mkdtemp(prefix=prefix))
    mark_owner(root)
    return root


@contextmanager
def job_folder(prefix: str = JOB_PREFIX) -> Iterator[Path]:
    """`new_job_root` for the block, removed after it whatever was put in it (`remove_tree`)."""
    root = new_job_root(prefix)
    try:
        yield root
    finally:
        remove_tree(root)


def mark_owner(folder: Path) -> None:
    """Say which process a ``grade-*`` folder belongs to, so a later grade can tell it is stale."""
    (folder / OWNER_FILE).write_text(str(os.getpid()))


@contextmanager
def snapshot(submission: Path) -> Iterator[tuple[Path, str]]:
    """A private copy of ``submission`` (same name) and the sha256 of its bytes, read once:
    everything after grades the copy, so the digest names exactly what was graded."""
    with job_folder(f"{JOB_PREFIX}snapshot-") as root:
        copy = root / submission.name
        digest = hashlib.sha256()
        with open(submission, "rb") as src, open(copy, "wb") as dst:
            while chunk := src.read(1 << 20):
                digest.update(chunk)
                dst.write(chunk)
        yield copy, digest.hexdigest()


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` ends (Linux): a bulk worker must not
    outlive a killed ``grade bulk``, or the sandboxes it started would run on."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it ended before the line above took effect
        os._exit(1)


def stale_job_dirs(temp_dir: Path) -> list[Path]:
    """This user's job folders whose grade process is gone (killed with ``kill -9``, say)."""
    stale = []
    for folder in temp_dir.glob(f"{JOB_PREFIX}*"):
        try:
            if folder.is_symlink() or not folder.is_dir() or folder.stat().st_uid != os.geteuid():
                continue
            pid = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if not process_exists(pid):
            stale.append(folder)
    return stale


def remove_stale_job_dirs(temp_dir: Path) -> list[Path]:
    """Remove the `stale_job_dirs`; those that could not be removed are left for `grade doctor`
    to name, and never fail the grading that tried."""
    return [folder for folder in stale_job_dirs(temp_dir) if remove_job_dir(folder)]


def process_exists(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie waiting for its reaper is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (macOS): the signal said it exists
    return state not in ("Z", "X")


def _new_job_dir(submission: Path, source: str | None) -> tuple[Path, Path]:
    """A fresh private folder with a read-only copy of the submission (``source`` replaces its text)."""
    root = new_job_root()
    for name in ("in", "out", "submission"):
        (root / name).mkdir()
    copy = root / "submission" / (submission.stem + ".py")
    if source is None:
        shutil.copyfile(submission, copy)
    else:
        copy.write_text(source, encoding="utf-8")
    copy.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    return root, copy


def _relative(path: Path, root: Path) -> str:
    """Paths in a job are relative to its folder: a container sees the folder elsewhere."""
    return path.relative_to(root).as_posix()


def make_function_job_dir(
    submission: Path, functions: list[str], source: str | None = None, aliases: dict[str, str] | None = None
) -> Path:
    """A job folder for a function exercise: the submission and what to look for in it (under
    another name, for ``aliases``: contract name -> the file's name). The calls follow
    (`grader.runner.calls.write_calls`): the child imports the file while they are made."""
    root, copy = _new_job_dir(submission, source)
    job = protocol.FunctionJob(_relative(copy, root), submission.name, tuple(functions), dict(aliases or {}))
    protocol.write_request(root / protocol.IN / protocol.JOB_FILE, job)
    return root


def entries_under(folders: Iterable[Path], skip: Callable[[os.DirEntry], bool] | None = None) -> Iterator[os.DirEntry]:
    """Every entry below ``folders``, folders included, at any depth (a stack: no recursion limit);
    a link is given, never followed; a folder that cannot be read holds nothing; an entry ``skip``
    names is neither given nor entered. For the trees a child or a class folder builds."""
    stack = [str(folder) for folder in folders]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if skip is not None and skip(entry):
                        continue
                    yield entry
                    if is_real_dir(entry):
                        stack.append(entry.path)
        except OSError:
            continue


def is_real_dir(entry: os.DirEntry) -> bool:
    """A folder, not a link to one; an entry whose type cannot be read is not one."""
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def remove_job_dir(root: Path) -> bool:
    """Remove a job folder, whatever tree a child built in it; whether it is gone (see `remove_tree`)."""
    return remove_tree(root)


def remove_tree(root: Path) -> bool:
    """Remove ``root`` and all under it, whatever a child or a class folder put there: any depth
    (past Python's recursion limit and past PATH_MAX), folders of mode 000, links (removed, never
    followed), fifos and sockets; True when it is gone. Never raises: a folder left behind is
    for `grade doctor` to name, never a reason to fail a grading.

    shutil.rmtree first (fast, in this process); where it gives up (a RecursionError on a deep
    tree, a folder it may not read), ``chmod -R u+rwX`` and ``rm -rf --one-file-system``, which walk
    any depth without recursion and never cross into another file system.
    """
    if os.path.islink(root):  # the link goes, never what it points at (chmod -R would follow it)
        try:
            os.unlink(root)
        except OSError:
            pass
        return not os.path.lexists(root)
    quota.release_under(root)  # a quota tmpfs in it goes first: rm never crosses into it
    try:
        shutil.rmtree(root)
    except (OSError, RecursionError):  # FileNotFoundError too: an inner entry another sweep removed
        pass
    if not os.path.lexists(root):
        return True
    for step in (["chmod", "-R", "u+rwX", "--", str(root)], ["rm", "-rf", "--one-file-system", "--", str(root)]):
        try:
            subprocess.run(step, stdin=subprocess.DEVNULL, capture_output=True, timeout=600, check=False)
        except (OSError, subprocess.TimeoutExpired):
            break
    return not os.path.lexists(root)


def make_model_job_dir(submission: Path, model_var: str, source: str | None = None) -> Path:
    """A job folder for the training sandbox."""
    root, copy = _new_job_dir(submission, source)
    job = protocol.TrainingJob(_relative(copy, root), submission.name, model_var)
    protocol.write_request(root / protocol.IN / protocol.JOB_FILE, job)
    return root
