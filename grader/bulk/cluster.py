"""Joining a Ray cluster for ``grade bulk --backend ray --address HOST:PORT``.

Ray 2.59 turned token authentication on for local clusters: ``ray start --head`` enforces it
whenever a token exists (``ray get-auth-token --generate`` writes ~/.ray/auth_token, and so does
any earlier local ``ray.init()``), and Ray 2.61 does so for every cluster. A driver that names an
address presents no token unless ``RAY_AUTH_MODE=token`` is set, and one that is refused retries
for 20 seconds, a warning a second, before a bare ConnectionError.

So before ``ray.init`` the grader asks the cluster's GCS one question (GetClusterId, over plain
gRPC, a few seconds at most): first without a token, and when it is refused, with the token from
Ray's documented sources in Ray's order (`find_token`). It then joins with token mode on for this
driver alone, for as long as it is joined. A cluster that cannot be reached or refuses is a
`UsageError` that says what to set, in English and Korean. The grader never turns a cluster's
authentication off, and the token goes to the cluster and nowhere else: not into a message, a
report, a log or the results store.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Literal

from grader.config import RAY_AUTH_MODE_ENV, Settings, environment_set
from grader.grading import UsageError
from grader.text import Text, printable

PROBE_TIMEOUT_S = 5.0
# The GCS's own RPC: every Ray version answers it first when a driver or a node joins.
_CLUSTER_ID_RPC = "/ray.rpc.NodeInfoGcsService/GetClusterId"
_TOKEN_FILE_LIMIT = 64 * 1024
_HOST_PORT = re.compile(r"^(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(?P<port>[0-9]{1,5})$")
_ORDER = Text(
    "Ray looks for the token in RAY_AUTH_TOKEN, then in the file RAY_AUTH_TOKEN_PATH names, then in ~/.ray/auth_token.",
    "Ray는 토큰을 RAY_AUTH_TOKEN, RAY_AUTH_TOKEN_PATH가 가리키는 파일, ~/.ray/auth_token 순서로 찾습니다.",
)
_COPY = Text(
    "Run `ray get-auth-token` on the head, then put what it prints in ~/.ray/auth_token on this machine, "
    "or set RAY_AUTH_TOKEN=<token> (or RAY_AUTH_TOKEN_PATH=<file>) and run grade bulk again.",
    "헤드 노드에서 `ray get-auth-token`을 실행해 출력된 토큰을 이 컴퓨터의 ~/.ray/auth_token에 넣거나, "
    "RAY_AUTH_TOKEN=<토큰> (또는 RAY_AUTH_TOKEN_PATH=<파일>)을 설정한 뒤 grade bulk를 다시 실행하세요.",
)
_WHERE = _COPY + Text(" ", " ") + _ORDER  # what a missing or refused token's message ends with

Answer = Literal["answers", "refused", "unreachable", "not-ray"]


@dataclass(frozen=True)
class Token:
    value: str = field(repr=False)
    source: str  # where it was found, as the instructor can act on it: RAY_AUTH_TOKEN, a path


@dataclass(frozen=True)
class Access:
    """How this driver joins: the address (``local``: a Ray of its own on this machine), and
    ``RAY_AUTH_MODE`` for the driver while it is joined (None: as the environment has it)."""

    address: str
    auth_mode: str | None = None


def usage_error(text: Text) -> UsageError:
    """A usage error in both languages, the chosen one first: an instructor may read either."""
    return UsageError(Text(f"{text.en}\n{text.ko}", f"{text.ko}\n{text.en}"))


def find_token(settings: Settings) -> Token | None:
    """The token Ray itself would present, from its documented sources in its order; None when
    there is none. A ``RAY_AUTH_TOKEN_PATH`` that cannot be read is an error, as it is for Ray."""
    if settings.ray_auth_token and settings.ray_auth_token.strip():
        return Token(settings.ray_auth_token.strip(), "RAY_AUTH_TOKEN")
    if settings.ray_auth_token_path is not None:
        path = settings.ray_auth_token_path
        value = _read_token_file(path)
        if not value:
            raise usage_error(
                Text(
                    f"RAY_AUTH_TOKEN_PATH names {printable(str(path))}, which holds no token that can be read. ",
                    f"RAY_AUTH_TOKEN_PATH가 가리키는 {printable(str(path))}에서 토큰을 읽을 수 없습니다. ",
                )
                + _COPY
            )
        return Token(value, f"RAY_AUTH_TOKEN_PATH ({printable(str(path))})")
    value = _read_token_file(settings.ray_default_token_path)
    return Token(value, printable(str(settings.ray_default_token_path))) if value else None


def _read_token_file(path: Path) -> str | None:
    """The file's token (whitespace around it dropped, as a copy-paste adds a newline), or None."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(_TOKEN_FILE_LIMIT + 1)
    except OSError:
        return None
    if len(raw) > _TOKEN_FILE_LIMIT:
        return None
    try:
        value = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    # A token goes into a gRPC header: printable ASCII only, no line breaks inside.
    return value if value and value.isprintable() else None


def gcs_target(address: str) -> str | None:
    """``HOST:PORT`` for gRPC, or None for an address Ray resolves itself (``auto``, ``ray://``)."""
    if address in ("auto", "local") or "://" in address:
        return None
    match = _HOST_PORT.match(address.strip())
    if match is None or not 0 < int(match["port"]) < 65536:
        raise usage_error(
            Text(
                f"--address {printable(address)!r} is not a Ray address: give HOST:PORT, as `ray start --head` "
                "prints it (port 6379 by default).",
                f"--address {printable(address)!r}는 Ray 주소가 아닙니다: `ray start --head`가 출력한 대로 "
                "HOST:PORT를 주세요 (기본 포트 6379).",
            )
        )
    return address.strip()


