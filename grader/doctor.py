"""``grade doctor``: what this machine can grade with, and exactly what is missing.

Each finding is one line a user can act on: what was found, and for anything missing the
command that fixes it. Nothing here imports TensorFlow; the image's versions are read by
running a short container.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import grader
from grader.data.registry import DATASETS
from grader.data.store import data_dir_for, resolve_data_dir, status
from grader.exercise import all_exercises
from grader.runner.boundary import local_properties
from grader.runner.docker import docker_unavailable_reason, remove_stale_containers
from grader.text import EMPTY, Text, with_particle

FindingStatus = Literal["ok", "missing", "note"]

# Printed by a container to report its versions; no TensorFlow import (metadata only).
_VERSIONS_PROBE = """
import importlib.metadata as m, json, platform
def v(*names):
    for n in names:
        try:
            return m.version(n)
        except m.PackageNotFoundError:
            pass
print(json.dumps({"python": platform.python_version(),
                  "tensorflow": v("tensorflow", "tensorflow-cpu"), "keras": v("keras"), "numpy": v("numpy")}))
"""


@dataclass(frozen=True)
class Finding:
    topic: Text
    status: FindingStatus
    detail: Text
    fix: Text = EMPTY


@dataclass(frozen=True)
class Diagnosis:
    findings: tuple[Finding, ...]
    auto_runner: str
    data_dir: Path
    image_versions: dict[str, str | None] = field(default_factory=dict)

    @property
    def missing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status == "missing")


def _same(text: str) -> Text:
    return Text.same(text)


def _local_findings() -> list[Finding]:
    found = [
        Finding(
            Text("grader", "채점기"),
            "ok",
            _same(f"tfcert-grader {grader.__version__}, Python {platform.python_version()}"),
        )
    ]
    if importlib.util.find_spec("tensorflow") is not None:
        found.append(
            Finding(
                Text("TensorFlow here", "이 컴퓨터의 TensorFlow"),
                "ok",
                Text(
                    "installed: the local runner can grade model exercises",
                    "설치됨: local 실행 환경에서 모델 문제 채점 가능",
                ),
            )
        )
        found.append(_keras2_finding())
    else:
        found.append(
            Finding(
                Text("TensorFlow here", "이 컴퓨터의 TensorFlow"),
                "note",
                Text(
                    "not installed: model exercises need the docker runner (function exercises do not need it)",
                    "설치 안 됨: 모델 문제는 docker 실행 환경이 필요합니다 (함수 문제는 필요 없음)",
                ),
                _same("pip install 'tfcert-grader[models]'"),
            )
        )
    found.extend(_local_sandbox_findings())
    found.append(_leftovers_finding())
    return found


def _keras2_finding() -> Finding:
    """Whether 2020-era Keras 2 files can run here (`grader.grading.keras_route`)."""
    from grader.grading.keras_route import KERAS2_REQUIREMENT

    topic, held = Text("Keras 2 route here", "이 컴퓨터의 Keras 2 경로"), importlib.util.find_spec("tf_keras")
    if held is not None:
        return Finding(topic, "ok", Text("tf-keras installed (--keras 2)", "tf-keras 설치됨 (--keras 2)"))
    said = Text(
        "tf-keras not installed: Keras 2 files are named, not run", "tf-keras 없음: Keras 2 파일은 실행하지 않음"
    )
    return Finding(topic, "note", said, _same(f"pip install --no-deps '{KERAS2_REQUIREMENT}'"))


def _leftovers_finding() -> Finding:
    """Job folders a killed grade left that could not be removed (every grade tries first)."""
    import tempfile

    from grader.runner.jobs import remove_stale_job_dirs, stale_job_dirs

    temp = Path(tempfile.gettempdir())
    remove_stale_job_dirs(temp)
    left = stale_job_dirs(temp)
    topic = Text("leftover job folders", "남은 작업 폴더")
    if not left:
        return Finding(topic, "ok", Text("none", "없음"))
    names = ", ".join(str(p) for p in left[:5]) + (f" (+{len(left) - 5})" if len(left) > 5 else "")
    return Finding(
        topic,
        "note",
        Text(f"{len(left)} could not be removed: {names}", f"{len(left)}개를 지우지 못했습니다: {names}"),
        _same(f"sudo rm -rf {' '.join(str(p) for p in left[:5])}"),
    )


def _local_sandbox_findings() -> list[Finding]:
    """The local runner's boundary, property by property (grader.runner.boundary): each held
    here or not, with the fix. A property that does not hold is a note, not a failure: a
    learner may still grade their own file; ``grade bulk`` refuses without 1–4."""
    return [
        Finding(
            Text(f"local sandbox {p.number}. ", f"local 샌드박스 {p.number}. ") + p.name,
            "ok" if p.held else "note",
            (Text("held: ", "충족: ") if p.held else Text("not held: ", "미충족: ")) + p.how,
            _same(p.fix) if p.fix else EMPTY,
        )
        for p in local_properties()
    ]


def _docker_findings() -> tuple[list[Finding], dict[str, str | None]]:
    """Findings about docker, the image (with the versions inside it) and GPUs."""
    from grader.runner.image import image_name

    topic = Text("docker", "docker")
    if importlib.util.find_spec("docker") is None:
        why = "the docker Python package is not installed"
        return [Finding(topic, "missing", _same(why), _same("pip install 'tfcert-grader[docker]'"))], {}

    from grader.runner.docker import nvidia_available
    from grader.runner.engine import DockerUnavailable, docker_client
    from grader.runner.image import inspect_image

    try:
        client = docker_client(timeout=10)
    except DockerUnavailable as exc:
        from grader.runner.boundary import missing_for_bulk

        # Where the local sandbox holds, docker is a choice (another boundary, GPUs), not a need.
        optional = not missing_for_bulk()
        return (
            [
                Finding(
                    Text("docker daemon", "docker 데몬"),
                    "note" if optional else "missing",
                    exc.reason
                    + (
                        Text(
                            " — optional here: the local sandbox grades every exercise",
                            " — 여기서는 선택: local 샌드박스로 모든 문제를 채점할 수 있음",
                        )
                        if optional
                        else Text("", "")
                    ),
                    Text(
                        "install Docker Engine and start it (sudo systemctl start docker, or dockerd)",
                        "Docker Engine을 설치하고 시작하세요 (sudo systemctl start docker 또는 dockerd)",
                    ),
                )
            ],
            {},
        )
    version = client.version()
    found = [
        Finding(
            Text("docker daemon", "docker 데몬"),
            "ok",
            _same(f"Docker {version.get('Version')} (API {version.get('ApiVersion')})"),
        )
    ]
    info = inspect_image(client)
    versions: dict[str, str | None] = {}
    image_topic = Text("grading image", "채점 이미지")
    build = _same("grade image build")
    if info is None:
        found.append(
            Finding(image_topic, "missing", Text(f"{image_name()}: not built", f"{image_name()}: 없음"), build)
        )
    else:
        versions = _image_versions(client, info.name)
        shown = ", ".join(f"{k} {v}" for k, v in versions.items() if v) or "versions unknown"
        base = f"{info.name} ({info.id}, {info.size_mb / 1024:.1f} GB, base {info.base}): {shown}"
        if info.current:
            found.append(Finding(image_topic, "ok", _same(base)))
        else:
            found.append(
                Finding(
                    image_topic,
                    "missing",
                    Text(
                        f"{base} — built from other grader code: rebuild it",
                        f"{base} — 다른 채점기 코드로 빌드됨: 다시 빌드하세요",
                    ),
                    build,
                )
            )
    found.append(_gpu_finding(client, info.name if info else None, nvidia_available()))
    stale = remove_stale_containers(client)
    if stale:  # a grade killed with -9 could not remove its container; its own deadline stopped it
        found.append(
            Finding(
                Text("left-over containers", "남은 컨테이너"),
                "note",
                Text(
                    f"removed {len(stale)} job container(s) a killed grade left: {', '.join(stale)}",
                    f"종료된 grade가 남긴 작업 컨테이너 {len(stale)}개를 지웠습니다: {', '.join(stale)}",
                ),
            )
        )
    return found, versions


def _image_versions(client, name: str) -> dict[str, str | None]:
    try:
        raw = client.containers.run(
            name, ["python", "-c", _VERSIONS_PROBE], remove=True, network_mode="none", stderr=False
        )
        return json.loads(raw.decode().strip().splitlines()[-1])
    except Exception as exc:  # a broken image is itself a finding
        return {"error": str(exc).splitlines()[0][:200]}


def _gpu_finding(client, image: str | None, toolkit: bool) -> Finding:
    topic = Text("GPU in containers", "컨테이너의 GPU")
    host_gpu = shutil.which("nvidia-smi") is not None
    if not toolkit:
        if host_gpu:
            return Finding(
                topic,
                "missing",
                Text(
                    "this machine has an NVIDIA GPU, but docker cannot give it to containers",
                    "이 컴퓨터에 NVIDIA GPU가 있지만 docker가 컨테이너에 넘겨줄 수 없습니다",
                ),
                Text(
                    "install the NVIDIA container toolkit and run: sudo nvidia-ctk runtime configure --runtime=docker",
                    "NVIDIA container toolkit을 설치하고 실행: sudo nvidia-ctk runtime configure --runtime=docker",
                ),
            )
        return Finding(
            topic, "note", Text("no NVIDIA GPU here: training runs on the CPU", "NVIDIA GPU 없음: CPU로 학습합니다")
        )
    if image is None:
        return Finding(
            topic,
            "note",
            Text(
                "NVIDIA container toolkit found; build the image to check it",
                "NVIDIA container toolkit 있음; 이미지를 빌드하면 확인합니다",
            ),
        )
    import docker.types

    try:
        raw = client.containers.run(
            image,
            ["nvidia-smi", "-L"],
            remove=True,
            device_requests=[docker.types.DeviceRequest(count=-1, capabilities=[["gpu"]])],
        )
        gpus = [line for line in raw.decode().splitlines() if line.startswith("GPU")]
        return Finding(topic, "ok", _same("; ".join(gpus) or "visible"))
    except Exception as exc:
        return Finding(
            topic,
            "missing",
            _same(f"a container with a GPU request failed: {str(exc).splitlines()[0][:200]}"),
            Text(
                "check the NVIDIA driver and container toolkit (nvidia-smi on the host)",
                "NVIDIA 드라이버와 container toolkit을 확인하세요",
            ),
        )


def _data_findings(data_dir: Path, explicit: Path | None) -> list[Finding]:
    found = [
        Finding(
            Text("data dir", "데이터 폴더"),
            "ok" if data_dir.is_dir() else "note",
            Text(
                f"{data_dir} (--data-dir, else GRADE_DATA_DIR, else the user cache)",
                f"{data_dir} (--data-dir, 없으면 GRADE_DATA_DIR, 없으면 사용자 캐시)",
            ),
        )
    ]
    from grader.evaluator.handle import needs_private_copy

    if data_dir.is_dir() and any(needs_private_copy(data_dir, name) for name in DATASETS):
        found.append(
            Finding(
                Text("data dir access", "데이터 폴더 접근"),
                "note",
                Text(
                    "only its owner can read it: the evaluator, which runs as a sandbox uid, gets a private copy "
                    "of the dataset's files for each grading (slower, still correct)",
                    "소유자만 읽을 수 있습니다: 샌드박스 uid로 실행되는 평가기는 채점마다 데이터셋 파일의 개인 사본을 "
                    "받습니다 (느리지만 정확함)",
                ),
                _same(f"chmod -R o+rX {data_dir} (and o+x on the folders above it)"),
            )
        )
    for dataset in DATASETS.values():
        name = dataset.name
        source = data_dir_for(dataset, explicit)
        (state,) = status(source, [name])
        topic = Text(f"data: {name}", f"데이터: {name}")
        missing = [p for p, s in state.files.items() if s == "missing"]
        needed_by = ", ".join(e.id for e in all_exercises() if e.model is not None and e.model.dataset == name) or "-"
        if missing:
            found.append(
                Finding(
                    topic,
                    "note",  # only the exercises on it need it: the rest grade without it
                    Text(
                        f"missing {', '.join(missing)}; needed only for {needed_by}",
                        f"없음: {', '.join(missing)}; {needed_by}에만 필요",
                    ),
                    _same(f"grade data fetch {name}"),
                )
            )
        elif source != data_dir:
            found.append(
                Finding(
                    topic,
                    "ok",
                    Text(f"read from {source} (a system package's copy)", f"{source}에서 읽음 (시스템 패키지의 사본)"),
                )
            )
        elif state.substitutes:
            found.append(
                Finding(
                    topic,
                    "note",
                    Text(
                        f"present, but {', '.join(state.substitutes)} differ from the official files",
                        f"있음, 단 {with_particle(', '.join(state.substitutes), '은/는')} 공식 파일과 다릅니다",
                    ),
                )
            )
        else:
            found.append(Finding(topic, "ok", Text("complete (official files)", "완전함 (공식 파일)")))
    return found


def diagnose(*, data_dir: Path | None = None) -> Diagnosis:
    directory = resolve_data_dir(data_dir)
    findings = _local_findings()
    docker_found, versions = _docker_findings()
    findings += docker_found
    findings += _data_findings(directory, data_dir)
    why = docker_unavailable_reason()  # the very test `--runner auto` makes
    auto = "docker" if why == EMPTY else "local"
    findings.append(
        Finding(
            Text("--runner auto", "--runner auto"),
            "ok" if auto == "docker" else "note",
            Text("picks docker", "docker를 고릅니다")
            if auto == "docker"
            else Text("picks local, because ", "local을 고릅니다: ") + why,
        )
    )
    return Diagnosis(tuple(findings), auto, directory, versions)
