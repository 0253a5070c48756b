"""Throttling of invalid-link attempts over HTTP (the WebSocket endpoint does its own, see ws.py).

An address whose attempts keep failing (401, or 404 on a /j/{token}, /p/{token} or
/binnen/{code} link) gets 429 instead of that answer, until its allowance comes back
(server.limits.AuthThrottle). A valid link or key from the same address is answered as always:
only wrong ones are slowed.
"""

import json
import logging

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .bus import bus_of
from .limits import THROTTLED, AuthThrottle, client_address
from .store import StorageError

log = logging.getLogger("netwerkbord.guard")

_LINKS = ("/j/", "/p/", "/binnen/")  # a 404 there is a wrong link (or room code)
_GUARDED = ("/api/", *_LINKS)


def _guarded(scope: Scope) -> bool:
    return scope["path"].startswith(_GUARDED) or scope["method"] == "POST"


class AuthGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _guarded(scope):
            await self.app(scope, receive, send)
            return
        throttle, address = AuthThrottle.of(scope["app"].state), client_address(scope)
        replaced = False

        async def watch(message: Message) -> None:
            nonlocal replaced
            if replaced:
                return  # the rest of the answer the 429 stands in for
            if message["type"] == "http.response.start":
                status = message["status"]
                failed = status == 401 or (status == 404 and scope["path"].startswith(_LINKS))
                if failed and throttle.refuse(address):
                    replaced = True
                    await _too_many(send)
                    return
                if failed and (bus := bus_of(scope)) is not None:
                    await bus.settled()  # (the token it spent: every node counts it)
            await send(message)

        await self.app(scope, receive, watch)


async def _too_many(send: Send) -> None:
    await send_error(send, 429, THROTTLED, [(b"retry-after", b"60")])


async def send_error(
    send: Send, status: int, message: str, headers: list[tuple[bytes, bytes]]
) -> None:
    """A JSON error straight from ASGI middleware, in the app's {"error": ...} form."""
    body = json.dumps({"error": message}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def storage_unavailable(request: Request, exc: Exception) -> Response:
    """The database refused a write (disk full, read-only): say so; reads keep working."""
    log.error("storage failed on %s %s: %s", request.method, request.url.path, exc)
    return JSONResponse(
        {
            "error": "De server kan nu niets opslaan (schijf vol of alleen-lezen); "
            "wat er al stond blijft bewaard"
        },
        status_code=503,
        headers={"retry-after": "30"},
    )


async def method_not_allowed(request: Request, exc: Exception) -> Response:
    return JSONResponse(
        {"error": "Deze methode kan hier niet"},
        status_code=405,
        headers=getattr(exc, "headers", None),
    )


def install(app: Starlette) -> Starlette:
    """Add the guard and the error answers (create_app does, before the app starts)."""
    app.add_middleware(AuthGuard)
    app.exception_handlers.setdefault(StorageError, storage_unavailable)
    app.exception_handlers.setdefault(405, method_not_allowed)
    return app
