"""Facilitator accounts: passwords, logging in, sessions, CSRF, "Mijn bijeenkomsten", the links
shown again, more facilitators, the first account and `netwerkbord user …` — against the real
server over HTTP, with cookies as a browser keeps them."""

import asyncio
import html
import io
import re
import sqlite3
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from server import accounts as accounts_module
from server import cli
from server.accounts import (
    SESSION_COOKIE,
    THROTTLED,
    WRONG,
    Accounts,
    accounts_of,
    offer_first_account,
)
from server.app import create_app
from server.config import Config
from server.store import Store
from tests.conftest import LiveServer, _serve
from tests.serverprocess import ServerProcess, free_port

PASSWORD = "paardenbloem-42"
# Argon2id as in use, with less work per hash: this 2-core machine runs other tests too.
# test_passwords_are_stored_as_argon2id_hashes checks the real parameters.
LIGHT = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


async def _server(tmp_path: Path, **settings: object) -> AsyncIterator[LiveServer]:
    config = Config(data_dir=tmp_path / "data", **settings)  # type: ignore[arg-type]
    port = free_port()
    app = create_app(config)
    server, task = await _serve(app, port, config)
    live = LiveServer(f"http://127.0.0.1:{port}", config, app, server, task)
    accounts_of(app.state).hasher = LIGHT
    try:
        yield live
    finally:
        if not live.task.done():
            await live.stop()


@pytest.fixture
async def live(tmp_path: Path) -> AsyncIterator[LiveServer]:
    async for server in _server(tmp_path, login_name_failure_burst=3):
        yield server


class Browser:
    """One browser: its own cookies."""

    def __init__(self, live: LiveServer) -> None:
        self.http = httpx.AsyncClient(base_url=live.base, follow_redirects=False, timeout=10)

    async def close(self) -> None:
        await self.http.aclose()

    async def get(self, path: str) -> httpx.Response:
        return await self.http.get(path)

    async def submit(self, page: str, action: str | None = None, **fields: str) -> httpx.Response:
        """Open `page`, then send its form (to `action`) with the page's CSRF token."""
        opened = await self.http.get(page)
        assert opened.status_code == 200, (page, opened.status_code)
        hidden = dict(HIDDEN.findall(opened.text))  # the CSRF token, where to go next
        assert "csrftoken" in hidden, page
        data = {k: html.unescape(v) for k, v in hidden.items()}
        return await self.http.post(action or page, data={**data, **fields})

    async def login(self, name: str, password: str = PASSWORD) -> httpx.Response:
        return await self.submit("/inloggen", gebruikersnaam=name, wachtwoord=password)

    async def new_meeting(self, title: str) -> str:
        r = await self.submit("/mijn", title=title, script="familienetwerkberaad")
        assert r.status_code == 303, r.text
        meeting_id = r.headers["location"].rsplit("/", 1)[1]
        assert r.headers["location"].endswith(f"/mijn/{meeting_id}")
        return meeting_id

    @property
    def logged_in(self) -> bool:
        return SESSION_COOKIE in self.http.cookies


@pytest.fixture
async def browsers(live: LiveServer) -> AsyncIterator[Callable[[], Browser]]:
    made: list[Browser] = []

    def make() -> Browser:
        made.append(Browser(live))
        return made[-1]

    yield make
    await asyncio.gather(*(b.close() for b in made))


def accounts(live: LiveServer):  # type: ignore[no-untyped-def]
    return accounts_of(live.app.state)


def set_clock(live: LiveServer, offset: float) -> None:
    """Sessions and the login throttle see the time as now + offset seconds."""
    accounts(live).clock = lambda: time.time() + offset
    accounts(live).throttle_clock = lambda: time.monotonic() + offset


# --- passwords and logging in ---------------------------------------------------------------


async def test_passwords_are_stored_as_argon2id_hashes(live, browsers):
    accounts(live).hasher = PasswordHasher()  # the defaults, as in use
    accounts(live).add("Anna", PASSWORD)
    assert (await browsers().login("anna")).status_code == 303
    db = sqlite3.connect(live.config.database_path)
    (name, stored), *_ = db.execute("SELECT username, password_hash FROM users").fetchall()
    db.close()
    assert name == "anna"  # names are matched without regard to case
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")  # argon2-cffi's defaults
    files = b"".join(p.read_bytes() for p in live.config.data_dir.glob("netwerkbord.db*"))
    assert PASSWORD.encode() not in files


