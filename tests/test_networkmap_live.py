"""The meeting's people, the ecogram, sociogram and genogram against a live server, over real
WebSockets (tests/yclient.py): the same permissions as every board, nothing of them for a
professional during the closed part (not over the WebSocket, not over HTTP, not in an export
or a picture), and the server keeps nothing outside the boards' shape (board/schema.py)."""

from pycrdt import Map

from server import closecodes
from tests.yclient import YClient

NETWORK = ("mensen", "ecogram", "sociogram", "genogram")
SECRET = "Tante-Eva-neemt-Sem-in-huis-MARKER"


async def connect(live, m, board: str, role: str) -> YClient:
    return await YClient(live.ws_url(m["id"], board, m["tokens"][role]), role=role).connect()


async def refused_on_connect(live, m, board: str, role: str) -> int | None:
    client = YClient(live.ws_url(m["id"], board, m["tokens"][role]))
    await client.connect(wait_synced=False)
    return await client.wait_closed()


def write(client: YClient, root: str, key: str, fields: dict) -> None:
    client.doc.get(root, type=Map)[key] = Map(fields)


# A record of each network board that names the family's secret (what the family maps during
# the closed part).
def secret_records() -> dict[str, tuple[str, str, dict]]:
    return {
        "mensen": ("people", "p-eva", {"name": SECRET, "relation": "tante", "sector": "familie"}),
        "ecogram": (
            "placements",
            "kind-p-eva",
            {
                "about": "kind",
                "person": "p-eva",
                "ring": "dichtbij",
                "sector": "familie",
                "a": 0.5,
                "r": 0.5,
            },
        ),  # fmt: skip
        "sociogram": (
            "rows",
            "kind-p-eva",
            {"about": "kind", "person": "p-eva", "contact": SECRET, "steun": ["emotioneel"]},
        ),  # fmt: skip
        "genogram": (
            "members",
            "kind-p-eva",
            {"about": "kind", "person": "p-eva", "generation": "ouders", "x": 0.5},
        ),  # fmt: skip
    }


async def test_professionals_get_nothing_of_the_network_maps_in_the_closed_part(live_server):
    live = live_server
    m = await live.create_meeting("Startbespreking familie De Vries", "startbespreking")
    mid, tok = m["id"], m["tokens"]
    pro = {b: await connect(live, m, b, "professional") for b in NETWORK}
    fam = {b: await connect(live, m, b, "familie") for b in NETWORK}
    tv = {b: await connect(live, m, b, "scherm") for b in NETWORK}

    r = await live.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": True})
    assert r.json()["closed"] is True
    for board, client in pro.items():
        assert await client.wait_closed() == closecodes.FORBIDDEN, board

    # The family maps its network meanwhile; the TV in its room sees it.
    for board, (root, key, fields) in secret_records().items():
        write(fam[board], root, key, fields)
        assert await fam[board].roundtrip(), board
    await tv["mensen"].wait_for(lambda: SECRET in str(tv["mensen"].doc.get("people", type=Map)))

    # A professional, at every door: nothing.
    for board in NETWORK:
        assert await refused_on_connect(live, m, board, "professional") == closecodes.FORBIDDEN
        for path in (
            f"/api/meetings/{mid}/boards/{board}",
            f"/api/meetings/{mid}/boards/{board}.svg",
        ):
            r = await live.get(path, tok["professional"])
            assert r.status_code == 403 and "MARKER" not in r.text, path
        assert all(b"MARKER" not in f for f in pro[board].frames), board
    for ext in ("json", "md", "txt"):
        r = await live.get(f"/api/meetings/{mid}/export.{ext}", tok["professional"])
        assert r.status_code == 403 and "MARKER" not in r.text

    # The closed part ends: there it all is, named in the exports and the pictures.
    await live.post(f"/api/meetings/{mid}/closed", tok["facilitator"], {"closed": False})
    back = await connect(live, m, "sociogram", "professional")
    assert SECRET in str(back.doc.get("rows", type=Map).to_py())
    r = await live.get(f"/api/meetings/{mid}/export.md", tok["professional"])
    assert f"- Dichtbij, Familie: {SECRET} (tante)" in r.text
    picture = await live.get(f"/api/meetings/{mid}/boards/ecogram.svg", tok["professional"])
    assert picture.status_code == 200 and f">{SECRET[:21]}…<" in picture.text
    assert picture.headers["content-type"].startswith("image/svg+xml")
    export = (await live.get(f"/api/meetings/{mid}/export.json", tok["professional"])).json()
    assert export["boards"]["ecogram"]["maps"][0]["placements"][0]["person"] == "p-eva"
    assert export["boards"]["mensen"]["people"][0]["name"] == SECRET
    for client in (back, *fam.values(), *tv.values()):
        await client.close()


