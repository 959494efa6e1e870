"""The grader's data dir: what is there, getting what is missing, and public copies.

The data dir holds files exactly as keras caches them (``mnist.npz``,
``fashion-mnist/*.gz``, ...) and the certificate's raw files as its starters downloaded them
(``rps.zip``, ``sarcasm.json``, ...). It is chosen by ``--data-dir``, else ``GRADE_DATA_DIR``,
else ``<user cache>/tfcert-grader/datasets``. The official test splits in it are the hidden test
sets; the sandbox only ever sees a public copy built from the training part.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from grader.config import SYSTEM_DATASETS, settings
from grader.data import raw
from grader.data.formats import CIFAR_KERAS3_ARCHIVE, public_splits, read_splits, write_splits
from grader.data.raw_readers import max_bytes
from grader.data.registry import DATASETS, GENERATED, RAW_FORMATS, DataFile, DataMissing, Dataset
from grader.data.series import seasonal_series, write_series_csv
from grader.digest import file_digest
from grader.text import Text, join, with_particle

FileState = Literal["official", "substitute", "missing"]
# Bump when public copies are built differently: the version is part of each copy's cache key.
# 3: official shapes (the whole training part; a test part sampled from it), no longer a carve.
PUBLIC_FORMAT_VERSION = 3
MAX_DOWNLOAD = 1 << 30  # a file without a raw layout (those have their own bounds: `max_bytes`)
# What each generated origin ("generated:NAME") is made by, in place of a download.
GENERATORS = {
    "seasonal-series-v1": lambda path: write_series_csv(path, seasonal_series()),
    "linear-points-v1": raw.write_linear_points,
}


def resolve_data_dir(explicit: Path | None = None) -> Path:
    if explicit is not None:
        return explicit.expanduser()
    config = settings()
    return config.data_dir or config.cache_dir / "datasets"


def data_dir_for(dataset: Dataset, explicit: Path | None = None) -> Path:
    """Where ``dataset`` is read from: ``--data-dir`` when given; otherwise the data dir
    (`resolve_data_dir`), or a system folder that holds the whole dataset where the data dir
    lacks it (Debian's ``dataset-fashion-mnist`` fills /usr/share/datasets)."""
    chosen = resolve_data_dir(explicit)
    if explicit is not None or _has_files(chosen, dataset):
        return chosen
    return next((system for system in SYSTEM_DATASETS if _has_files(system, dataset)), chosen)


def _has_files(data_dir: Path, dataset: Dataset) -> bool:
    return all((data_dir / f.path).is_file() for f in dataset.files)


def file_state(data_dir: Path, f: DataFile) -> FileState:
    """``official`` when any published hash matches, or a raw file has exactly its layout
    (`raw.verify`); a present file that is neither is a substitute."""
    path = data_dir / f.path
    if not path.is_file():
        return "missing"
    if f.layout is not None:
        return "substitute" if raw.verify(data_dir, f) else "official"
    if f.sha256 and file_digest(path, "sha256") == f.sha256:
        return "official"
    if f.md5 and file_digest(path, "md5") == f.md5:
        return "official"
    if f.content_sha256 and path.suffix == ".gz":
        try:
            if file_digest(path, "sha256", gunzip=True) == f.content_sha256:
                return "official"
        except OSError:
            pass
    return "substitute"


@dataclass(frozen=True)
class DatasetStatus:
    dataset: Dataset
    files: dict[str, FileState]

    @property
    def complete(self) -> bool:
        return "missing" not in self.files.values()

    @property
    def substitutes(self) -> list[str]:
        return [p for p, s in self.files.items() if s == "substitute"]


def status(data_dir: Path, names: list[str] | None = None) -> list[DatasetStatus]:
    chosen = [DATASETS[n] for n in names] if names else list(DATASETS.values())
    return [DatasetStatus(d, {f.path: file_state(data_dir, f) for f in d.files}) for d in chosen]


def require(dataset: Dataset, data_dir: Path) -> DatasetStatus:
    """The dataset's status, or `DataMissing` naming the first missing file and how to get it. A
    file the grader makes itself (a `GENERATED` origin: the same bytes everywhere, no network) is
    made where it is missing, so no learner has to fetch it first."""
    (state,) = status(data_dir, [dataset.name])
    missing = [f for f in dataset.files if state.files[f.path] == "missing"]
    if missing and all(f.origin.startswith(GENERATED) for f in missing):  # never a download from here
        try:
            fetch(dataset, data_dir)
        except (OSError, DataMissing):
            pass  # a data dir this user cannot write: named below as missing, with the command
        (state,) = status(data_dir, [dataset.name])
    for path, s in state.files.items():
        if s == "missing":
            raise DataMissing(
                Text(
                    f"dataset '{dataset.name}' is not in {data_dir}: {path} is missing. "
                    f"Run `grade data fetch {dataset.name}` (or copy a fetched data dir here, "
                    f"or point --data-dir / GRADE_DATA_DIR at one).",
                    f"데이터셋 {with_particle(repr(dataset.name), '이/가')} {data_dir}에 없습니다: "
                    f"{with_particle(path, '이/가')} 없습니다. "
                    f"`grade data fetch {dataset.name}`를 실행하세요 (또는 받아 둔 데이터 폴더를 여기로 복사하거나 "
                    f"--data-dir / GRADE_DATA_DIR로 가리키세요).",
                )
            )
    return state


def fetch(dataset: Dataset, data_dir: Path, timeout_s: float = 60.0, mirror: str | None = None) -> list[str]:
    """Download the missing files of ``dataset``; returns the paths fetched.

    Each comes from ``mirror`` (else ``GRADE_DATA_MIRROR``) followed by its origin's file name
    where one is given, else from its origin. A download takes its place in the data dir only
    once verified: its hash, or a raw file's layout; else it is removed and the error says why
    (a truncated download or a wrong layout) and where it came from."""
    mirror = mirror or settings().data_mirror
    fetched = []
    for f in dataset.files:
        target = data_dir / f.path
        if target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.origin.startswith(GENERATED):  # made here, not downloaded
            GENERATORS[f.origin.removeprefix(GENERATED)](target)
            fetched.append(f.path)
            continue
        url = f"{mirror.rstrip('/')}/{f.origin.rsplit('/', 1)[-1]}" if mirror else f.origin
        staging = Path(tempfile.mkdtemp(dir=data_dir, prefix=".fetch-"))
        try:
            _download(url, staging / f.path, f, timeout_s)
            _verify_download(staging, f, url)
            os.replace(staging / f.path, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        fetched.append(f.path)
    return fetched


def _download(url: str, path: Path, f: DataFile, timeout_s: float) -> None:
    """``url`` streamed into ``path``, up to the most such a file may hold; `DataMissing` when it
    cannot be, or when fewer bytes came than the server announced."""
    import http.client  # only a download needs them: grading starts faster without
    import urllib.error
    import urllib.request

    cap = max_bytes(f.layout) if f.layout is not None else MAX_DOWNLOAD

    def refused(en: str, ko: str) -> DataMissing:
        return DataMissing(
            Text(
                f"could not download {f.path} from {url}: {en}",
                f"{url}에서 {with_particle(f.path, '을/를')} 내려받지 못했습니다: {ko}",
            )
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    received, announced = 0, None
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as response, path.open("wb") as out:
            length = response.headers.get("Content-Length", "")
            announced = int(length) if length.isdigit() else None
            while chunk := response.read(1 << 20):
                received += len(chunk)
                if max(received, announced or 0) > cap:
                    raise refused(
                        f"it is larger than the {cap} bytes such a file may have",
                        f"이런 파일의 상한인 {cap}바이트보다 큽니다",
                    )
                out.write(chunk)
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        raise refused(str(exc), str(exc)) from None
    # http.client ends a body the connection closed early without an error: the length tells.
    if announced is not None and received < announced:
        raise refused(
            f"truncated download: {received} of the {announced} bytes announced came",
            f"내려받기가 중간에 끊겼습니다: 알려진 {announced}바이트 중 {received}바이트만 받았습니다",
        )


def _verify_download(staging: Path, f: DataFile, url: str) -> None:
    """`DataMissing` naming each problem of the file downloaded from ``url``: a raw file's layout, else its hash."""
    if f.layout is not None:
        problems = raw.verify(staging, f)
    elif file_state(staging, f) != "official":
        problems = [Text(f"{f.path} does not match its published hash", f"{f.path}: 공개된 해시와 다릅니다")]
    else:
        problems = []
    if problems:
        raise DataMissing(Text(f"removed what {url} sent: ", f"{url}에서 받은 파일을 지웠습니다: ") + join(problems))


def job_keras_home(public_home: Path, job_dir: Path) -> Path:
    """A private copy of the public files for one job: the sandbox may write there (keras extracts
    archives beside them) without touching the cache other gradings share."""
    home = job_dir / "keras"
    shutil.copytree(public_home, home)
    return home


def public_copy(dataset: Dataset, data_dir: Path) -> Path:
    """A keras home (``<dir>/datasets/...``) whose ``load_data()`` has the shapes and dtypes of the
    real one on ``data_dir``'s files, with a test part drawn from the training part (`public_splits`
    says why and what that means for the learner).

    Built once per source content and cached under the user cache, outside the data dir, so
    the data dir itself can be hidden from the sandbox.
    """
    key = hashlib.sha256(f"v{PUBLIC_FORMAT_VERSION}".encode())
    for f in dataset.files:
        stat = (data_dir / f.path).stat()
        key.update(f"{f.path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    home = settings().cache_dir / "public" / f"{dataset.name}-{key.hexdigest()[:16]}"
    if (home / "datasets").is_dir():
        return home
    home.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(dir=home.parent, prefix=f".{dataset.name}-"))
    if dataset.format in RAW_FORMATS:  # the files as the exam's starters download them, less the hidden part
        try:
            raw.write_public(dataset, data_dir, building / "datasets")
        except DataMissing:
            shutil.rmtree(building, ignore_errors=True)
            raise
    else:
        splits = read_splits(dataset, data_dir)
        # A series has no load_data() whose shapes scripts hard-code, and its test part is its future:
        # no training row can stand in for it, so the file keeps the history only (as the statement says).
        public = splits if dataset.format == "series-csv" else public_splits(splits)
        write_splits(dataset, building / "datasets", public)
    if dataset.format == "cifar-tar":  # the name keras 3 looks for, beside the keras 2 one
        os.link(building / "datasets" / dataset.files[0].path, building / "datasets" / CIFAR_KERAS3_ARCHIVE)
    for f in dataset.files:
        if f.auxiliary and (data_dir / f.path).is_file():
            shutil.copyfile(data_dir / f.path, building / "datasets" / f.path)
    building.chmod(0o755)
    try:
        os.rename(building, home)
    except OSError:  # another grader built it meanwhile
        shutil.rmtree(building, ignore_errors=True)
    return home
