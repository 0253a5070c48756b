"""Attacks on who may do what (issue 13's access model), against the real server.

The attackers: a curious professional in the living room (with the professional's link, a
phone that scans the TV, and a look at everyone's screen), a stranger on the same Wi-Fi (who
gets the room's code, or nothing), and another website the facilitator or the family tablet
visits (which can make their browser send requests, with its cookies, but reads no answer).
Every test tries one way in and checks what the server answers, over HTTP and the WebSocket;
docs/architecture.md, "Access", lists what was tried.
"""

import base64
import itertools
import json
import re
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher
from starlette.routing import Route

from board.boards import BOARDS
from server import closecodes
from server.accounts import SESSION_COOKIE, accounts_of
from server.app import create_app
from server.config import Config
from server.devices import MAX_LABEL, MAX_WAITING, MAX_WAITING_PER_ADDRESS, WAIT_SECONDS
from tests.conftest import LiveServer, _serve
from tests.serverprocess import free_port
from tests.yclient import YClient

ELSEWHERE = "https://elders.example"
NOTE = "Opa-Henk-haalt-Sem-op-GEHEIM"  # a note the family writes
RELATION = "tante-van-moederskant-GEHEIM"  # a person the family adds
SECRETS = (NOTE, RELATION)
PASSWORD = "paardenbloem-42"
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')
CONFIG = re.compile(r'<script type="application/json" id="nb-config">(.*?)</script>')


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveServer]:
    """The real server. Wrong keys are not slowed down here (tests/test_no_store_and_throttle.py
    covers that): every answer below is the answer to the key that was tried."""
    async for server in _server(tmp_path):
        yield server


async def _server(tmp_path: Path, **settings: object) -> AsyncIterator[LiveServer]:
    config = Config(data_dir=tmp_path / "data", auth_failure_burst=1_000_000, **settings)  # type: ignore[arg-type]
    port = free_port()
    app = create_app(config)
    server, task = await _serve(app, port, config)
    server_ = LiveServer(f"http://127.0.0.1:{port}", config, app, server, task)
    # argon2id with less work per hash: this 2-core machine runs other tests too
    accounts_of(app.state).hasher = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    try:
        yield server_
    finally:
        if not server_.task.done():
            await server_.stop()


class Browser:
    """One browser: its own cookie jar; requests carry our Origin unless told otherwise."""

    def __init__(self, live: LiveServer) -> None:
        self.live = live
        self.http = httpx.AsyncClient(base_url=live.base, follow_redirects=False, timeout=10)

    async def get(self, path: str, **kw) -> httpx.Response:  # type: ignore[no-untyped-def]
        return await self.http.get(path, **kw)

    async def follow(self, path: str) -> httpx.Response:
        r = await self.http.get(path)
        while r.status_code in (302, 303, 307):
            r = await self.http.get(r.headers["location"])
        return r

    async def post(
        self,
        path: str,
        *,
        data: object = None,
        json_body: object = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {"Origin": self.live.base} if headers is None else headers
        return await self.http.post(path, data=data, json=json_body, headers=sent)  # type: ignore[arg-type]

    def key(self, meeting_id: str) -> str | None:
        return self.http.cookies.get(f"nb_{meeting_id}")

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.http.cookies.jar)

    def ws(
        self,
        meeting_id: str,
        board: str,
        query: str = "",
        origin: str | None = None,
        role: str = "familie",
    ) -> YClient:
        """A WebSocket with this browser's cookies; `role` goes on the notes it writes."""
        headers = {"Cookie": self.cookie_header, "Origin": origin or self.live.base}
        url = f"{self.live.ws_base}/{meeting_id}/{board}{query}"
        return YClient(url, role=role, headers=headers)

    async def login(self, name: str, password: str = PASSWORD) -> httpx.Response:
        form = await self.get("/inloggen")
        token = CSRF.search(form.text)[1]  # type: ignore[index]
        return await self.post(
            "/inloggen",
            data={"csrftoken": token, "gebruikersnaam": name, "wachtwoord": password},
        )


@pytest.fixture
async def browsers(live: LiveServer) -> AsyncIterator[Callable[[], Browser]]:
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(live))
        return made[-1]

    yield make
    for b in made:
        await b.http.aclose()


def config_of(page: httpx.Response) -> dict:
    found = CONFIG.search(page.text)
    assert found, page.text[:300]
    return json.loads(found.group(1))


async def refused(client: YClient) -> int | None:
    """The close code of a WebSocket the server should refuse."""
    await client.connect(wait_synced=False)
    return await client.wait_closed()


async def meeting_with_secrets(live: LiveServer, title: str = "Netwerkberaad De Vries") -> dict:
    """A meeting where the family wrote a note and added a person."""
    m = await live.create_meeting(title)
    family = await YClient(
        live.ws_url(m["id"], "drieluik", m["tokens"]["familie"]), role="familie"
    ).connect()
    family.add_note("n1", NOTE)
    assert await family.roundtrip()
    await family.close()
    person = await live.post(
        f"/api/meetings/{m['id']}/participants",
        m["tokens"]["familie"],
        {"name": "Eva", "relation": RELATION},
    )
    assert person.status_code == 201
    return m