async def test_log_in_and_out(live, browsers):
    accounts(live).add("anna", PASSWORD)
    b = browsers()
    r = await b.login(" Anna ", PASSWORD)
    assert r.status_code == 303 and r.headers["location"] == "/mijn"
    page = await b.get("/mijn")
    assert page.status_code == 200 and "Ingelogd als <strong>anna</strong>" in page.text
    r = await b.submit("/mijn", "/uitloggen")
    assert r.status_code == 303 and r.headers["location"] == "/inloggen?uitgelogd=1"
    assert not b.logged_in
    assert (await b.get("/inloggen?uitgelogd=1")).text.count("Je bent uitgelogd") == 1
    r = await b.get("/mijn")
    assert r.status_code == 303 and r.headers["location"].startswith("/inloggen?volgende=/mijn")


async def test_login_goes_back_only_to_a_page_of_this_server(live, browsers):
    accounts(live).add("anna", PASSWORD)
    for asked, landed in (("/mijn/abc", "/mijn/abc"), ("//elders.example/x", "/mijn")):
        b = browsers()
        r = await b.submit(
            f"/inloggen?volgende={asked}", "/inloggen", gebruikersnaam="anna", wachtwoord=PASSWORD
        )
        assert r.headers["location"] == landed


async def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(live, browsers):
    accounts(live).add("anna", PASSWORD)
    wrong = await browsers().login("anna", "verkeerd-wachtwoord")
    unknown = await browsers().login("niemand", "verkeerd-wachtwoord")
    assert wrong.status_code == unknown.status_code == 200
    assert WRONG in wrong.text and WRONG in unknown.text
    strip = re.compile(r'value="[^"]*"')  # the CSRF token and the typed name differ
    assert strip.sub("", wrong.text) == strip.sub("", unknown.text)
    assert SESSION_COOKIE not in wrong.headers.get("set-cookie", "")


async def test_wrong_passwords_are_throttled_per_user_name(live, browsers):
    accounts(live).add("anna", PASSWORD)
    accounts(live).add("bram", PASSWORD)
    b = browsers()
    for _ in range(3):  # login_name_failure_burst
        assert (await b.login("anna", "geraden-wachtwoord")).status_code == 200
    refused = await b.login("anna", PASSWORD)  # even the right one: it is not looked at
    assert refused.status_code == 429 and THROTTLED in refused.text
    assert int(refused.headers["retry-after"]) > 0
    assert not b.logged_in
    assert (await browsers().login("ANNA", PASSWORD)).status_code == 429  # the name, any case
    assert (await browsers().login("bram", PASSWORD)).status_code == 303  # others log in
    set_clock(live, 60)  # a minute later one attempt is allowed again (2 per minute)
    assert (await b.login("anna", PASSWORD)).status_code == 303


async def test_wrong_passwords_are_throttled_per_address(tmp_path):
    async for live in _server(tmp_path, login_address_failure_burst=4):
        accounts(live).add("anna", PASSWORD)
        b = Browser(live)
        for n in range(4):  # a different name each time: only the address adds up
            assert (await b.login(f"gast{n}", "geraden-wachtwoord")).status_code == 200
        r = await b.login("anna", PASSWORD)
        assert r.status_code == 429 and THROTTLED in r.text
        await b.close()


# --- sessions -------------------------------------------------------------------------------


async def test_a_session_ends_after_its_lifetime_counted_from_the_login(live, browsers):
    accounts(live).add("anna", PASSWORD)
    b = browsers()
    await b.login("anna")
    set_clock(live, 12 * 3600 - 60)  # in use all the time: still counts from the login
    assert (await b.get("/mijn")).status_code == 200
    set_clock(live, 12 * 3600 + 1)
    r = await b.get("/mijn")
    assert r.status_code == 303 and r.headers["location"].startswith("/inloggen")
    assert "nb_sessie=null; path=/; expires=Thu, 01 Jan 1970" in r.headers["set-cookie"]
    assert (await b.login("anna")).status_code == 303  # a new login counts from now
    assert (await b.get("/mijn")).status_code == 200


