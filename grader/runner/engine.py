"""The docker engine: a client for its daemon, and whether this machine has one.

Apart from the docker runner so that the image builder, the doctor and the reaper reach the
daemon without importing the runner (and the runner the image builder without a cycle).
"""

from __future__ import annotations

from pathlib import Path

from grader.config import DEFAULT_DOCKER_SOCKET, settings
from grader.text import Refusal, Text


class DockerUnavailable(Refusal, RuntimeError):
    """Docker cannot be used here: ``reason`` (also ``text``) says why in both languages (a
    learner's report shows it); ``str()`` is the English."""

    def __init__(self, reason: Text) -> None:
        super().__init__(reason)
        self.reason = reason


def docker_client(timeout: float = 60):
    """A client for the daemon DOCKER_HOST (or the default socket) points at."""
    try:
        import docker  # the SDK: only imported when docker is asked for
    except ImportError as exc:
        raise DockerUnavailable(
            Text(
                "the docker Python package is not installed: pip install 'tfcert-grader[docker]'",
                "docker 파이썬 패키지가 설치되어 있지 않습니다: pip install 'tfcert-grader[docker]'",
            )
        ) from exc
    address = settings().docker_address
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except Exception as exc:
        if "Permission denied" in str(exc):
            raise DockerUnavailable(
                Text(
                    f"permission denied on {address}: add your user to the docker group (then log in again)",
                    f"{address}에 접근할 권한이 없습니다: 사용자를 docker 그룹에 추가하세요 (그다음 다시 로그인)",
                )
            ) from exc
        raise DockerUnavailable(
            Text(
                f"the docker daemon is not reachable at {address}; is dockerd running?",
                f"{address}에서 docker 데몬에 연결할 수 없습니다; dockerd가 실행 중인가요?",
            )
        ) from exc
    return client


def docker_expected() -> bool:
    """Whether this machine looks set up for docker (the SDK, and a daemon address)."""
    import importlib.util

    has_address = settings().docker_host is not None or Path(DEFAULT_DOCKER_SOCKET).exists()
    return importlib.util.find_spec("docker") is not None and has_address
