"""`Cache-Control: no-store` on every HTTP response that may carry a meeting: the pages under
/j/, /m/ and /p/, the exports, the API's JSON, errors. A shared or borrowed computer then keeps
none of it in its browser cache, and no proxy stores it.

Left alone: /static/ (the bundle, CSS and icons: no meeting in them), /favicon.ico, and
/sw.js, which sets its own `no-cache` (a browser checks a service worker for updates anyway).
The service worker itself keeps a copy of the join page in Cache Storage on purpose, so that
a reload works without a connection (server/static/js/sw.js): that is the app's own choice,
not the HTTP cache, and `no-store` does not touch it.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NO_STORE = (b"cache-control", b"no-store")
CACHEABLE = ("/static/", "/favicon.ico", "/sw.js")


def _cacheable(path: str) -> bool:
    return path.startswith(CACHEABLE)


class NoStore:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _cacheable(scope["path"]):
            await self.app(scope, receive, send)
            return

        async def send_no_store(message: Message) -> None:
            if message["type"] == "http.response.start":
                # Whatever a route said: nothing here may be kept.
                headers = [h for h in message.get("headers", []) if h[0].lower() != NO_STORE[0]]
                message["headers"] = [*headers, NO_STORE]
            await send(message)

        await self.app(scope, receive, send_no_store)