async def test_a_password_reset_ends_every_session_of_the_user(live, browsers, light_cli):
    accounts(live).add("anna", PASSWORD)
    laptop, tablet = browsers(), browsers()
    await laptop.login("anna")
    await tablet.login("anna")
    # The operator resets the password from the command line (another process would do the
    # same to the database; here: another connection to it).
    run_cli(
        ["user", "reset", "anna", "--password-stdin", "--data", str(live.config.data_dir)],
        stdin="een-nieuw-wachtwoord\n",
    )
    for device in (laptop, tablet):
        assert (await device.get("/mijn")).status_code == 303
    assert (await laptop.login("anna", PASSWORD)).status_code == 200  # the old one: wrong
    assert (await laptop.login("anna", "een-nieuw-wachtwoord")).status_code == 303


async def test_a_removed_user_is_logged_out_even_if_the_name_comes_back(live, browsers):
    accounts(live).add("anna", PASSWORD)
    b = browsers()
    await b.login("anna")
    old_cookie = b.http.cookies[SESSION_COOKIE]
    assert accounts(live).remove("anna")
    assert (await b.get("/mijn")).status_code == 303
    accounts(live).add("anna", PASSWORD)  # same name, and SQLite may give the same id
    b.http.cookies.set(SESSION_COOKIE, old_cookie)
    assert (await b.get("/mijn")).status_code == 303


async def test_session_cookie_flags(live, browsers):
    accounts(live).add("anna", PASSWORD)
    r = await browsers().login("anna")
    cookie = r.headers["set-cookie"].lower()
    assert cookie.startswith("nb_sessie=")
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert f"max-age={12 * 3600}" in cookie
    assert "secure" not in cookie  # plain http in the living room: the cookie must still work


async def test_session_cookie_is_secure_when_served_over_https(tmp_path):
    async for live in _server(tmp_path, https_only=True, session_hours=2):
        accounts(live).add("anna", PASSWORD)
        b = Browser(live)
        form = await b.get("/inloggen")
        assert "; secure" in form.headers["set-cookie"].lower()  # the CSRF cookie too
        token = CSRF.search(form.text)[1]
        r = await b.http.post(  # a Secure cookie does not go over http: send it by hand
            "/inloggen",
            data={"csrftoken": token, "gebruikersnaam": "anna", "wachtwoord": PASSWORD},
            headers={"cookie": f"nb_csrf={form.cookies['nb_csrf']}"},
        )
        cookie = r.headers["set-cookie"].lower()
        assert r.status_code == 303 and "secure" in cookie and "max-age=7200" in cookie
        await b.close()


# --- CSRF -----------------------------------------------------------------------------------


async def test_forms_without_their_csrf_token_are_refused(live, browsers):
    accounts(live).add("anna", PASSWORD)
    stranger = browsers()  # no cookies at all, as a form on another site would send
    r = await stranger.http.post(
        "/inloggen", data={"gebruikersnaam": "anna", "wachtwoord": PASSWORD}
    )
    assert r.status_code == 403 and "Dit formulier kunnen we niet aannemen" in r.text
    assert r.headers["cache-control"] == "no-store"
    assert SESSION_COOKIE not in r.headers.get("set-cookie", "")

    b = browsers()
    await b.login("anna")
    for data in ({}, {"csrftoken": "geraden"}):
        r = await b.http.post("/mijn", data={"title": "Familie Aanval", **data})
        assert r.status_code == 403 and "Open de pagina opnieuw" in r.text
    r = await b.http.post("/mijn", json={"title": "Familie Aanval"})  # not a form either
    assert r.status_code == 403
    assert "data-meeting=" not in (await b.get("/mijn")).text  # no meeting was made
    # the device API is not covered: its requests carry no CSRF token
    api = await b.http.post("/api/meetings", json={"title": "Familie API"})
    assert api.status_code == 201


# --- Mijn bijeenkomsten ---------------------------------------------------------------------