async def test_the_tv_reads_the_maps_and_writes_nothing(live_server):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    for board, (root, key, fields) in secret_records().items():
        tv = await connect(live_server, m, board, "scherm")
        write(tv, root, key, fields)
        await tv.roundtrip()
        r = await live_server.get(f"/api/meetings/{m['id']}/boards/{board}", m["tokens"]["scherm"])
        assert r.status_code == 200 and "p-eva" not in r.text and "MARKER" not in r.text, board
        await tv.close()


# What a device may write to each board, and what the server refuses whole (4422): a value
# outside the choices the board's layout gives, a field or map the board does not have.
REFUSED = [
    ("ecogram", "placements", {"about": "kind", "person": "p1", "ring": "heel-ver-weg"}),
    ("ecogram", "placements", {"about": "de-hond", "person": "p1", "ring": "dichtbij"}),
    ("ecogram", "placements", {"about": "kind", "person": "p1", "sector": "buren"}),
    ("ecogram", "placements", {"about": "kind", "person": "p1", "a": "links"}),
    ("ecogram", "placements", {"about": "kind", "person": "p1", "naam": "Oma"}),
    ("ecogram", "notes", {"text": "een briefje hoort hier niet", "zone": "zorgen"}),
    ("sociogram", "rows", {"about": "kind", "person": "p1", "steun": ["vliegen"]}),
    ("sociogram", "rows", {"about": "kind", "person": "p1", "contact": "x" * 1001}),
    ("genogram", "members", {"about": "kind", "person": "p1", "generation": "betovergrootouders"}),
    ("genogram", "members", {"about": "kind", "person": "p1", "overleden": "misschien"}),
    ("genogram", "relations", {"about": "kind", "a": "p1", "b": "p2", "kind": "buren"}),
    ("genogram", "relations", {"about": "kind", "a": "p1", "b": "p2", "quality": "super"}),
    ("mensen", "people", {"name": "Oma Wiëbe", "sector": "buitenaards"}),
    ("mensen", "people", {"name": "x" * 201, "sector": "familie"}),
]


async def test_the_server_keeps_nothing_outside_the_boards_shape(live_server):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    for i, (board, root, fields) in enumerate(REFUSED):
        # a device of its own each time: a device that keeps being refused is slowed down
        url = live_server.ws_url(m["id"], board, m["tokens"]["familie"]) + f"&device=tablet-{i}"
        client = await YClient(url, role="familie").connect()
        write(client, root, "r1", fields)
        assert await client.wait_closed() == closecodes.UPDATE_REFUSED, (board, fields)
        assert client.close_reason  # a sentence for the person
        r = await live_server.get(f"/api/meetings/{m['id']}/boards/{board}", m["tokens"]["familie"])
        assert "r1" not in r.text, (board, fields)
    # A nested map where a plain value belongs.
    url = live_server.ws_url(m["id"], "ecogram", m["tokens"]["familie"]) + "&device=phone"
    client = await YClient(url, role="familie").connect()
    client.doc.get("placements", type=Map)["r2"] = Map({"about": "kind", "a": Map({"x": 1})})
    assert await client.wait_closed() == closecodes.UPDATE_REFUSED
    # What fits the shape is kept.
    for board, (root, key, fields) in secret_records().items():
        client = await connect(live_server, m, board, "familie")
        write(client, root, key, fields)
        assert await client.roundtrip(), board
        r = await live_server.get(f"/api/meetings/{m['id']}/boards/{board}", m["tokens"]["familie"])
        assert "p-eva" in r.text or SECRET in r.text, board
        await client.close()
