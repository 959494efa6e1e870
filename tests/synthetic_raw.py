"""Small data in exactly the certificate's raw formats (`grader.data.registry`: rps, horses-or-humans,
sarcasm, sunspots), that the reference solutions learn in seconds.

Images are written with zlib and struct alone (no Pillow). The folder sets are built for the
augmentation check: every training shape lies in the left half of its image and every test shape
in the right half, so a model that never saw a mirrored image fails the test set and one trained
with horizontal flips passes it.
"""

from __future__ import annotations

import calendar
import json
import struct
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from grader.data.registry import HORSES_OR_HUMANS, RPS, DataFile, Layout

SIDE = 300  # every image of the real sets is 300x300
_STAMP = (2019, 2, 1, 0, 0, 0)  # fixed member times: the same seed writes the same bytes


def png_bytes(image: np.ndarray) -> bytes:
    """An 8-bit RGB PNG of ``image`` (height, width, 3)."""
    height, width, _ = image.shape
    rows = np.concatenate([np.zeros((height, 1), np.uint8), image.reshape(height, width * 3)], axis=1)

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    idat = zlib.compress(np.ascontiguousarray(rows, np.uint8).tobytes(), 6)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def blank_png(width: int = SIDE, height: int = SIDE) -> bytes:
    return png_bytes(np.full((height, width, 3), 200, np.uint8))