def probe(target: str, token: Token | None, timeout_s: float = PROBE_TIMEOUT_S) -> tuple[Answer, str]:
    """Ask the GCS at ``target`` for its cluster id: whether it answers, refuses the (missing) token,
    cannot be reached, or is no Ray GCS; with gRPC's status for the message."""
    import grpc  # Ray's own dependency: present wherever the ray extra is

    # Ray's channels ignore http(s)_proxy; so does this one, or a proxy would answer for the head.
    with grpc.insecure_channel(target, options=[("grpc.enable_http_proxy", 0)]) as channel:
        ask = channel.unary_unary(_CLUSTER_ID_RPC)  # bytes in, bytes out: an empty request is b""
        metadata = [("authorization", f"Bearer {token.value}")] if token else []
        try:
            ask(b"", timeout=timeout_s, metadata=metadata)
        except grpc.RpcError as exc:
            code = exc.code()
            if code == grpc.StatusCode.UNAUTHENTICATED:
                return "refused", code.name
            if code in (grpc.StatusCode.UNAVAILABLE, grpc.StatusCode.DEADLINE_EXCEEDED):
                return "unreachable", code.name
            return "not-ray", code.name
    return "answers", "OK"


def access(address: str | None, settings: Settings) -> Access:
    """How to join the cluster at ``address`` (else ``RAY_ADDRESS``, else a Ray of this machine's
    own, never one a `ray start` left running here), decided before anything is collected or
    stored: a cluster that wants a token gets the one Ray's sources hold; a refusal is a `UsageError`."""
    address = address or settings.ray_address
    if address is None:
        return Access("local")
    if settings.ray_tls:
        return Access(address)  # ray.init sets TLS up from Ray's own variables; no plain-gRPC question
    target = gcs_target(address)
    if target is None:
        return Access(address)
    said, status = probe(target, None)
    if said == "answers":
        return Access(address)
    shown = printable(address)
    if said == "unreachable":
        raise usage_error(
            Text(
                f"No Ray cluster answers at {shown} ({status} after at most {PROBE_TIMEOUT_S:g} s). Start one on the "
                "head with `ray start --head --port=PORT`, check the address and the firewall, or leave out "
                "--address to grade on a Ray started on this machine.",
                f"{shown}에서 응답하는 Ray 클러스터가 없습니다 (최대 {PROBE_TIMEOUT_S:g}초 후 {status}). 헤드 노드에서 "
                "`ray start --head --port=PORT`로 시작했는지, 주소와 방화벽을 확인하거나, "
                "--address를 빼고 이 컴퓨터에서 Ray를 시작해 채점하세요.",
            )
        )
    if said == "not-ray":
        raise usage_error(
            Text(
                f"{shown} answers, but not as a Ray head's GCS ({status}). Give the address `ray start --head` "
                "printed (port 6379 by default), not the dashboard's or the client server's.",
                f"{shown}은(는) 응답하지만 Ray 헤드의 GCS가 아닙니다 ({status}). 대시보드나 클라이언트 서버가 아니라 "
                "`ray start --head`가 출력한 주소를 주세요 (기본 포트 6379).",
            )
        )
    token = find_token(settings)
    if token is None:
        raise usage_error(
            Text(
                f"The Ray cluster at {shown} requires token authentication, and this machine has no token. ",
                f"{shown}의 Ray 클러스터는 토큰 인증을 요구하는데, 이 컴퓨터에는 토큰이 없습니다. ",
            )
            + _WHERE
        )
    if probe(target, token)[0] != "answers":
        raise usage_error(
            Text(
                f"The Ray cluster at {shown} refused the token from {token.source}: it is not the head's. ",
                f"{shown}의 Ray 클러스터가 {token.source}의 토큰을 거부했습니다: 헤드 노드의 토큰이 아닙니다. ",
            )
            + _WHERE
        )
    return Access(address, auth_mode="token")


@contextmanager
def joined(how: Access) -> Iterator[ModuleType]:
    """Ray, initialised as ``how`` says, for the block; shut down after it. ``RAY_AUTH_MODE`` is
    this process's own again afterwards (a local ``ray.init()`` of Ray 2.59+ sets it for good)."""
    import ray  # on demand: the ray extra

    try:
        with environment_set(RAY_AUTH_MODE_ENV, how.auth_mode):
            _reload_ray_config()
            try:
                ray.init(address=how.address, include_dashboard=False, log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError, ray.exceptions.RayError) as exc:
                where = printable("this machine" if how.address == "local" else how.address)
                why = printable(str(exc))[:600]
                raise usage_error(
                    Text(
                        f"Could not join the Ray cluster at {where}: {why}",
                        f"{where}의 Ray 클러스터에 접속하지 못했습니다: {why}",
                    )
                ) from None
            try:
                yield ray
            finally:
                ray.shutdown()
    finally:
        _reload_ray_config()  # the process's own mode again, however the block ended


def _reload_ray_config() -> None:
    """Ray reads ``RAY_AUTH_MODE`` and the token once and caches them; this is the refresh Ray's
    own ``ray.init()`` makes after it turns token mode on (``_enable_token_auth``)."""
    from ray import _raylet

    if hasattr(_raylet, "Config"):
        _raylet.Config.initialize("")
    if hasattr(_raylet, "AuthenticationTokenLoader"):
        _raylet.AuthenticationTokenLoader.instance().reset_cache()
