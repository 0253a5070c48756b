import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pytest
import uvicorn

from server.app import create_app
from server.config import Config
from server.wsprotocol import uvicorn_options
from tests.serverprocess import ServerProcess, free_port

if TYPE_CHECKING:
    from tests.services import Postgres, Redis

ROOT = Path(__file__).resolve().parent.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--backend",
        choices=("sqlite", "cluster"),
        default="sqlite",
        help="cluster: live_server is two nodes on a real PostgreSQL and Redis, and every "
        "request and WebSocket of a test goes to the next node in turn",
    )


@dataclass
class LiveServer:
    home: str  # the first node (the only one but with --backend=cluster)
    config: Config
    app: object = None
    server: object = None
    task: object = None
    others: list[str] = field(default_factory=list)  # more nodes: taken in turn
    _turn: int = 0

    @property
    def base(self) -> str:
        """The node the next request or WebSocket goes to."""
        if not self.others:
            return self.home
        nodes = [self.home, *self.others]
        self._turn += 1
        return nodes[self._turn % len(nodes)]

    async def stop(self) -> None:
        """Stop serving (devices see the connection drop); start() brings it back."""
        self.server.should_exit = True
        await asyncio.wait_for(self.task, 10)

    async def start(self) -> None:
        port = int(self.home.rsplit(":", 1)[1])
        self.server, self.task = await _serve(create_app(self.config), port, self.config)

    @property
    def ws_base(self) -> str:
        return self.base.replace("http://", "ws://") + "/ws"

    def ws_url(self, meeting_id: str, board_id: str, token: str | None) -> str:
        query = f"?token={token}" if token is not None else ""
        return f"{self.ws_base}/{meeting_id}/{board_id}{query}"

    async def create_meeting(
        self, title: str = "Netwerkberaad familie De Vries", script: str | None = None
    ) -> dict:
        body = {"title": title} if script is None else {"title": title, "script": script}
        async with httpx.AsyncClient() as http:
            r = await http.post(f"{self.base}/api/meetings", json=body)
            assert r.status_code == 201, r.text
            return r.json()

    async def post(self, path: str, token: str | None, json: dict) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient() as http:
            return await http.post(f"{self.base}{path}", json=json, headers=headers)

    async def page(self, path: str) -> httpx.Response:
        """A page as a browser opens it: a role link (/j/…) gives a device key in a cookie
        and leads on to the meeting page (/m/…)."""
        async with httpx.AsyncClient(base_url=self.base, follow_redirects=True) as browser:
            return await browser.get(path)

    async def get(self, path: str, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient() as http:
            return await http.get(f"{self.base}{path}", headers=headers)


@pytest.fixture
async def live_server(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[LiveServer]:
    """The real app on uvicorn in this event loop, with its database in a temporary folder
    (with --backend=cluster: two nodes on PostgreSQL and Redis, see pytest_addoption)."""
    if request.config.getoption("--backend") == "cluster":
        urls = request.getfixturevalue("pg_url"), request.getfixturevalue("redis_url")
        async for live in _cluster(tmp_path, *urls):
            yield live
        return
    async for live in _live(tmp_path, asgi_ws=False):
        yield live


@pytest.fixture
async def asgi_live_server(tmp_path: Path) -> AsyncIterator[LiveServer]:
    """As live_server, but with uvicorn's own WebSocket protocol, so the board endpoint is
    served through ASGI (ws.BoardSockets), as on any other ASGI server."""
    async for live in _live(tmp_path, asgi_ws=True):
        yield live


async def _live(tmp_path: Path, asgi_ws: bool) -> AsyncIterator[LiveServer]:
    config = Config(data_dir=tmp_path / "data", max_message_bytes=65_536, idle_unload_seconds=0.2)
    port = free_port()
    app = create_app(config)
    server, task = await _serve(app, port, config, asgi_ws)
    live = LiveServer(f"http://127.0.0.1:{port}", config, app, server, task)
    try:
        yield live
    finally:
        if not live.task.done():
            await live.stop()


async def _cluster(tmp_path: Path, database: str, redis: str) -> AsyncIterator[LiveServer]:
    config = Config(
        data_dir=tmp_path / "data",
        max_message_bytes=65_536,
        idle_unload_seconds=0.2,
        database_url=database,
        redis_url=redis,
        redis_purge_seconds=0.2,
    )
    ports = free_port(), free_port()
    apps = [create_app(config), create_app(replace(config, data_dir=tmp_path / "data2"))]
    served = [await _serve(app, port, config) for app, port in zip(apps, ports, strict=True)]
    live = LiveServer(
        f"http://127.0.0.1:{ports[0]}",
        config,
        apps[0],
        *served[0],
        [f"http://127.0.0.1:{ports[1]}"],
    )
    try:
        yield live
    finally:
        for server, task in served:
            if not task.done():
                server.should_exit = True
                await asyncio.wait_for(task, 10)


async def _serve(
    app,
    port: int,
    config: Config,  # type: ignore[no-untyped-def]
    asgi_ws: bool = False,
):
    protocols = uvicorn_options(app)  # as `netwerkbord serve`
    if asgi_ws:
        protocols["ws"] = "websockets-sansio"
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="on", **protocols
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    return server, task


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[ServerProcess]:
    sp = ServerProcess(tmp_path / "data")
    sp.start()
    try:
        yield sp
    finally:
        sp.stop()


# Several nodes: a real PostgreSQL and Redis (tests/services.py), each started once per
# session by the first test that asks for it (so tests that don't never wait for them), and
# stopped at the end of the session.
@pytest.fixture(scope="session")
def postgres() -> Iterator["Postgres"]:
    from tests.services import Postgres

    with Postgres() as pg:
        yield pg


@pytest.fixture(scope="session")
def redis() -> Iterator["Redis"]:
    from tests.services import Redis

    with Redis() as rd:
        yield rd


@pytest.fixture
def pg_url(postgres: "Postgres") -> str:
    """The URL of an empty database `netwerkbord`, new for each test."""
    postgres.reset()
    return postgres.url


@pytest.fixture
def redis_url(redis: "Redis") -> str:
    """The URL of a Redis with no keys, emptied for each test."""
    redis.flush()
    return redis.url
