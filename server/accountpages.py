"""The facilitator's own pages: logging in and out, "Mijn bijeenkomsten", a meeting's links
and QR codes shown again, more facilitators for a meeting, and the first account.

| route | |
| --- | --- |
| `GET/POST /inloggen` | log in (throttled per user name and per address) |
| `POST /uitloggen` | log out |
| `GET /mijn`, `POST /mijn` | the user's meetings; make a new one (no admin key needed) |
| `GET /mijn/{meeting_id}` | its role links and QR codes, again, at any time |
| `POST /mijn/{meeting_id}/gespreksleiders` | add another facilitator by user name |
| `POST /mijn/{meeting_id}/vervolg` | a new meeting that follows on from this one |
| `GET/POST /eerste-account/{token}` | the first account, by the link `serve` prints |

`AccountLayers` wraps the app in the session cookie (Starlette's SessionMiddleware, on every
route: the meeting page /m/{meeting_id} asks who is logged in) and in CSRF protection
(asgi-csrf) for these routes' forms only: the device API and the WebSocket have their own.
Every answer here carries `Cache-Control: no-store`.
"""

import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from asgi_csrf import asgi_csrf
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from board.dates import dutch_day
from board.roles import ROLE_LABELS, ROLES
from board.scripts import SCRIPTS

from .accounts import (
    MAX_NAME,
    SESSION_COOKIE,
    THROTTLED,
    WRONG,
    AccountError,
    User,
    accounts_of,
    close_first_account,
    current_user,
    first_account_open,
    safe_next,
    session_secret,
)
from .api import MAX_TITLE, create_meeting_checked
from .devices import ACCOUNT, ACTIVE, COOKIE_PREFIX
from .followon import DEFAULT_SCRIPT as FOLLOW_ON_SCRIPT
from .followon import follow_on_checked
from .limits import client_address
from .store import Store

log = logging.getLogger("netwerkbord.accounts")

CSRF_COOKIE = "nb_csrf"
CSRF_FIELD = "csrftoken"  # asgi-csrf's form field
NO_STORE = {"Cache-Control": "no-store"}


# --- the layers: session cookie and CSRF ------------------------------------------------------


def covered(path: str) -> bool:
    """The paths whose forms carry a CSRF token (these pages)."""
    return path in ("/inloggen", "/uitloggen", "/mijn") or path.startswith(
        ("/mijn/", "/eerste-account/")
    )


class _Covered:
    """asgi-csrf's `always_protect`: checked even on a request without any cookie."""

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and covered(path)


def _back(path: str) -> str:
    """Where a refused form can be opened again."""
    if path.startswith("/mijn/"):
        return "/mijn/" + path.split("/")[2]
    if path == "/uitloggen":
        return "/mijn"
    return path


