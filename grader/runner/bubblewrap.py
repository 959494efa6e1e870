"""The local runner's boundary: bubblewrap (``bwrap``), the sandbox tool under Flatpak.

The child gets its own mount, PID, network, IPC and UTS namespaces and sees only what is
bound into an empty root:

- read-only: ``/usr`` (and the ``/bin``, ``/lib`` links into it), a few files of ``/etc``,
  the Python environment, the job's ``in/`` and ``submission/``, and of the grader only the
  child package (``grader/sandbox``; the trusted evaluator gets ``grader/`` minus the answers);
- writable: the job's ``out/`` (and its private keras home), a size-limited tmpfs at ``/tmp``
  and at ``/home/learner`` (the working directory and HOME);
- a fresh ``/dev`` (null, zero, random, a private pts: no terminal of the host), its own
  ``/proc``; no network but loopback.

Home folders, every other ``/tmp`` entry, the data dir, the results store and exam keys are
simply not there. When ``grade`` runs as root, the child drops to a dedicated unprivileged
uid (``GRADE_SANDBOX_USER``, default 10001) with ``setpriv`` before the interpreter starts,
so it has no capability and host file permissions apply to it; otherwise it keeps the user's
own uid inside an unprivileged user namespace. ``--die-with-parent`` ends the whole tree when
``grade`` ends, however it ends.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from grader.config import GRADER_ROOT, SANDBOX_USER_ENV, SYSTEM_DATASETS, settings

DEFAULT_SANDBOX_ID = 10001  # the image's `grader` user too; local jobs as root take uids from here up
UID_SLOTS = 64  # local jobs at once on one machine, each with a uid (and gid) of its own
CLAIMS_FOLDER = Path("/run/tfcert-grader")
JOB_MOUNT = "/job"  # where the job folder's parts appear
CODE_MOUNT = "/grader"  # PYTHONPATH: the grader code the child may import
WORK_MOUNT = "/home/learner"  # working directory and HOME, a tmpfs
MOUNTS_AT = "/mnt"  # read-only folders a job names (``SandboxJob.mounts``) appear as /mnt/NAME
SCRATCH_MB = 512  # each of the child's tmpfs, /tmp and WORK_MOUNT (counted in its memory cgroup)

# What Python, numpy, TensorFlow and matplotlib read from /etc; the rest of it stays out.
_ETC = (
    "ld.so.cache",
    "ld.so.conf",
    "ld.so.conf.d",
    "localtime",
    "nsswitch.conf",
    "host.conf",
    "hosts",
    "alternatives",
    "fonts",
    "ssl",
    "mime.types",
)
# Dataset folders distributions install (Debian's dataset-fashion-mnist): official test
# splits under /usr, which the child needs for everything else.
_DROP_TO_USER = (
    "--clear-groups",
    "--inh-caps=-all",
    "--bounding-set=-all",
    "--no-new-privs",
)


class SandboxUnavailable(RuntimeError):
    """bwrap cannot start a sandbox here; the message says why."""


@dataclass(frozen=True)
class SandboxUser:
    uid: int
    gid: int
    dropped: bool  # grade is root and the child runs as this unprivileged user instead


def sandbox_user() -> SandboxUser:
    """Who the child is on the host: a dedicated uid when grade is root, else the user."""
    if os.getuid() != 0:
        return SandboxUser(os.getuid(), os.getgid(), dropped=False)
    raw = settings().sandbox_user
    try:
        uid, _, gid = raw.partition(":") if raw else (str(DEFAULT_SANDBOX_ID), "", "")
        ids = SandboxUser(int(uid), int(gid or uid), dropped=True)
    except ValueError:
        raise SandboxUnavailable(f"{SANDBOX_USER_ENV}={raw!r} is not UID or UID:GID") from None
    if ids.uid == 0 or ids.gid == 0:
        raise SandboxUnavailable(f"{SANDBOX_USER_ENV} must not be root (got {raw!r})")
    return ids


@dataclass
class ClaimedUser:
    """A sandbox uid this job has to itself while ``lock`` (a descriptor holding an flock) is open."""

    user: SandboxUser
    lock: int | None  # None: not claimed (grade is not root: the child keeps the user's uid)

    def release(self) -> None:
        if self.lock is not None:
            os.close(self.lock)  # the flock goes with it; so it does when grade dies, however
            self.lock = None


def claim_user() -> ClaimedUser:
    """A uid (and gid) for one job that no other job running on this machine has: the first free
    one of ``UID_SLOTS`` from the configured base up. Per-uid state (the process limit, any
    per-user kernel object) is then that job's alone, so a classmate's threads cannot starve it.
    Free means no live ``grade`` holds its lock file (an flock, dropped by the kernel when its
    holder ends however it ends), in a folder only root can write."""
    base = sandbox_user()
    if not base.dropped:
        return ClaimedUser(base, None)  # not root: a user namespace maps the user's one uid
    folder = _claims_folder()
    for slot in range(UID_SLOTS):
        # The configured uid is the administrator's choice; the ones after it are skipped where an
        # account of the machine has them (that user could signal or trace the job). A gid named
        # apart from the uid (UID:GID) is kept for every job: the ones after it may be system groups.
        uid, gid = base.uid + slot, base.gid + slot if base.gid == base.uid else base.gid
        if slot and _is_an_account(uid, gid):
            continue
        fd = os.open(folder / f"uid-{uid}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return ClaimedUser(SandboxUser(uid, gid, dropped=True), fd)
    raise SandboxUnavailable(f"all {UID_SLOTS} sandbox uids from {base.uid} are in use by other gradings")


def _is_an_account(uid: int, gid: int) -> bool:
    import grp
    import pwd

    for lookup, number in ((pwd.getpwuid, uid), (grp.getgrgid, gid)):
        try:
            lookup(number)
            return True
        except KeyError:
            continue
    return False


def _claims_folder() -> Path:
    """Root's own folder for the uid locks: /run/tfcert-grader (a tmpfs: emptied at boot)."""
    folder = CLAIMS_FOLDER
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = folder.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != 0 or info.st_mode & 0o022:
        raise SandboxUnavailable(f"{folder} must be a folder only root can write (it is not)")
    return folder


