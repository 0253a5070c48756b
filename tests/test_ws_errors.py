"""Bad input closes only the offending connection, with a clear code; the room carries on."""

import pytest

from server import closecodes
from tests.yclient import YClient


async def refused_with(url: str) -> tuple[int, str]:
    client = YClient(url)
    await client.connect(wait_synced=False)
    await client.wait_closed()
    return client.close_code, client.close_reason


@pytest.fixture(params=["live_server", "asgi_live_server"])
def any_server(request):
    """Both ways the endpoint is served: our uvicorn protocol, and plain ASGI."""
    return request.getfixturevalue(request.param)


async def test_tokens_and_boards_are_checked(any_server):
    live_server = any_server
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    assert (await refused_with(live_server.ws_url(mid, "drieluik", None)))[0] == 4401
    assert (await refused_with(live_server.ws_url(mid, "drieluik", "vervalst")))[0] == 4401
    forged = tok["familie"][:-2] + ("AA" if not tok["familie"].endswith("AA") else "BB")
    assert (await refused_with(live_server.ws_url(mid, "drieluik", forged)))[0] == 4401
    assert (await refused_with(live_server.ws_url("0" * 32, "drieluik", tok["familie"])))[0] == 4401
    code, reason = await refused_with(live_server.ws_url(mid, "geheim", tok["familie"]))
    assert code == closecodes.NOT_FOUND and reason == "Onbekend bord"


@pytest.mark.parametrize(
    "frame, code",
    [
        ("hallo", closecodes.UNSUPPORTED_DATA),
        (b"\x00\x02\x10abc", closecodes.PROTOCOL_ERROR),  # truncated update
        (b"\x00\x02\x05\xff\xff\xff\xff\xff", closecodes.PROTOCOL_ERROR),  # not a Yjs update
        (b"\x00\x00\x03\xff\xff\xff", closecodes.PROTOCOL_ERROR),  # not a state vector
        (b"\x01\x06\x01\x07\x01\x03{x}", closecodes.PROTOCOL_ERROR),  # awareness not JSON
        (b"\x07", closecodes.PROTOCOL_ERROR),  # unknown message type
        (b"\x00\x02" + b"\x00" * 65_600, closecodes.TOO_BIG),  # over max_message_bytes
        (b"\x00\x02" + b"\x00" * 200_000, closecodes.TOO_BIG),  # refused from its header
    ],
)
async def test_bad_frame_closes_only_that_connection(any_server, frame, code):
    live_server = any_server
    m = await live_server.create_meeting()
    url = live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
    a = await YClient(url).connect()
    b = await YClient(url).connect()
    a.add_note("n1", "Voor de fout")
    await b.wait_for(lambda: "n1" in b.note_texts())

    bad = await YClient(url).connect()
    await bad.send_raw(frame)
    assert await bad.wait_closed() == code
    assert "Traceback" not in bad.close_reason and bad.close_reason

    a.add_note("n2", "Na de fout")
    await b.wait_for(lambda: b.note_texts().get("n2") == "Na de fout")
    late = await YClient(url).connect()
    assert late.note_texts() == {"n1": "Voor de fout", "n2": "Na de fout"}
    for c in (a, b, late):
        await c.close()


async def test_unknown_http_routes_and_bad_json_get_clear_errors(live_server):
    import httpx

    async with httpx.AsyncClient() as http:
        r = await http.post(f"{live_server.base}/api/meetings", content=b"{niet json")
        assert r.status_code == 400 and "error" in r.json()
        r = await http.post(f"{live_server.base}/api/meetings", json={"title": ""})
        assert r.status_code == 400
        r = await http.get(f"{live_server.base}/api/bestaat-niet")
        assert r.status_code == 404 and r.json()["error"]
        r = await http.get(f"{live_server.base}/j/vervalst")
        assert r.status_code == 404 and "werkt niet" in r.text