async def test_mijn_lists_only_your_own_meetings(live, browsers):
    accounts(live).add("anna", PASSWORD)
    accounts(live).add("bram", PASSWORD)
    anna, bram = browsers(), browsers()
    await anna.login("anna")
    await bram.login("bram")
    ours = await anna.new_meeting("Netwerkberaad familie De Vries")
    theirs = await bram.new_meeting("Netwerkberaad familie Jansen")
    await live.create_meeting("Familie Zonder Account")  # by the API, no account

    page = (await anna.get("/mijn")).text
    assert "familie De Vries" in page and "Jansen" not in page and "Zonder Account" not in page
    assert f'href="/m/{ours}"' in page and f'href="/mijn/{ours}"' in page
    assert "FamilieNetwerkBeraad" in page and "Nog bezig" in page
    assert time.strftime("%Y") in page  # the date, in words: "30 november 2026"
    assert re.search(
        r"\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|"
        r"september|oktober|november|december) \d{4}",
        page,
    )

    other = await anna.get(f"/mijn/{theirs}")
    assert other.status_code == 404 and "Jansen" not in other.text
    assert (await anna.get("/mijn/onbekend")).status_code == 404


async def test_finished_meetings_say_so(live, browsers):
    accounts(live).add("anna", PASSWORD)
    b = browsers()
    await b.login("anna")
    meeting_id = await b.new_meeting("Familie Klaar")
    live.app.state.meetings.set_state(meeting_id, finished=True)
    assert "Afgerond" in (await b.get("/mijn")).text


async def test_the_links_shown_again_are_the_working_ones(live, browsers):
    accounts(live).add("anna", PASSWORD)
    b = browsers()
    await b.login("anna")
    meeting_id = await b.new_meeting("Familie De Vries")
    page = await b.get(f"/mijn/{meeting_id}")
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    links = dict(re.findall(r'data-role="([a-z]+)" data-link="([^"]+)"', page.text))
    assert set(links) == {"facilitator", "familie", "professional", "scherm"}
    for role, link in links.items():
        assert link.startswith(f"{live.base}/j/")
        phone = Browser(live)  # a device that got the link
        opened = await phone.http.get(link)
        assert opened.status_code in (200, 303), role
        qr = await b.get(link.removeprefix(live.base) + "/qr.svg")
        assert qr.status_code == 200 and qr.headers["content-type"].startswith("image/svg")
        assert f'src="{link.removeprefix(live.base)}/qr.svg"' in page.text
        await phone.close()
    # and again tomorrow, on another computer: the same links
    laptop = browsers()
    await laptop.login("anna")
    again = await laptop.get(f"/mijn/{meeting_id}")
    assert dict(re.findall(r'data-role="([a-z]+)" data-link="([^"]+)"', again.text)) == links


async def test_the_meeting_opens_as_facilitator_from_mijn(live, browsers):
    accounts(live).add("anna", PASSWORD)
    accounts(live).add("bram", PASSWORD)
    anna, bram = browsers(), browsers()
    await anna.login("anna")
    await bram.login("bram")
    meeting_id = await anna.new_meeting("Familie De Vries")
    opened = await anna.get(f"/m/{meeting_id}")
    assert opened.status_code == 200 and '"role": "facilitator"' in opened.text
    assert (await bram.get(f"/m/{meeting_id}")).status_code == 403  # not his meeting


async def test_another_facilitator_added_by_name_sees_the_meeting(live, browsers):
    accounts(live).add("anna", PASSWORD)
    accounts(live).add("bram", PASSWORD)
    anna, bram = browsers(), browsers()
    await anna.login("anna")
    await bram.login("bram")
    meeting_id = await anna.new_meeting("Familie De Vries")
    page, action = f"/mijn/{meeting_id}", f"/mijn/{meeting_id}/gespreksleiders"

    r = await anna.submit(page, action, gebruikersnaam="niemand")
    assert r.status_code == 400 and "Er is geen account met de naam niemand" in r.text
    assert (await bram.get(page)).status_code == 404
    r = await bram.submit("/mijn", action, gebruikersnaam="bram")  # not his: cannot add himself
    assert r.status_code == 404

    r = await anna.submit(page, action, gebruikersnaam="Bram")
    assert r.status_code == 303
    assert "bram is nu ook gespreksleider" in (await anna.get(r.headers["location"])).text
    assert "Familie De Vries" in (await bram.get("/mijn")).text
    shown = await bram.get(page)
    assert shown.status_code == 200 and "anna</li>" in shown.text and "bram (jij)" in shown.text
    r = await anna.submit(page, action, gebruikersnaam="bram")
    assert r.status_code == 200 and "bram is al gespreksleider" in r.text
    assert live.app.state.store.is_facilitator(meeting_id, accounts(live).find("bram").id)