@dataclass(frozen=True)
class Binding:
    """One part of the child's filesystem: ``kind`` is a bwrap option (``--ro-bind``, ``--bind``,
    ``--tmpfs``, ``--symlink``, ``--dir``), ``source`` the host path (or link target)."""

    kind: str  # --ro-bind, --bind, --dev-bind, --tmpfs, --dir, --symlink
    dest: str
    source: str = ""
    size_mb: int | None = None
    mode: int | None = None  # a tmpfs's or folder's permissions (bwrap makes them 0700 or 0755)

    def options(self) -> list[str]:
        size = ["--size", str(self.size_mb * 2**20)] if self.size_mb else []
        perms = ["--perms", f"{self.mode:04o}"] if self.mode is not None else []
        if self.kind in ("--tmpfs", "--dir"):
            return [*perms, *size, self.kind, self.dest]
        return [self.kind, self.source, self.dest]


def _with_parent_folders(bindings: list[Binding]) -> list[Binding]:
    """``bindings`` with a world-readable folder made before each on the way to it (bwrap would
    make them 0700, which the unprivileged child could not pass), except inside a bound tree."""
    done: list[Binding] = []
    made = {"/dev", "/proc"}  # bwrap's own --dev and --proc
    bound: list[str] = []  # what earlier binds cover: folders below them exist already
    for binding in bindings:
        for parent in reversed(Path(binding.dest).parents):
            folder = str(parent)
            inside_bind = any(folder == b or folder.startswith(b + "/") for b in bound)
            if folder != "/" and folder not in made and not inside_bind:
                done.append(Binding("--dir", folder, mode=0o755))
                made.add(folder)
        done.append(binding)
        made.add(binding.dest)
        if binding.kind in ("--ro-bind", "--bind", "--dev-bind"):
            bound.append(binding.dest)
    return done


def _python_trees() -> list[Path]:
    """The interpreter's and the environment's folders outside /usr (a venv, pyenv, conda)."""
    trees: list[Path] = []
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates |= {sysconfig.get_paths()[k] for k in ("purelib", "platlib", "stdlib", "platstdlib")}
    candidates.add(str(Path(sys.executable).parent))
    for raw in candidates:
        for path in {Path(raw), Path(raw).resolve()}:
            if path.is_dir() and not _under(path, Path("/usr")):
                trees.append(path)
    # The widest ones only: a venv's site-packages sits inside the venv.
    trees.sort(key=lambda p: len(p.parts))
    kept: list[Path] = []
    for tree in trees:
        if not any(_under(tree, k) for k in kept):
            kept.append(tree)
    return kept


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def system_bindings() -> list[Binding]:
    """The host's system folders, read-only; links such as /lib → usr/lib stay links."""
    found = [Binding("--ro-bind", "/usr", "/usr")]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        path = Path("/") / name
        if path.is_symlink():
            found.append(Binding("--symlink", str(path), os.readlink(path)))
        elif path.is_dir():
            found.append(Binding("--ro-bind", str(path), str(path)))
    for name in _ETC:
        path = Path("/etc") / name
        if path.exists():
            found.append(Binding("--ro-bind", str(path), str(path)))
    return found


def python_bindings() -> list[Binding]:
    """The Python environment, read-only (bound after the tmpfs, so a venv under /tmp shows)."""
    return [Binding("--ro-bind", str(tree), str(tree)) for tree in _python_trees()]


