"""Who is in the room: every device its own key, admission by the room's QR code, links that
can be shown again and set to "ask me first", presence that is the device's own."""

import json
import re

import httpx

from server import closecodes
from tests.yclient import YClient


class Browser:
    """One browser: its own cookie jar, requests with our Origin as a browser sends them."""

    def __init__(self, live_server) -> None:
        self.base = live_server.base
        self.live = live_server
        self.http = httpx.AsyncClient(base_url=self.base, follow_redirects=False)

    async def open(self, path: str) -> httpx.Response:
        return await self.http.get(path)

    async def follow(self, path: str) -> httpx.Response:
        r = await self.http.get(path)
        while r.status_code in (302, 303, 307):
            r = await self.http.get(r.headers["location"])
        return r

    async def join(self, meeting: dict, role: str) -> str:
        """Open the role's link as a browser does; the device id the server gave it."""
        return config_of(await self.follow(f"/j/{meeting['tokens'][role]}"))["device"]

    async def post(self, path: str, data=None, json_body=None, origin: str | None = None):
        headers = {"Origin": origin or self.base}
        return await self.http.post(path, data=data, json=json_body, headers=headers)

    def ws(self, meeting_id: str, board: str, role: str, origin: str | None = None, extra=""):
        cookies = "; ".join(f"{k}={v}" for k, v in self.http.cookies.items())
        url = f"{self.live.ws_base}/{meeting_id}/{board}{extra}"
        return YClient(url, role, headers={"Cookie": cookies, "Origin": origin or self.base})

    async def close(self) -> None:
        await self.http.aclose()


def config_of(page: httpx.Response) -> dict:
    found = re.search(r'<script type="application/json" id="nb-config">(.*?)</script>', page.text)
    assert found, page.text[:500]
    return json.loads(found.group(1))


async def test_a_role_link_gives_the_browser_a_key_of_its_own_and_then_leaves_no_trace(
    live_server,
):
    m = await live_server.create_meeting()
    tablet = Browser(live_server)
    r = await tablet.open(f"/j/{m['tokens']['familie']}")
    assert r.status_code == 303 and r.headers["location"].endswith(f"/m/{m['id']}")
    cookie = r.headers["set-cookie"]
    assert f"nb_{m['id']}=" in cookie
    assert "httponly" in cookie.lower() and "samesite=lax" in cookie.lower()
    page = await tablet.open(f"/m/{m['id']}")
    assert page.status_code == 200
    cfg = config_of(page)
    assert cfg["role"] == "familie" and "token" not in cfg and cfg["device"].startswith("d")
    assert m["tokens"]["familie"] not in page.text
    # The device syncs with its key alone, from our own pages only.
    client = await tablet.ws(m["id"], "drieluik", "familie").connect()
    client.add_note("n1", "Oma Wiëbe komt op woensdag")
    assert await client.roundtrip()
    stranger = tablet.ws(m["id"], "drieluik", "familie", origin="http://elders.example")
    await stranger.connect(wait_synced=False)
    assert await stranger.wait_closed() == closecodes.UNAUTHORIZED
    # API calls with the cookie: reading is fine, changing needs our Origin.
    assert (await tablet.http.get(f"/api/meetings/{m['id']}/boards/drieluik")).status_code == 200
    forged = await tablet.post(
        f"/api/meetings/{m['id']}/participants",
        json_body={"name": "Iemand"},
        origin="http://elders.example",
    )
    assert forged.status_code == 403
    # Opening the link again on the same browser keeps the same device.
    again = await tablet.follow(f"/j/{m['tokens']['familie']}")
    assert config_of(again)["device"] == cfg["device"]
    await client.close()
    await tablet.close()


