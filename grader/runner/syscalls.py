"""The syscall filter every sandboxed child runs under, compiled once by the trusted process with
libseccomp (through pyseccomp, its ctypes binding) and handed to bubblewrap (``--seccomp FD``),
which loads it last, just before the child's program starts.

It refuses, in the spirit of Docker's default profile, what a grading child could use to reach
past its own job:

- the kernel's keyrings (``keyctl``, ``add_key``, ``request_key``): a uid's user keyring outlives
  the job, and ``grade``'s session keyring is the user's, so an answer stored there by one file
  would be found by the next (a classmate's, in one ``grade bulk``);
- other processes (``ptrace``, ``process_vm_readv``/``writev``, ``kcmp``, ``pidfd_getfd``);
- new namespaces (``unshare``, ``setns``, ``clone`` with any ``CLONE_NEW*`` flag; ``clone3``, whose
  flags a filter cannot read, answers ENOSYS, so the C library falls back to ``clone``);
- the kernel's programmable and rarely needed parts (``bpf``, ``perf_event_open``,
  ``userfaultfd``, ``io_uring_*``), another execution domain (``personality`` other than the
  values Docker allows), mounts, modules, kexec, reboot, swap, clocks, accounting.

Everything else is allowed: a deny list, so Python, numpy and TensorFlow run as they do. A refused
call fails with EPERM (ENOSYS for ``clone3``), as it would for an unprivileged process; a child
is never killed for trying, and a syscall of another architecture (i386 through ``int 0x80``)
kills it, libseccomp's default for a foreign one.
"""

from __future__ import annotations

import errno
import os
import sys
from functools import cache

DENIED = (
    "keyctl",
    "add_key",
    "request_key",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "unshare",
    "setns",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "open_tree",
    "move_mount",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "init_module",
    "finit_module",
    "delete_module",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "swapon",
    "swapoff",
    "acct",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "lookup_dcookie",
    "quotactl",
    "name_to_handle_at",
    "open_by_handle_at",
    "iopl",
    "ioperm",
    "vhangup",
    "nfsservctl",
)
# clone's flags that make a namespace (linux/sched.h).
CLONE_NEW = {
    "CLONE_NEWNS": 0x00020000,
    "CLONE_NEWCGROUP": 0x02000000,
    "CLONE_NEWUTS": 0x04000000,
    "CLONE_NEWIPC": 0x08000000,
    "CLONE_NEWUSER": 0x10000000,
    "CLONE_NEWPID": 0x20000000,
    "CLONE_NEWNET": 0x40000000,
}
# personality(2): what is allowed is PER_LINUX (0), PER_LINUX32 (0x8) and UNAME26 | PER_LINUX32
# (0x20008), as in Docker's profile. libseccomp takes one comparison of an argument per rule, so the
# rest is refused by rules whose union is exactly everything else: any value above 0x20008 (the
# query, 0xffffffff, too: nothing a learner runs asks it), any of bits 0-2 and 4-16, and bit 17
# without bit 3.
PERSONALITY_ABOVE = 0x20008
PERSONALITY_BITS = tuple(1 << bit for bit in range(17) if bit != 3)


@cache
def _compiled() -> tuple[bytes | None, str]:
    """The BPF program and '' , or None and why there is none here."""
    try:
        seccomp = _binding()
    except (ImportError, OSError, TypeError) as exc:  # no libseccomp.so.2 (macOS), or no binding
        return None, f"libseccomp is not available ({exc})"
    try:
        program = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        refuse = seccomp.ERRNO(errno.EPERM)
        for name in DENIED:
            try:
                program.add_rule(refuse, name)
            except (ValueError, RuntimeError, OSError):
                continue  # a call this architecture does not have (iopl on arm64)
        for flag in CLONE_NEW.values():
            # clone's flags are its first argument on x86_64 and arm64.
            program.add_rule(refuse, "clone", seccomp.Arg(0, seccomp.MASKED_EQ, flag, flag))
        program.add_rule(seccomp.ERRNO(errno.ENOSYS), "clone3")
        program.add_rule(refuse, "personality", seccomp.Arg(0, seccomp.GT, PERSONALITY_ABOVE))
        for bit in PERSONALITY_BITS:
            program.add_rule(refuse, "personality", seccomp.Arg(0, seccomp.MASKED_EQ, bit, bit))
        program.add_rule(refuse, "personality", seccomp.Arg(0, seccomp.MASKED_EQ, 0x20008, 0x20000))
        return _export(program), ""
    except (ValueError, RuntimeError, OSError, AttributeError) as exc:
        return None, f"libseccomp could not compile the filter ({exc})"


def _binding():
    """pyseccomp, imported with the libraries' stable Linux names handed to it: it looks up libc
    and libseccomp with ctypes.util.find_library, which runs ldconfig twice (5 ms of every
    grading). A name this table lacks is still looked up the usual way."""
    import ctypes.util

    if sys.platform != "linux":
        raise ImportError(f"seccomp is Linux only (this is {sys.platform})")
    sonames = {"c": "libc.so.6", "seccomp": "libseccomp.so.2"}
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: sonames.get(name) or find_library(name)
    try:
        import pyseccomp
    finally:
        ctypes.util.find_library = find_library
    return pyseccomp


def _export(program) -> bytes:
    import tempfile

    with tempfile.TemporaryFile() as fh:
        program.export_bpf(fh)
        fh.seek(0)
        return fh.read()


def unavailable_reason() -> str:
    """Why no syscall filter can be given to a child here ('' when it can)."""
    return _compiled()[1]


def program_fd() -> int | None:
    """A file descriptor holding the compiled filter, at offset 0, for bwrap's ``--seccomp`` (the
    caller passes it to the child and closes it); None where there is no filter."""
    program = _compiled()[0]
    if program is None:
        return None
    try:
        fd = os.memfd_create("grade-seccomp", os.MFD_CLOEXEC) if hasattr(os, "memfd_create") else None
    except OSError:  # an old kernel, or a container whose own filter refuses memfd_create
        fd = None
    if fd is None:
        read, write = os.pipe()
        os.write(write, program)  # 8 bytes an instruction; a few hundred bytes fit any pipe's buffer
        os.close(write)
        return read
    os.write(fd, program)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
