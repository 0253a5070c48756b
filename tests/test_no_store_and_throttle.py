"""Issue 13, item 5: nothing of a meeting stays in a browser's or a proxy's cache, and the
throttle of invalid links slows the wrong links only, never a valid one."""

import httpx

from server import closecodes
from tests.yclient import YClient


async def test_pages_exports_and_api_answers_are_not_stored(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    share = (await live_server.post(f"/api/meetings/{mid}/share", tok["facilitator"], {})).json()
    family = {"authorization": f"Bearer {tok['familie']}"}
    carrying = [
        (f"/j/{tok['familie']}", {}),
        (f"/j/{tok['familie']}/tekst", {}),
        (f"/j/{tok['familie']}/plan", {}),
        (f"/j/{tok['familie']}/qr.svg", {}),
        (share["link"].replace(live_server.base, ""), {}),
        (f"/m/{mid}", {}),
        (f"/api/meetings/{mid}", family),
        (f"/api/meetings/{mid}/boards/drieluik", family),
        (f"/api/meetings/{mid}/boards/verloop", family),
        (f"/api/meetings/{mid}/boards/drieluik.svg", family),
        (f"/api/meetings/{mid}/export.json", family),
        (f"/api/meetings/{mid}/export.md", family),
        (f"/api/meetings/{mid}/export.txt", family),
        (f"/api/meetings/{mid}", {}),  # an error
        ("/j/vervalst", {}),
        ("/openapi.json", {}),
        ("/", {}),
    ]
    async with httpx.AsyncClient(base_url=live_server.base) as http:
        for path, headers in carrying:
            r = await http.get(path, headers=headers)
            assert r.headers.get("cache-control") == "no-store", (path, r.status_code)
        # The static files may be cached (no meeting in them); the service worker is checked
        # for a new version on every load.
        for path in ("/static/css/base.css", "/static/build/app.js", "/favicon.ico"):
            r = await http.get(path)
            assert r.status_code == 200 and "no-store" not in r.headers.get("cache-control", "")
        assert (await http.get("/sw.js")).headers["cache-control"] == "no-cache"


async def test_25_wrong_links_from_one_address_do_not_lock_out_a_valid_one(live_server):
    """A family behind one router: one device keeps trying a stale link, the others go on."""
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    async with httpx.AsyncClient(base_url=live_server.base) as http:
        statuses = [(await http.get(f"/j/oude-link-{i}")).status_code for i in range(25)]
        assert statuses[:20] == [404] * 20  # the allowance (Config.auth_failure_burst)
        assert set(statuses[20:]) == {429}  # then the wrong links wait
        api = [
            (
                await http.get(
                    f"/api/meetings/{mid}", headers={"authorization": f"Bearer fout-{i}"}
                )
            ).status_code
            for i in range(5)
        ]
        assert api == [429] * 5
        # A valid link from the same address is answered as always, page and API.
        page = await http.get(f"/j/{tok['familie']}", follow_redirects=True)
        assert page.status_code == 200
        r = await http.get(
            f"/api/meetings/{mid}", headers={"authorization": f"Bearer {tok['familie']}"}
        )
        assert r.status_code == 200 and r.json()["role"] == "familie"

    # The same over the WebSocket: wrong links wait (4529), a valid one joins.
    for i in range(25):
        wrong = YClient(live_server.ws_url(mid, "drieluik", f"oude-link-{i}"))
        await wrong.connect(wait_synced=False)
        assert await wrong.wait_closed() == closecodes.RATE_LIMITED
    valid = await YClient(
        live_server.ws_url(mid, "drieluik", tok["familie"]), role="familie"
    ).connect()
    valid.add_note("n1", "Oma is er ook")
    assert await valid.roundtrip() and valid.close_code is None
    await valid.close()


async def test_wrong_websocket_links_alone_do_not_lock_out_a_valid_one(live_server):
    m = await live_server.create_meeting()
    mid, tok = m["id"], m["tokens"]
    codes = []
    for i in range(25):
        wrong = YClient(live_server.ws_url(mid, "verloop", f"geraden-{i}"))
        await wrong.connect(wait_synced=False)
        codes.append(await wrong.wait_closed())
    assert codes[:20] == [closecodes.UNAUTHORIZED] * 20
    assert set(codes[20:]) == {closecodes.RATE_LIMITED}
    valid = await YClient(live_server.ws_url(mid, "verloop", tok["scherm"])).connect()
    assert valid.close_code is None
    await valid.close()
    async with httpx.AsyncClient(base_url=live_server.base) as http:
        r = await http.get(
            f"/api/meetings/{mid}", headers={"authorization": f"Bearer {tok['scherm']}"}
        )
        assert r.status_code == 200
