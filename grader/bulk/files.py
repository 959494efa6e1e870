"""Files a class's exports write: CSV cells a spreadsheet shows as text, and a file name per
student that never overwrites another's."""

from __future__ import annotations

import csv
import hashlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

# OWASP's CSV injection guidance: a cell starting with one of these is run as a formula by
# spreadsheets (=cmd|' /C calc'!A0), so every text cell that does gets a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: object) -> object:
    """A CSV cell a spreadsheet shows as text: formula starts neutralised, everything else as is."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _write_rows(path: Path, rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows([[spreadsheet_safe(c) for c in row] for row in rows])


def _safe_name(text: str) -> str:
    """A student id as a file name: no separators, no dots at the start."""
    cleaned = "".join(c if c.isalnum() or c in "-_@." else "_" for c in text).lstrip(".")
    return cleaned[:100] or "_"


def file_names(students: Iterable[str]) -> dict[str, str]:
    """Each student's file name, unique even where two ids clean to the same name or differ only in
    case (``kim/a`` and ``kim_a``; ``Kim`` and ``kim`` on a Mac): such a name gains a hash of the id,
    longer where a classmate's own id already reads as that (a name chosen to take another's place)."""
    cleaned = {s: _safe_name(s) for s in dict.fromkeys(students)}
    clashes = Counter(name.casefold() for name in cleaned.values())
    names = {s: name for s, name in cleaned.items() if clashes[name.casefold()] == 1}
    taken = {name.casefold() for name in names.values()}
    for student in sorted(s for s in cleaned if s not in names):
        digest = hashlib.sha256(student.encode()).hexdigest()
        length = 8
        while (name := f"{cleaned[student]}-{digest[:length]}{'' if length <= 64 else length}").casefold() in taken:
            length += 4
        names[student] = name
        taken.add(names[student].casefold())
    return {s: names[s] for s in cleaned}


def _points(value: float) -> str:
    return f"{value:g}"
