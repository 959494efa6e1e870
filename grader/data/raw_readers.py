"""Reading the certificate's raw files as hostile input: class folders of PNGs in a zip, a JSON
array of records, a CSV of monthly values (`grader.data.raw` says what the grader does with them).

A mirror or a USB stick may serve anything: sizes are bounded before reading, zip member names
are checked before use, and a PNG is judged by its 24 header bytes, never decoded. A reader
returns what it read or raises `Refused` with the problems, each naming its kind (a truncated
download, a wrong layout, a damaged file) and what was expected and found. numpy and the
standard library only.

Tolerated in a folders zip, because neither ``flow_from_directory`` nor
``image_dataset_from_directory`` sees them: OS litter (``.DS_Store``, ``Thumbs.db``: no image
extension) anywhere, and a ``__MACOSX/`` tree outside the folder the classes sit in. Where the
classes sit at the top, ``__MACOSX/`` would be read as a class: there it is a wrong layout.
"""

from __future__ import annotations

import json
import re
import struct
import zipfile
import zlib
from datetime import date
from pathlib import Path

import numpy as np

from grader.data.registry import DataFile, Layout
from grader.text import Text

MAX_PNG = 16 << 20  # one image member, uncompressed
MAX_ZIP = 1 << 30  # a folders zip on disk, and all its members uncompressed together
MAX_DIRECTORY = 64 << 20  # a zip's central directory, which zipfile holds in memory whole
MAX_JSON = 64 << 20
MAX_CSV = 16 << 20
TEXT_FIELD, LABEL_FIELD = "headline", "is_sarcastic"  # the records' text and 0/1 label
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_LITTER = {".DS_Store", "Thumbs.db", "desktop.ini"}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")  # not 'nan', 'inf' or '1_0', which float() takes

_KINDS = {
    "truncated": Text("truncated download", "내려받기가 중간에 끊겼습니다"),
    "layout": Text("wrong layout", "구성이 다릅니다"),
    "damaged": Text("damaged", "파일이 손상되었습니다"),
}
# Each problem a raw file can have: its kind, and what was expected and found, in both languages.
_PROBLEMS = {
    "too-big": ("layout", "{size} bytes, more than the {cap} such a file may have",
                "{size}바이트로, 이런 파일의 상한인 {cap}바이트보다 큽니다"),
    "no-directory": ("truncated", "the zip ends before its central directory ({size} bytes)",
                     "zip 파일이 중앙 디렉터리 앞에서 끝납니다 ({size}바이트)"),
    "not-zip": ("layout", "expected a zip archive; found a file starting with {head}",
                "zip 파일이어야 하는데 아닙니다 (첫 바이트: {head})"),
    "big-directory": ("layout", "a central directory of {size} bytes: too many members",
                      "중앙 디렉터리가 {size}바이트로, 항목이 너무 많습니다"),
    "zip-unreadable": ("damaged", "the zip does not open ({error})", "zip 파일이 열리지 않습니다 ({error})"),
    "unsafe-names": ("layout", "member names that point outside the archive's folders: {n} ({names})",
                     "압축 파일의 폴더 밖을 가리키는 항목 이름이 {n}개 있습니다 ({names})"),
    "folders": ("layout", "expected the class folders {want} and nothing else beside them; found {got}",
                "클래스 폴더는 {want}뿐이어야 합니다 (실제: {got})"),
    "other-members": ("layout", "members that are not PNG images directly inside a class folder: {n} ({names})",
                      "클래스 폴더 바로 안의 PNG 이미지가 아닌 항목이 {n}개 있습니다 ({names})"),
    "member-sizes": ("layout", "members declare {total} bytes in all; members over {cap} bytes: {n} ({names})",
                     "항목 크기가 모두 {total}바이트이고, {cap}바이트를 넘는 항목이 {n}개 있습니다 ({names})"),
    "counts": ("layout", "expected {want} images in {folders}; found {got}",
               "{folders}에 이미지가 각각 {want}개 있어야 하는데 {got}개 있습니다"),
    "image-size": ("layout", "images that are not {w}x{h} PNGs: {n} ({names})",
                   "{w}x{h} PNG 이미지여야 하는데 아닌 것이 {n}개 있습니다 ({names})"),
    "unreadable-png": ("damaged", "a PNG that cannot be read ({name})", "읽을 수 없는 PNG가 있습니다 ({name})"),
    "cut-character": ("truncated", "the file ends inside a character, at byte {size}",
                      "파일이 {size}바이트째에서 글자 중간에 끝납니다"),
    "not-utf8": ("layout", "not UTF-8 text (byte {at})", "UTF-8 텍스트가 아닙니다 ({at}번째 바이트)"),
    "too-deep": ("layout", "JSON nested too deeply to be records", "레코드라기에는 JSON이 너무 깊게 중첩되어 있습니다"),
    "json-ends-early": ("truncated", "the JSON array ends at byte {size} without its closing ]",
                        "JSON 배열이 닫는 ] 없이 {size}바이트째에서 끝납니다"),
    "not-json": ("layout", "not JSON ({error})", "JSON이 아닙니다 ({error})"),
    "not-array": ("layout", "expected a JSON array of records; found a JSON {kind}",
                  "레코드의 JSON 배열이어야 하는데 아닙니다 (실제: JSON {kind})"),
    "fields": ("layout", "expected records with exactly the fields {want}; "
               "records with others: {n} of {total} (record {i}: {found})",
               "레코드마다 정확히 {want} 필드가 있어야 하는데 {total}개 중 {n}개가 다릅니다 (레코드 {i}: {found})"),
    "values": ("layout", f"expected a text {TEXT_FIELD} and a 0/1 {LABEL_FIELD}; "
               "records with others: {n} (record {i})",
               f"{TEXT_FIELD} 값은 문자열, {LABEL_FIELD} 값은 0 또는 1이어야 하는데 아닌 레코드가 {{n}}개 있습니다 "
               "(레코드 {i})"),
    "record-count": ("layout", "expected {want} records; found {got}", "레코드가 {want}개여야 하는데 {got}개입니다"),
    "empty": ("truncated", "the file is empty", "파일이 비어 있습니다"),
    "header": ("layout", "expected the header {want}; found {got}", "머리글이 다릅니다 (기대: {want}, 실제: {got})"),
    "cut-line": ("truncated", "the last line is cut short: {line}", "마지막 줄이 중간에 끊겼습니다: {line}"),
    "bad-rows": ("layout", "expected rows 'index,YYYY-MM-DD,number', counting from 0; rows that are not: {n} "
                 "(data row {i}: {line})",
                 "행은 '0부터 세는 번호,YYYY-MM-DD,숫자' 꼴이어야 하는데 아닌 행이 {n}개 있습니다 "
                 "(데이터 행 {i}: {line})"),
    "few-rows": ("truncated", "expected {want} rows; found only {got}", "행이 {want}개여야 하는데 {got}개뿐입니다"),
    "many-rows": ("layout", "expected {want} rows; found {got}", "행이 {want}개여야 하는데 {got}개입니다"),
}  # fmt: skip


