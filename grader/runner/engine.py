"""The docker engine: a client for its daemon, and whether this machine has one.

Apart from the docker runner so that the image builder, the doctor and the reaper reach the
daemon without importing the runner (and the runner the image builder without a cycle).
"""

from __future__ import annotations

from pathlib import Path

from grader.config import DEFAULT_DOCKER_SOCKET, settings


class DockerUnavailable(RuntimeError):
    pass


def docker_client(timeout: float = 60):
    """A client for the daemon DOCKER_HOST (or the default socket) points at."""
    try:
        import docker  # the SDK: only imported when docker is asked for
    except ImportError as exc:
        raise DockerUnavailable(
            "the docker Python package is not installed: pip install 'tfcert-grader[docker]'"
        ) from exc
    address = settings().docker_address
    try:
        client = docker.from_env(timeout=timeout)
        client.ping()
    except Exception as exc:
        if "Permission denied" in str(exc):
            raise DockerUnavailable(
                f"permission denied on {address}: add your user to the docker group (then log in again)"
            ) from exc
        raise DockerUnavailable(f"the docker daemon is not reachable at {address}; is dockerd running?") from exc
    return client


def docker_expected() -> bool:
    """Whether this machine looks set up for docker (the SDK, and a daemon address)."""
    import importlib.util

    has_address = settings().docker_host is not None or Path(DEFAULT_DOCKER_SOCKET).exists()
    return importlib.util.find_spec("docker") is not None and has_address
