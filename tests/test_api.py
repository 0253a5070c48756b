"""The meeting API and the start page."""

import asyncio
import sqlite3

import httpx
import pytest
import uvicorn

from server.app import create_app
from server.config import Config
from server.wsprotocol import uvicorn_options
from tests.conftest import LiveServer, free_port


async def test_create_meeting_returns_tokens_and_join_links(live_server):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    assert (
        set(m["tokens"]) == set(m["links"]) == {"facilitator", "familie", "professional", "scherm"}
    )
    assert len(bytes.fromhex(m["id"])) == 16  # 128 bits
    for role, token in m["tokens"].items():
        assert len(token) >= 22  # >= 128 bits of url-safe base64
        assert m["links"][role] == f"{live_server.base}/j/{token}"
    assert len(set(m["tokens"].values())) == 4


async def test_device_keys_are_stored_only_as_hashes_and_role_links_are_kept(live_server):
    import httpx

    m = await live_server.create_meeting()
    async with httpx.AsyncClient(base_url=live_server.base) as tablet:
        r = await tablet.get(f"/j/{m['tokens']['familie']}")
        key = r.cookies[f"nb_{m['id']}"]
    db = sqlite3.connect(live_server.config.database_path)
    assert (
        db.execute("SELECT count(*) FROM tokens WHERE meeting_id = ?", [m["id"]]).fetchone()[0] == 4
    )
    assert db.execute("SELECT count(*) FROM devices").fetchone()[0] == 1
    db.close()
    # The device's row is on disk (above); it does not hold the device's key. The role links
    # are kept, so that the facilitator can show them again on any device (README, "Access").
    db_bytes = b"".join(p.read_bytes() for p in live_server.config.data_dir.glob("netwerkbord.db*"))
    assert key.encode() not in db_bytes
    for token in m["tokens"].values():
        assert token.encode() in db_bytes


async def test_board_json_has_zones_notes_and_groups(live_server):
    from tests.yclient import YClient

    m = await live_server.create_meeting()
    fam = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"]), role="familie"
    ).connect()
    fam.add_note("n1", "<img src=x onerror=alert(1)>", zone="zorgen", authorName="Aïsha")
    assert await fam.roundtrip()
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/drieluik", m["tokens"]["scherm"])
    data = r.json()
    assert [z["id"] for z in data["zones"]] == ["zorgen", "plan", "wensen"]
    assert data["notes"][0]["text"] == "<img src=x onerror=alert(1)>"
    assert data["groups"] == []
    # the text view shows note text as text
    page = await live_server.get(f"/j/{m['tokens']['familie']}/tekst")
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.text and "<img src=x" not in page.text
    await fam.close()


@pytest.fixture
async def server_with_admin_key(tmp_path):
    config = Config(data_dir=tmp_path / "d", admin_key="beheer-sleutel-123")
    port = free_port()
    app = create_app(config)
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", **uvicorn_options(app)
        )
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield LiveServer(f"http://127.0.0.1:{port}", config)
    server.should_exit = True
    await task


async def test_admin_key_guards_meeting_creation(server_with_admin_key):
    s = server_with_admin_key
    async with httpx.AsyncClient() as http:
        url = f"{s.base}/api/meetings"
        assert (await http.post(url, json={"title": "x"})).status_code == 401
        r = await http.post(url, json={"title": "x"}, headers={"Authorization": "Bearer fout"})
        assert r.status_code == 401
        r = await http.post(
            url, json={"title": "x"}, headers={"Authorization": "Bearer beheer-sleutel-123"}
        )
        assert r.status_code == 201
        page = await http.get(f"{s.base}/")
        assert 'name="admin_key"' in page.text
        r = await http.post(f"{s.base}/", data={"title": "Familie Jansen", "admin_key": "fout"})
        assert r.status_code == 401 and "Beheersleutel" in r.text


async def test_start_page_creates_a_meeting_and_shows_the_links(live_server):
    async with httpx.AsyncClient() as http:
        page = await http.get(f"{live_server.base}/")
        assert "Nieuwe bijeenkomst" in page.text and "admin_key" not in page.text
        r = await http.post(f"{live_server.base}/", data={"title": "Familie De Vries"})
        assert r.status_code == 303  # post/redirect/get: a reload makes no second meeting
        r = await http.get(r.headers["location"])
        assert r.status_code == 200
        assert "Bewaar deze links" in r.text and r.text.count("/j/") >= 4
        import re

        link = re.search(r'href="(http://[^"]+/j/[^"]+)"', r.text).group(1)
        joined = await http.get(link, follow_redirects=True)
        assert joined.status_code == 200 and "Familie De Vries" in joined.text


# The OpenAPI document: generated from the routes, every route described. -----------------------


def http_routes(routes) -> set[tuple[str, str]]:
    """(METHOD, path) of every HTTP route of the app, walked here without server/openapi.py.
    HEAD comes with every GET; a mounted app without routes (the static files) is GET {path}."""
    from starlette.routing import Mount, Route

    found = set()
    for route in routes:
        if isinstance(route, Route):
            found |= {(m, route.path) for m in route.methods if m != "HEAD"}
        elif isinstance(route, Mount) and not route.routes:
            found.add(("GET", route.path + "/{path}"))
        else:
            raise AssertionError(f"a route of a new kind: {route!r}: teach openapi.py and this")
    return found


async def test_every_route_is_in_the_openapi_document(live_server):
    import re

    from server import openapi

    doc = (await live_server.get("/openapi.json")).json()
    routes = http_routes(live_server.app.routes)
    missing = sorted((m, p) for m, p in routes if m.lower() not in doc["paths"].get(p, {}))
    assert not missing, f"describe these routes in server/openapi.py OPERATIONS: {missing}"
    documented = {(m.upper(), p) for p, item in doc["paths"].items() for m in item}
    assert documented == routes  # and nothing else, no description of a route that is gone
    assert openapi.undocumented(live_server.app.routes) == ([], [])
    assert doc == openapi.document(live_server.app.routes, live_server.config.max_body_bytes)
    for path, item in doc["paths"].items():
        for method, op in item.items():
            where = (method, path)
            assert [p["name"] for p in op["parameters"]] == re.findall(r"{(\w+)}", path), where
            codes = set(op["responses"])
            assert codes & {"200", "201", "303"}, where  # 303: post/redirect/get, links
            if {"bearer": []} in op["security"] and path != "/api/meetings":
                assert {"401", "429"} <= codes, where  # a role's token: checked and throttled
            if "requestBody" in op:
                assert "413" in codes, where
            if path.startswith("/api/meetings/{meeting_id}/") and method == "post":
                assert {"400", "401", "403", "413", "429", "503"} <= codes, where


def test_a_route_without_a_description_is_reported():
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    from server import openapi

    app = create_app(Config(data_dir=None))
    extra = Route("/api/meetings/{meeting_id}/nieuw", PlainTextResponse, methods=["POST"])
    app.router.routes.append(extra)
    assert openapi.undocumented(app.routes) == ([("POST", "/api/meetings/{meeting_id}/nieuw")], [])
    assert "/api/meetings/{meeting_id}/nieuw" not in openapi.document(app.routes, 65_536)["paths"]
    app.router.routes.remove(extra)
    app.router.routes.remove(next(r for r in app.routes if getattr(r, "path", "") == "/sw.js"))
    assert openapi.undocumented(app.routes) == ([], [("GET", "/sw.js")])