async def csrf_refused(scope: Scope, send: Send, message_id: object = None) -> None:
    """asgi-csrf's answer to a form without the right token, in Dutch."""
    request = Request(scope)
    response = _page(
        request,
        "account_message.html",
        403,
        title="Dit formulier kunnen we niet aannemen",
        text="Om je te beschermen nemen we alleen formulieren aan die je net op deze "
        "website hebt geopend. Open de pagina opnieuw en probeer het nog een keer.",
        link=_back(scope["path"]),
        link_text="Pagina opnieuw openen",
        csrf=False,
    )
    await response(scope, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.disconnect"}


class AccountLayers:
    """The session and CSRF middleware, made on the first request: the secret that signs
    both is kept in the database, which the app's lifespan opens."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.inner: ASGIApp | None = None

    def _build(self, state: Any) -> ASGIApp:
        config, store = state.config, state.store
        secret = session_secret(store)
        protected = asgi_csrf(
            self.app,
            cookie_name=CSRF_COOKIE,
            signing_secret=secret,
            always_protect=_Covered(),
            skip_if_scope=lambda scope: not covered(scope["path"]),
            cookie_secure=config.https_only,
            cookie_samesite="Strict",
            send_csrf_failed=csrf_refused,
        )
        return SessionMiddleware(
            protected,
            secret_key=secret,
            session_cookie=SESSION_COOKIE,
            max_age=max(1, int(config.session_hours * 3600)),
            same_site="strict",
            https_only=config.https_only,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        if self.inner is None:
            self.inner = self._build(scope["app"].state)
        if scope["type"] != "http" or not covered(scope["path"]):
            await self.inner(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD"):
            await self.inner(scope, receive, send)
            return
        # Our forms send a urlencoded body with an ASCII token; asgi-csrf fails on anything
        # else (it reads the body as UTF-8 and compares the token with compare_digest).
        body = await _read_body(receive) if _urlencoded(scope) else None
        if body is None or not _token_readable(body):
            await csrf_refused(scope, send)
            return
        await self.inner(scope, _replay(body, receive), send)


async def _read_body(receive: Receive) -> bytes | None:
    """The whole body (BodyLimit, outside, caps its size); None if the client went away."""
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _token_readable(body: bytes) -> bool:
    try:
        fields = parse_qsl(body.decode("utf-8"))
    except UnicodeDecodeError:
        return False
    return all(value.isascii() for name, value in fields if name == CSRF_FIELD)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # http.disconnect, when it comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


FORM = b"application/x-www-form-urlencoded"


def _urlencoded(scope: Scope) -> bool:
    for key, value in scope["headers"]:
        if key == b"content-type":
            return bool(value.split(b";")[0].strip().lower() == FORM)
    return False


# --- helpers ------------------------------------------------------------------------------


def _page(request: Request, name: str, status: int = 200, **context: Any) -> Response:
    headers = {**NO_STORE, **(context.pop("headers", None) or {})}
    if context.pop("csrf", True):
        context["csrftoken"] = request.scope[CSRF_FIELD]()
    context.setdefault("user", None)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, context, status_code=status, headers=headers)


def _redirect(url: object) -> Response:
    return RedirectResponse(str(url), status_code=303, headers=NO_STORE)


def _to_login(request: Request) -> Response:
    back = request.url.path if request.method == "GET" else "/mijn"
    return _redirect(f"{request.url_for('login').path}?volgende={back}")


def _text(form: Mapping[str, Any], field: str, limit: int) -> str:
    value = form.get(field)
    return value[:limit] if isinstance(value, str) else ""


def _not_found(request: Request, user: User) -> Response:
    return _page(
        request,
        "account_message.html",
        404,
        user=user,
        title="Deze bijeenkomst staat niet bij jouw bijeenkomsten",
        text="Misschien is de bijeenkomst verwijderd, of ben je er geen gespreksleider van. "
        "Een andere gespreksleider van de bijeenkomst kan je toevoegen.",
        link=request.url_for("mine").path,
        link_text="Naar Mijn bijeenkomsten",
    )


# --- logging in and out -------------------------------------------------------------------


async def login_form(request: Request) -> Response:
    goto = safe_next(request.query_params.get("volgende"))
    if current_user(request) is not None:
        return _redirect(goto)
    return _page(
        request,
        "account_login.html",
        volgende=goto,
        logged_out="uitgelogd" in request.query_params,
    )


async def login(request: Request) -> Response:
    form = await request.form()
    name, password = form.get("gebruikersnaam"), form.get("wachtwoord")
    goto = safe_next(form.get("volgende"))
    accounts, address = accounts_of(request.app.state), client_address(request.scope)
    typed = _text(form, "gebruikersnaam", MAX_NAME + 20)
    wait = accounts.throttled(name, address)
    if wait is not None:
        # Refused before the password is looked at: a right one now would tell a guesser.
        return _page(
            request,
            "account_login.html",
            429,
            error=THROTTLED,
            headers={"Retry-After": str(wait)},
            volgende=goto,
            username=typed,
        )
    user = await accounts.verify_async(name, password)
    if user is None:
        accounts.failed(name, address)
        return _page(request, "account_login.html", error=WRONG, volgende=goto, username=typed)
    accounts.log_in(request.session, user)
    log.info("user %d logged in", user.id)
    return _redirect(goto)


async def logout(request: Request) -> Response:
    """The session ends, and so do the device keys the login gave this browser: on a shared
    computer the next person finds no console in the history (server/devices.py)."""
    request.session.clear()
    response = _redirect(f"{request.url_for('login').path}?uitgelogd=1")
    meetings = request.app.state.meetings
    for name, key in request.cookies.items():
        if not name.startswith(COOKIE_PREFIX):
            continue
        device = meetings.devices.by_key(key, name.removeprefix(COOKIE_PREFIX))
        if device is not None and device.via == ACCOUNT and device.status == ACTIVE:
            meetings.remove_device(device.meeting_id, device.id)  # closes its connections
            response.delete_cookie(name, path="/")
    return response


# --- Mijn bijeenkomsten -------------------------------------------------------------------


def _mine_page(request: Request, user: User, status: int = 200, **context: Any) -> Response:
    meetings = [
        {
            "id": m.id,
            "title": m.title,
            "kind": SCRIPTS[m.state.script].title if m.state.script in SCRIPTS else "",
            "date": dutch_day(m.created_at),
            "finished": m.state.finished,
            "open": request.url_for("meeting", meeting_id=m.id).path,
            "links": request.url_for("my_meeting", meeting_id=m.id).path,
        }
        for m in accounts_of(request.app.state).meetings(user)
    ]
    return _page(
        request,
        "account_mine.html",
        status,
        user=user,
        meetings=meetings,
        scripts=list(SCRIPTS.values()),
        max_title=MAX_TITLE,
        **context,
    )


async def mine(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return _to_login(request)
    return _mine_page(request, user)


async def create(request: Request) -> Response:
    """A new meeting, led by the user (the admin key is not needed: they are logged in)."""
    user = current_user(request)
    if user is None:
        return _to_login(request)
    form = await request.form()
    config = request.app.state.config
    created, err = create_meeting_checked(
        request, form.get("title"), config.admin_key, form.get("script")
    )
    if err or created is None:
        status, message, *rest = err or (500, "Er ging iets mis")
        return _mine_page(
            request,
            user,
            status,
            error=message,
            title=_text(form, "title", MAX_TITLE),
            chosen=_text(form, "script", 80),
            headers=rest[0] if rest else {},
        )
    meeting, _links = created
    request.app.state.store.add_facilitator(meeting.id, user.id)
    return _redirect(request.url_for("my_meeting", meeting_id=meeting.id))


def _meeting_page(
    request: Request, user: User, meeting_id: str, status: int = 200, **context: Any
) -> Response:
    store: Store = request.app.state.store
    meeting = store.get_meeting(meeting_id)
    if meeting is None or not store.is_facilitator(meeting_id, user.id):
        return _not_found(request, user)
    known = store.role_links(meeting_id)
    links = []
    for role in ROLES:
        if role.value not in known:
            continue
        token = known[role.value]["token"]
        links.append(
            {
                "role": role.value,
                "label": ROLE_LABELS[role],
                "ask": known[role.value]["ask"],
                "link": str(request.url_for("join", token=token)) if token else None,
                "qr": request.url_for("join_qr", token=token).path if token else None,
            }
        )
    return _page(
        request,
        "account_meeting.html",
        status,
        user=user,
        meeting=meeting,
        kind=SCRIPTS[meeting.state.script].title if meeting.state.script in SCRIPTS else "",
        date=dutch_day(meeting.created_at),
        links=links,
        facilitators=store.facilitators_of(meeting_id),
        open=request.url_for("meeting", meeting_id=meeting_id).path,
        scripts=list(SCRIPTS.values()),
        follow_on_script=FOLLOW_ON_SCRIPT,
        max_title=MAX_TITLE,
        **context,
    )


async def my_meeting(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return _to_login(request)
    added = request.query_params.get("toegevoegd")
    notice = f"{added} is nu ook gespreksleider." if added else None
    if "vervolg" in request.query_params:
        notice = (
            "De vervolgbijeenkomst is klaar. De mensen, de netwerkkaarten, het plan en de "
            "afspraken van de vorige bijeenkomst staan er al in."
        )
    return _meeting_page(request, user, request.path_params["meeting_id"], notice=notice)


async def add_facilitator(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return _to_login(request)
    meeting_id = request.path_params["meeting_id"]
    store: Store = request.app.state.store
    if not store.is_facilitator(meeting_id, user.id):
        return _not_found(request, user)
    form = await request.form()
    typed = _text(form, "gebruikersnaam", MAX_NAME + 20)
    other = accounts_of(request.app.state).find(typed)
    if other is None:
        error = f"Er is geen account met de naam {typed.strip()}" if typed.strip() else None
        return _meeting_page(
            request,
            user,
            meeting_id,
            400,
            error=error or "Vul de gebruikersnaam in van de andere gespreksleider",
            typed=typed,
        )
    if store.is_facilitator(meeting_id, other.id):
        return _meeting_page(
            request, user, meeting_id, notice=f"{other.username} is al gespreksleider."
        )
    store.add_facilitator(meeting_id, other.id)
    url = request.url_for("my_meeting", meeting_id=meeting_id)
    return _redirect(url.include_query_params(toegevoegd=other.username))


async def follow_on(request: Request) -> Response:
    """A new meeting that follows on from this one (server/followon.py), led by the same
    facilitators; then its links, as for a new meeting."""
    user = current_user(request)
    if user is None:
        return _to_login(request)
    meeting_id = request.path_params["meeting_id"]
    store: Store = request.app.state.store
    earlier = store.get_meeting(meeting_id)
    if earlier is None or not store.is_facilitator(meeting_id, user.id):
        return _not_found(request, user)
    form = await request.form()
    created, err = follow_on_checked(
        request,
        earlier,
        form.get("title"),
        form.get("script"),
        ("facilitator", user.username),
    )
    if err or created is None:
        status, message, *rest = err or (500, "Er ging iets mis")
        return _meeting_page(
            request,
            user,
            meeting_id,
            status,
            follow_error=message,
            headers=rest[0] if rest else {},
        )
    meeting, _links = created
    url = request.url_for("my_meeting", meeting_id=meeting.id)
    return _redirect(url.include_query_params(vervolg=1))


# --- the first account --------------------------------------------------------------------


def _gone(request: Request) -> Response:
    return _page(
        request,
        "account_message.html",
        404,
        title="Deze link werkt niet meer",
        text="Met deze link maak je het eerste account, één keer. Is er al een account? "
        "Log dan in. Is de server opnieuw gestart? Dan staat er een nieuwe link in zijn "
        "uitvoer.",
        link=request.url_for("login").path,
        link_text="Naar inloggen",
    )


async def first_account_form(request: Request) -> Response:
    if not first_account_open(request.app.state, request.path_params["token"]):
        return _gone(request)
    return _page(request, "account_first.html")


async def first_account(request: Request) -> Response:
    state = request.app.state
    if not first_account_open(state, request.path_params["token"]):
        return _gone(request)
    form = await request.form()
    name, password = form.get("gebruikersnaam"), form.get("wachtwoord")
    accounts = accounts_of(state)
    try:
        if password != form.get("nogmaals"):
            raise AccountError("De twee wachtwoorden zijn niet hetzelfde")
        accounts.check_new(name, password)
        close_first_account(state)  # before the hashing: the link makes one account
        user = await accounts.add_async(name, password)
    except AccountError as e:
        typed = _text(form, "gebruikersnaam", MAX_NAME + 20)
        return _page(request, "account_first.html", 400, error=str(e), username=typed)
    log.info("the first account was made (user %d)", user.id)
    accounts.log_in(request.session, user)
    return _redirect(request.url_for("mine"))


routes = [
    Route("/inloggen", login_form, methods=["GET"], name="login"),
    Route("/inloggen", login, methods=["POST"]),
    Route("/uitloggen", logout, methods=["POST"], name="logout"),
    Route("/mijn", mine, methods=["GET"], name="mine"),
    Route("/mijn", create, methods=["POST"], name="create_mine"),
    Route("/mijn/{meeting_id}", my_meeting, methods=["GET"], name="my_meeting"),
    Route(
        "/mijn/{meeting_id}/gespreksleiders",
        add_facilitator,
        methods=["POST"],
        name="add_facilitator",
    ),
    Route("/mijn/{meeting_id}/vervolg", follow_on, methods=["POST"], name="follow_on"),
    Route("/eerste-account/{token}", first_account_form, methods=["GET"], name="first_account"),
    Route("/eerste-account/{token}", first_account, methods=["POST"]),
]
