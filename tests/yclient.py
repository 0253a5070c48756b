"""A small Python y-websocket client for tests: a pycrdt Doc kept in sync over a real
WebSocket, with every received frame recorded so tests can inspect the raw bytes."""

import asyncio
import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import websockets
from pycrdt import Doc, Map

from server.sync import (
    AwarenessEntry,
    AwarenessMessage,
    SyncMessage,
    encode_awareness,
    encode_sync_step1,
    encode_sync_step2,
    encode_update,
    parse_message,
)


async def _role_of(ws_url: str) -> str | None:
    """The role of the link in a /ws/{meeting}/{board}?token=… URL, as the server says."""
    parts = urlsplit(ws_url)
    token = parse_qs(parts.query).get("token", [""])[0]
    meeting = parts.path.split("/")[2] if parts.path.count("/") >= 3 else ""
    url = f"http://{parts.netloc}/api/meetings/{meeting}"
    async with httpx.AsyncClient() as http:
        response = await http.get(url, headers={"Authorization": f"Bearer {token}"})
    return response.json().get("role") if response.status_code == 200 else None


def _wake(waiter: "asyncio.Future[None]") -> None:
    if not waiter.done():
        waiter.set_result(None)


class YClient:
    def __init__(
        self, url: str, role: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        self.url = url
        self.headers = headers  # e.g. a browser's Cookie and Origin
        self.role = role  # the role of the link: new notes carry it (the server checks)
        self.doc: Doc = Doc()
        self.frames: list[bytes] = []
        self.awareness: dict[int, Any] = {}
        self.synced = asyncio.Event()
        self._answers = 0  # sync step 2 messages received (answers to a sync step 1)
        self._waiting: set[asyncio.Future[None]] = set()  # woken by every frame, and the close
        self.close_code: int | None = None
        self.close_reason: str = ""
        self.ws: Any = None
        self._task: asyncio.Task[None] | None = None
        self._sending: set[asyncio.Future[None]] = set()  # local changes on their way out
        self._remote = False
        self.doc.observe(self._on_local_change)

    async def connect(self, wait_synced: bool = True) -> "YClient":
        self.ws = await websockets.connect(self.url, max_size=None, additional_headers=self.headers)
        self._task = asyncio.create_task(self._run())
        try:
            await self.ws.send(encode_sync_step1(self.doc.get_state()))
        except websockets.ConnectionClosed:
            pass  # refused straight away; wait_closed() tells the code
        if wait_synced:
            await asyncio.wait_for(self.synced.wait(), 5)
            if self.role is None:  # asked only for a link that works: no failed attempt
                self.role = await _role_of(self.url)
        return self

    async def _run(self) -> None:
        try:
            async for frame in self.ws:
                self.frames.append(frame)
                self._handle(frame)
                self._wake()
        except websockets.ConnectionClosed:
            pass
        finally:
            if self.ws.close_code is not None:
                self.close_code = self.ws.close_code
                self.close_reason = self.ws.close_reason or ""
            self._wake()

    def _wake(self) -> None:
        for waiting in self._waiting:
            if not waiting.done():
                waiting.set_result(None)

    def _handle(self, frame: bytes) -> None:
        msg = parse_message(frame)
        if isinstance(msg, SyncMessage):
            if msg.kind == 0:
                asyncio.ensure_future(
                    self.ws.send(encode_sync_step2(self.doc.get_update(msg.payload)))
                )
            else:
                self._remote = True
                try:
                    self.doc.apply_update(msg.payload)
                finally:
                    self._remote = False
                if msg.kind == 1:
                    self._answers += 1
                    self.synced.set()
        elif isinstance(msg, AwarenessMessage):
            for e in msg.entries:
                state = json.loads(e.state)
                if state is None:
                    self.awareness.pop(e.client_id, None)
                else:
                    self.awareness[e.client_id] = state

    def _on_local_change(self, event: Any) -> None:
        if not self._remote and self.ws is not None and self.ws.state.name == "OPEN":
            sending = asyncio.ensure_future(self.ws.send(encode_update(event.update)))
            self._sending.add(sending)
            sending.add_done_callback(self._sending.discard)

    @property
    def notes(self) -> Map:
        return self.doc.get("notes", type=Map)

    def add_note(self, note_id: str, text: str, zone: str = "zorgen", **extra: Any) -> None:
        fields = {
            "text": text,
            "zone": zone,
            "x": 0.1,
            "y": 0.1,
            "createdAt": time.time() * 1000,
            **extra,
        }
        if self.role and "role" not in fields:
            fields["role"] = self.role
        self.notes[note_id] = Map(fields)

    def note_texts(self) -> dict[str, str]:
        return {k: v.get("text") for k, v in self.notes.to_py().items()}

    async def set_awareness(self, client_id: int, clock: int, state: dict[str, Any] | None) -> None:
        text = json.dumps(state, ensure_ascii=False)
        await self.ws.send(encode_awareness([AwarenessEntry(client_id, clock, text)]))

    async def send_raw(self, data: bytes | str) -> None:
        await self.ws.send(data)

    async def roundtrip(self, timeout: float = 5.0) -> bool:
        """Send what this client changed, then a sync step 1, and wait for the server's answer
        (True) or for the server to close the connection (False). The server handles a
        device's messages in order and answers once what came before is stored: afterwards
        every change sent before was kept or refused, and whatever the server sent this
        client before the answer has arrived."""
        if self._sending:  # (shielded: a caller cancelled here must not cancel the sends,
            # or a change this client holds would never reach the server)
            await asyncio.gather(*map(asyncio.shield, self._sending), return_exceptions=True)
        answers = self._answers
        try:
            await self.ws.send(encode_sync_step1(self.doc.get_state()))
        except websockets.ConnectionClosed:
            pass
        assert self._task is not None
        await self.wait_for(lambda: self._answers > answers or self._task.done(), timeout)
        return self._answers > answers

    async def wait_for(self, predicate: Any, timeout: float = 5.0) -> None:
        """Until predicate() is true: checked whenever a frame arrives, and every 10 ms (it
        may depend on more than this client)."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + timeout
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("condition not reached in time")
            woken = loop.create_future()
            timer = loop.call_later(min(left, 0.01), _wake, woken)
            self._waiting.add(woken)
            try:
                await woken
            finally:
                timer.cancel()
                self._waiting.discard(woken)

    async def wait_closed(self, timeout: float = 5.0) -> int | None:
        assert self._task is not None
        await asyncio.wait_for(self._task, timeout)
        return self.close_code

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._task is not None:
            await asyncio.wait_for(self._task, 5)
