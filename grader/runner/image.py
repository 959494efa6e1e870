"""The grading image: what goes into it, how it is built, and whether the one here is current.

Containers run the grader code baked into the image, so an image built from other code would
speak another job protocol. Each build is labelled with a digest of that code; the docker
runner refuses (and ``auto`` passes over) an image whose digest differs from this checkout's.
"""

from __future__ import annotations

import hashlib
import io
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grader
from grader.config import GRADER_ROOT, settings
from grader.text import Text, with_particle

LABEL_PREFIX = "org.tfcert-grader"
# Not in the image: the reference answers. The sandbox never needs them, so a submission
# cannot read them from inside a container.
LEFT_OUT = ("check",)
# What the runner expects of the image beyond the grader code (user 10001, /work, /cache/cuda):
# bump it with any such change to the Dockerfile, so older images count as stale.
IMAGE_LAYOUT = 4  # 3: the child package alone under /opt/sandbox; 4: tf-keras (the Keras 2 route)


class ImageBuildFailed(RuntimeError):
    pass


def image_name() -> str:
    return settings().image or f"tfcert-grader:{grader.__version__}"


def _image_sources() -> Iterator[Path]:
    package = GRADER_ROOT / "grader"
    for path in sorted(package.rglob("*.py")):
        relative = path.relative_to(package)
        if relative.parts[0] not in LEFT_OUT and "__pycache__" not in relative.parts:
            yield path


def code_digest() -> str:
    """A digest of the grader code an image carries; equal digests speak the same protocol."""
    digest = hashlib.sha256(f"layout {IMAGE_LAYOUT}\0".encode())
    for path in _image_sources():
        digest.update(path.relative_to(GRADER_ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class ImageInfo:
    """What a built image says about itself (its labels)."""

    name: str
    id: str
    grader_version: str
    digest: str
    tf_requirement: str
    base: str
    size_mb: float

    @property
    def current(self) -> bool:
        return self.digest == code_digest()


def inspect_image(client: Any, name: str | None = None) -> ImageInfo | None:
    import docker.errors

    name = name or image_name()
    try:
        image = client.images.get(name)
    except docker.errors.ImageNotFound:
        return None
    labels = image.labels or {}

    def label(key: str) -> str:
        return labels.get(f"{LABEL_PREFIX}.{key}", "?")

    return ImageInfo(
        name=name,
        id=image.short_id.removeprefix("sha256:"),
        grader_version=label("version"),
        digest=label("digest"),
        tf_requirement=label("tf-requirement"),
        base=label("base"),
        size_mb=image.attrs.get("Size", 0) / 2**20,
    )


def current_image_problem(client: Any) -> Text | None:
    """Why the image here cannot serve this grader, or ``None`` when it can."""
    info = inspect_image(client)
    if info is None:
        name = image_name()
        return Text(
            f"the grading image {name} is not built here: run `grade image build`",
            f"채점 이미지 {with_particle(name, '이/가')} 이 컴퓨터에 없습니다: `grade image build`를 실행하세요",
        )
    if not info.current:
        return Text(
            f"the grading image {info.name} was built from other grader code "
            f"(digest {info.digest}, this grader {code_digest()}): run `grade image build`",
            f"채점 이미지 {with_particle(info.name, '은/는')} 다른 채점기 코드로 빌드되었습니다 "
            f"(digest {info.digest}, 이 채점기 {code_digest()}): `grade image build`를 실행하세요",
        )
    return None


def _context(wheelhouse: Path | None) -> io.BufferedRandom:
    """The build context as a tar: Dockerfile, pyproject.toml, the grader code, the wheels."""
    tmp = tempfile.TemporaryFile()
    with tarfile.open(fileobj=tmp, mode="w") as tar:
        tar.add(GRADER_ROOT / "Dockerfile", "Dockerfile")
        tar.add(GRADER_ROOT / "pyproject.toml", "pyproject.toml")
        for path in _image_sources():
            tar.add(path, path.relative_to(GRADER_ROOT).as_posix())
        if wheelhouse is not None:
            for wheel in sorted(wheelhouse.glob("*.whl")):
                tar.add(wheel, f"wheelhouse/{wheel.name}")
    tmp.seek(0)
    return tmp  # type: ignore[return-value]


@dataclass(frozen=True)
class BuildRequest:
    """What ``grade image build`` was asked for; ``None`` keeps the Dockerfile's default.

    With ``wheelhouse`` (a folder of wheels from ``pip download``) nothing is downloaded.
    """

    base: str | None = None
    tag: str | None = None
    wheelhouse: Path | None = None
    tf_requirement: str | None = None


def build_image(request: BuildRequest, *, on_line: Callable[[str], None] = lambda line: None) -> ImageInfo:
    """``docker build`` of the top-level Dockerfile, labelled with this grader's code digest."""
    from grader.runner.engine import docker_client

    if not (GRADER_ROOT / "Dockerfile").is_file():
        raise ImageBuildFailed(f"no Dockerfile in {GRADER_ROOT}: build the image from a source checkout")
    wheelhouse = request.wheelhouse
    if wheelhouse is not None and not any(wheelhouse.glob("*.whl")):
        raise ImageBuildFailed(f"no wheels in {wheelhouse} (fill it with: pip download -d {wheelhouse} ...)")
    client = docker_client(timeout=3600)
    tag = request.tag or image_name()
    previous = inspect_image(client, tag)
    args = {"GRADER_VERSION": grader.__version__, "GRADER_DIGEST": code_digest()}
    if request.base:
        args["BASE_IMAGE"] = request.base
    if request.tf_requirement:
        args["TF_REQUIREMENT"] = request.tf_requirement
    with _context(wheelhouse) as context:
        stream = client.api.build(
            fileobj=context, custom_context=True, tag=tag, buildargs=args, rm=True, forcerm=True, decode=True
        )
        for event in stream:
            if "stream" in event:
                for line in event["stream"].splitlines():
                    if line.strip():
                        on_line(line)
            if "error" in event:
                raise ImageBuildFailed(event["error"].strip())
    info = inspect_image(client, tag)
    if info is None:
        raise ImageBuildFailed(f"the build finished but {tag} is not there")
    if previous is not None and previous.id != info.id:
        _remove_if_untagged(client, previous.id)
    return info


def _remove_if_untagged(client: Any, image_id: str) -> None:
    """The image this build replaced, unless something still uses it (a tag, a container, a child)."""
    import docker.errors

    try:
        if not client.images.get(image_id).tags:
            client.images.remove(image_id, noprune=False)
    except docker.errors.APIError:
        pass
