"""What the server takes from uvicorn's internals (server/uvicornhooks.py) is still there and
still works as relied on. An upgrade of uvicorn that changes it fails here first, by name."""

import asyncio
from typing import ClassVar

import pytest
import uvicorn

from server import uvicornhooks
from server.uvicornhooks import (
    HttpToolsProtocol,
    ServerState,
    check_uvicorn,
    forwarded_client,
    open_connections,
    response_pending,
)
from tests.waiting import until


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.protocol: asyncio.BaseProtocol | None = None

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"peername": ("10.0.0.7", 40000), "sockname": ("127.0.0.1", 8000)}.get(name, default)

    def write(self, data: bytes) -> None:
        self.written += data

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self.protocol = protocol

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


class Recorder(asyncio.Protocol):
    """Stands in for wsprotocol.BoardProtocol: records how uvicorn hands a WebSocket over."""

    made: ClassVar[list["Recorder"]] = []

    def __init__(self, **kwargs: object) -> None:
        self.kwargs = kwargs
        self.transport: asyncio.BaseTransport | None = None
        self.data = b""
        Recorder.made.append(self)

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.data += data


async def _app(scope, receive, send) -> None:  # type: ignore[no-untyped-def]
    await send(
        {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]}
    )
    await send({"type": "http.response.body", "body": b"ok"})


def _http(ws: object = None) -> tuple[HttpToolsProtocol, FakeTransport, object]:
    config = uvicorn.Config(_app, ws=ws or "none", log_level="warning", lifespan="off")
    state = ServerState()
    protocol = HttpToolsProtocol(config, state, {}, asyncio.get_running_loop())
    transport = FakeTransport()
    protocol.connection_made(transport)
    return protocol, transport, state


def test_uvicorn_still_has_every_internal_the_server_names():
    check_uvicorn()


def test_a_missing_hook_is_named_loudly(monkeypatch):
    monkeypatch.delattr(HttpToolsProtocol, "on_headers_complete")
    with pytest.raises(
        RuntimeError, match="HttpToolsProtocol.on_headers_complete.*uvicornhooks.py must be adapted"
    ):
        check_uvicorn()


async def test_a_websocket_is_handed_over_with_its_request_and_transport():
    Recorder.made.clear()
    http, transport, state = _http(ws=Recorder)
    http.data_received(
        b"GET /ws/m1/drieluik?token=t HTTP/1.1\r\nHost: bord\r\n"
        b"Upgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"Sec-WebSocket-Version: 13\r\n\r\n"
    )
    [ws] = Recorder.made
    assert sorted(ws.kwargs) == sorted(uvicornhooks.WS_INIT_PARAMS)
    assert open_connections(ws.kwargs["server_state"]) is state.connections  # type: ignore
    assert ws.transport is transport and transport.protocol is ws
    head = ws.data.lower()
    assert head.startswith(b"get /ws/m1/drieluik?token=t http/1.1\r\n") and head.endswith(
        b"\r\n\r\n"
    )
    assert b"sec-websocket-key: dghlihnhbxbszsbub25jzq==\r\n" in head
    assert http not in state.connections and not transport.written


async def test_a_response_is_pending_while_a_request_is_answered():
    http, transport, _ = _http()
    assert not response_pending(http)
    http.data_received(b"GET / HTTP/1.1\r\nHost: bord\r\n\r\n")
    assert response_pending(http)
    await until(lambda: transport.written.endswith(b"ok"), interval=0)  # the ASGI task answers
    assert not response_pending(http)


def test_a_forwarded_address_counts_only_from_a_trusted_proxy():
    behind = uvicorn.Config(_app, proxy_headers=True, forwarded_allow_ips="10.0.0.1")
    assert forwarded_client(behind, "10.0.0.1", "203.0.113.9, 10.0.0.1") == "203.0.113.9"
    assert forwarded_client(behind, "10.0.0.7", "203.0.113.9") == "10.0.0.7"
    direct = uvicorn.Config(_app, proxy_headers=False, forwarded_allow_ips="*")
    assert forwarded_client(direct, "10.0.0.1", "203.0.113.9") == "10.0.0.1"