async def room_path(live: LiveServer, m: dict) -> str:
    r = await live.get(f"/api/meetings/{m['id']}/admissions", m["tokens"]["facilitator"])
    return r.json()["room"]["link"].removeprefix(live.base)


async def waiting_ids(live: LiveServer, m: dict) -> list[str]:
    r = await live.get(f"/api/meetings/{m['id']}/admissions", m["tokens"]["facilitator"])
    return [w["device"] for w in r.json()["waiting"]]


async def decide(live: LiveServer, m: dict, device: str, body: dict) -> httpx.Response:
    return await live.post(
        f"/api/meetings/{m['id']}/admissions/{device}", m["tokens"]["facilitator"], body
    )


async def state_of(live: LiveServer, m: dict) -> dict:
    r = await live.get(f"/api/meetings/{m['id']}", m["tokens"]["facilitator"])
    assert r.status_code == 200, r.text
    return r.json()


def every_call(app: object, meeting_id: str, key: str) -> Iterator[tuple[str, str]]:
    """(method, path) for every HTTP route, its parameters filled in with this meeting, this
    key (for a {token} or a {code}) and every board."""
    values = {
        "meeting_id": [meeting_id],
        "board_id": list(BOARDS),
        "role": ["familie"],
        "device": ["dnobody"],
    }
    for route in app.routes:  # type: ignore[attr-defined]
        if not isinstance(route, Route) or route.path in ("/", "/api/meetings"):
            continue  # making a meeting needs no key
        names = list(route.param_convertors)
        for combination in itertools.product(*(values.get(n, [key]) for n in names)):
            path = route.path_format.format(**dict(zip(names, combination, strict=True)))
            yield from (
                (method, path) for method in sorted(route.methods or ()) if method != "HEAD"
            )


# Fields every state-changing route looks for: whatever a route would do with them, we see.
BODY = {
    "name": "Indringer",
    "relation": "niemand",
    "closed": True,
    "finished": True,
    "open": True,
    "ask": False,
    "role": "familie",
    "participant": "p1",
    "agree": True,
    "board": "drieluik",
    "locked": True,
    "action": "start",
    "minutes": 1,
    "move": "next",
}


async def sweep(live: LiveServer, m: dict, browser: Browser, key: str) -> dict[str, int]:
    """Every route and every board, with `key` as this browser's cookie, as a bearer token
    and as ?token=, and the WebSocket with the cookie and with ?token=. Returns what each
    answered; fails on a secret of the meeting in any answer or frame, or on any change."""
    mid = m["id"]
    before = await state_of(live, m)
    answers: dict[str, int] = {}
    for method, path in every_call(live.app, mid, key):
        for how in ("cookie", "bearer", "query"):
            headers = {"Origin": live.base}
            if how == "bearer":
                headers["Authorization"] = f"Bearer {key}"
            r = await browser.http.request(
                method,
                path,
                headers=headers,
                params={"token": key} if how == "query" else None,
                json=BODY if method == "POST" else None,
            )
            text = r.text + "".join(f"{k}: {v}" for k, v in r.headers.items())
            assert not [s for s in SECRETS if s in text], (how, method, path, r.status_code)
            answers[f"{how} {method} {path}"] = r.status_code
    for board in BOARDS:
        for client in (browser.ws(mid, board), YClient(live.ws_url(mid, board, key))):
            code = await refused(client)
            assert not [s for s in SECRETS if s.encode() in b"".join(client.frames)], board
            answers[f"ws {board}"] = code or 0
    after = await state_of(live, m)
    assert after == before
    people = await live.get(f"/api/meetings/{mid}/boards/verloop", m["tokens"]["facilitator"])
    assert "Indringer" not in people.text
    return answers


def opened(answers: dict[str, int]) -> list[str]:
    """The calls on the meeting's own pages, API and boards that did not refuse."""
    return [
        call
        for call, status in answers.items()
        if ("/m/" in call or "/api/meetings/" in call or call.startswith("ws "))
        and status < 300
        or call.startswith("ws ")
        and status not in (closecodes.UNAUTHORIZED, closecodes.FORBIDDEN)
    ]


# --- another website, with the cookie the browser holds ---------------------------------------