async def test_a_removed_device_stays_out_and_nobody_else_is_touched(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    tablet, laptop = Browser(live_server), Browser(live_server)
    tablet_device = await tablet.join(m, "familie")
    laptop_device = await laptop.join(m, "professional")
    on_tablet = await tablet.ws(m["id"], "drieluik", "familie").connect()
    on_laptop = await laptop.ws(m["id"], "drieluik", "professional").connect()
    # A client with the professional's link that says it is the tablet is not the tablet.
    impostor = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["professional"])
        + f"&device={tablet_device}"
    ).connect()
    devices = (await live_server.get(f"/api/meetings/{m['id']}/devices", fac)).json()["devices"]
    ids = {d["device"]: d for d in devices}
    assert ids[tablet_device]["role"] == "familie" and ids[tablet_device]["connected"]
    assert f"professional:{tablet_device}" in ids
    r = await live_server.post(f"/api/meetings/{m['id']}/devices/{laptop_device}/remove", fac, {})
    assert r.json()["closed"] == 1
    assert await on_laptop.wait_closed() == closecodes.UNAUTHORIZED
    # With its key, with the link again, with any device id: out.
    again = await laptop.ws(m["id"], "drieluik", "professional").connect(wait_synced=False)
    assert await again.wait_closed() == closecodes.UNAUTHORIZED
    assert (await laptop.open(f"/j/{m['tokens']['professional']}")).status_code == 403
    assert (await laptop.open(f"/m/{m['id']}")).status_code == 403
    # Removing the impostor's id does not touch the tablet either.
    await live_server.post(
        f"/api/meetings/{m['id']}/devices/professional:{tablet_device}/remove", fac, {}
    )
    assert await impostor.wait_closed() == closecodes.UNAUTHORIZED
    on_tablet.add_note("n1", "De familie schrijft gewoon door")
    assert await on_tablet.roundtrip() and on_tablet.close_code is None
    for c in (on_tablet, again):
        await c.close()
    await tablet.close()
    await laptop.close()


async def test_presence_carries_the_devices_own_role_and_id(live_server):
    m = await live_server.create_meeting()
    tablet, laptop = Browser(live_server), Browser(live_server)
    tablet_device = await tablet.join(m, "familie")
    laptop_device = await laptop.join(m, "professional")
    on_tablet = await tablet.ws(m["id"], "drieluik", "familie").connect()
    on_laptop = await laptop.ws(m["id"], "drieluik", "professional").connect()
    await on_tablet.set_awareness(111, 1, {"user": {"name": "Oma Wiëbe", "role": "familie"}})
    await on_laptop.wait_for(lambda: 111 in on_laptop.awareness)
    # The laptop claims to be the family tablet, and takes the tablet's presence id.
    await on_laptop.set_awareness(
        222, 1, {"user": {"name": "Oma Wiëbe", "role": "familie", "device": tablet_device}}
    )
    await on_laptop.set_awareness(111, 5, {"user": {"name": "Neppe oma", "role": "familie"}})
    await on_tablet.wait_for(lambda: 222 in on_tablet.awareness)
    user = on_tablet.awareness[222]["user"]
    assert user["role"] == "professional" and user["device"] == laptop_device
    newcomer = await tablet.ws(m["id"], "drieluik", "familie").connect()
    await newcomer.wait_for(lambda: {111, 222} <= set(newcomer.awareness))
    assert newcomer.awareness[111]["user"]["name"] == "Oma Wiëbe"
    assert newcomer.awareness[111]["user"]["device"] == tablet_device
    await newcomer.close()
    # After the tablet leaves, its presence id is still not the laptop's to take.
    await on_tablet.close()
    await on_laptop.wait_for(lambda: 111 not in on_laptop.awareness)
    watcher = await tablet.ws(m["id"], "drieluik", "familie").connect()
    await on_laptop.set_awareness(111, 9, {"user": {"name": "Neppe oma", "role": "familie"}})
    await on_laptop.set_awareness(223, 1, {"user": {"name": "Meneer Jansen"}})
    await watcher.wait_for(lambda: 223 in watcher.awareness)
    assert 111 not in watcher.awareness
    for c in (on_laptop, watcher):
        await c.close()
    await tablet.close()
    await laptop.close()


