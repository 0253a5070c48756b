"""create_app(): the ASGI application, its routes and its lifespan."""

import contextlib
import logging
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from . import api, control, pages
from .config import Config
from .meetings import Meetings
from .rooms import Rooms
from .store import Store
from .ws import board_socket

log = logging.getLogger("netwerkbord")


async def server_error(request: Request, exc: Exception) -> Response:
    # Never a stack trace to the client; the log has it.
    return JSONResponse({"error": "Er ging iets mis op de server"}, status_code=500)


def create_app(config: Config | None = None) -> Starlette:
    config = config or Config()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        store = Store(config.database_path, config.synchronous)
        rooms = Rooms(store, config.idle_unload_seconds, config.compact_after)
        app.state.store, app.state.rooms = store, rooms
        app.state.meetings = Meetings(store, rooms)
        try:
            yield
        finally:
            rooms.close()
            store.close()

    app = Starlette(
        routes=[
            *pages.routes,
            *api.routes,
            *control.routes,
            WebSocketRoute("/ws/{meeting_id}/{board_id}", board_socket),
            Mount("/static", StaticFiles(directory=config.static_dir), name="static"),
        ],
        lifespan=lifespan,
        exception_handlers={404: pages.not_found, 500: server_error},
    )
    app.state.config = config
    app.state.templates = Jinja2Templates(directory=config.templates_dir)
    return app