async def test_another_site_cannot_use_a_devices_cookie(live, browsers):
    m = await meeting_with_secrets(live)
    mid = m["id"]
    tablet, laptop = browsers(), browsers()
    await tablet.follow(f"/j/{m['tokens']['familie']}")
    await laptop.follow(f"/j/{m['tokens']['facilitator']}")
    port = live.base.rsplit(":", 1)[1]
    forged = [
        {"Origin": ELSEWHERE},
        {"Origin": f"http://127.0.0.1:{int(port) + 1}"},  # another server on the same machine
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},  # a sandboxed frame, a data: page
        {"Origin": "null", "Sec-Fetch-Site": "same-site"},
        {"Origin": "null"},
    ]
    before = await state_of(live, m)
    for headers in forged:
        for path, body in (
            (f"/api/meetings/{mid}/participants", {"name": "Indringer"}),
            (f"/api/meetings/{mid}/consent", {"participant": "p1", "agree": True}),
        ):
            assert (await tablet.post(path, json_body=body, headers=headers)).status_code == 403
        # a form with enctype text/plain can carry JSON: the Origin is what stops it
        r = await tablet.http.post(
            f"/api/meetings/{mid}/participants",
            content=b'{"name": "Indringer", "x": "="}',
            headers={**headers, "content-type": "text/plain"},
        )
        assert r.status_code == 403
        for path, body in (
            (f"/api/meetings/{mid}/closed", {"closed": True}),
            (f"/api/meetings/{mid}/finish", {"finished": True}),
            (f"/api/meetings/{mid}/tokens/familie", {}),
            (f"/api/meetings/{mid}/tokens/familie/ask", {"ask": True}),
            (f"/api/meetings/{mid}/share", {}),
            (f"/api/meetings/{mid}/room", {}),
        ):
            assert (await laptop.post(path, json_body=body, headers=headers)).status_code == 403
        r = await laptop.http.delete(f"/api/meetings/{mid}", headers=headers)
        assert r.status_code == 403
        # the WebSocket from another page: refused, whatever Origin it says
        for board in ("drieluik", "verloop"):
            code = await refused(tablet.ws(mid, board, origin=headers["Origin"]))
            assert code == closecodes.UNAUTHORIZED
    assert await state_of(live, m) == before
    # Reading with the cookie works from our pages; no answer says another site may read it.
    r = await tablet.get(f"/api/meetings/{mid}/export.json", headers={"Origin": ELSEWHERE})
    assert "access-control-allow-origin" not in r.headers
    assert "access-control-allow-credentials" not in r.headers
    # The room's door, posted to from another site: it sets no cookie, and the tablet keeps
    # its own key.
    door = await room_path(live, m)
    for headers in forged:
        r = await tablet.post(door, data={"name": "Indringer"}, headers=headers)
        assert r.status_code == 403 and "set-cookie" not in r.headers
    assert await waiting_ids(live, m) == []
    assert config_of(await tablet.get(f"/m/{mid}"))["role"] == "familie"


async def test_a_page_of_our_host_over_plain_http_is_not_ours_when_we_are_https(tmp_path):
    """Someone on the same Wi-Fi can answer for http://<our host> (no TLS there) and put a
    page there that posts to us over https. Its Origin names our host, with http."""
    async for live in _server(tmp_path, https_only=True):
        m = await meeting_with_secrets(live)
        mid = m["id"]
        tablet, phone = Browser(live), Browser(live)
        r = await tablet.get(f"/j/{m['tokens']['familie']}", headers={"X-Forwarded-Proto": "https"})
        assert "secure" in r.headers["set-cookie"].lower()
        host = live.base.removeprefix("http://")
        cookie = f"nb_{mid}={r.cookies[f'nb_{mid}']}"  # a Secure cookie: sent by hand here
        for origin, expected in ((f"http://{host}", 403), (f"https://{host}", 201)):
            r = await tablet.http.post(
                f"/api/meetings/{mid}/participants",
                json={"name": "Oom Piet"},
                headers={"Origin": origin, "Cookie": cookie, "X-Forwarded-Proto": "https"},
            )
            assert r.status_code == expected, origin
            door = await room_path(live, m)
            r = await phone.http.post(
                door,
                data={"name": "Oom Piet"},
                headers={"Origin": origin, "X-Forwarded-Proto": "https"},
            )
            assert r.status_code == (403 if expected == 403 else 303), origin
        url = f"{live.ws_base}/{mid}/drieluik"
        plain = YClient(url, headers={"Cookie": cookie, "Origin": f"http://{host}"})
        assert await refused(plain) == closecodes.UNAUTHORIZED
        ours = await YClient(
            url, role="familie", headers={"Cookie": cookie, "Origin": f"https://{host}"}
        ).connect()
        assert NOTE in ours.note_texts().values()
        await ours.close()
        for b in (tablet, phone):
            await b.http.aclose()


# --- keys that open nothing -------------------------------------------------------------------


