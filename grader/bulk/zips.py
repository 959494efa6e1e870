"""Extracting a class's zip from an LMS, safely: no absolute paths or ``..`` (zip-slip), no
links, at most `MAX_ZIP_FILES` files and `MAX_ZIP_BYTES` uncompressed (a zip bomb stops
there), names in CP949 where Korean Windows wrote them so."""

from __future__ import annotations

import contextlib
import io
import shutil
import stat
import unicodedata
import zipfile
from pathlib import Path, PurePosixPath

from grader.bulk.entries import CollectError, Problem, exercise_id, problem_for_name
from grader.text import Text, printable

MAX_ZIP_FILES = 5000
MAX_ZIP_BYTES = 2 * 2**30
MAX_RATIO = 200  # uncompressed / compressed, per entry: beyond this it is a bomb, not code


def _zip_name(info: zipfile.ZipInfo) -> str:
    """The entry's name as its author saw it: UTF-8 when flagged, else CP949 (Korean Windows)."""
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.filename.encode("cp437")  # how zipfile decoded the unflagged bytes
    for encoding in ("utf-8", "cp949"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return info.filename


def extract_zip(archive: Path, target: Path) -> list[Problem]:
    """Extract ``archive`` into ``target`` safely; returns the entries left out, as problems.

    What makes the whole zip suspect (a path out of the folder, a link, a bomb) refuses it all;
    an entry that cannot be extracted alone is left out and listed, and the rest extracted.
    """
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise CollectError(
            Text(
                f"{archive.name} is not a readable zip ({exc})",
                f"{archive.name}은 읽을 수 있는 zip이 아닙니다 ({exc})",
            )
        ) from None
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_ZIP_FILES:
            raise CollectError(
                Text(
                    f"{archive.name} holds {len(infos)} files; the limit is {MAX_ZIP_FILES}",
                    f"{archive.name}에 파일이 {len(infos)}개 있습니다; 한도는 {MAX_ZIP_FILES}개입니다",
                )
            )
        files: dict[tuple[str, ...], list[zipfile.ZipInfo]] = {}
        folders: set[tuple[str, ...]] = set()
        total = 0
        for info in infos:
            name = unicodedata.normalize("NFC", _zip_name(info))
            parts = PurePosixPath(name.replace("\\", "/")).parts
            if name.startswith(("/", "\\")) or (parts and parts[0].endswith(":")) or ".." in parts:
                raise CollectError(
                    Text(
                        f"{archive.name}: entry '{name}' points outside the folder (refused)",
                        f"{archive.name}: 항목 '{name}'이 폴더 밖을 가리킵니다 (거부)",
                    )
                )
            if stat.S_ISLNK(info.external_attr >> 16):
                raise CollectError(
                    Text(
                        f"{archive.name}: entry '{name}' is a link (refused)",
                        f"{archive.name}: 항목 '{name}'은 링크입니다 (거부)",
                    )
                )
            if not parts:
                continue
            folders.update(parts[:i] for i in range(1, len(parts)))
            if info.is_dir():
                folders.add(parts)
                continue
            total += info.file_size
            if total > MAX_ZIP_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
                raise CollectError(
                    Text(
                        f"{archive.name}: entry '{name}' expands too far (a zip bomb?); refused",
                        f"{archive.name}: 항목 '{name}'의 압축을 풀면 너무 커집니다 (zip bomb?); 거부",
                    )
                )
            files.setdefault(parts, []).append(info)
        left_out: list[Problem] = []
        for parts, same in files.items():
            shown = "/".join(parts)
            clash = next(
                (parts[:i] for i in range(1, len(parts) + 1) if parts[:i] in files and parts[:i] in folders), None
            )
            if len(same) > 1:
                reason = Text(
                    f"the zip holds {len(same)} entries named {shown}: neither is graded",
                    f"zip 안에 이름이 {shown}인 항목이 {len(same)}개 있습니다: 어느 것도 채점하지 않습니다",
                )
            elif clash is not None:
                both = "/".join(clash)
                reason = Text(
                    f"{both} is both a file and a folder in the zip: neither is graded",
                    f"zip 안에서 {both} 이름이 파일이기도 하고 폴더이기도 합니다: 어느 것도 채점하지 않습니다",
                )
            else:
                destination = target.joinpath(*parts)
                try:
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(same[0]) as src, open(destination, "wb") as dst:
                        # Read with a cap: the sizes in the header are the sender's word, not a fact.
                        shutil.copyfileobj(_Capped(src, same[0].file_size), dst)
                    continue
                except OSError as exc:  # a name or path too long for this disk, a name it refuses
                    with contextlib.suppress(OSError):
                        destination.unlink(missing_ok=True)
                    said = exc.strerror or str(exc)
                    reason = Text(f"cannot be extracted here ({said})", f"이 컴퓨터에서는 풀 수 없습니다 ({said})")
            left_out.append(problem_for_name(parts, printable(shown), reason))
    return left_out


class _Capped(io.RawIOBase):
    """A reader that refuses to give more bytes than the zip header declared."""

    def __init__(self, inner, limit: int) -> None:
        self.inner, self.left = inner, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.inner.read(min(len(buffer), self.left + 1))
        if len(data) > self.left:
            raise CollectError(
                Text(
                    "a zip entry is larger than its header says (refused)",
                    "zip 항목이 헤더에 적힌 것보다 큽니다 (거부)",
                )
            )
        self.left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def unwrap(folder: Path) -> Path:
    """An LMS zip usually wraps everything in one folder: start inside it. A single folder
    holding only ``<exercise>.<ext>`` files is one student's, and stays a folder."""

    def visible(f: Path) -> list[Path]:
        return [p for p in f.iterdir() if not p.name.startswith((".", "__MACOSX"))]

    inside = visible(folder)
    while len(inside) == 1 and inside[0].is_dir():
        content = visible(inside[0])
        if content and all(p.is_file() and exercise_id(p.stem) for p in content):
            break
        folder, inside = inside[0], content
    return folder
