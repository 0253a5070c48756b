import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from server.app import create_app
from server.config import Config

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LiveServer:
    base: str
    config: Config
    app: object = None
    server: object = None
    task: object = None

    async def stop(self) -> None:
        """Stop serving (devices see the connection drop); start() brings it back."""
        self.server.should_exit = True
        await asyncio.wait_for(self.task, 10)

    async def start(self) -> None:
        port = int(self.base.rsplit(":", 1)[1])
        self.server, self.task = await _serve(create_app(self.config), port, self.config)

    @property
    def ws_base(self) -> str:
        return self.base.replace("http://", "ws://") + "/ws"

    def ws_url(self, meeting_id: str, board_id: str, token: str | None) -> str:
        query = f"?token={token}" if token is not None else ""
        return f"{self.ws_base}/{meeting_id}/{board_id}{query}"

    async def create_meeting(self, title: str = "Netwerkberaad familie De Vries",
                             script: str | None = None) -> dict:
        body = {"title": title} if script is None else {"title": title, "script": script}
        async with httpx.AsyncClient() as http:
            r = await http.post(f"{self.base}/api/meetings", json=body)
            assert r.status_code == 201, r.text
            return r.json()

    async def post(self, path: str, token: str | None, json: dict) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient() as http:
            return await http.post(f"{self.base}{path}", json=json, headers=headers)

    async def get(self, path: str, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with httpx.AsyncClient() as http:
            return await http.get(f"{self.base}{path}", headers=headers)


@pytest.fixture
async def live_server(tmp_path: Path) -> AsyncIterator[LiveServer]:
    """The real app on uvicorn in this event loop, with its database in a temporary folder."""
    config = Config(data_dir=tmp_path / "data", max_message_bytes=65_536, idle_unload_seconds=0.2)
    port = free_port()
    app = create_app(config)
    server, task = await _serve(app, port, config)
    live = LiveServer(f"http://127.0.0.1:{port}", config, app, server, task)
    try:
        yield live
    finally:
        if not live.task.done():
            await live.stop()


async def _serve(app, port: int, config: Config):  # type: ignore[no-untyped-def]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           ws_max_size=config.max_message_bytes + 1024,
                                           lifespan="on"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    return server, task


class ServerProcess:
    """`netwerkbord serve` as a real child process, to kill -9 and restart."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(self.port),
             "--data", str(self.data_dir)],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "NETWERKBORD_ADMIN_KEY": ""},
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                httpx.get(self.base + "/", timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(10)


@pytest.fixture
def server_process(tmp_path: Path) -> Iterator[ServerProcess]:
    sp = ServerProcess(tmp_path / "data")
    sp.start()
    try:
        yield sp
    finally:
        sp.stop()