async def test_a_waiting_refused_expired_or_removed_key_opens_nothing(live, browsers):
    m = await meeting_with_secrets(live)
    mid, fac = m["id"], m["tokens"]["facilitator"]
    door = await room_path(live, m)
    phone = browsers()
    assert (await phone.post(door, data={"name": "Buurman"})).status_code == 303
    key = phone.key(mid)
    assert key
    answers = await sweep(live, m, phone, key)
    assert not opened(answers)
    assert answers[f"cookie GET /m/{mid}"] == 303  # back to the door, to wait
    [device] = await waiting_ids(live, m)
    assert (await decide(live, m, device, {"refuse": True})).status_code == 200
    assert not opened(await sweep(live, m, phone, key))
    assert "niet binnengelaten" in (await phone.get(door)).text
    # A refused request cannot be let in afterwards.
    assert (await decide(live, m, device, {"role": "familie"})).status_code == 404

    # A request nobody answered in time: out of the list, its key opens nothing, and it can no
    # longer be let in (the phone was told it was not).
    late = browsers()
    await late.post(door, data={"name": "Laatkomer"})
    [device] = await waiting_ids(live, m)
    live.app.state.store.set_device(mid, device, created_at=time.time() - WAIT_SECONDS - 1)
    assert await waiting_ids(live, m) == []
    assert "niet binnengelaten" in (await late.get(door)).text
    assert (await decide(live, m, device, {"role": "familie"})).status_code == 404
    assert not opened(await sweep(live, m, late, late.key(mid)))  # type: ignore[arg-type]

    # A removed laptop, by its key, on every route and board.
    laptop = browsers()
    await laptop.follow(f"/j/{m['tokens']['professional']}")
    laptop_device = config_of(await laptop.get(f"/m/{mid}"))["device"]
    key = laptop.key(mid)
    r = await live.post(f"/api/meetings/{mid}/devices/{laptop_device}/remove", fac, {})
    assert r.status_code == 200
    answers = await sweep(live, m, laptop, key)  # type: ignore[arg-type]
    assert not opened(answers)
    # It cannot come back in through the room's door either, with this browser.
    r = await laptop.get(door)
    assert r.status_code == 403 and "uit de bijeenkomst gehaald" in r.text
    assert (await laptop.post(door, data={"name": "Oma Wiëbe"})).status_code == 403
    assert await waiting_ids(live, m) == []


async def test_a_key_of_one_meeting_opens_nothing_in_another(live, browsers):
    a = await live.create_meeting("Netwerkberaad familie Jansen")
    b = await meeting_with_secrets(live)
    laptop = browsers()
    await laptop.follow(f"/j/{a['tokens']['facilitator']}")
    key = laptop.key(a["id"])
    assert key
    laptop.http.cookies.set(f"nb_{b['id']}", key, domain="127.0.0.1")
    answers = await sweep(live, b, laptop, key)
    assert not opened(answers)
    assert (await laptop.get(f"/m/{b['id']}")).status_code == 403
    # Meeting A is still the laptop's.
    assert config_of(await laptop.get(f"/m/{a['id']}"))["role"] == "facilitator"


# --- the TV's view ----------------------------------------------------------------------------


async def test_only_the_facilitator_and_the_tv_get_the_tvs_view(live, browsers):
    m = await meeting_with_secrets(live)
    mid = m["id"]
    door = await room_path(live, m)
    for role in ("facilitator", "familie", "professional", "scherm"):
        by_link = browsers()
        await by_link.follow(f"/j/{m['tokens'][role]}")
        by_door = browsers()
        if role != "facilitator":
            await by_door.post(door, data={"name": f"Toestel {role}"})
            [device] = await waiting_ids(live, m)
            assert (await decide(live, m, device, {"role": role})).status_code == 200
        may = role in ("facilitator", "scherm")
        for browser in (by_link, by_door) if role != "facilitator" else (by_link,):
            page = await browser.get(f"/m/{mid}/scherm")
            assert page.status_code == (200 if may else 403), role
            client = browser.ws(mid, "drieluik", query="?as=scherm")
            if may:
                await client.connect()
                client.add_note("tv1", "Het scherm schrijft niet", role="scherm")
                assert await client.roundtrip()
                await client.close()
            else:
                assert await refused(client) == closecodes.FORBIDDEN, role
        direct = YClient(live.ws_url(mid, "drieluik", m["tokens"][role]) + "&as=scherm")
        if may:
            await direct.connect()
            await direct.close()
        else:
            assert await refused(direct) == closecodes.FORBIDDEN, role
    reader = await YClient(live.ws_url(mid, "drieluik", m["tokens"]["familie"])).connect()
    assert set(reader.note_texts().values()) == {NOTE}  # nothing the TV view sent was kept
    await reader.close()


# --- a facilitator's login --------------------------------------------------------------------


