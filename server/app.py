"""create_app(): the ASGI application, its routes and its lifespan."""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import cast

from pycrdt import Doc
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from . import (
    accountpages,
    admission,
    api,
    compaction,
    control,
    exports,
    guard,
    joining,
    openapi,
    pages,
    showing,
)
from .accountpages import AccountLayers
from .accounts import accounts_of
from .bodylimit import BodyLimit
from .bus import CaughtUp, RedisBus
from .config import Config
from .limits import AuthThrottle, MeetingQuota
from .meetings import Meetings
from .nostore import NoStore
from .pgstore import PgStore
from .registry import Rooms
from .security import SecurityHeaders
from .store import Store
from .ws import BoardSockets

log = logging.getLogger("netwerkbord")


async def server_error(request: Request, exc: Exception) -> Response:
    # Never a stack trace to the client; the log has it.
    return JSONResponse({"error": "Er ging iets mis op de server"}, status_code=500)


async def delete_expired(meetings: Meetings, config: Config) -> None:
    """Delete meetings older than the retention period, now and then every so often."""
    while True:
        try:
            gone = meetings.delete_expired(config.retention_days * 86400)
            if gone:
                log.info("retention: deleted %d meeting(s)", len(gone))
        except Exception:
            log.exception("retention: deleting expired meetings failed; trying again later")
        await asyncio.sleep(config.retention_check_seconds)


def open_store(config: Config) -> Store:
    """PostgreSQL when a database URL is set (several nodes), else the SQLite file. (A
    PgStore has the Store's methods: typed as one.)"""
    if config.database_url:
        return cast(Store, PgStore(config.database_url))
    return Store(config.database_path, config.synchronous)


def create_app(config: Config | None = None) -> Starlette:
    config = config or Config()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        Doc()  # the first Doc imports anyio's asyncio backend (~20 ms): not while a device waits
        store = open_store(config)
        if isinstance(store, PgStore):
            await store.open()
        rooms = Rooms(
            store,
            config.idle_unload_seconds,
            config.compact_after,
            config.board_quota_bytes,
            config.meeting_quota_bytes,
            config=config,
        )
        app.state.store, app.state.rooms = store, rooms
        if not store.compacts_itself and (folded := compaction.fold_logs(store)):
            log.info("compacted %d board(s) left with a log by the last run", folded)
        app.state.meetings = meetings = Meetings(store, rooms)
        if config.redis_url:  # one of several nodes (server/bus.py)
            rooms.bus = RedisBus(config.redis_url, rooms)
            rooms.bus.purge_after = config.redis_purge_seconds
            rooms.bus.max_len = config.redis_stream_length
            rooms.bus.recheck = meetings.recheck
            rooms.bus.enforce_state = meetings.enforce_stored
            rooms.bus.describe = meetings.here
            accounts = accounts_of(app.state)
            for name, throttle in (  # one allowance per address or name for every node
                ("links", AuthThrottle.of(app.state)),
                ("login-name", accounts.by_name),
                ("login-address", accounts.by_address),
                ("meetings", MeetingQuota.of(app.state)),
            ):
                rooms.bus.share(name, throttle)
            try:
                await rooms.bus.start()
            except BaseException:  # (Redis away): close the pools, or the process stays
                if isinstance(store, PgStore):
                    await store.aclose()
                raise
        retention = asyncio.create_task(delete_expired(meetings, config))
        try:
            yield
        finally:
            retention.cancel()
            if rooms.bus is not None:
                await rooms.bus.stop()
            rooms.close()
            if isinstance(store, PgStore):
                await store.aclose()
            else:
                store.close()

    app = Starlette(
        routes=[
            *pages.routes,
            *joining.routes,
            *admission.routes,
            *exports.routes,
            *api.routes,
            *control.routes,
            *showing.routes,
            *accountpages.routes,
            Route("/openapi.json", openapi.openapi_json, methods=["GET"]),
            Mount("/static", StaticFiles(directory=config.static_dir), name="static"),
        ],
        lifespan=lifespan,
        exception_handlers={404: pages.not_found, 500: server_error},
        # BoardSockets first: the sync WebSockets skip the layers below (see ws.py).
        # BodyLimit inside SecurityHeaders: a 413 carries those headers too.
        # NoStore: Cache-Control no-store on everything but the static files.
        middleware=[
            Middleware(BoardSockets),
            Middleware(SecurityHeaders),
            Middleware(NoStore),
            # Several nodes: a request waits until this node has read the meetings' streams.
            Middleware(CaughtUp),
            Middleware(BodyLimit, max_body_bytes=config.max_body_bytes),
            # The login session on every route, CSRF on the account pages (accountpages.py).
            Middleware(AccountLayers),
        ],
    )
    app.state.config = config
    app.state.templates = Jinja2Templates(directory=config.templates_dir)
    return guard.install(app)  # HTTP throttle of invalid links, StorageError -> 503, JSON 405
