"""Similar submissions in a class, found by copydetect: k-gram fingerprints as MOSS takes them, over
Pygments tokens, so renamed variables, moved functions and rewritten comments change nothing.

What is compared is code only: a notebook's code cells, with comments, blank lines and layout
dropped by the tokenizer (names become V/F/O, strings S). Three things never make two files alike:

* the exercise's starter files (English and Korean) and any code the instructor taught
  (``--boilerplate DIR``): their fingerprints are removed from every file first;
* code much of the class shares (a fingerprint in more than 10 files, or half of a small class of
  at least ``COMMON_MIN_FILES``): MOSS's ``-m`` rule, as what many write says nothing about two.
  Files that are nearly one another count once here, so a ring of copies is not "the class";
* too little code: a pair is flagged only when the code one file shares with the other is at
  least ``MIN_MATCHED`` characters of normalised code (about a dozen lines) AND at least
  ``FLAG_SHARE`` of one of them. Two honest solutions of a 5-line function are ~60 characters of tokens that any
  two learners write alike; copying them cannot be told from writing them, so they are never
  flagged (measured on the bundled corpus: see ``tests/bulk/test_similarity.py``).

A flagged pair is a reason for a person to look, never a verdict; the page says so.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from grader.text import clean, printable

NOISE = 25  # copydetect's noise threshold: the shortest match (filtered characters) that counts
# copydetect's default: every match of NOISE characters is found (a winnowing window of 1). A wider
# window keeps the smallest hash in each, and Python salts str hashes per process: the same two
# files would then score differently on each run.
GUARANTEE = NOISE
FLAG_SHARE = 0.6  # of one file's fingerprinted code found in the other
MIN_MATCHED = 200  # filtered characters shared: below this, any two files of a short exercise match
# MOSS's -m: a fingerprint in more files than this is what the class writes, not what two share:
# 10 (MOSS's default) in a large class, half the files in a small one, none below COMMON_MIN_FILES.
COMMON_FILES = 10
COMMON_MIN_FILES = 6
NEAR_SAME = 0.95  # files that hold this much of each other's fingerprints count once (a ring of copies)
CANDIDATE_SHARE = 0.3  # shared fingerprints before the detailed comparison is made at all
MAX_CODE_CHARS = 200_000  # a homework file is far smaller; past this, the rest is not compared
SHOWN_CONTEXT = 3  # lines shown around each shared region


@dataclass(frozen=True)
class Pair:
    """Two students' files for one exercise, and how much of each the other holds."""

    exercise: str
    a: str
    b: str
    share_a: float  # of a's fingerprinted code, the part found in b
    share_b: float
    matched: int  # characters of a's normalised code (a name is one letter) that b holds too
    marked_a: str  # a's code as HTML, escaped, the shared regions in <mark>
    marked_b: str

    @property
    def similarity(self) -> float:
        return max(self.share_a, self.share_b)

    @property
    def flagged(self) -> bool:
        return self.similarity >= FLAG_SHARE and self.matched >= MIN_MATCHED


CODE_SUFFIXES = (".py", ".ipynb")


def code_of(path: Path) -> str | None:
    """The code a submission file holds, as similarity compares it: a script's text, a
    notebook's code cells; None for what holds no code to compare (a saved model)."""
    suffix = path.suffix.lower()
    if suffix == ".ipynb":
        from grader.grading.notebook import NotebookError, notebook_to_script

        try:
            text = notebook_to_script(path)[0]
        except (NotebookError, OSError, RecursionError):
            return None
    elif suffix == ".py":
        try:
            with open(path, "rb") as fh:
                raw = fh.read(MAX_CODE_CHARS * 4)
        except OSError:
            return None
        text = raw.decode("utf-8-sig", "replace")
    else:
        return None
    return sanitised(text)


def sanitised(text: str) -> str:
    """Code as the class page may show it: printable, no terminal controls, bounded."""
    return clean(printable(text))[:MAX_CODE_CHARS]


def _fingerprint(name: str, code: str, boilerplate):
    from copydetect import CodeFingerprint

    return CodeFingerprint(
        f"{name}.py", NOISE, GUARANTEE - NOISE + 1, boilerplate=boilerplate, fp=io.StringIO(code), language="python"
    )