async def test_a_login_opens_only_the_meetings_its_user_leads(live, browsers):
    accounts_of(live.app.state).add("anna", PASSWORD)
    other = await meeting_with_secrets(live)  # made with the admin API: Anna leads nothing
    laptop = browsers()
    assert (await laptop.login("anna")).status_code == 303
    assert SESSION_COOKIE in laptop.http.cookies
    for path in (f"/m/{other['id']}", f"/m/{other['id']}/scherm", f"/m/{other['id']}/tekst"):
        r = await laptop.get(path)
        assert r.status_code == 403 and "set-cookie" not in r.headers, path
    assert (await laptop.get(f"/mijn/{other['id']}")).status_code == 404
    assert (await laptop.get(f"/api/meetings/{other['id']}")).status_code == 401
    assert await refused(laptop.ws(other["id"], "verloop")) == closecodes.UNAUTHORIZED
    # Adding herself as a facilitator of it, with a valid form of her own.
    form = await laptop.get("/mijn")
    token = CSRF.search(form.text)[1]  # type: ignore[index]
    r = await laptop.post(
        f"/mijn/{other['id']}/gespreksleiders", data={"csrftoken": token, "gebruikersnaam": "anna"}
    )
    assert r.status_code == 404
    assert not live.app.state.store.is_facilitator(other["id"], 1)


