"""The quota tmpfs (grader.runner.quota): what it keeps, and that it always goes with its folder."""

from __future__ import annotations

import os
import stat

import pytest
from hypothesis import given
from hypothesis import strategies as st

from grader.runner import quota
from grader.runner.jobs import remove_tree
from grader.runner.watchdog import MAX_ENTRIES, usage

as_root = pytest.mark.skipif(bool(quota.unavailable_reason()), reason="mounting a tmpfs needs root on Linux")


@as_root
def test_a_confined_folder_keeps_its_files_owner_and_mode_and_refuses_past_the_quota(tmp_path) -> None:
    folder = tmp_path / "keras"
    (folder / "datasets").mkdir(parents=True)
    (folder / "datasets" / "mnist.npz").write_bytes(b"x" * 300_000)
    (folder / "link").symlink_to("datasets/mnist.npz")
    folder.chmod(0o750)
    os.chown(folder, 12345, 12346)
    try:
        assert quota.confine(folder, 2 << 20, 100)
        assert quota.is_confined(folder)
        info = folder.stat()
        assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (12345, 12346, 0o750)
        assert (folder / "datasets" / "mnist.npz").read_bytes() == b"x" * 300_000
        assert os.readlink(folder / "link") == "datasets/mnist.npz"
        assert not folder.with_name("keras.before-quota").exists()
        before, _ = usage([folder], {folder})
        with open(folder / "big", "wb") as fh, pytest.raises(OSError, match="No space left"):
            fh.write(b"y" * (4 << 20))
            fh.flush()
        used, _ = usage([folder], {folder})
        assert 2 << 20 < used - before <= (2 << 20) + quota.SLACK + (16 << 10)  # the slack and a page or two
    finally:
        remove_tree(tmp_path)
    assert not tmp_path.exists() and not quota.is_confined(folder)


@as_root
def test_files_deleted_while_open_are_counted_and_the_file_count_is_bounded(tmp_path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    try:
        assert quota.confine(folder, 8 << 20, 50)
        base_bytes, base_entries = usage([folder], {folder})
        with open(folder / "gone", "wb") as fh:
            os.unlink(fh.name)
            fh.write(b"z" * (3 << 20))
            fh.flush()
            assert usage([folder], {folder})[0] - base_bytes >= 3 << 20  # no walk finds it; the file system does
        with pytest.raises(OSError, match="No space left"):
            for i in range(200):
                (folder / f"f{i}").touch()
        assert usage([folder], {folder})[1] - base_entries > 50
    finally:
        remove_tree(tmp_path)
    assert not tmp_path.exists()


@as_root
def test_a_folder_with_a_space_and_a_newline_in_its_path_is_released(tmp_path) -> None:
    folder = tmp_path / "a b\nc" / "out"
    folder.mkdir(parents=True)
    assert quota.confine(folder, 1 << 20, 10)
    assert quota.is_confined(folder)
    assert remove_tree(tmp_path)
    assert not quota.is_confined(folder)


def test_an_ordinary_folder_is_walked_not_confined(tmp_path) -> None:
    (tmp_path / "a").write_bytes(b"1" * 10_000)
    assert not quota.is_confined(tmp_path)
    used, entries = usage([tmp_path], set(), MAX_ENTRIES)
    assert used >= 10_000 and entries == 1


@given(st.binary(max_size=64))
def test_mountinfo_unescaping_reverses_the_kernels_escaping(raw: bytes) -> None:
    escaped = b"".join(b"\\%03o" % byte if byte in b" \t\n\\" else bytes([byte]) for byte in raw)
    assert quota._unescape(escaped) == os.fsdecode(raw)


@as_root
def test_a_job_folder_reached_through_a_link_is_confined_and_released(tmp_path) -> None:
    real = tmp_path / "real"
    (real / "job" / "out").mkdir(parents=True)
    (tmp_path / "link").symlink_to(real)  # a TMPDIR through a link: the mount table has the real path
    folder = tmp_path / "link" / "job" / "out"
    assert quota.confine(folder, 1 << 20, 10) and quota.is_confined(folder)
    assert remove_tree(tmp_path / "link" / "job") and not (real / "job").exists()
    assert not quota.is_confined(real / "job" / "out")
