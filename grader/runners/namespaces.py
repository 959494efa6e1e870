"""Linux namespaces for the local runner's child, where ``unshare`` (util-linux) allows them.

What they add to a plain child process:
- its own PID namespace: it cannot signal the grader (``os.kill(os.getppid(), …)``, ``kill -1``),
  and everything it started dies with it;
- its own mount table with its own ``/proc``: a folder the job hides (the hidden test data) is
  covered by an empty tmpfs, and no ``/proc/PID/root`` of a process outside leads around it;
- no capabilities (``setpriv``): it cannot unmount that tmpfs, mount, or regain them by exec.

As root, these are made directly. As another user, inside a user namespace where the user is
"root" only to mount the tmpfs; the capabilities go before the submission's interpreter starts.
Where only a user namespace mapping the user to itself works (no ``setpriv``), the child gets
the PID namespace and nothing is hidden. No ``unshare`` (macOS, Windows), or namespaces switched
off (some distributions restrict user namespaces; ``GRADE_NAMESPACES=off``): a plain child.
Even as root with everything here, the local runner is not a boundary against a determined
attacker (raw devices stay readable to root); the docker runner is.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

NAMESPACES_ENV = "GRADE_NAMESPACES"  # "off": plain child processes, where unshare misbehaves

# ``--fork``: the child is PID 1 of the new namespace; ``--kill-child``: it dies with its
# ``unshare`` parent, whichever way that goes (the timeout kills the parent's process group).
_PID = ("--pid", "--fork", "--kill-child")
_MOUNTS = ("--mount", "--propagation", "private", "--mount-proc")
_DROP_CAPABILITIES = (
    "--inh-caps=-all",
    "--ambient-caps=-all",
    "--bounding-set=-all",
    # uid 0 (real root, or root of the user namespace) gains nothing back by exec or setuid.
    "--securebits=+noroot,+noroot_locked,+no_setuid_fixup,+no_setuid_fixup_locked,+keep_caps_locked",
    "--no-new-privs",
)


@dataclass(frozen=True)
class Namespaces:
    """How the child is started here: ``unshare`` options, and whether folders can be hidden
    (a private mount table, entered through a shell that mounts and then drops capabilities)."""

    options: tuple[str, ...]
    hides: bool

    @property
    def pid(self) -> bool:
        return "--pid" in self.options

    def wrap(self, command: list[str], hide: tuple[Path, ...] = ()) -> list[str]:
        """``command`` in these namespaces; each folder in ``hide`` looks empty to it."""
        unshare = shutil.which("unshare") or "unshare"
        if not self.hides:
            return [unshare, *self.options, *command]
        steps = [f"mount -t tmpfs -o size=16k,mode=0555 tmpfs {shlex.quote(str(d))}" for d in hide]
        setpriv = shlex.join([shutil.which("setpriv") or "setpriv", *_DROP_CAPABILITIES, "--"])
        steps.append("unset PWD OLDPWD")  # the shell's own: the child gets only the job's variables
        steps.append(f'exec {setpriv} "$@"')
        return [unshare, *self.options, "/bin/sh", "-c", " && ".join(steps), "sh", *command]


_CHOICES = (
    Namespaces((*_MOUNTS, *_PID), hides=True),  # root
    Namespaces(("--user", "--map-root-user", *_MOUNTS, *_PID), hides=True),  # user namespaces
    Namespaces(("--user", "--map-current-user", *_PID), hides=False),  # user namespaces, no setpriv
)


def available() -> Namespaces | None:
    """The strongest choice that works here (tried once per process), or ``None``."""
    if os.environ.get(NAMESPACES_ENV, "").strip().lower() in ("off", "0", "no", "false"):
        return None
    return _first_working()


@cache
def _first_working() -> Namespaces | None:
    if shutil.which("unshare") is None:
        return None
    with tempfile.TemporaryDirectory(prefix="grade-ns-probe-") as probe:
        for choice in _CHOICES:
            if choice.hides and shutil.which("setpriv") is None:
                continue
            command = choice.wrap(["true"], (Path(probe),))
            try:
                if subprocess.run(command, capture_output=True, timeout=30).returncode == 0:
                    return choice
            except (OSError, subprocess.TimeoutExpired):  # a probe that cannot start or hangs: not this one
                continue
    return None