async def test_logging_out_ends_the_facilitators_devices_in_that_browser(live, browsers):
    """A shared computer at the office: after "Uitloggen" the next person who opens the
    meeting from the history gets no console."""
    accounts_of(live.app.state).add("anna", PASSWORD)
    office = browsers()
    await office.login("anna")
    form = await office.get("/mijn")
    token = CSRF.search(form.text)[1]  # type: ignore[index]
    r = await office.post("/mijn", data={"csrftoken": token, "title": "Familie De Vries"})
    mid = r.headers["location"].rsplit("/", 1)[1]
    assert config_of(await office.get(f"/m/{mid}"))["role"] == "facilitator"
    key = office.key(mid)
    console = await office.ws(mid, "verloop").connect()
    tablet = browsers()  # a device that came in otherwise is not touched
    links = (await office.get(f"/api/meetings/{mid}/links")).json()["links"]
    await tablet.follow(links["familie"]["link"].removeprefix(live.base))
    form = await office.get("/mijn")
    token = CSRF.search(form.text)[1]  # type: ignore[index]
    r = await office.post("/uitloggen", data={"csrftoken": token})
    assert r.status_code == 303
    assert await console.wait_closed() == closecodes.UNAUTHORIZED
    assert office.key(mid) is None  # the cookie is gone from this browser
    assert (await office.get(f"/m/{mid}")).status_code == 403
    # and the key, had it been copied, opens nothing
    r = await office.get(f"/api/meetings/{mid}", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 401
    assert config_of(await tablet.get(f"/m/{mid}"))["role"] == "familie"
    # Logging in again opens the meeting again.
    await office.login("anna")
    assert config_of(await office.get(f"/m/{mid}"))["role"] == "facilitator"


@pytest.mark.parametrize("how", ["reset", "remove"])
async def test_a_password_reset_or_removal_ends_the_users_devices(live, browsers, how):
    """A stolen laptop: the operator resets Anna's password (or removes her); the laptop's
    sessions end, and so do the devices her login gave it."""
    accounts = accounts_of(live.app.state)
    accounts.add("anna", PASSWORD)
    laptop = browsers()
    await laptop.login("anna")
    form = await laptop.get("/mijn")
    token = CSRF.search(form.text)[1]  # type: ignore[index]
    r = await laptop.post("/mijn", data={"csrftoken": token, "title": "Familie De Vries"})
    mid = r.headers["location"].rsplit("/", 1)[1]
    assert config_of(await laptop.get(f"/m/{mid}"))["role"] == "facilitator"
    links = (await laptop.get(f"/api/meetings/{mid}/links")).json()["links"]
    tablet = browsers()
    await tablet.follow(links["familie"]["link"].removeprefix(live.base))
    if how == "reset":
        assert accounts.reset("anna", "een-nieuw-wachtwoord")
    else:
        assert accounts.remove("anna")
    assert (await laptop.get(f"/m/{mid}")).status_code == 403
    assert (await laptop.get(f"/api/meetings/{mid}/devices")).status_code == 401
    assert await refused(laptop.ws(mid, "verloop")) == closecodes.UNAUTHORIZED
    assert config_of(await tablet.get(f"/m/{mid}"))["role"] == "familie"
    if how == "reset":  # with the new password, the console is back
        await laptop.login("anna", "een-nieuw-wachtwoord")
        assert config_of(await laptop.get(f"/m/{mid}"))["role"] == "facilitator"


async def test_no_session_to_fix_or_forge_and_no_login_from_another_site(live, browsers):
    accounts = accounts_of(live.app.state)
    accounts.add("anna", PASSWORD)
    accounts.add("mallory", PASSWORD)
    annas = await meeting_with_secrets(live)
    live.app.state.store.add_facilitator(annas["id"], accounts.find("anna").id)
    # Before logging in a browser holds no session that could be fixed in advance.
    anna = browsers()
    await anna.get("/inloggen")
    assert SESSION_COOKIE not in anna.http.cookies
    assert (await anna.login("anna")).status_code == 303
    # Mallory rewrites her own signed session to say she is Anna: it is no session at all.
    mallory = browsers()
    await mallory.login("mallory")
    payload, *signature = mallory.http.cookies[SESSION_COOKIE].split(".")
    session = json.loads(base64.b64decode(payload + "=" * (-len(payload) % 4)))
    assert session["name"] == "mallory"
    session.update(uid=accounts.find("anna").id, name="anna")
    forged = base64.b64encode(json.dumps(session).encode()).decode()
    mallory.http.cookies.set(SESSION_COOKIE, ".".join([forged, *signature]), domain="127.0.0.1")
    r = await mallory.get("/mijn")
    assert r.status_code == 303 and r.headers["location"].startswith("/inloggen")
    r = await mallory.get(f"/m/{annas['id']}")
    assert r.status_code == 403 and "set-cookie" not in r.headers
    assert config_of(await anna.get(f"/m/{annas['id']}"))["role"] == "facilitator"
    # Login CSRF: another site posts Mallory's name and password into a victim's browser,
    # with a form token Mallory got for herself.
    victim = browsers()
    await victim.get("/inloggen")  # the victim has a CSRF cookie of her own
    form = await browsers().get("/inloggen")
    token = CSRF.search(form.text)[1]  # type: ignore[index]
    for headers in ({"Origin": ELSEWHERE}, {"Origin": "null", "Sec-Fetch-Site": "cross-site"}):
        r = await victim.post(
            "/inloggen",
            data={"csrftoken": token, "gebruikersnaam": "mallory", "wachtwoord": PASSWORD},
            headers=headers,
        )
        assert r.status_code == 403 and SESSION_COOKIE not in victim.http.cookies


# --- links set to "ask me first" --------------------------------------------------------------


async def test_an_ask_first_link_opens_nothing_by_any_route(live, browsers):
    m = await meeting_with_secrets(live)
    mid, fac, link = m["id"], m["tokens"]["facilitator"], m["tokens"]["familie"]
    tablet = browsers()  # came in with the link before: a device of its own
    await tablet.follow(f"/j/{link}")
    # An outside client using the link directly, before the facilitator sets it to ask.
    direct = await YClient(live.ws_url(mid, "drieluik", link), role="familie").connect()
    anonymous = await YClient(live.ws_url(mid, "verloop", link)).connect()
    r = await live.post(f"/api/meetings/{mid}/tokens/familie/ask", fac, {"ask": True})
    assert r.status_code == 200
    # Those direct connections end with it: the link opens nothing any more.
    assert await direct.wait_closed() == closecodes.UNAUTHORIZED
    assert await anonymous.wait_closed() == closecodes.UNAUTHORIZED
    assert (await live.get(f"/api/meetings/{mid}", link)).status_code == 401
    assert (await live.get(f"/api/meetings/{mid}?token={link}")).status_code == 401
    assert (await live.get(f"/api/meetings/{mid}/export.json", link)).status_code == 401
    for board in BOARDS:
        assert await refused(YClient(live.ws_url(mid, board, link))) == closecodes.UNAUTHORIZED
    for path in (f"/j/{link}/plan", f"/j/{link}/tekst"):
        r = await live.get(path)
        assert r.status_code == 404 and NOTE not in r.text, path
    cousin = browsers()
    r = await cousin.get(f"/j/{link}")
    assert r.status_code == 303 and "/binnen/" in r.headers["location"]
    assert cousin.key(mid) is None
    # The tablet keeps its own key; the facilitator removes it if it should go.
    assert config_of(await tablet.get(f"/m/{mid}"))["role"] == "familie"
    # Asking again does not cut the devices that came in with their own key.
    client = await tablet.ws(mid, "drieluik").connect()
    await live.post(f"/api/meetings/{mid}/tokens/familie/ask", fac, {"ask": True})
    client.add_note("n2", "De tablet schrijft door")
    assert await client.roundtrip() and client.close_code is None
    await client.close()


# --- what the pages hold ----------------------------------------------------------------------


async def test_no_page_holds_a_token_or_its_own_key(live, browsers):
    m = await live.create_meeting()
    mid = m["id"]
    door = await room_path(live, m)
    tv = browsers()  # a TV let in through the door
    await tv.post(door, data={"name": "Televisie"})
    [device] = await waiting_ids(live, m)
    await decide(live, m, device, {"role": "scherm"})
    pages = [(tv, f"/m/{mid}"), (tv, f"/m/{mid}/scherm")]
    for role in m["tokens"]:
        b = browsers()
        await b.follow(f"/j/{m['tokens'][role]}")
        pages += [(b, f"/m/{mid}"), (b, f"/m/{mid}/tekst")]
        if role == "facilitator":
            pages.append((b, f"/m/{mid}/scherm"))
    for browser, path in pages:
        page = await browser.get(path)
        assert page.status_code == 200, path
        key = browser.key(mid)
        assert key and key not in page.text, path
        for token in m["tokens"].values():
            assert token not in page.text, path
        if "/tekst" not in path:
            cfg = config_of(page)
            assert "token" not in cfg and "key" not in cfg
            if cfg["role"] == "scherm":  # the TV shows the room's door, which opens nothing
                assert set(cfg["admission"]) == {"link", "qr"}
                assert "/binnen/" in cfg["admission"]["link"]


# --- presence ---------------------------------------------------------------------------------


async def test_presence_ids_are_the_devices_own_across_boards(live, browsers):
    m = await live.create_meeting()
    mid = m["id"]
    tablet, laptop = browsers(), browsers()
    await tablet.follow(f"/j/{m['tokens']['familie']}")
    await laptop.follow(f"/j/{m['tokens']['professional']}")
    on_tablet = await tablet.ws(mid, "drieluik").connect()
    await on_tablet.set_awareness(4242, 1, {"user": {"name": "Oma Wiëbe", "role": "familie"}})
    assert await on_tablet.roundtrip()
    # The laptop, on another board, announces itself with the tablet's presence id.
    on_laptop = await laptop.ws(mid, "verloop").connect()
    watcher = await tablet.ws(mid, "verloop").connect()
    await on_laptop.set_awareness(4242, 7, {"user": {"name": "Oma Wiëbe", "role": "familie"}})
    await on_laptop.set_awareness(77, 1, {"user": {"name": "Meneer Jansen", "role": "familie"}})
    await watcher.wait_for(lambda: 77 in watcher.awareness)
    assert 4242 not in watcher.awareness
    assert watcher.awareness[77]["user"]["role"] == "professional"
    # A state that is not {"user": {...}} claims nobody: it is relayed as sent, role-less.
    await on_laptop.set_awareness(78, 1, {"role": "familie", "user": "Oma Wiëbe"})
    await watcher.wait_for(lambda: 78 in watcher.awareness)
    assert watcher.awareness[78] == {"role": "familie", "user": "Oma Wiëbe"}
    for c in (on_tablet, on_laptop, watcher):
        await c.close()


# --- the room's door --------------------------------------------------------------------------


async def test_the_door_is_bounded_per_address_and_per_meeting(live, browsers):
    m = await live.create_meeting()
    door = await room_path(live, m)

    async def ask(address: str, name: str = "Iemand") -> int:
        b = browsers()
        headers = {"Origin": live.base, "X-Forwarded-For": address}
        return (await b.post(door, data={"name": name}, headers=headers)).status_code

    # A home's IPv6 /64 counts as one address.
    statuses = [await ask(f"2001:db8:0:1::{i}") for i in range(MAX_WAITING_PER_ADDRESS + 1)]
    assert statuses == [303] * MAX_WAITING_PER_ADDRESS + [429]
    # Per meeting, from many addresses.
    for i in range(MAX_WAITING - MAX_WAITING_PER_ADDRESS):
        assert await ask(f"10.0.{i}.1") == 303
    assert await ask("10.9.9.9") == 429
    assert len(await waiting_ids(live, m)) == MAX_WAITING
    # One browser asking twice is one request.
    fac = m["tokens"]["facilitator"]
    await live.post(f"/api/meetings/{m['id']}/room", fac, {})  # refuses all, a new code
    assert await waiting_ids(live, m) == []
    assert (await live.get(door)).status_code == 404  # the old QR leads nowhere
    door = await room_path(live, m)
    twice = browsers()
    for _ in range(3):
        assert (await twice.post(door, data={"name": "Neef Daan"})).status_code == 303
    assert len(await waiting_ids(live, m)) == 1
    # Requests nobody answered are forgotten: they no longer fill the list.
    for device in await waiting_ids(live, m):
        old = time.time() - WAIT_SECONDS - 1
        live.app.state.store.set_device(m["id"], device, created_at=old)
    assert await waiting_ids(live, m) == []


async def test_names_at_the_door_are_plain_and_short(live, browsers):
    m = await live.create_meeting()
    door = await room_path(live, m)

    async def label_after(name: object, files: dict | None = None) -> tuple[int, list[str]]:
        b = browsers()
        if files is not None:
            r = await b.http.post(door, files=files, headers={"Origin": live.base})
        else:
            r = await b.post(door, data={"name": name})
        assert "traceback" not in r.text.lower()
        r2 = await live.get(f"/api/meetings/{m['id']}/admissions", m["tokens"]["facilitator"])
        labels = [w["label"] for w in r2.json()["waiting"]]
        for device in await waiting_ids(live, m):
            await decide(live, m, device, {"refuse": True})
        return r.status_code, labels

    assert (await label_after("x" * (MAX_LABEL + 1)))[0] == 400
    assert (await label_after("x" * 200_000))[0] in (400, 413)
    assert (await label_after("   "))[0] == 400
    # Only invisible characters: no name.
    assert (await label_after("\u200b\u202e\u2066\x00\x07"))[0] == 400
    # Line breaks, control and direction characters go; the rest of the name stays.
    status, labels = await label_after("Tante\nFatima\x00\u202e \u2066")
    assert status == 303 and labels == ["Tante Fatima"]
    status, labels = await label_after("<script>alert(1)</script>")
    assert status == 303 and labels == ["<script>alert(1)</script>"]
    b = browsers()
    await b.post(door, data={"name": "<b>Oom</b>"})
    page = await b.get(door)
    assert "<b>Oom</b>" not in page.text and "&lt;b&gt;Oom&lt;/b&gt;" in page.text
    for device in await waiting_ids(live, m):
        await decide(live, m, device, {"refuse": True})
    # A file where the name should be is no name.
    status, labels = await label_after(None, files={"name": ("naam.txt", b"Oom Piet")})
    assert status == 400 and labels == []
    # Bytes that are not UTF-8 do not break the door.
    r = await browsers().http.post(
        door,
        content=b"name=%FF%FEOom",
        headers={"Origin": live.base, "content-type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code in (303, 400)


# --- the closed part and the door -------------------------------------------------------------


async def test_a_phone_let_in_as_professional_during_the_closed_part_gets_nothing(live, browsers):
    m = await meeting_with_secrets(live)
    mid, fac = m["id"], m["tokens"]["facilitator"]
    door = await room_path(live, m)
    early = browsers()  # let in before the closed part, connected when it starts
    await early.post(door, data={"name": "Jeugdbeschermer"})
    [device] = await waiting_ids(live, m)
    await decide(live, m, device, {"role": "professional"})
    on_course = await early.ws(mid, "verloop").connect()
    assert (await live.post(f"/api/meetings/{mid}/closed", fac, {"closed": True})).is_success
    assert await on_course.wait_closed() == closecodes.FORBIDDEN
    phone = browsers()
    await phone.post(door, data={"name": "Meneer Jansen"})
    [device] = await waiting_ids(live, m)
    assert (await decide(live, m, device, {"role": "professional"})).status_code == 200
    page = await phone.get(f"/m/{mid}")
    assert page.status_code == 200 and config_of(page)["role"] == "professional"
    for browser in (phone, early):
        for board in BOARDS:
            client = browser.ws(mid, board)
            if board == "stand":  # the waiting screen's: the step and the time, nothing else
                await client.connect()
                await client.close()
            else:
                assert await refused(client) == closecodes.FORBIDDEN, board
            assert NOTE.encode() not in b"".join(client.frames)
        for path in (
            f"/m/{mid}/tekst",
            f"/m/{mid}/plan",
            f"/api/meetings/{mid}/export.json",
            f"/api/meetings/{mid}/export.txt",
            f"/api/meetings/{mid}/boards/verloop",
            f"/api/meetings/{mid}/boards/drieluik",
            f"/api/meetings/{mid}/boards/drieluik.svg",
        ):
            r = await browser.get(path)
            assert not [s for s in SECRETS if s in r.text], path
        assert (await browser.get(f"/api/meetings/{mid}/export.json")).status_code == 403


# --- downloads and caching --------------------------------------------------------------------


async def test_downloads_with_the_cookie_alone(live, browsers):
    m = await meeting_with_secrets(live)
    mid = m["id"]
    tablet, stranger = browsers(), browsers()
    await tablet.follow(f"/j/{m['tokens']['familie']}")
    for path in ("export.json", "export.md", "export.txt", "boards/drieluik.svg"):
        r = await tablet.get(f"/api/meetings/{mid}/{path}")
        assert r.status_code == 200 and NOTE in r.text, path
        assert r.headers["cache-control"] == "no-store"
        r = await stranger.get(f"/api/meetings/{mid}/{path}")
        assert r.status_code == 401 and NOTE not in r.text, path


async def test_the_new_pages_are_not_stored(live, browsers):
    accounts_of(live.app.state).add("anna", PASSWORD)
    m = await meeting_with_secrets(live)
    mid = m["id"]
    door = await room_path(live, m)
    phone, laptop, anna = browsers(), browsers(), browsers()
    answers = [
        await phone.get(door),
        await phone.get(f"{door}/qr.svg"),
        await phone.post(door, data={"name": ""}),
        await phone.post(door, data={"name": "Oom"}, headers={"Origin": ELSEWHERE}),
        await phone.post(door, data={"name": "Oom"}),
        await phone.get(door),
        await phone.get(f"/m/{mid}"),
        await laptop.get(f"/j/{m['tokens']['facilitator']}"),
    ]
    for path in ("", "/scherm", "/tekst", "/plan"):
        answers.append(await laptop.get(f"/m/{mid}{path}"))
    answers += [
        await laptop.get(f"/api/meetings/{mid}/admissions"),
        await laptop.get(f"/api/meetings/{mid}/links"),
        await anna.get("/inloggen"),
        await anna.login("anna"),
        await anna.get("/mijn"),
        await live.get("/binnen/onbekend"),
    ]
    for r in answers:
        assert r.headers.get("cache-control") == "no-store", (r.request.url, r.status_code)
