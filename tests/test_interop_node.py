"""Interop with the stock y-websocket WebsocketProvider (run by Node): a browser client and
our Python client must see each other's notes and awareness through the server."""

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from tests.yclient import YClient

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "tests" / "node" / "provider_client.mjs"

pytestmark = pytest.mark.skipif(
    shutil.which("node") is None or not (ROOT / "node_modules" / "y-websocket").is_dir(),
    reason="needs `node` and `npm install` (node_modules/y-websocket)",
)

PY_CLIENT_ID = 424242  # the awareness client id the Python client speaks for


async def start_node(
    live_server, meeting: dict, board: str, **config
) -> asyncio.subprocess.Process:
    """Start provider_client.mjs against the live server, as the familie."""
    config = {
        "serverUrl": live_server.ws_base,
        "room": f"{meeting['id']}/{board}",
        "token": meeting["tokens"]["familie"],
        "timeoutMs": 8000,
        **config,
    }
    return await asyncio.create_subprocess_exec(
        "node",
        str(SCRIPT),
        json.dumps(config),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )


async def read_result(proc: asyncio.subprocess.Process) -> dict:
    """The one JSON line the Node client prints; fails with its stderr if there is none."""
    line = await asyncio.wait_for(proc.stdout.readline(), 15)
    if not line:
        await proc.wait()
        stderr = (await proc.stderr.read()).decode()
        pytest.fail(f"node client exited {proc.returncode} without a result:\n{stderr}")
    return json.loads(line)


async def finish(proc: asyncio.subprocess.Process) -> str:
    """Wait for the Node client to exit; assert exit code 0 and return its stderr."""
    _, stderr = await asyncio.wait_for(proc.communicate(), 15)
    text = stderr.decode()
    assert proc.returncode == 0, text
    return text


async def test_notes_converge_both_ways(live_server):
    m = await live_server.create_meeting()
    py = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"]), role="familie"
    ).connect()
    await converge_both_ways(live_server, m, py)


async def converge_both_ways(server, m: dict, py: YClient) -> None:
    """The stock client (on `server`: anything with a ws_base) writes a note, `py` (on
    the same meeting's drieluik, anywhere) writes one back: both end with both."""
    node = await start_node(
        server,
        m,
        "drieluik",
        noteId="node-1",
        text="Oma Wiëbe komt elke woensdag",
        waitForNoteId="py-1",
        awareness={"name": "Aïsha"},
    )
    try:
        # Node -> Python
        await py.wait_for(
            lambda: py.note_texts().get("node-1") == "Oma Wiëbe komt elke woensdag", timeout=10
        )
        note = py.notes["node-1"].to_py()
        assert note["zone"] == "zorgen" and isinstance(note["createdAt"], float)
        # Python -> Node
        py.add_note("py-1", "Aïsha haalt de kinderen op", zone="wensen")
        result = await read_result(node)
        assert result["notes"] == {
            "node-1": "Oma Wiëbe komt elke woensdag",
            "py-1": "Aïsha haalt de kinderen op",
        }
        await finish(node)
        assert py.note_texts() == result["notes"]
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
        await py.close()


def _named(state: dict, name: str) -> bool:
    """The presence of `name`, with the role the server sets in every state (test_devices)."""
    user = state.get("user") or {}
    return user.get("name") == name and user.get("role") == "familie"


async def test_awareness_both_ways_and_removed_on_disconnect(live_server):
    m = await live_server.create_meeting()
    py = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"]), role="familie"
    ).connect()
    await py.set_awareness(PY_CLIENT_ID, 1, {"user": {"name": "Eliëtte"}})
    node = await start_node(
        live_server,
        m,
        "drieluik",
        awareness={"name": "Aïsha"},
        waitForAwareness=True,
        holdOpen=True,
    )
    try:
        # Python -> Node: the Python client's state, with the exact name.
        result = await read_result(node)
        assert [s["user"]["name"] for s in result["awareness"]] == ["Eliëtte"]
        # Node -> Python
        await py.wait_for(
            lambda: any(_named(s, "Aïsha") for s in py.awareness.values()),
            timeout=5,
        )
        node_ids = [cid for cid, s in py.awareness.items() if _named(s, "Aïsha")]
        assert len(node_ids) == 1 and node_ids[0] != PY_CLIENT_ID
        # Node destroys its provider and exits: its entry disappears promptly.
        node.stdin.close()
        stderr = await finish(node)
        await py.wait_for(lambda: node_ids[0] not in py.awareness)
        assert '"local":true' in stderr  # the provider closed the connection itself
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
        await py.close()


async def test_awareness_removed_when_node_is_killed(live_server):
    """A client that vanishes without saying goodbye (kill -9: no awareness removal sent)
    is still removed at once: the server drops the departed connection's awareness."""
    m = await live_server.create_meeting()
    py = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"]), role="familie"
    ).connect()
    node = await start_node(live_server, m, "drieluik", awareness={"name": "Aïsha"}, holdOpen=True)
    try:
        await read_result(node)
        await py.wait_for(
            lambda: any(_named(s, "Aïsha") for s in py.awareness.values()),
            timeout=5,
        )
        node.kill()
        await node.wait()
        await py.wait_for(
            lambda: not any(_named(s, "Aïsha") for s in py.awareness.values()),
            timeout=2,
        )
    finally:
        if node.returncode is None:
            node.kill()
            await node.wait()
        await py.close()


async def test_bad_token_stops_the_stock_provider(live_server):
    """A revoked or wrong link closes with 4401; the stock provider then gives up at once
    instead of reconnecting forever."""
    m = await live_server.create_meeting()
    node = await start_node(live_server, m, "drieluik", token="niet-geldig")
    _, stderr = await asyncio.wait_for(node.communicate(), 15)
    assert node.returncode == 1
    assert '"code":4401' in stderr.decode() and "closed for good" in stderr.decode()