def boilerplate_hashes(texts: Iterable[str]):
    """The fingerprints of code every learner was given (a starter, what was taught)."""
    import numpy as np

    found: set[int] = set()
    for i, text in enumerate(texts):
        found |= _fingerprint(f"boilerplate{i}", sanitised(text), None).hashes
    return np.array(sorted(found))


def boilerplate_files(folder: Path) -> list[str]:
    """The ``.py`` files and notebooks under ``folder`` (``--boilerplate``), as code."""
    return [code for p in sorted(folder.rglob("*")) if p.is_file() and (code := code_of(p)) is not None]


def _drop(fingerprint, hashes: set[int]) -> None:
    """Take ``hashes`` out of a fingerprint as copydetect's own boilerplate step does."""
    from copydetect.utils import get_token_coverage

    gone = fingerprint.hashes & hashes
    if gone:
        fingerprint.hashes = fingerprint.hashes - gone
        for h in gone:
            del fingerprint.hash_idx[h]
        fingerprint.token_coverage = get_token_coverage(fingerprint.hash_idx, NOISE, len(fingerprint.filtered_code))


def _overlaps(names: list[str], prints: dict):
    """For every two files that share a fingerprint: (i, j, how many); and each file's count. One
    sparse product over the class instead of n² set intersections."""
    import numpy as np
    from scipy import sparse

    column: dict[int, int] = {}
    rows, cols = [], []
    for i, name in enumerate(names):
        for h in prints[name].hashes:
            rows.append(i)
            cols.append(column.setdefault(h, len(column)))
    if not column:
        return [], np.zeros(len(names))
    matrix = sparse.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(names), len(column)))
    shared = (matrix @ matrix.T).tocoo()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    return [(i, j, n) for i, j, n in zip(shared.row, shared.col, shared.data, strict=True) if i < j], sizes


def _groups(names: list[str], prints: dict) -> list[int]:
    """Each file's group: files that are nearly one another (each holds NEAR_SAME of the other's
    fingerprints) are one group, so that a ring of copies counts once where the class's common code
    is counted, and cannot hide itself as "what everyone writes"."""
    group = list(range(len(names)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    pairs, sizes = _overlaps(names, prints)
    for i, j, n in pairs:
        if n >= NEAR_SAME * max(sizes[i], sizes[j], 1.0):
            group[root(i)] = root(j)
    return [root(i) for i in range(len(names))]


def _common(names: list[str], prints: dict) -> set[int]:
    """Fingerprints in more than COMMON_FILES groups of files (half the groups of a small class)."""
    groups = _groups(names, prints)
    holders: dict[int, set[int]] = {}
    for name, g in zip(names, groups, strict=True):
        for h in prints[name].hashes:
            holders.setdefault(h, set()).add(g)
    limit = min(COMMON_FILES, len(set(groups)) // 2)
    return {h for h, gs in holders.items() if len(gs) > limit} if len(set(groups)) >= COMMON_MIN_FILES else set()


def _candidates(names: list[str], prints: dict) -> list[tuple[str, str]]:
    """Pairs that share enough fingerprints to be compared in detail."""
    pairs, sizes = _overlaps(names, prints)
    found = [(names[i], names[j]) for i, j, n in pairs if n >= CANDIDATE_SHARE * max(1.0, min(sizes[i], sizes[j]))]
    return sorted(found)


def compare_class(exercise: str, codes: dict[str, str], boilerplate) -> list[Pair]:
    """Every pair of ``codes`` (student → code) worth a look, most similar first: flagged pairs
    and those short of the flag but sharing some code (the page shows only the flagged)."""
    from copydetect import compare_files
    from copydetect.utils import highlight_overlap

    names = sorted(codes)
    prints = {name: _fingerprint(name, codes[name], boilerplate) for name in names}
    common = _common(names, prints)
    for fp in prints.values():
        _drop(fp, common)
    pairs = []
    for a, b in _candidates(names, prints):
        matched, (share_a, share_b), (slices_a, slices_b) = compare_files(prints[a], prints[b])
        if matched == 0:
            continue
        marked = [
            highlight_overlap(codes[who], slices, "<mark>", "</mark>", truncate=SHOWN_CONTEXT, escape_html=True)[0]
            for who, slices in ((a, slices_a), (b, slices_b))
        ]
        pairs.append(Pair(exercise, a, b, float(share_a), float(share_b), int(matched), *marked))
    return sorted(pairs, key=lambda p: (-p.similarity, -p.matched, p.a, p.b))
