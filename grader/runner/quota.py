"""An output quota the kernel keeps: a size-limited tmpfs over each of a job's writable folders.

The watchdog measures a job's writable folders from outside, but a measurement only sees what is
still linked: a file the child deletes while holding it open (or mapped) takes disk space that no
walk finds, until the job ends. Where ``grade`` runs as root, each writable folder is therefore a
tmpfs of its own, sized to what the trusted side put there plus the quota plus `SLACK`: the kernel
refuses the byte (and the inode) past that, however it is written, and ``statvfs`` counts what is
in use, deleted files included. The slack lets a run that reached the quota be told from one that
stayed within it, so the violation is the verdict (``disk-exceeded``), not a crash from ENOSPC.

An ordinary user cannot mount; there the watchdog's measurement and RLIMIT_FSIZE (each file) are
the bounds, and ``grade doctor`` says the kernel quota is not held.

The tmpfs pages are memory: they count against the writing job's memory cgroup like its own
allocations, and are freed when the folder is removed (`release_under`, which `jobs.remove_tree`
calls first, so a grade killed with -9 leaves nothing mounted past the next grading's sweep).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import stat
import sys
from functools import cache
from pathlib import Path

SOURCE = "tfcert-grader-quota"  # the mounts' source name: the only ones `release_under` takes down
SLACK = 1 << 20  # room past the quota, so a run that reached it is seen as over it
EXTRA_INODES = 64  # the folder itself and the few files the trusted side adds after the run
_MS_NOSUID, _MS_NODEV = 2, 4
_MNT_DETACH = 2


@cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


@cache
def unavailable_reason() -> str:
    """Why writable folders cannot be size-limited tmpfs here ('' when they can): not Linux, not
    root, or a root without the right to mount (a container's root): a real mount is tried once."""
    if not sys.platform.startswith("linux"):
        return "not Linux"
    if os.geteuid() != 0:
        return "grade is not root: an ordinary user cannot mount a tmpfs"
    import tempfile

    probe = tempfile.mkdtemp(prefix="grade-quota-probe-")
    try:
        if _libc().mount(SOURCE.encode(), os.fsencode(probe), b"tmpfs", _MS_NOSUID | _MS_NODEV, b"size=4096") != 0:
            return f"root here may not mount a tmpfs ({os.strerror(ctypes.get_errno())})"
        _libc().umount2(os.fsencode(probe), _MNT_DETACH)
        return ""
    finally:
        os.rmdir(probe)


def confine(folder: Path, quota_bytes: int, max_entries: int) -> bool:
    """Make ``folder`` a tmpfs that holds what it holds now plus ``quota_bytes`` (and
    ``max_entries`` more files and folders), with its owner and mode; whether it is one now.
    Where mounting is not possible or refused, the folder stays as it was."""
    if unavailable_reason() or not folder.is_dir() or folder.is_symlink():
        return False
    folder = Path(os.path.realpath(folder))  # as the kernel writes it in the mount table
    held_bytes, held_entries = _size(folder)
    info = folder.stat()
    aside = folder.with_name(folder.name + ".before-quota")
    if held_entries:  # the trusted side's files (a keras home's datasets) move into the tmpfs
        folder.rename(aside)
        folder.mkdir()
    size = held_bytes + quota_bytes + SLACK
    inodes = held_entries + max_entries + EXTRA_INODES
    options = f"size={size},nr_inodes={inodes},mode={stat.S_IMODE(info.st_mode):o}"
    flags = _MS_NOSUID | _MS_NODEV
    mounted = _libc().mount(SOURCE.encode(), os.fsencode(folder), b"tmpfs", flags, options.encode()) == 0
    if mounted:
        os.chown(folder, info.st_uid, info.st_gid)
    if held_entries:
        shutil.copytree(aside, folder, symlinks=True, dirs_exist_ok=True)
        shutil.rmtree(aside)
    return mounted


def usage(folder: Path) -> tuple[int, int]:
    """Bytes and files-and-folders in use on the tmpfs ``confine`` made of ``folder``,
    deleted-but-open files included."""
    vfs = os.statvfs(folder)
    return (vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize, vfs.f_files - vfs.f_ffree


def is_confined(folder: Path) -> bool:
    return os.path.realpath(folder) in _our_mounts()


def release_under(root: Path) -> None:
    """Unmount our tmpfs at or below ``root`` (deepest first, detached so a process still
    holding a file in one cannot keep the folder's removal waiting)."""
    below = os.path.realpath(root)  # the mount table's paths are resolved (a TMPDIR through a link)
    for point in sorted((p for p in _our_mounts() if p == below or p.startswith(below + "/")), reverse=True):
        _libc().umount2(os.fsencode(point), _MNT_DETACH)


def _our_mounts() -> set[str]:
    """Mount points of our tmpfs, from this process's mount table."""
    try:
        lines = Path("/proc/self/mountinfo").read_bytes().splitlines()
    except OSError:
        return set()
    points = set()
    for line in lines:
        fields = line.split()
        # "<id> <parent> <dev> <root> <mount point> <options> [optional...] - <type> <source> <super options>"
        if b"-" in fields and fields[fields.index(b"-") + 2 : fields.index(b"-") + 3] == [SOURCE.encode()]:
            points.add(_unescape(fields[4]))
    return points


def _unescape(field: bytes) -> str:
    """mountinfo writes space, tab, newline and backslash in paths as octal escapes."""
    out, i = bytearray(), 0
    while i < len(field):
        if field[i : i + 1] == b"\\" and field[i + 1 : i + 4].isdigit():
            out.append(int(field[i + 1 : i + 4], 8))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return os.fsdecode(bytes(out))


def _size(folder: Path) -> tuple[int, int]:
    """Bytes (whole 4 KiB pages, as tmpfs counts them) and entries under a folder the trusted side made."""
    total = entries = 0
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in [*dirnames, *filenames]:
            entries += 1
            try:
                size = os.lstat(os.path.join(dirpath, name)).st_size
            except OSError:
                continue
            total += -(-size // 4096) * 4096
    return total, entries