def covers(bound: list[Binding], extra: tuple[Path, ...] = ()) -> list[Binding]:
    """Empty tmpfs over what must not be seen although it lies inside a bound tree: an
    installed copy of the grader (a non-editable install puts the answers in site-packages),
    system dataset folders, and the folders a job hides (the data dir)."""
    readable = [Path(b.dest) for b in bound if b.kind in ("--ro-bind", "--bind")]  # not devices
    wanted = [GRADER_ROOT / "grader", GRADER_ROOT / "solutions", *SYSTEM_DATASETS, *extra]
    return [
        Binding("--tmpfs", str(path), size_mb=1, mode=0o555)
        for path in dict.fromkeys(p.resolve() for p in wanted if p.is_dir())
        if any(_under(path, r) for r in readable)
    ]


def gpu_devices() -> list[Binding]:
    """The NVIDIA device nodes, for a training child that may use the GPU (none on other machines)."""
    return [
        Binding("--dev-bind", str(node), str(node))
        for node in sorted(Path("/dev").glob("nvidia*"))
        if node.is_char_device()
    ]


def child_code(trusted: bool) -> list[Binding]:
    """The grader code the child may import, at ``CODE_MOUNT``: the sandbox package alone, or
    for the trusted evaluator the grader package without the reference answers."""
    package = GRADER_ROOT / "grader"
    inside = f"{CODE_MOUNT}/grader"
    if trusted:
        return [
            Binding("--ro-bind", inside, str(package)),
            Binding("--tmpfs", f"{inside}/check", size_mb=1, mode=0o555),
        ]
    return [
        Binding("--ro-bind", f"{inside}/__init__.py", str(package / "__init__.py")),
        Binding("--ro-bind", f"{inside}/sandbox", str(package / "sandbox")),
    ]


def command(
    inner: list[str],
    *,
    bindings: list[Binding],
    user: SandboxUser,
    workdir: str = WORK_MOUNT,
    seccomp_fd: int | None = None,
) -> list[str]:
    """The bwrap command line that runs ``inner`` inside the sandbox described by ``bindings``,
    under the syscall filter read from ``seccomp_fd`` (`grader.runner.syscalls`) when one is given."""
    bwrap = shutil.which("bwrap")
    if bwrap is None:
        raise SandboxUnavailable("bubblewrap (bwrap) is not installed")
    namespaces = ["--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try"]
    if not user.dropped:
        namespaces.insert(0, "--unshare-user")  # unprivileged: bwrap needs it to mount anything
    argv = [bwrap, *namespaces, "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    argv += ["--proc", "/proc", "--dev", "/dev"]
    for binding in _with_parent_folders(bindings):
        argv += binding.options()
    # The sandbox's own root (the folders made on the way to each binding) is read-only too.
    argv += ["--remount-ro", "/", "--chdir", workdir]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]  # loaded last, just before the child's program starts
    argv.append("--")
    if user.dropped:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            raise SandboxUnavailable("setpriv (util-linux) is missing: the child could not leave root")
        argv += [setpriv, f"--reuid={user.uid}", f"--regid={user.gid}", *_DROP_TO_USER, "--"]
    return argv + inner


def setup_reason() -> str:
    """Why bwrap cannot be tried here at all ('' when it can), without starting anything."""
    if sys.platform != "linux":
        return f"bubblewrap needs Linux (this is {sys.platform})"
    try:
        command(["/bin/true"], bindings=[], user=sandbox_user(), workdir="/")
    except SandboxUnavailable as exc:
        return str(exc)
    return ""


@cache
def unavailable_reason() -> str:
    """Why bwrap cannot give a child its sandbox here ('' when it can), tried once per process.

    This starts a sandbox (about 70 ms here), so the runner does not ask it before every job:
    it runs the job and asks only when bwrap itself said it could not set up (`refused_setup`).
    """
    reason = setup_reason()
    if reason:
        return reason
    argv = command(["/bin/true"], bindings=system_bindings() + python_bindings(), user=sandbox_user(), workdir="/")
    try:
        done = subprocess.run(argv, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap did not start: {exc}"
    if done.returncode != 0:
        said = done.stderr.decode("utf-8", "replace").strip().splitlines()
        return f"bwrap refused to start a sandbox: {said[-1] if said else f'exit code {done.returncode}'}"
    return ""


def refused_setup(exit_code: int | None, output: str) -> bool:
    """Whether a run ended the way bwrap ends when it cannot build the sandbox (exit 1, its own
    message first). A submission can print the same; the caller then asks `unavailable_reason`,
    which a submission cannot influence, before it believes it."""
    return exit_code == 1 and output.startswith("bwrap: ")


def install_hint() -> str:
    """The command that gets bwrap on this kind of machine."""
    if shutil.which("apt-get"):
        return "sudo apt-get install bubblewrap"
    if shutil.which("dnf"):
        return "sudo dnf install bubblewrap"
    if sys.platform == "darwin":
        return "use --runner docker (bubblewrap is Linux only)"
    return "install bubblewrap from your distribution"
