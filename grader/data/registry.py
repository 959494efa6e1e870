"""The datasets, the files ``keras.datasets`` caches for each, and their official hashes.

Paths are relative to a keras-style ``datasets`` folder (``~/.keras/datasets`` by default in
keras; the grader keeps its own, see `grader.data.store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from grader.text import Refusal

Format = Literal[
    "mnist-npz",
    "idx-gz",
    "xy-npz",
    "seq-npz",
    "seq-xy-npz",
    "cifar-tar",
    "series-csv",
    # The certificate's raw files (`grader.data.raw`): read as the exam's starters read them.
    "folders-zip",
    "records-json",
    "sunspots-csv",
    "points-csv",
]
RAW_FORMATS = ("folders-zip", "records-json", "sunspots-csv", "points-csv")
GENERATED = "generated:"  # an origin the grader makes itself instead of downloading
KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# Where the certificate's starters downloaded their raw files from (urllib.request.urlretrieve).
EXAM_ORIGIN = "https://storage.googleapis.com/download.tensorflow.org/data/"


class DataMissing(Refusal, LookupError):
    """A dataset file is not in the data dir; the message names the file and the command."""


@dataclass(frozen=True)
class Layout:
    """What a raw file must hold to be the official one (no published hashes exist for these, so
    `grade data fetch` verifies the structure instead): class folders of PNG images in a zip,
    a JSON array of records, or a CSV with its header and row count."""

    kind: Literal["folders", "records", "rows"]
    root: str = ""  # folders: the folder the class folders sit in, inside the zip ("rps/"; "" at the top)
    classes: tuple[str, ...] = ()  # folders: class folder names, sorted (labels are their positions)
    counts: tuple[int, ...] = ()  # folders: images per class
    image_size: tuple[int, int] = (0, 0)  # folders: (width, height) of every PNG
    fields: tuple[str, ...] = ()  # records: each object's keys; rows: the CSV header's columns
    rows: int = 0  # records / rows: how many


@dataclass(frozen=True)
class DataFile:
    path: str
    origin: str
    sha256: str | None = None  # of the file as downloaded
    md5: str | None = None  # some publishers give only MD5
    content_sha256: str | None = None  # of the uncompressed content (a recompressed .gz still counts)
    auxiliary: bool = False  # not data (a word index): copied into public copies as it is
    layout: Layout | None = None  # a raw file: verified by its structure (`grader.data.raw`)
    hidden: bool = False  # the hidden test set only (a test folder zip): never in a public copy


@dataclass(frozen=True)
class Dataset:
    name: str
    format: Format
    files: tuple[DataFile, ...]
    classes: int  # 0 for regression
    class_names: tuple[str, ...] = ()  # what each label means, where it is not the digit itself
    # For datasets keras splits itself (xy-npz): its default split, which is the official test set.
    test_split: float = 0.0
    split_seed: int = 113
    # Raw records/rows: how many lead the file as the public part (the exam's training_size or
    # split_time); the rest are the hidden test set.
    public_rows: int = 0


MNIST = Dataset(
    name="mnist",
    format="mnist-npz",
    classes=10,
    files=(
        DataFile(
            "mnist.npz",
            KERAS_ORIGIN + "mnist.npz",
            sha256="731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
        ),
    ),
)

# MD5s are Zalando's published ones; content hashes were computed from Debian's
# dataset-fashion-mnist package, whose .gz files are recompressed copies of the same data.
FASHION_MNIST = Dataset(
    name="fashion-mnist",
    class_names=(
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    ),
    format="idx-gz",
    classes=10,
    files=(
        DataFile(
            "fashion-mnist/train-labels-idx1-ubyte.gz",
            KERAS_ORIGIN + "train-labels-idx1-ubyte.gz",
            md5="25c81989df183df01b3e8a0aad5dffbe",
            content_sha256="bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ),
        DataFile(
            "fashion-mnist/train-images-idx3-ubyte.gz",
            KERAS_ORIGIN + "train-images-idx3-ubyte.gz",
            md5="8d4fb7e6c68d591d4c3dfef9ec88bf0d",
            content_sha256="c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ),
        DataFile(
            "fashion-mnist/t10k-labels-idx1-ubyte.gz",
            KERAS_ORIGIN + "t10k-labels-idx1-ubyte.gz",
            md5="bb300cfdad3c16e7a12a480ee83cd310",
            content_sha256="0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        ),
        DataFile(
            "fashion-mnist/t10k-images-idx3-ubyte.gz",
            KERAS_ORIGIN + "t10k-images-idx3-ubyte.gz",
            md5="bef4ecab320f06d8554ea6380940ec79",
            content_sha256="5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
    ),
)

BOSTON_HOUSING = Dataset(
    name="boston-housing",
    format="xy-npz",
    classes=0,
    test_split=0.2,
    files=(
        DataFile(
            "boston_housing.npz",
            KERAS_ORIGIN + "boston_housing.npz",
            sha256="f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",
        ),
    ),
)

IMDB = Dataset(
    name="imdb",
    format="seq-npz",
    classes=2,
    files=(
        DataFile(
            "imdb.npz",
            KERAS_ORIGIN + "imdb.npz",
            sha256="69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
        ),
        DataFile(
            "imdb_word_index.json",
            KERAS_ORIGIN + "imdb_word_index.json",
            md5="bfafd718b763782e994055a2d397834f",
            auxiliary=True,
        ),
    ),
)

REUTERS = Dataset(
    name="reuters",
    format="seq-xy-npz",
    classes=46,
    test_split=0.2,
    files=(
        DataFile(
            "reuters.npz",
            KERAS_ORIGIN + "reuters.npz",
            sha256="d6586e694ee56d7a4e65172e12b3e987c03096cb01eab99753921ef915959916",
        ),
        DataFile(
            "reuters_word_index.json",
            KERAS_ORIGIN + "reuters_word_index.json",
            md5="4d44cc38712099c9e383dc6e5f11a921",
            auxiliary=True,
        ),
    ),
)

# Stored under the name keras 2 gave the download; keras 3 reads "cifar-10-batches-py-target_archive",
# which public copies also provide.
CIFAR10 = Dataset(
    name="cifar10",
    class_names=("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
    format="cifar-tar",
    classes=10,
    files=(
        DataFile(
            "cifar-10-batches-py.tar.gz",
            "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
            sha256="6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
        ),
    ),
)

# The time-series exercise's data: made by the grader (grader.data.series), the same everywhere.
# Its test part is the last 500 days: the hidden tail a forecast is scored on.
SEASONAL_SERIES = Dataset(
    name="seasonal-series",
    format="series-csv",
    classes=0,
    files=(
        DataFile(
            "seasonal_series.csv",
            GENERATED + "seasonal-series-v1",
            sha256="3239d1f6179f29b263ee8ce0b5029c1575f4025275c49035019fa450b8ba5088",
        ),
    ),
    test_split=0.125,
)

# The certificate's raw files, at the locations its starters downloaded them from. Counts from the
# published archives (the course notebooks print them: 840 images per rps class, 500 horses, ...).
RPS = Dataset(
    name="rps",
    format="folders-zip",
    classes=3,
    class_names=("paper", "rock", "scissors"),
    files=(
        DataFile(
            "rps.zip",
            EXAM_ORIGIN + "rps.zip",
            layout=Layout("folders", "rps/", ("paper", "rock", "scissors"), (840, 840, 840), (300, 300)),
        ),
        DataFile(
            "rps-test-set.zip",
            EXAM_ORIGIN + "rps-test-set.zip",
            layout=Layout("folders", "rps-test-set/", ("paper", "rock", "scissors"), (124, 124, 124), (300, 300)),
            hidden=True,
        ),
    ),
)

HORSES_OR_HUMANS = Dataset(
    name="horses-or-humans",
    format="folders-zip",
    classes=2,
    class_names=("horses", "humans"),
    files=(
        DataFile(
            "horse-or-human.zip",
            EXAM_ORIGIN + "horse-or-human.zip",
            layout=Layout("folders", "", ("horses", "humans"), (500, 527), (300, 300)),
        ),
        DataFile(
            "validation-horse-or-human.zip",
            EXAM_ORIGIN + "validation-horse-or-human.zip",
            layout=Layout("folders", "", ("horses", "humans"), (128, 128), (300, 300)),
            hidden=True,
        ),
    ),
)

SARCASM = Dataset(
    name="sarcasm",
    format="records-json",
    classes=2,
    class_names=("not sarcastic", "sarcastic"),
    public_rows=20_000,  # the starter's training_size: the rest is the hidden test set
    files=(
        DataFile(
            "sarcasm.json",
            EXAM_ORIGIN + "sarcasm.json",
            layout=Layout("records", fields=("article_link", "headline", "is_sarcastic"), rows=26_709),
        ),
    ),
)

SUNSPOTS = Dataset(
    name="sunspots",
    format="sunspots-csv",
    classes=0,
    public_rows=3_000,  # the starter's split_time: the rest is the hidden tail
    files=(
        DataFile(
            "Sunspots.csv",
            EXAM_ORIGIN + "Sunspots.csv",
            layout=Layout("rows", fields=("", "Date", "Monthly Mean Total Sunspot Number"), rows=3_235),
        ),
    ),
)

# Category 1's hidden points: the line the starter's xs/ys lie on, across a wider range
# (`grader.data.raw.linear_points`). Made here, the same everywhere.
LINEAR_POINTS = Dataset(
    name="linear-points",
    format="points-csv",
    classes=0,
    files=(
        DataFile(
            "linear_points.csv",
            GENERATED + "linear-points-v1",
            sha256="c2516031eb481ef52cd1c2984539094490361900a99daebcd709631fa2049a88",
        ),
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        MNIST,
        FASHION_MNIST,
        BOSTON_HOUSING,
        IMDB,
        REUTERS,
        CIFAR10,
        SEASONAL_SERIES,
        LINEAR_POINTS,
        RPS,
        HORSES_OR_HUMANS,
        SARCASM,
        SUNSPOTS,
    )
}


def get_dataset(name: str) -> Dataset:
    if name not in DATASETS:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(DATASETS)}")
    return DATASETS[name]
