"""Request bodies larger than their route allows are refused with 413, before they are read.

Nothing in this app takes an upload: the JSON API and the start page's form are a few KiB.
A Content-Length over the limit is answered at once, without reading the body; a body without
one (chunked) is read only up to the limit. The answer closes the connection, since the rest
of the body is left unread. Plain ASGI, so it holds on any ASGI server.
"""

import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .guard import send_error

KIB = 1024

# (method or "*", path, largest body in bytes): the first match sets a request's limit;
# Config.max_body_bytes is the limit of everything else and caps these too.
ROUTE_LIMITS: tuple[tuple[str, re.Pattern[str], int], ...] = tuple(
    (method, re.compile(path), limit)
    for method, path, limit in (
        ("POST", r"/", 8 * KIB),  # the start page's form: a title (120 chars), the admin key
        ("POST", r"/api/meetings", 4 * KIB),  # {"title", "script"}
        # the account pages' forms: a name, a password (256 characters), a title, a CSRF token
        ("POST", r"/(inloggen|uitloggen|mijn|mijn/[^/]+/gespreksleiders)", 8 * KIB),
        ("POST", r"/eerste-account/[^/]+", 8 * KIB),
        ("POST", r"/api/meetings/[^/]+/participants", 4 * KIB),  # a name and a relation
        ("POST", r"/api/meetings/[^/]+/consent", 8 * KIB),  # a comment of 500 characters
        ("*", r"/api/.*", 16 * KIB),  # the facilitator's controls: a few fields (api.MAX_BODY)
    )
)


def body_limit(
    method: str,
    path: str,
    max_body_bytes: int,
    routes: tuple[tuple[str, re.Pattern[str], int], ...] = ROUTE_LIMITS,
) -> int:
    for route_method, pattern, limit in routes:
        if route_method in ("*", method) and pattern.fullmatch(path):
            return min(limit, max_body_bytes)
    return max_body_bytes


def too_large(limit: int) -> str:
    return f"Dit verzoek is te groot (hoogstens {limit} bytes)"


class BodyTooLarge(Exception):
    """Raised from receive() once the body passes its limit; BodyLimit answers 413."""


class ClientGone(Exception):
    """Raised from receive() when the connection closed before the body was complete (the
    client went away, or the server closed it: see httpprotocol.py). Nobody to answer."""


class BodyLimit:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["method"], scope["path"], self.max_body_bytes)
        length = next((v for k, v in scope["headers"] if k == b"content-length"), None)
        # (A malformed length is the server's to refuse; the count below still holds.)
        if length is not None and length.isdigit() and (len(length) > 15 or int(length) > limit):
            await _refuse(send, limit)  # the body stays unread
            return
        received = 0
        started = complete = False

        async def limited_receive() -> Message:
            nonlocal received, complete
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
                complete = not message.get("more_body", False)
            elif message["type"] == "http.disconnect" and not complete:
                raise ClientGone
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except BodyTooLarge:
            if started:  # the app answered and still read on: the server cuts it off
                raise
            await _refuse(send, limit)
        except ClientGone:
            pass


async def _refuse(send: Send, limit: int) -> None:
    await send_error(send, 413, too_large(limit), [(b"connection", b"close")])