async def test_the_room_qr_asks_and_the_facilitator_lets_a_phone_in(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    waiting = (await live_server.get(f"/api/meetings/{m['id']}/admissions", fac)).json()
    room = waiting["room"]["link"]
    assert waiting["waiting"] == [] and "/binnen/" in room
    for token in m["tokens"].values():
        assert token not in room
    phone = Browser(live_server)
    path = room.removeprefix(live_server.base)
    asked = await phone.open(path)
    assert asked.status_code == 200 and "Vraag of ik mee mag doen" in asked.text
    # The QR code alone opens nothing.
    assert (await phone.open(f"/m/{m['id']}")).status_code == 403
    r = await phone.post(path, data={"name": "Tante Fatima"})
    assert r.status_code == 303
    assert "Even wachten, Tante Fatima" in (await phone.open(path)).text
    # Its key opens nothing while it waits.
    early = await phone.ws(m["id"], "drieluik", "familie").connect(wait_synced=False)
    assert await early.wait_closed() == closecodes.UNAUTHORIZED
    waiting = (await live_server.get(f"/api/meetings/{m['id']}/admissions", fac)).json()
    [request] = waiting["waiting"]
    assert request["label"] == "Tante Fatima"
    bad = await live_server.post(
        f"/api/meetings/{m['id']}/admissions/{request['device']}", fac, {"role": "facilitator"}
    )
    assert bad.status_code == 400
    ok = await live_server.post(
        f"/api/meetings/{m['id']}/admissions/{request['device']}", fac, {"role": "familie"}
    )
    assert ok.status_code == 200
    page = await phone.follow(path)
    assert config_of(page)["role"] == "familie"
    client = await phone.ws(m["id"], "drieluik", "familie").connect()
    client.add_note("n1", "Tante Fatima kan koken")
    assert await client.roundtrip() and client.close_code is None
    await client.close()
    # A second phone is refused: it is told so, calmly, and its key opens nothing.
    other = Browser(live_server)
    await other.post(path, data={"name": "Onbekende"})
    [request] = (await live_server.get(f"/api/meetings/{m['id']}/admissions", fac)).json()[
        "waiting"
    ]
    await live_server.post(
        f"/api/meetings/{m['id']}/admissions/{request['device']}", fac, {"refuse": True}
    )
    told = await other.open(path)
    assert "niet binnengelaten" in told.text
    assert (await other.open(f"/m/{m['id']}")).status_code == 403
    await phone.close()
    await other.close()


async def test_waiting_requests_are_bounded_per_address(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    room = (await live_server.get(f"/api/meetings/{m['id']}/admissions", fac)).json()["room"]
    path = room["link"].removeprefix(live_server.base)
    statuses = []
    for i in range(7):
        b = Browser(live_server)
        statuses.append((await b.post(path, data={"name": f"Neef {i}"})).status_code)
        await b.close()
    assert statuses[:5] == [303] * 5 and statuses[5:] == [429, 429]


async def test_links_are_shown_again_and_can_ask_first(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    links = (await live_server.get(f"/api/meetings/{m['id']}/links", fac)).json()["links"]
    assert links["familie"]["link"].endswith(f"/j/{m['tokens']['familie']}")
    assert links["familie"]["ask"] is False
    r = await live_server.post(f"/api/meetings/{m['id']}/tokens/familie/ask", fac, {"ask": True})
    assert r.json() == {"role": "familie", "ask": True}
    cousin = Browser(live_server)
    r = await cousin.open(f"/j/{m['tokens']['familie']}")
    assert r.status_code == 303 and "/binnen/" in r.headers["location"]
    assert "set-cookie" not in r.headers
    # Used directly, an "ask me first" link opens nothing either.
    direct = YClient(live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"]))
    await direct.connect(wait_synced=False)
    assert await direct.wait_closed() == closecodes.UNAUTHORIZED
    # A new link for a role: admitted devices keep their own keys.
    tablet = Browser(live_server)
    await tablet.follow(f"/j/{m['tokens']['professional']}")
    rotated = await live_server.post(f"/api/meetings/{m['id']}/tokens/professional", fac, {})
    links = (await live_server.get(f"/api/meetings/{m['id']}/links", fac)).json()["links"]
    assert links["professional"]["link"] == rotated.json()["link"]
    assert (await tablet.open(f"/m/{m['id']}")).status_code == 200
    await cousin.close()
    await tablet.close()


async def test_the_tv_opened_from_the_console_holds_no_credential(live_server):
    m = await live_server.create_meeting()
    laptop = Browser(live_server)
    await laptop.follow(f"/j/{m['tokens']['facilitator']}")
    page = await laptop.open(f"/m/{m['id']}/scherm")
    cfg = config_of(page)
    assert (
        cfg["role"] == "scherm" and cfg["as"] == "scherm" and "/binnen/" in cfg["admission"]["link"]
    )
    for token in m["tokens"].values():
        assert token not in page.text
    tv = await laptop.ws(m["id"], "drieluik", "scherm", extra="?as=scherm").connect()
    tv.add_note("n1", "Het scherm schrijft niet")
    assert await tv.roundtrip()
    reader = await YClient(
        live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
    ).connect()
    assert reader.note_texts() == {}  # the TV only reads, also on the facilitator's laptop
    await reader.close()
    await tv.close()
    # A family device cannot make itself a TV, nor open the TV's page.
    tablet = Browser(live_server)
    await tablet.follow(f"/j/{m['tokens']['familie']}")
    assert (await tablet.open(f"/m/{m['id']}/scherm")).status_code == 403
    sneaky = tablet.ws(m["id"], "drieluik", "familie", extra="?as=scherm")
    await sneaky.connect(wait_synced=False)
    assert await sneaky.wait_closed() == closecodes.FORBIDDEN
    await laptop.close()
    await tablet.close()


def test_a_request_from_another_site_is_told_apart_even_with_origin_null():
    from server.devices import same_origin

    here = {"host": "bord.local:8000"}
    assert same_origin({**here, "origin": "http://bord.local:8000"})
    assert not same_origin({**here, "origin": "https://elders.example"})
    # Our pages send no Referer, so browsers send "Origin: null" with their forms and fetches.
    assert same_origin({**here, "origin": "null", "sec-fetch-site": "same-origin"})
    assert not same_origin({**here, "origin": "null", "sec-fetch-site": "cross-site"})
    assert not same_origin({**here, "origin": "null"})
    assert same_origin(here)  # no browser at all: a client with its own cookie jar


async def test_a_link_tried_on_the_facilitators_computer_keeps_it_the_facilitators(live_server):
    m = await live_server.create_meeting()
    laptop = Browser(live_server)
    await laptop.follow(f"/j/{m['tokens']['facilitator']}")
    tried = await laptop.open(f"/j/{m['tokens']['familie']}")
    assert tried.status_code == 409 and "blijft dat" in tried.text
    assert config_of(await laptop.open(f"/m/{m['id']}"))["role"] == "facilitator"
    await laptop.close()


async def test_another_site_cannot_switch_a_family_tablet_to_another_role(live_server):
    m = await live_server.create_meeting()
    tablet = Browser(live_server)
    before = await tablet.join(m, "familie")
    # A page of another site sends the tablet to the professional's link: it asks first.
    asked = await tablet.open(f"/j/{m['tokens']['professional']}")
    assert asked.status_code == 409 and "Wil je wisselen?" in asked.text
    forged = await tablet.post(f"/j/{m['tokens']['professional']}", origin="http://elders.example")
    assert forged.status_code == 403
    cfg = config_of(await tablet.open(f"/m/{m['id']}"))
    assert cfg["role"] == "familie" and cfg["device"] == before
    # The person on the tablet says yes: a new key, the old one gone.
    yes = await tablet.post(f"/j/{m['tokens']['professional']}")
    assert yes.status_code == 303
    cfg = config_of(await tablet.follow(f"/m/{m['id']}"))
    assert cfg["role"] == "professional" and cfg["device"] != before
    await tablet.close()


async def test_the_door_names_no_family_and_an_ask_first_link_still_has_its_qr(live_server):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = m["tokens"]["facilitator"]
    room = (await live_server.get(f"/api/meetings/{m['id']}/admissions", fac)).json()["room"]
    door = await live_server.get(room["link"].removeprefix(live_server.base))
    assert door.status_code == 200 and "De Vries" not in door.text
    await live_server.post(f"/api/meetings/{m['id']}/tokens/familie/ask", fac, {"ask": True})
    links = (await live_server.get(f"/api/meetings/{m['id']}/links", fac)).json()["links"]
    qr = await live_server.get(links["familie"]["qr"].removeprefix(live_server.base))
    assert qr.status_code == 200 and qr.text.startswith("<svg")


async def test_stand_carries_no_presence(live_server):
    m = await live_server.create_meeting()
    url = live_server.ws_url(m["id"], "stand", m["tokens"]["familie"])
    family = await YClient(url, role="familie").connect()
    await family.set_awareness(501, 1, {"user": {"name": "Oma Wiëbe"}})
    watcher = await YClient(
        live_server.ws_url(m["id"], "stand", m["tokens"]["professional"]), role="professional"
    ).connect()
    assert await family.roundtrip() and await watcher.roundtrip()
    assert watcher.awareness == {}
    await family.close()
    await watcher.close()


async def test_a_role_link_lets_in_a_bounded_number_of_devices(live_server, monkeypatch):
    from server import joining

    monkeypatch.setattr(joining, "MAX_DEVICES", 3)
    m = await live_server.create_meeting()
    statuses = []
    for _ in range(4):
        b = Browser(live_server)
        statuses.append((await b.open(f"/j/{m['tokens']['familie']}")).status_code)
        await b.close()
    assert statuses == [303, 303, 303, 409]