def problem(key: str, path: str, **args: object) -> Text:
    """``path: <kind>: <what>``, e.g. ``rps.zip: wrong layout: expected ...; found ...``."""
    kind, en, ko = _PROBLEMS[key]
    return Text(f"{path}: {_KINDS[kind].en}: {en.format(**args)}", f"{path}: {_KINDS[kind].ko}: {ko.format(**args)}")


class Refused(Exception):
    """Problems that stop a file from being read at all (raised inside, returned by `grader.data.raw.verify`)."""

    def __init__(self, *problems: Text) -> None:
        super().__init__(problems[0].en)
        self.problems = list(problems)


def _examples(items: list[str], n: int = 3) -> str:
    return ", ".join(items[:n]) + (", ..." if len(items) > n else "")


def max_bytes(layout: Layout) -> int:
    """The largest file of this kind the grader reads (and `grade data fetch` downloads)."""
    return {"folders": MAX_ZIP, "records": MAX_JSON, "rows": MAX_CSV}[layout.kind]


def read_capped(path: Path, name: str, cap: int) -> bytes:
    size = path.stat().st_size
    if size > cap:
        raise Refused(problem("too-big", name, size=size, cap=cap))
    with path.open("rb") as fh:
        return fh.read(cap)  # no more, should the file grow meanwhile


