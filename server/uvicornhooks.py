"""Everything Netwerkbord takes from uvicorn beyond its documented API, in one place.

uvicorn (0.54) has no public way to bound how long a request's headers may take, nor to hand
a WebSocket to a protocol of one's own. So the server builds on these internals:

- `HttpToolsProtocol` (httpprotocol.py subclasses it): its __init__ (HTTP_INIT_PARAMS), the
  asyncio and parser callbacks and the upgrade hook it extends (HTTP_HOOKS), and
  `cycle.response_complete` (response_pending()).
- The WebSocket hand-over: handle_websocket_upgrade() calls `Config(ws=...)` with the keyword
  arguments WS_INIT_PARAMS, then connection_made(transport) and data_received(the upgrade
  request as bytes), then gives it the transport (wsprotocol.py is that class).
- `ServerState.connections`: the set of open protocols; on exit uvicorn calls shutdown() on each
  and waits until the set is empty (open_connections()).
- `_TrustedHosts` of the proxy-headers middleware: who may set X-Forwarded-For
  (forwarded_client(); uvicorn applies it to HTTP only, not to a protocol of our own).

check_uvicorn() runs when the server starts (httpprotocol.http_protocol()) and in
tests/test_uvicornhooks.py, which also drives the hand-over: an upgrade of uvicorn that changes
any of this fails there first, by name, instead of quietly serving without limits.
"""

import functools
import inspect
from typing import Any

import uvicorn
from uvicorn.middleware.proxy_headers import _TrustedHosts
from uvicorn.protocols.http.httptools_impl import (
    HttpToolsProtocol,
    RequestResponseCycle,
)
from uvicorn.server import ServerState

__all__ = [
    "HttpToolsProtocol",
    "ServerState",
    "check_uvicorn",
    "forwarded_client",
    "open_connections",
    "response_pending",
]

# The methods of HttpToolsProtocol that httpprotocol.py extends (calling each one's original).
HTTP_HOOKS = (
    "connection_made",
    "connection_lost",
    "data_received",
    "on_message_begin",
    "on_headers_complete",
    "on_message_complete",
    "handle_websocket_upgrade",
)
HTTP_INIT_PARAMS = ["config", "server_state", "app_state", "_loop"]
# What handle_websocket_upgrade() passes to the WebSocket protocol class.
WS_INIT_PARAMS = ["config", "server_state", "app_state"]


def check_uvicorn() -> None:
    """Fail loudly when an upgrade of uvicorn took away what the server builds on."""
    missing = [
        f"HttpToolsProtocol.{name}"
        for name in HTTP_HOOKS
        if not callable(getattr(HttpToolsProtocol, name, None))
    ]
    params = list(inspect.signature(HttpToolsProtocol.__init__).parameters)[1:]
    if params != HTTP_INIT_PARAMS:
        missing.append(f"HttpToolsProtocol.__init__({', '.join(HTTP_INIT_PARAMS)})")
    if "response_complete" not in inspect.getsource(RequestResponseCycle.__init__):
        missing.append("RequestResponseCycle.response_complete")
    upgrade = inspect.getsource(HttpToolsProtocol.handle_websocket_upgrade)
    if not all(f"{name}=" in upgrade for name in WS_INIT_PARAMS):
        missing.append(f"ws_protocol_class({'=, '.join(WS_INIT_PARAMS)}=)")
    if not isinstance(getattr(ServerState(), "connections", None), set):
        missing.append("ServerState.connections")
    stopping = inspect.getsource(uvicorn.Server.shutdown)
    if "server_state.connections" not in stopping or ".shutdown()" not in stopping:
        missing.append("Server.shutdown() calling shutdown() on each connection")
    if not all(
        callable(getattr(_TrustedHosts, name, None))
        for name in ("__contains__", "get_trusted_client_address")
    ):
        missing.append("_TrustedHosts")
    if missing:
        raise RuntimeError(
            f"uvicorn {uvicorn.__version__} changed what the server builds on "
            f"(no {', '.join(missing)}): server/uvicornhooks.py must be adapted"
        )


def response_pending(http: HttpToolsProtocol) -> bool:
    """Whether the connection is still answering a request (a pipelined one waits for it)."""
    cycle = http.cycle
    return cycle is not None and not cycle.response_complete


def open_connections(server_state: Any) -> set[Any]:
    """uvicorn's set of open protocols: a protocol in it is shut down (its shutdown()) when
    the server stops, and the server waits until it has left."""
    connections: set[Any] = server_state.connections
    return connections


def forwarded_client(config: uvicorn.Config, peer: str, forwarded_for: str) -> str:
    """The client's address as uvicorn's proxy-headers middleware gives it for HTTP: the
    address in X-Forwarded-For when the peer is a trusted proxy, else the peer's own."""
    if not config.proxy_headers:
        return peer
    trusted = _trusted_hosts(_hashable(config.forwarded_allow_ips))
    if peer not in trusted:
        return peer
    return str(trusted.get_trusted_client_address(forwarded_for)[0])


@functools.lru_cache(maxsize=8)
def _trusted_hosts(allowed: str | tuple[str, ...]) -> _TrustedHosts:
    return _TrustedHosts(list(allowed) if isinstance(allowed, tuple) else allowed)


def _hashable(allowed: Any) -> str | tuple[str, ...]:
    return allowed if isinstance(allowed, str) else tuple(allowed or ())