async def test_making_a_meeting_needs_no_admin_key_when_logged_in(tmp_path):
    async for live in _server(tmp_path, admin_key="beheer-sleutel-123"):
        accounts(live).add("anna", PASSWORD)
        b = Browser(live)
        await b.login("anna")
        meeting_id = await b.new_meeting("Familie Met Sleutel")
        assert "Familie Met Sleutel" in (await b.get("/mijn")).text
        assert "Familie Met Sleutel" in (await b.get(f"/mijn/{meeting_id}")).text
        r = await b.submit("/mijn", title="   ")
        assert r.status_code == 400 and "Geef de bijeenkomst een naam" in r.text
        # the API still wants the key
        assert (await b.http.post("/api/meetings", json={"title": "x"})).status_code == 401
        await b.close()


async def test_every_account_page_says_no_store(live, browsers):
    accounts(live).add("anna", PASSWORD)
    b = browsers()
    answers = [await b.get("/inloggen"), await b.get("/mijn"), await b.login("anna")]
    meeting_id = await b.new_meeting("Familie De Vries")
    answers += [await b.get("/mijn"), await b.get(f"/mijn/{meeting_id}"), await b.get("/mijn/x")]
    answers += [await b.get("/eerste-account/onzin"), await b.get("/inloggen")]
    for r in answers:
        assert r.headers["cache-control"] == "no-store", (r.request.url, r.status_code)


async def test_the_start_page_links_to_login_and_mijn(live, browsers):
    page = (await browsers().get("/")).text
    assert re.search(r'href="[^"]*/inloggen">Inloggen</a>', page)
    assert re.search(r'href="[^"]*/mijn">Mijn bijeenkomsten</a>', page)


# --- the first account ----------------------------------------------------------------------


async def test_the_first_account_link_works_once(live, browsers):
    token = offer_first_account(live.app.state)
    first = browsers()
    assert (await first.get("/eerste-account/geraden")).status_code == 404
    page = f"/eerste-account/{token}"
    r = await first.submit(page, gebruikersnaam="anna", wachtwoord="kort", nogmaals="kort")
    assert r.status_code == 400 and "minstens 10 tekens" in r.text
    r = await first.submit(page, gebruikersnaam="anna", wachtwoord=PASSWORD, nogmaals="anders12345")
    assert r.status_code == 400 and "niet hetzelfde" in r.text
    r = await first.submit(page, gebruikersnaam="Anna", wachtwoord=PASSWORD, nogmaals=PASSWORD)
    assert r.status_code == 303 and r.headers["location"].endswith("/mijn")
    assert "Ingelogd als <strong>anna</strong>" in (await first.get("/mijn")).text
    assert (await browsers().get(page)).status_code == 404  # once
    assert (await browsers().login("anna")).status_code == 303


async def test_the_first_account_link_closes_when_an_account_is_made_otherwise(live, browsers):
    token = offer_first_account(live.app.state)
    assert (await browsers().get(f"/eerste-account/{token}")).status_code == 200
    accounts(live).add("beheer", PASSWORD)  # `netwerkbord user add` meanwhile
    assert (await browsers().get(f"/eerste-account/{token}")).status_code == 404


def test_serve_prints_a_first_account_link_on_a_fresh_install(tmp_path):
    log = tmp_path / "serve.log"
    sp = ServerProcess(tmp_path / "data", log_path=log)
    sp.start()
    try:
        # printed before the server starts listening, so it is there once it answers
        found = re.search(r"http://\S+/eerste-account/(\S+)", log.read_text())
        assert found, log.read_text()
        token = found[1]
        with httpx.Client(base_url=sp.base) as http:
            form = http.get(f"/eerste-account/{token}")
            assert form.status_code == 200 and "Het eerste account maken" in form.text
            made = http.post(
                f"/eerste-account/{token}",
                data={
                    "csrftoken": CSRF.search(form.text)[1],
                    "gebruikersnaam": "anna",
                    "wachtwoord": PASSWORD,
                    "nogmaals": PASSWORD,
                },
            )
            assert made.status_code == 303
            assert http.get(f"/eerste-account/{token}").status_code == 404
    finally:
        sp.stop()