def _text(raw: bytes, name: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data":  # a character cut in two at the very end
            raise Refused(problem("cut-character", name, size=len(raw))) from None
        raise Refused(problem("not-utf8", name, at=exc.start)) from None


# ---- folders: class folders of PNG images in a zip ----------------------------------------------


def open_zip(path: Path, name: str) -> zipfile.ZipFile:
    """The zip, once its end record says the central directory is there and of a sane size."""
    size = path.stat().st_size
    if size > MAX_ZIP:
        raise Refused(problem("too-big", name, size=size, cap=MAX_ZIP))
    with path.open("rb") as fh:
        head = fh.read(4)
        fh.seek(max(0, size - (1 << 16) - 22))  # the end record: 22 bytes and a comment of up to 64 KiB
        tail = fh.read()
    end = tail.rfind(b"PK\x05\x06")
    if end < 0 or end + 22 > len(tail):
        if head == b"PK\x03\x04":  # its members begin, the directory that ends a zip is not there
            raise Refused(problem("no-directory", name, size=size))
        raise Refused(problem("not-zip", name, head=repr(head)))
    directory = struct.unpack("<I", tail[end + 12 : end + 16])[0]
    if directory > MAX_DIRECTORY:  # zip64's marker 0xFFFFFFFF too: the real archives are plain zips
        raise Refused(problem("big-directory", name, size=directory))
    try:
        return zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise Refused(problem("zip-unreadable", name, error=exc)) from None


def _unsafe(member: str) -> bool:
    parts = member.rstrip("/").split("/")
    return member.startswith("/") or "\\" in member or ":" in parts[0] or any(p in ("", ".", "..") for p in parts)


def class_images(zf: zipfile.ZipFile, layout: Layout, name: str) -> dict[str, list[zipfile.ZipInfo]]:
    """Each class folder's image members, sorted by name; `Refused` where the folders, a member's
    name or a declared size is not what the layout allows (counts and image sizes are `grader.data.raw.verify`'s)."""
    root, found, unsafe, others = layout.root, set(), [], []
    images: dict[str, list[zipfile.ZipInfo]] = {c: [] for c in layout.classes}
    infos = zf.infolist()
    for info in infos:
        member = info.filename
        parts = member.rstrip("/").split("/")
        if _unsafe(member):
            unsafe.append(member)
        elif parts[-1] in _LITTER or (root and parts[0] == "__MACOSX"):
            continue
        elif not member.startswith(root):
            found.add(parts[0] + ("/" if len(parts) > 1 or info.is_dir() else ""))
        elif member != root:
            inner = member[len(root) :].rstrip("/").split("/")
            found.add(root + inner[0] + ("/" if len(inner) > 1 or info.is_dir() else ""))
            if inner[0] in images and len(inner) == 2 and not info.is_dir() and inner[1].lower().endswith(".png"):
                images[inner[0]].append(info)
            elif inner[0] in images and (len(inner) > 1 or not info.is_dir()):
                others.append(member)
    problems = []
    if unsafe:
        problems.append(problem("unsafe-names", name, n=len(unsafe), names=_examples(unsafe)))
    expected = {root + c + "/" for c in layout.classes}
    if found != expected:
        problems.append(problem("folders", name, want=", ".join(sorted(expected)), got=", ".join(sorted(found)) or "-"))
    if others:
        problems.append(problem("other-members", name, n=len(others), names=_examples(others)))
    big = [i.filename for members in images.values() for i in members if i.file_size > MAX_PNG]
    total = sum(i.file_size for i in infos)
    if big or total > MAX_ZIP:
        problems.append(problem("member-sizes", name, total=total, n=len(big), cap=MAX_PNG, names=_examples(big)))
    if problems:
        raise Refused(*problems)
    return {c: sorted(members, key=lambda i: i.filename) for c, members in images.items()}


def _png_size(head: bytes | None) -> tuple[int, int] | None:
    """(width, height) from a PNG's signature and IHDR chunk, or None when it is not a PNG."""
    if head is None or len(head) < 24 or head[:8] != PNG_SIGNATURE or head[12:16] != b"IHDR":
        return None
    return struct.unpack(">II", head[16:24])


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, n: int) -> bytes | None:
    """Up to ``n`` bytes of a member (zipfile stops at its declared size); None where they cannot be read."""
    try:
        with zf.open(info) as fh:
            return fh.read(n)
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, ValueError, zlib.error):
        return None  # RuntimeError: encrypted; NotImplementedError: a compression zipfile lacks


def verify_folders(path: Path, f: DataFile, layout: Layout) -> list[Text]:
    with open_zip(path, f.path) as zf:
        images = class_images(zf, layout, f.path)
        problems = []
        counts = tuple(len(images[c]) for c in layout.classes)
        if counts != layout.counts:
            folders = ", ".join(layout.root + c + "/" for c in layout.classes)
            want, got = (", ".join(map(str, n)) for n in (layout.counts, counts))
            problems.append(problem("counts", f.path, want=want, folders=folders, got=got))
        wrong = []
        for info in (i for members in images.values() for i in members):
            size = _png_size(_read_member(zf, info, 24))
            if size != layout.image_size:
                wrong.append(f"{info.filename} ({'not a PNG' if size is None else f'{size[0]}x{size[1]}'})")
        if wrong:
            w, h = layout.image_size
            problems.append(problem("image-size", f.path, w=w, h=h, n=len(wrong), names=_examples(wrong)))
        return problems


