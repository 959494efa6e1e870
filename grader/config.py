"""Every environment variable and user folder the grader reads, in one place.

`settings()` reads them into a frozen `Settings`; the rest of the grader asks it and never
looks at ``os.environ`` itself (the child side reads only its own job's variables). It is read
afresh on each call: a notebook or a test that changes a variable sees the change at its next
grading, and one grading asks once per decision.

    GRADE_RUNNER              local, docker or auto: the default for --runner
    GRADE_DATA_DIR            datasets in the keras cache layout (default: the user cache)
    GRADE_DATA_MIRROR         a base URL `grade data fetch` gets each file from, by its file name
                              (an exam room's local server), instead of the file's origin
    GRADE_LANG                en or ko (default: the locale, LC_ALL / LC_MESSAGES / LANG)
    GRADE_IMAGE               the docker image (default tfcert-grader:VERSION)
    GRADE_SANDBOX             off: plain child processes instead of bubblewrap
    GRADE_SANDBOX_USER        UID or UID:GID the local sandbox's child runs as when grade is root
    GRADE_EXAM_SECRET         the key that signs exam state (default: a key file per exam)
    GRADE_EXAM_ISSUER_SECRET  the key exam tokens are issued and checked with
    DOCKER_HOST               the docker daemon (default: the local socket)
    RAY_ADDRESS, RAY_AUTH_MODE, RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH, RAY_USE_TLS
                              Ray's own: how `grade bulk --backend ray --address` joins a cluster
                              (the token's default file is ~/.ray/auth_token, as Ray's)
    XDG_CACHE_HOME, XDG_CONFIG_HOME   where the user cache and exam keys live
    OMP/OPENBLAS/MKL_NUM_THREADS      set to 1 for the grade process's own numpy when unset
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from grader.text import LANGS, Lang

# The folder holding the grader package: child processes get it as PYTHONPATH.
GRADER_ROOT = Path(__file__).resolve().parent.parent

RUNNER_ENV = "GRADE_RUNNER"
DATA_DIR_ENV = "GRADE_DATA_DIR"
DATA_MIRROR_ENV = "GRADE_DATA_MIRROR"
# Folders Debian's dataset packages fill (dataset-fashion-mnist: /usr/share/datasets/fashion-mnist):
# read when the data dir lacks a dataset, and never shown to a sandbox.
SYSTEM_DATASETS = (Path("/usr/share/datasets"),)
LANG_ENV = "GRADE_LANG"
IMAGE_ENV = "GRADE_IMAGE"
SANDBOX_ENV = "GRADE_SANDBOX"
SANDBOX_USER_ENV = "GRADE_SANDBOX_USER"
EXAM_SECRET_ENV = "GRADE_EXAM_SECRET"
ISSUER_SECRET_ENV = "GRADE_EXAM_ISSUER_SECRET"
DOCKER_HOST_ENV = "DOCKER_HOST"
DEFAULT_DOCKER_SOCKET = "/var/run/docker.sock"
# Ray's names, read here as Ray documents them ("Ray token authentication").
RAY_ADDRESS_ENV = "RAY_ADDRESS"
RAY_AUTH_MODE_ENV = "RAY_AUTH_MODE"
RAY_AUTH_TOKEN_ENV = "RAY_AUTH_TOKEN"
RAY_AUTH_TOKEN_PATH_ENV = "RAY_AUTH_TOKEN_PATH"
RAY_USE_TLS_ENV = "RAY_USE_TLS"

# How many threads the numerical libraries start: a child gets its job's count, and the grade
# process keeps one (`keep_own_numerics_single_threaded`).
# TensorFlow's own two pools are sized the same way, so that a file importing it at top level
# starts a bounded number of threads (each counts against the sandbox's process limit).
BLAS_THREADS_ENV = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "TF_NUM_INTRAOP_THREADS",
    "TF_NUM_INTEROP_THREADS",
)


def keep_own_numerics_single_threaded() -> None:
    """One BLAS thread for the grade process's own numpy, set before numpy loads.

    Its numpy plans and judges small arrays. OpenBLAS's default pool starts a thread per core
    that spins for a while after the import: about 90 ms of CPU, which on a 2-core machine is
    taken from the sandboxed child the grading waits for. A value the user set is kept.
    """
    for name in BLAS_THREADS_ENV:
        os.environ.setdefault(name, "1")


@dataclass(frozen=True)
class Settings:
    runner: str  # local, docker or auto
    data_dir: Path | None  # GRADE_DATA_DIR, when set
    lang: Lang
    image: str | None  # GRADE_IMAGE, when set
    sandbox_off: bool
    sandbox_user: str  # as written; '' when unset
    exam_secret: str | None
    issuer_secret: str | None
    docker_host: str | None
    cache_dir: Path  # $XDG_CACHE_HOME/tfcert-grader
    config_dir: Path  # $XDG_CONFIG_HOME/tfcert-grader
    ray_address: str | None = None  # RAY_ADDRESS: the cluster `grade bulk --backend ray` joins without --address
    ray_auth_token: str | None = field(default=None, repr=False)  # a secret: never in a repr or a log
    ray_auth_token_path: Path | None = None  # RAY_AUTH_TOKEN_PATH, when set
    ray_default_token_path: Path = Path("~/.ray/auth_token")  # where `ray get-auth-token --generate` writes
    ray_tls: bool = False  # RAY_USE_TLS: the cluster's gRPC speaks TLS
    data_mirror: str | None = None  # GRADE_DATA_MIRROR, when set

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Settings:
        def value(name: str) -> str:
            return environ.get(name, "").strip()

        def base(name: str, fallback: str) -> Path:
            return Path(environ.get(name) or os.path.join(os.path.expanduser("~"), fallback))

        data_dir = value(DATA_DIR_ENV)
        return cls(
            runner=value(RUNNER_ENV) or "auto",
            data_dir=Path(data_dir).expanduser() if data_dir else None,
            lang=_lang(environ),
            image=value(IMAGE_ENV) or None,
            sandbox_off=value(SANDBOX_ENV).lower() in ("off", "0", "no", "false"),
            sandbox_user=value(SANDBOX_USER_ENV),
            exam_secret=environ.get(EXAM_SECRET_ENV) or None,
            issuer_secret=environ.get(ISSUER_SECRET_ENV) or None,
            docker_host=value(DOCKER_HOST_ENV) or None,
            cache_dir=base("XDG_CACHE_HOME", ".cache") / "tfcert-grader",
            config_dir=base("XDG_CONFIG_HOME", ".config") / "tfcert-grader",
            ray_address=value(RAY_ADDRESS_ENV) or None,
            ray_auth_token=environ.get(RAY_AUTH_TOKEN_ENV) or None,
            ray_auth_token_path=Path(value(RAY_AUTH_TOKEN_PATH_ENV)).expanduser()
            if value(RAY_AUTH_TOKEN_PATH_ENV)
            else None,
            ray_default_token_path=Path(environ.get("HOME") or os.path.expanduser("~")) / ".ray" / "auth_token",
            ray_tls=value(RAY_USE_TLS_ENV).lower() in ("1", "true", "yes"),
            data_mirror=value(DATA_MIRROR_ENV) or None,
        )

    @property
    def docker_address(self) -> str:
        return self.docker_host or f"unix://{DEFAULT_DOCKER_SOCKET}"


def settings() -> Settings:
    """The settings as the environment gives them now."""
    return Settings.from_environment(os.environ)


def helper_environment() -> dict[str, str]:
    """The environment of a trusted helper the grader starts (the docker reaper): this process's
    own (the daemon's address included), with the grader first on its path."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(GRADER_ROOT), os.environ.get("PYTHONPATH")]))}


def _lang(environ: Mapping[str, str]) -> Lang:
    """The language a learner most likely reads: ``GRADE_LANG``, else the locale."""
    explicit = environ.get(LANG_ENV, "").strip().lower()
    if explicit in LANGS:
        return explicit  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        locale = environ.get(var, "")
        if locale:
            return "ko" if locale.lower().startswith("ko") else "en"
    return "en"


@contextmanager
def environment_set(name: str, value: str | None) -> Iterator[None]:
    """``name=value`` in this process's environment while the block runs (None: left as it is),
    and as it was before once it ends, whatever the block set: for a library that takes its
    settings from there (Ray's driver reads ``RAY_AUTH_MODE``, and a local ``ray.init()`` sets it)."""
    before = os.environ.get(name)
    if value is not None:
        os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