def test_serve_prints_no_link_once_there_is_an_account(tmp_path, capsys):
    config = Config(data_dir=tmp_path / "data")
    app = create_app(config)
    link = cli.announce_first_account(app, config, "0.0.0.0", 8000)
    assert link is not None and link.startswith("http://127.0.0.1:8000/eerste-account/")
    assert link in capsys.readouterr().out
    store = Store(config.database_path)
    try:
        Accounts(store, hasher=LIGHT).add("anna", PASSWORD)
    finally:
        store.close()
    assert cli.announce_first_account(app, config, "0.0.0.0", 8000) is None
    assert "eerste-account" not in capsys.readouterr().out


# --- `netwerkbord user …` -------------------------------------------------------------------


def run_cli(args: list[str], stdin: str = "") -> tuple[str | int | None, str]:
    """cli.main with `stdin`; (its exit status or message, what it printed)."""
    import contextlib
    import sys

    out = io.StringIO()
    old_stdin = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with contextlib.redirect_stdout(out), pytest.raises(SystemExit) as stopped:
            cli.main(args)
    finally:
        sys.stdin = old_stdin
    return stopped.value.code, out.getvalue()


@pytest.fixture
def light_cli(monkeypatch):
    monkeypatch.setattr(accounts_module, "PasswordHasher", lambda: LIGHT)


def test_cli_add_list_reset_remove(tmp_path, light_cli):
    data = ["--data", str(tmp_path / "data")]
    assert run_cli(["user", "add", "Anna", "--password-stdin", *data], PASSWORD + "\n") == (
        None,
        "added anna\n",
    )
    status, _ = run_cli(["user", "add", "anna", "--password-stdin", *data], PASSWORD + "\n")
    assert status == "netwerkbord: Er is al een account met de naam anna"
    status, _ = run_cli(["user", "add", "bram", "--password-stdin", *data], "kort\n")
    assert status == "netwerkbord: Kies een wachtwoord van minstens 10 tekens"
    status, _ = run_cli(["user", "add", "met spatie", "--password-stdin", *data], PASSWORD)
    assert isinstance(status, str) and "geen spaties" in status
    run_cli(["user", "add", "bram", "--password-stdin", *data], PASSWORD)

    status, listed = run_cli(["user", "list", *data])
    assert status is None
    assert [line.split("\t")[0] for line in listed.splitlines()] == ["anna", "bram"]
    assert "0 meeting(s)" in listed

    assert (
        run_cli(["user", "reset", "anna", "--password-stdin", *data], "nieuw-wachtwoord-1")[0]
        is None
    )
    assert run_cli(["user", "reset", "niemand", "--password-stdin", *data], PASSWORD)[0] == (
        "netwerkbord: no account named 'niemand'"
    )
    assert run_cli(["user", "remove", "bram", *data])[0] is None
    assert run_cli(["user", "remove", "bram", *data])[0] == "netwerkbord: no account named 'bram'"
    assert run_cli(["user", "list", *data])[1].startswith("anna\t")

    store = Store(tmp_path / "data" / "netwerkbord.db")
    try:
        assert Accounts(store).verify("anna", "nieuw-wachtwoord-1") is not None
        assert Accounts(store).verify("anna", PASSWORD) is None
    finally:
        store.close()


def test_cli_asks_for_the_password_twice(tmp_path, monkeypatch, light_cli):
    answers = iter([PASSWORD, PASSWORD, PASSWORD, "iets-anders-12"])
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": next(answers))
    data = ["--data", str(tmp_path / "data")]
    assert run_cli(["user", "add", "anna", *data])[0] is None
    assert run_cli(["user", "add", "bram", *data])[0] == (
        "netwerkbord: De twee wachtwoorden zijn niet hetzelfde"
    )