def folder_images(path: Path, f: DataFile, layout: Layout) -> tuple[np.ndarray, np.ndarray]:
    with open_zip(path, f.path) as zf:
        data, labels = [], []
        for label, members in enumerate(class_images(zf, layout, f.path).values()):
            for info in members:
                png = _read_member(zf, info, MAX_PNG)
                if _png_size(png) is None:
                    raise Refused(problem("unreadable-png", f.path, name=info.filename))
                data.append(png)
                labels.append(label)
    return objects(data), np.asarray(labels, dtype=np.int64)


def check_folders(path: Path, f: DataFile, layout: Layout) -> None:
    with open_zip(path, f.path) as zf:
        class_images(zf, layout, f.path)


def objects(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)  # np.array would make bytes or str a fixed-width array
    out[:] = items
    return out


# ---- records: a JSON array of objects -----------------------------------------------------------


def read_records(path: Path, f: DataFile, layout: Layout) -> list[dict]:
    raw = read_capped(path, f.path, MAX_JSON)
    text = _text(raw, f.path)
    try:
        records = json.loads(text)
    except RecursionError:
        raise Refused(problem("too-deep", f.path)) from None
    except ValueError as exc:  # json.JSONDecodeError, or an integer too long to convert
        if not text.strip() or (text.lstrip().startswith("[") and not text.rstrip().endswith("]")):
            raise Refused(problem("json-ends-early", f.path, size=len(raw))) from None
        raise Refused(problem("not-json", f.path, error=str(exc)[:200])) from None
    if not isinstance(records, list):
        raise Refused(problem("not-array", f.path, kind=type(records).__name__))
    fields = sorted(layout.fields)
    other = [i for i, r in enumerate(records) if not isinstance(r, dict) or sorted(r) != fields]
    if other:
        first = records[other[0]]
        found = ", ".join(sorted(first)) if isinstance(first, dict) else f"a JSON {type(first).__name__}"
        want = ", ".join(layout.fields)
        raise Refused(problem("fields", f.path, want=want, n=len(other), total=len(records), i=other[0], found=found))
    bad = [
        i
        for i, r in enumerate(records)
        if not isinstance(r[TEXT_FIELD], str) or type(r[LABEL_FIELD]) is not int or r[LABEL_FIELD] not in (0, 1)
    ]
    if bad:
        raise Refused(problem("values", f.path, n=len(bad), i=bad[0]))
    return records


def verify_records(path: Path, f: DataFile, layout: Layout) -> list[Text]:
    found = len(read_records(path, f, layout))
    return [] if found == layout.rows else [problem("record-count", f.path, want=layout.rows, got=found)]


# ---- rows: a CSV of an index, a date and a value ------------------------------------------------


def _row_value(i: int, line: str) -> float | None:
    cols = line.rstrip("\r\n").split(",")
    if len(cols) != 3 or cols[0] != str(i) or not _DATE.fullmatch(cols[1]) or not NUMBER.fullmatch(cols[2]):
        return None
    try:
        date.fromisoformat(cols[1])
    except ValueError:  # 2019-02-30
        return None
    return float(cols[2])


def read_rows(path: Path, f: DataFile, layout: Layout) -> tuple[list[str], np.ndarray]:
    """The file's lines as they are (ends kept), and each data row's value.

    A row is exactly a line (these lines have no quotes, so ``csv.reader`` reads them the same),
    so a public copy made of whole lines holds exactly the rows it should."""
    lines = _text(read_capped(path, f.path, MAX_CSV), f.path).splitlines(keepends=True)
    if not lines:
        raise Refused(problem("empty", f.path))
    header = lines[0].rstrip("\r\n").removeprefix("\ufeff")
    if tuple(header.split(",")) != layout.fields:
        raise Refused(problem("header", f.path, want=repr(",".join(layout.fields)), got=repr(header[:200])))
    values = [_row_value(i, line) for i, line in enumerate(lines[1:])]
    bad = [i for i, v in enumerate(values) if v is None]
    if bad == [len(values) - 1] and not lines[-1].endswith("\n"):  # the download stopped inside it
        raise Refused(problem("cut-line", f.path, line=repr(lines[-1][:80])))
    if bad:
        line = repr(lines[bad[0] + 1].rstrip("\r\n")[:80])
        raise Refused(problem("bad-rows", f.path, n=len(bad), i=bad[0], line=line))
    return lines, np.asarray(values, dtype=np.float64)


def verify_rows(path: Path, f: DataFile, layout: Layout) -> list[Text]:
    found = len(read_rows(path, f, layout)[1])
    if found == layout.rows:
        return []
    # A download cut at a line's end leaves fewer rows; more is another file.
    return [problem("few-rows" if found < layout.rows else "many-rows", f.path, want=layout.rows, got=found)]