def write_zip(path: Path, members: Iterable[tuple[str, bytes]]) -> Path:
    """A zip as ``zip -r`` makes one: each folder's entry before its files, members deflated."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        folders: set[str] = set()
        for name, data in members:
            parts = name.split("/")[:-1]
            for depth in range(1, len(parts) + 1):
                folder = "/".join(parts[:depth]) + "/"
                if folder not in folders:
                    folders.add(folder)
                    zf.writestr(zipfile.ZipInfo(folder, _STAMP), b"")
            zf.writestr(zipfile.ZipInfo(name, _STAMP), data, zipfile.ZIP_DEFLATED)
    return path


def write_layout_zip(path: Path, layout: Layout, counts: tuple[int, ...] | None = None, png: bytes = b"") -> Path:
    """A zip in ``layout``'s folders with ``counts`` (the real ones by default) copies of one PNG: the
    real structure at its real size in a few hundred KB."""
    png = png or blank_png(*layout.image_size)
    counts = layout.counts if counts is None else counts
    members = (
        (f"{layout.root}{cls}/{cls}{i:04d}.png", png)
        for cls, n in zip(layout.classes, counts, strict=True)
        for i in range(n)
    )
    return write_zip(path, members)


def _shape_mask(shape: str, cx: int, cy: int, r: int) -> np.ndarray:
    yy, xx = np.mgrid[0:SIDE, 0:SIDE]
    dx, dy = xx - cx, yy - cy
    box = (np.abs(dx) <= r) & (np.abs(dy) <= r)
    if shape == "square":
        return box
    if shape == "disc":
        return dx**2 + dy**2 <= r**2
    if shape == "x":  # two thick diagonal bars
        return box & ((np.abs(dx - dy) <= r // 3) | (np.abs(dx + dy) <= r // 3))
    if shape == "wide":
        return (np.abs(dx) <= r) & (np.abs(dy) <= r // 3)
    if shape == "tall":
        return (np.abs(dx) <= r // 3) & (np.abs(dy) <= r)
    raise ValueError(shape)


def shape_image(rng: np.random.Generator, shape: str, right: bool) -> np.ndarray:
    """One shape on a plain light background, in the left half of the image (or the right: its mirror
    position), with random size, position and colours."""
    r = int(rng.integers(30, 56))
    cx, cy = int(rng.integers(r + 4, SIDE // 2 - r - 4 + 1)), int(rng.integers(r + 4, SIDE - r - 4))
    if right:
        cx = SIDE - 1 - cx
    image = np.empty((SIDE, SIDE, 3), np.uint8)
    image[:] = rng.integers(170, 256, size=3)
    image[_shape_mask(shape, cx, cy, r)] = rng.integers(0, 90, size=3)
    return image


def _write_shape_sets(
    datasets_dir: Path, files: tuple[DataFile, ...], shapes: dict[str, str], per_class: dict[bool, int], seed: int
) -> Path:
    rng = np.random.default_rng(seed)
    for f in files:
        assert f.layout is not None
        members = [
            (f"{f.layout.root}{cls}/{cls}{i:04d}.png", png_bytes(shape_image(rng, shapes[cls], right=f.hidden)))
            for cls in f.layout.classes
            for i in range(per_class[f.hidden])
        ]
        write_zip(datasets_dir / f.path, members)
    return datasets_dir


def write_rps_like(datasets_dir: Path, per_class_train: int = 30, per_class_test: int = 12, seed: int = 0) -> Path:
    """rps.zip (training, shapes on the left) and rps-test-set.zip (hidden test, on the right):
    paper a filled square, rock a filled disc, scissors an X of two thick bars."""
    shapes = {"paper": "square", "rock": "disc", "scissors": "x"}
    return _write_shape_sets(datasets_dir, RPS.files, shapes, {False: per_class_train, True: per_class_test}, seed)


def write_horses_like(datasets_dir: Path, per_class_train: int = 30, per_class_test: int = 12, seed: int = 0) -> Path:
    """horse-or-human.zip and validation-horse-or-human.zip, classes at the top as in the real ones:
    horses a wide bar, humans a tall bar."""
    shapes = {"horses": "wide", "humans": "tall"}
    files = HORSES_OR_HUMANS.files
    return _write_shape_sets(datasets_dir, files, shapes, {False: per_class_train, True: per_class_test}, seed)


def _vocabulary(rng: np.random.Generator) -> list[str]:
    consonants, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = [c + v for c in consonants for v in vowels]
    words = sorted({a + b for a in syllables for b in syllables})
    return [words[i] for i in rng.permutation(len(words))]


def write_sarcasm_like(datasets_dir: Path, n: int = 26_709, seed: int = 0) -> Path:
    """sarcasm.json: a JSON array of {article_link, headline, is_sarcastic} as the real file holds.

    A sarcastic headline draws two or three words from one band of 150, the others from another,
    and the rest of its 5 to 9 words from 400 shared ones: 700 words, all inside the exam's
    vocab_size of 1000. Headlines are distinct, so a test can tell each hidden one apart."""
    rng = np.random.default_rng(seed)
    words = np.array(_vocabulary(rng)[:700])
    records: list[dict] = []
    seen: set[str] = set()
    while len(records) < n:  # drawn in bulk (a record at a time takes seconds); repeats are dropped
        m = n - len(records) + 100
        labels = (rng.random(m) < 0.45).astype(int)  # the real file is about 44 % sarcastic
        lengths, owns = rng.integers(5, 10, m), rng.integers(2, 4, m)
        own = rng.integers(0, 150, (m, 9)) + 150 * labels[:, None]  # band 0-149 or 150-299
        picks = np.where(np.arange(9) < owns[:, None], own, rng.integers(300, 700, (m, 9)))
        order = np.argsort(rng.random((m, 9)) + (np.arange(9) >= lengths[:, None]), axis=1)  # unused slots last
        for label, length, row, slots in zip(labels, lengths, picks, order, strict=True):
            headline = " ".join(words[row[slots[:length]]])
            if headline not in seen and len(records) < n:
                seen.add(headline)
                link = f"https://www.example.com/{len(records)}"
                records.append({"article_link": link, "headline": headline, "is_sarcastic": int(label)})
    datasets_dir.mkdir(parents=True, exist_ok=True)
    (datasets_dir / "sarcasm.json").write_text(json.dumps(records), encoding="utf-8")
    return datasets_dir


def sunspot_values(rows: int = 3_235, seed: int = 0) -> np.ndarray:
    """Monthly non-negative values: an 11-year cycle whose height drifts over a century, a six-month
    swing, and noise. The swing is what a model reads from its 30-month window and a forecast that
    repeats the last month cannot: that one scores a normalised MAE near 0.15 (3 of 5 steps), a
    linear model over the windows near 0.02."""
    rng = np.random.default_rng(seed)
    t = np.arange(rows, dtype=np.float64)
    height = 130 + 50 * np.sin(2 * np.pi * t / 1200 + 1.0)
    swing = 80 * (1 + np.sin(2 * np.pi * t / 6))
    return np.clip(height * np.sin(np.pi * t / 132) ** 2 + swing + rng.normal(0, 8, rows), 0, None).round(1)


def write_sunspots_like(datasets_dir: Path, seed: int = 0, rows: int = 3_235) -> Path:
    """Sunspots.csv as the real file lays it out: ``,Date,Monthly Mean Total Sunspot Number`` and
    rows ``0,1749-01-31,96.7`` (each month's last day)."""
    lines = [",Date,Monthly Mean Total Sunspot Number\n"]
    for i, value in enumerate(sunspot_values(rows, seed)):
        year, month = 1749 + i // 12, i % 12 + 1
        lines.append(f"{i},{year}-{month:02d}-{calendar.monthrange(year, month)[1]:02d},{value:.1f}\n")
    datasets_dir.mkdir(parents=True, exist_ok=True)
    (datasets_dir / "Sunspots.csv").write_text("".join(lines), encoding="utf-8")
    return datasets_dir
