"""The OpenAPI 3.0 document of every HTTP route, served at /openapi.json and fuzzed by
tests/test_fuzz_http.py (schemathesis).

Generated from the application's route table: its paths, methods and path parameters are
whatever app.routes holds. What each operation takes and answers is described in OPERATIONS
below, keyed by (method, path), with the limits taken from the code that enforces them. What
every route shares is added by `_common` from the layers that cause it: 401 for a token,
413 for a body (bodylimit.py), 429 on the throttled routes (guard.py), 503 where something is
written (a full or read-only disk). A route without a description is left out of the
document, and tests/test_api.py fails on it (as on a description of a route that is gone).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import BaseRoute, Mount, Route

from board.boards import BOARDS
from board.consent import MAX_COMMENT
from board.netwerkvragen import QUESTION_IDS
from board.people import MAX_NAME, MAX_RELATION
from board.phases import _PHASE_ID
from board.roles import ROLES
from board.screen import MAX_GROUP_ID
from board.scripts import SCRIPTS
from board.timer import ACTIONS, MAX_MINUTES

from .api import MAX_TITLE
from .bodylimit import body_limit
from .guard import _guarded

Schema = dict[str, Any]

# --- schemas --------------------------------------------------------------------------------

_STR: Schema = {"type": "string"}
_BOOL: Schema = {"type": "boolean"}
_NUM: Schema = {"type": "number"}
_MS: Schema = {"type": "number", "nullable": True, "description": "ms since the epoch"}


def _obj(properties: dict[str, Schema], required: Iterable[str] = ()) -> Schema:
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def _list(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


_BOARD_ID: Schema = {"type": "string", "enum": list(BOARDS)}
_ROLE: Schema = {"type": "string", "enum": [r.value for r in ROLES]}
_BY: Schema = {
    "type": "string",
    "description": "the facilitator's name for the audit list (the first 60 characters are kept)",
}

SCHEMAS: dict[str, Schema] = {
    "Error": _obj(
        {"error": {"type": "string", "description": "what went wrong, in Dutch"}}, ["error"]
    ),
    "MeetingState": _obj(
        {
            "id": _STR,
            "phase": _STR,
            "phaseLabel": _STR,
            "closed": _BOOL,
            "script": {"type": "string", "enum": list(SCRIPTS)},
            "locked": _list(_BOARD_ID),
            "postingOpen": _BOOL,
            "shown": _list(_BOARD_ID)
            | {"description": "boards the family has shown (the VIP-kaart)"},
        },
        ["id", "phase", "phaseLabel", "closed", "script", "locked", "postingOpen"],
    ),
    "Board": _obj(
        {
            "board": _BOARD_ID,
            "title": _STR,
            "template": _STR,
            "zones": _list(_obj({"id": _STR, "title": _STR}, ["id", "title"])),
            "notes": _list({"type": "object"}),
            "groups": _list({"type": "object"}),
            "state": {
                "type": "object",
                "description": "verloop: the meeting's course; stand: its step, closed part, "
                "end and timer only",
            },
            "participants": {"type": "object", "description": "verloop only: id -> person"},
        },
        ["board", "title"],
    ),
    "Export": _obj(
        {
            "meeting": _obj(
                {"id": _STR, "title": _STR, "date": _STR, "script": _STR, "finished": _BOOL},
                ["id", "title"],
            ),
            "participants": _list(_obj({"id": _STR, "name": _STR, "relation": _STR, "role": _STR})),
            "consent": _list(
                _obj(
                    {
                        "participant": _STR,
                        "name": _STR,
                        "role": _STR,
                        "agree": _BOOL,
                        "comment": _STR,
                        "at": _MS,
                    }
                )
            ),
            "boards": {"type": "object", "additionalProperties": _ref("Board")},
            "plan": {"type": "object"},
            "drieluik": {"type": "object"},
        },
        ["meeting", "participants", "consent", "boards"],
    ),
}


# --- responses ------------------------------------------------------------------------------


def _content(media: str, schema: Schema | None = None) -> dict[str, Any]:
    return {media: {"schema": schema} if schema else {}}


def json_answer(description: str, schema: Schema | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "content": _content("application/json", schema or {"type": "object"}),
    }


def error_answer(description: str) -> dict[str, Any]:
    return {"description": description, "content": _content("application/json", _ref("Error"))}


def page_answer(description: str) -> dict[str, Any]:
    return {"description": description, "content": _content("text/html", _STR)}


def media_answer(description: str, media_type: str) -> dict[str, Any]:
    return {"description": description, "content": _content(media_type, _STR)}


def redirect_answer(description: str) -> dict[str, Any]:
    """303 See Other: where to, and why (no body)."""
    return {"description": description}


def either(*answers: dict[str, Any]) -> dict[str, Any]:
    """One status answered in more than one way (an HTML page, or a JSON error)."""
    return {
        "description": "; or ".join(a["description"] for a in answers),
        "content": {k: v for a in answers for k, v in a["content"].items()},
    }


_NOT_FACILITATOR = error_answer("not the facilitator's link")
_CSRF_REFUSED = page_answer("the form's CSRF token is missing or wrong (asgi-csrf)")
_STATE = json_answer("the meeting's state after the change", _ref("MeetingState"))
_INVALID_LINK_PAGE = page_answer("unknown or revoked link: the page that says so")


# --- operations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Operation:
    summary: str
    responses: dict[int, dict[str, Any]]
    # who may call it: "role" (a role link's token, as Bearer or ?token=), "admin" (the
    # admin key as Bearer, when the server has one), "path" (the link is in the path), "none"
    auth: str = "role"
    body: Schema | None = None  # a JSON object
    form: Schema | None = None  # an HTML form (application/x-www-form-urlencoded)
    params: dict[str, Schema] = field(default_factory=dict)  # path parameters, else strings
    description: str | None = None


def control(
    summary: str,
    properties: dict[str, Schema],
    required: Iterable[str] = (),
    ok: dict[int, dict[str, Any]] | None = None,
    **more: Any,
) -> Operation:
    """One of the facilitator's controls (control.facilitator_route): a JSON object in, the
    facilitator's token only, 400 for a body that is no JSON object or breaks the rules."""
    responses = {
        **(ok or {200: _STATE}),
        400: error_answer("no JSON object, or a field is wrong"),
        403: _NOT_FACILITATOR,
        **more.pop("responses", {}),
    }
    return Operation(summary, responses, body=_obj({**properties, "by": _BY}, required), **more)


M = "/api/meetings/{meeting_id}"
_ROOM = _obj({"link": _STR, "qr": _STR})

OPERATIONS: dict[tuple[str, str], Operation] = {
    # pages ---------------------------------------------------------------------------------
    ("GET", "/"): Operation(
        "The start page: give a meeting a name", {200: page_answer("the form")}, auth="none"
    ),
    ("POST", "/"): Operation(
        "Create a meeting from the start page's form, then see its four role links at "
        "GET /created/{meeting_id} (post/redirect/get: a reload makes no second meeting)",
        {
            303: redirect_answer(
                "created: to /created/{meeting_id}, with a short-lived HttpOnly cookie that lets "
                "this browser see the links there"
            ),
            400: page_answer("no name, or an unknown kind of meeting"),
            401: page_answer("the admin key is missing or wrong (when the server has one)"),
            429: page_answer("too many new meetings from this address; Retry-After says when"),
            503: page_answer("the server holds as many meetings as it may"),
        },
        auth="none",
        form=_obj(
            {
                "title": {"type": "string", "maxLength": MAX_TITLE, "pattern": r"\S"},
                "script": {"type": "string", "enum": list(SCRIPTS)},
                "admin_key": _STR,
            },
            ["title"],
        ),
    ),
    ("GET", "/created/{meeting_id}"): Operation(
        "The four role links of a meeting just created, for the browser that created it, "
        "for 10 minutes",
        {
            200: page_answer("the links"),
            404: page_answer("no links to show (another browser, or the 10 minutes are over)"),
        },
        auth="none",
    ),
    ("GET", "/j/{token}"): Operation(
        "A role link: gives this browser a device key of its own (cookie nb_{meeting_id}, "
        "HttpOnly, SameSite=Lax) and leads on to the meeting page. Before version 7 it "
        "answered with the app itself; browsers follow the redirect",
        {
            303: redirect_answer(
                'to /m/{meeting_id}; for a link set to "ask me first", to /binnen/{code}'
            ),
            403: page_answer("this browser's device was removed from the meeting"),
            404: _INVALID_LINK_PAGE,
            409: page_answer(
                "this browser takes part in another role: it asks first (POST /j/{token})"
            ),
        },
        auth="path",
    ),
    ("POST", "/j/{token}"): Operation(
        '"Ja, verder als …": a browser that takes part in another role comes in by this '
        "link (GET /j/{token} asks first: another site may send a browser to a link)",
        {
            303: redirect_answer("to /m/{meeting_id} with a new device key, or to the door"),
            403: page_answer("not sent from this server's own page, or the device was removed"),
            404: _INVALID_LINK_PAGE,
        },
        auth="path",
    ),
    ("GET", "/m/{meeting_id}"): Operation(
        "The app for this browser's device (its cookie), or for a logged-in facilitator of "
        "the meeting (who gets a device key here)",
        {
            200: page_answer("the app (the boards as plain HTML in <noscript>)"),
            303: redirect_answer("a device still waiting to be let in: to /binnen/{code}"),
            403: page_answer("no device key for this meeting, or the device was removed"),
        },
        auth="none",
    ),
    ("GET", "/m/{meeting_id}/scherm"): Operation(
        "The TV's view, for the facilitator's device or a TV's: with the TV's rights, and "
        "the room's QR code (which opens nothing by itself)",
        {200: page_answer("the TV's view"), 403: page_answer("not the facilitator or a TV")},
        auth="none",
    ),
    ("GET", "/m/{meeting_id}/tekst"): Operation(
        "The boards this device may see, as plain HTML",
        {200: page_answer("the boards"), 403: page_answer("no device key for this meeting")},
        auth="none",
    ),
    ("GET", "/m/{meeting_id}/plan"): Operation(
        "The plan for this device, ready to print",
        {
            200: page_answer("the plan"),
            403: error_answer("the plan is not visible to this device now"),
            404: _INVALID_LINK_PAGE,
        },
        auth="none",
    ),
    ("GET", "/binnen/{code}"): Operation(
        "The room's QR code leads here: ask to join (a name), then wait until the facilitator "
        "lets this device in (the page reloads itself; then to /m/{meeting_id})",
        {
            200: page_answer('the form, the waiting page, or the answer "not let in"'),
            303: redirect_answer("already let in: to /m/{meeting_id}"),
            404: _INVALID_LINK_PAGE,
        },
        auth="none",
    ),
    ("POST", "/binnen/{code}"): Operation(
        "Ask to join: a waiting device key in the cookie; it opens nothing until the "
        "facilitator lets the device in. At most 30 waiting per meeting, 5 per address",
        {
            303: redirect_answer("to the waiting page"),
            400: page_answer("no name, or longer than 60 characters"),
            403: error_answer("the form was not sent from this server's own page"),
            404: _INVALID_LINK_PAGE,
            409: page_answer("the meeting is finished"),
            429: page_answer("too many waiting already"),
        },
        auth="none",
        form=_obj({"name": {"type": "string", "maxLength": 60}}, ["name"]),
    ),
    ("GET", "/binnen/{code}/qr.svg"): Operation(
        "The room's link as a QR code",
        {
            200: media_answer("the QR code", "image/svg+xml"),
            404: error_answer("unknown room code"),
        },
        auth="none",
    ),
    ("GET", "/j/{token}/qr.svg"): Operation(
        "The link as a QR code, made on the server",
        {
            200: media_answer("the QR code", "image/svg+xml"),
            404: error_answer("unknown or revoked link"),
        },
        auth="path",
    ),
    ("GET", "/j/{token}/tekst"): Operation(
        "The boards this link may see, as plain HTML",
        {200: page_answer("the boards"), 404: _INVALID_LINK_PAGE},
        auth="path",
    ),
    ("GET", "/sw.js"): Operation(
        "The service worker (keeps the pages for offline reloads)",
        {200: media_answer("the script", "text/javascript")},
        auth="none",
    ),
    ("GET", "/favicon.ico"): Operation(
        "The icon", {200: media_answer("the icon", "image/svg+xml")}, auth="none"
    ),
    ("GET", "/static/{path}"): Operation(
        "The browser bundle, CSS and images",
        {
            200: {"description": "the file", "content": {"*/*": {}}},
            404: page_answer("no such file"),
        },
        auth="none",
    ),
    ("GET", "/openapi.json"): Operation(
        "This document", {200: json_answer("the OpenAPI document")}, auth="none"
    ),
    # facilitator accounts (server/accountpages.py): the login is the session cookie
    # nb_sessie; every form carries asgi-csrf's token (field csrftoken, cookie nb_csrf) --------
    ("GET", "/inloggen"): Operation(
        "The login form for facilitators with an account",
        {200: page_answer("the form"), 303: redirect_answer("already logged in: to `volgende`")},
        auth="none",
    ),
    ("POST", "/inloggen"): Operation(
        "Log in: sets the session cookie. Throttled per user name and per address",
        {
            200: page_answer("wrong name or password (the same answer for both): the form"),
            303: redirect_answer("logged in: to /mijn, or to `volgende` (a path on this server)"),
            403: _CSRF_REFUSED,
            429: page_answer("too many wrong passwords for now; Retry-After says when"),
        },
        auth="none",
        form=_obj(
            {
                "csrftoken": _STR,
                "gebruikersnaam": _STR,
                "wachtwoord": _STR,
                "volgende": _STR,
            },
            ["csrftoken", "gebruikersnaam", "wachtwoord"],
        ),
    ),
    ("POST", "/uitloggen"): Operation(
        "Log out: the session cookie is cleared",
        {303: redirect_answer("to /inloggen"), 403: _CSRF_REFUSED},
        auth="none",
        form=_obj({"csrftoken": _STR}, ["csrftoken"]),
    ),
    ("GET", "/mijn"): Operation(
        "Mijn bijeenkomsten: the logged-in facilitator's meetings, and a form for a new one",
        {200: page_answer("the meetings"), 303: redirect_answer("not logged in: to /inloggen")},
        auth="none",
    ),
    ("POST", "/mijn"): Operation(
        "Create a meeting led by the logged-in facilitator (no admin key needed)",
        {
            303: redirect_answer("created: to /mijn/{meeting_id}; or not logged in: to /inloggen"),
            400: page_answer("no name, or an unknown kind of meeting"),
            403: _CSRF_REFUSED,
            429: page_answer("too many new meetings from this address; Retry-After says when"),
            503: page_answer("the server holds as many meetings as it may"),
        },
        auth="none",
        form=_obj(
            {
                "csrftoken": _STR,
                "title": {"type": "string", "maxLength": MAX_TITLE, "pattern": r"\S"},
                "script": {"type": "string", "enum": list(SCRIPTS)},
            },
            ["csrftoken", "title"],
        ),
    ),
    ("GET", "/mijn/{meeting_id}"): Operation(
        "A meeting of the logged-in facilitator: its role links and QR codes, again, and its "
        "facilitators",
        {
            200: page_answer("the links"),
            303: redirect_answer("not logged in: to /inloggen"),
            404: page_answer("no meeting of this facilitator"),
        },
        auth="none",
    ),
    ("POST", "/mijn/{meeting_id}/gespreksleiders"): Operation(
        "Add another facilitator (an account) to the meeting by user name",
        {
            200: page_answer("already a facilitator of it"),
            303: redirect_answer("added: to /mijn/{meeting_id}; or not logged in: to /inloggen"),
            400: page_answer("no account with that name"),
            403: _CSRF_REFUSED,
            404: page_answer("no meeting of this facilitator"),
        },
        auth="none",
        form=_obj({"csrftoken": _STR, "gebruikersnaam": _STR}, ["csrftoken", "gebruikersnaam"]),
    ),
    ("POST", "/mijn/{meeting_id}/vervolg"): Operation(
        "A new meeting that follows on from this one, led by the same facilitators (as "
        "POST /api/meetings/{meeting_id}/follow-on)",
        {
            303: redirect_answer(
                "made: to /mijn/{new meeting}?vervolg=1; or not logged in: to /inloggen"
            ),
            400: page_answer("the name is too long, or an unknown kind of meeting"),
            403: _CSRF_REFUSED,
            404: page_answer("no meeting of this facilitator"),
            429: page_answer("too many new meetings from this address; Retry-After says when"),
            503: page_answer("the server holds as many meetings as it may"),
        },
        auth="none",
        form=_obj(
            {
                "csrftoken": _STR,
                "title": {"type": "string", "maxLength": MAX_TITLE},
                "script": {"type": "string", "enum": list(SCRIPTS)},
            },
            ["csrftoken"],
        ),
    ),
    ("GET", "/eerste-account/{token}"): Operation(
        "The form for the first account, by the one-time link `netwerkbord serve` prints",
        {200: page_answer("the form"), 404: page_answer("used, unknown, or there is an account")},
        auth="path",
    ),
    ("POST", "/eerste-account/{token}"): Operation(
        "Make the first account and log in with it",
        {
            303: redirect_answer("made and logged in: to /mijn"),
            400: page_answer("the name or the password cannot be used: the form"),
            403: _CSRF_REFUSED,
            404: page_answer("used, unknown, or there is an account"),
        },
        auth="path",
        form=_obj(
            {"csrftoken": _STR, "gebruikersnaam": _STR, "wachtwoord": _STR, "nogmaals": _STR},
            ["csrftoken", "gebruikersnaam", "wachtwoord", "nogmaals"],
        ),
    ),
    # exports -------------------------------------------------------------------------------
    ("GET", "/j/{token}/plan"): Operation(
        "The plan page, made for A4 (title, date, participants, plan, consent, themes)",
        {
            200: page_answer("the plan"),
            403: error_answer("the plan is not visible to this role now"),
            404: _INVALID_LINK_PAGE,
        },
        auth="path",
    ),
    ("GET", "/p/{token}"): Operation(
        "The plan page behind a read-only link (never the family's worksheet); during the "
        "closed part a waiting page with only the meeting's title",
        {200: page_answer("the plan, or the waiting page"), 404: _INVALID_LINK_PAGE},
        auth="path",
    ),
    ("GET", "/p/{token}/qr.svg"): Operation(
        "The read-only plan link as a QR code",
        {
            200: media_answer("the QR code", "image/svg+xml"),
            404: error_answer("unknown or revoked link"),
        },
        auth="path",
    ),
    ("GET", f"{M}/export.json"): Operation(
        "The whole meeting as this role may see it, for the case file",
        {
            200: json_answer("the export (Content-Disposition: attachment)", _ref("Export")),
            403: error_answer(
                "nothing to export for this role now (a professional, during the closed part)"
            ),
        },
    ),
    ("GET", f"{M}/export.md"): Operation(
        "The same as Markdown; everything typed is escaped",
        {
            200: media_answer("the export (Content-Disposition: attachment)", "text/markdown"),
            403: error_answer("nothing to export for this role now"),
        },
    ),
    ("GET", f"{M}/export.txt"): Operation(
        "The same as plain text, for a family to open anywhere; every field on one line",
        {
            200: media_answer("the export (Content-Disposition: attachment)", "text/plain"),
            403: error_answer("nothing to export for this role now"),
        },
    ),
    ("GET", f"{M}/boards/{{board_id}}.svg"): Operation(
        "A picture of a board as it was left",
        {
            200: media_answer("the picture", "image/svg+xml"),
            403: error_answer("this board is not visible to this role now"),
            404: error_answer("no picture of this board (verloop, unknown boards)"),
        },
        params={"board_id": _BOARD_ID},
    ),
    # the JSON API --------------------------------------------------------------------------
    ("POST", "/api/meetings"): Operation(
        "Create a meeting; the role tokens and links are in the answer, and only there",
        {
            201: json_answer(
                "the meeting",
                _obj(
                    {
                        "id": _STR,
                        "title": _STR,
                        "script": _STR,
                        "tokens": _obj({r.value: _STR for r in ROLES}, [r.value for r in ROLES]),
                        "links": _obj({r.value: _STR for r in ROLES}, [r.value for r in ROLES]),
                    },
                    ["id", "title", "script", "tokens", "links"],
                ),
            ),
            400: error_answer("no JSON object, no name, or an unknown kind of meeting"),
            429: error_answer("too many new meetings from this address; Retry-After says when"),
            503: error_answer("the server holds as many meetings as it may"),
        },
        auth="admin",
        body=_obj(
            {
                "title": {"type": "string", "maxLength": MAX_TITLE, "pattern": r"\S"},
                "script": {"type": "string", "enum": list(SCRIPTS)},
            },
            ["title"],
        ),
    ),
    ("GET", M): Operation(
        "Title, step, closed part and your role",
        {
            200: json_answer(
                "the meeting",
                {
                    "allOf": [
                        _ref("MeetingState"),
                        _obj({"title": _STR, "role": _ROLE}, ["title", "role"]),
                    ]
                },
            )
        },
    ),
    ("DELETE", M): Operation(
        "Delete the meeting now: devices are closed (4401), every row leaves the database",
        {200: json_answer("deleted", _obj({"deleted": _STR}, ["deleted"])), 403: _NOT_FACILITATOR},
    ),
    ("POST", f"{M}/participants"): Operation(
        "Put a person on the meeting's list",
        {
            201: json_answer(
                "the person",
                _obj(
                    {"id": _STR, "name": _STR, "relation": _STR, "role": _ROLE},
                    ["id", "name", "relation", "role"],
                ),
            ),
            400: error_answer("no name, or a name or relation too long"),
            403: error_answer("the projector writes no names"),
            409: error_answer("the meeting's list is full"),
        },
        body=_obj(
            {
                "name": {"type": "string", "maxLength": MAX_NAME, "pattern": r"\S"},
                "relation": {"type": "string", "maxLength": MAX_RELATION},
            },
            ["name"],
        ),
    ),
    ("POST", f"{M}/consent"): Operation(
        "Akkoord or niet akkoord for a person on the list, during a consent step",
        {
            201: json_answer(
                "the answer as kept",
                _obj(
                    {"name": _STR, "role": _STR, "agree": _BOOL, "comment": _STR, "at": _MS},
                    ["agree", "at"],
                ),
            ),
            400: error_answer("a field is missing or wrong"),
            403: error_answer("not for this role (the projector; another role's person)"),
            404: error_answer("this person is not on the list"),
            409: error_answer("not now: only in the step Instemming"),
        },
        body=_obj(
            {
                "participant": {"type": "string", "description": "an id from the list"},
                "agree": _BOOL,
                "comment": {"type": "string", "maxLength": MAX_COMMENT},
            },
            ["participant", "agree"],
        ),
    ),
    ("POST", f"{M}/shown"): Operation(
        "Show a board the family decides on (the VIP-kaart) to everyone, or keep it to the "
        "family again: until it is shown, professionals and the TV get nothing of it",
        {
            200: json_answer("the meeting's state after the change", _ref("MeetingState")),
            400: error_answer("no such board to show, or shown is no true or false"),
            403: error_answer("only the family and the facilitator choose this"),
            404: error_answer("the meeting is gone"),
            409: error_answer("the meeting is finished: it can still be hidden, not shown"),
        },
        body=_obj(
            {
                "board": {
                    "type": "string",
                    "enum": [b for b, v in BOARDS.items() if v.until_shown],
                },
                "shown": _BOOL,
                "by": _BY,
            },
            ["board", "shown"],
        ),
    ),
    ("GET", f"{M}/boards/{{board_id}}"): Operation(
        "A board as JSON (zones, notes, groups; the course for verloop and stand)",
        {
            200: json_answer("the board", _ref("Board")),
            403: error_answer("this board is not visible to this role now"),
            404: error_answer("unknown board"),
        },
        params={"board_id": _BOARD_ID},
    ),
    # the facilitator's controls --------------------------------------------------------------
    ("POST", f"{M}/closed"): control("Start or end the closed part", {"closed": _BOOL}, ["closed"]),
    ("POST", f"{M}/phase"): control(
        "Jump to a step (a step of the script sets the closed part as it says)",
        {"phase": {"type": "string", "pattern": _PHASE_ID.pattern}},
        ["phase"],
    ),
    ("POST", f"{M}/step"): control(
        "The next or previous step of the script",
        {"move": {"type": "string", "enum": ["next", "previous"]}},
        ["move"],
        responses={409: error_answer("no step left in that direction")},
    ),
    ("POST", f"{M}/posting"): control(
        "Iedereen plakt nu, whatever the step", {"open": _BOOL}, ["open"]
    ),
    ("POST", f"{M}/lock"): control(
        "Lock a board: read-only for all but the facilitator",
        {
            "board": {
                "type": "string",
                "enum": [b for b, v in BOARDS.items() if not v.server_only],
            },
            "locked": _BOOL,
        },
        ["board", "locked"],
    ),
    ("POST", f"{M}/timer"): control(
        "The timer on every screen",
        {
            "action": {"type": "string", "enum": list(ACTIONS)},
            "minutes": {
                "type": "number",
                "minimum": 0,
                "exclusiveMinimum": True,
                "maximum": MAX_MINUTES,
                "description": "for start and add",
            },
        },
        ["action"],
        ok={
            200: json_answer(
                "the timer",
                _obj(
                    {
                        "timerEndsAt": _MS,
                        "timerPausedMs": {
                            "type": "number",
                            "nullable": True,
                            "description": "ms left while paused",
                        },
                    },
                    ["timerEndsAt", "timerPausedMs"],
                ),
            )
        },
    ),
    ("POST", f"{M}/spotlight"): control(
        "Show a group large on the projector (group null ends it)",
        {"board": _BOARD_ID, "group": {"type": "string", "maxLength": 64, "nullable": True}},
        ok={
            200: json_answer(
                "what the projector shows",
                _obj(
                    {
                        "spotlight": _obj({"board": _STR, "group": _STR}, ["board", "group"])
                        | {"nullable": True}
                    },
                    ["spotlight"],
                ),
            )
        },
    ),
    ("POST", f"{M}/screen"): control(
        "What the TV shows: the step's board (board null), another board, or one group on it;"
        " and whether it sounds when the timer ends",
        {
            "board": {
                "type": "string",
                "enum": [
                    b
                    for b in BOARDS
                    if not BOARDS[b].family_only and any(b in s.boards for s in SCRIPTS.values())
                ],
                "nullable": True,
                "description": "null: follow the step; a board of the meeting's script",
            },
            "group": {"type": "string", "maxLength": MAX_GROUP_ID, "nullable": True},
            "question": {
                "type": "string",
                "enum": list(QUESTION_IDS),
                "nullable": True,
                "description": "one of the netwerkvragen above the board (null: none); only "
                "when the meeting's script has the board netwerkvragen",
            },
            "sound": _BOOL,
        },
        ok={
            200: json_answer(
                "what the TV shows",
                _obj(
                    {
                        "screen": _obj(
                            {
                                "board": _STR | {"nullable": True},
                                "group": _STR | {"nullable": True},
                                "sound": _BOOL,
                                "question": _STR | {"nullable": True},
                            },
                            ["board", "group", "sound"],
                        ),
                        "spotlight": _obj({"board": _STR, "group": _STR}, ["board", "group"])
                        | {"nullable": True},
                    },
                    ["screen", "spotlight"],
                ),
            )
        },
    ),
    ("POST", f"{M}/finish"): control(
        "Close the meeting (read-only for everyone from then on), or open it again",
        {"finished": _BOOL},
        ["finished"],
    ),
    ("POST", f"{M}/share"): control(
        'A new read-only link to the plan page; {"revoke": true} revokes them all',
        {"revoke": _BOOL},
        ok={
            201: json_answer(
                "the new link", _obj({"token": _STR, "link": _STR}, ["token", "link"])
            ),
            200: json_answer("all revoked", _obj({"revoked": _BOOL}, ["revoked"])),
        },
    ),
    ("POST", f"{M}/follow-on"): control(
        "A new meeting that follows on from this one (the same family): the people, the "
        "network map boards, the plan and the agreements are copied into it, its plan "
        "remembers what it was (`previous`), and it has this meeting's facilitators. This "
        "meeting stays as it was, with its own retention",
        {
            "script": {
                "type": "string",
                "enum": list(SCRIPTS),
                "description": "the new meeting's script; absent or empty: evaluatie",
            },
            "title": {
                "type": "string",
                "maxLength": MAX_TITLE,
                "description": "absent or empty: this meeting's title",
            },
        },
        ok={
            201: json_answer(
                "the new meeting, as POST /api/meetings answers, and the meeting it follows on",
                _obj(
                    {
                        "id": _STR,
                        "title": _STR,
                        "script": _STR,
                        "follows": _STR,
                        "tokens": _obj({r.value: _STR for r in ROLES}, [r.value for r in ROLES]),
                        "links": _obj({r.value: _STR for r in ROLES}, [r.value for r in ROLES]),
                    },
                    ["id", "title", "script", "follows", "tokens", "links"],
                ),
            )
        },
        responses={
            404: error_answer("the meeting was deleted meanwhile"),
            429: error_answer("too many new meetings from this address; Retry-After says when"),
            503: error_answer("the server holds as many meetings as it may"),
        },
    ),
    ("GET", f"{M}/devices"): Operation(
        "Who is connected: per device its role, names, boards",
        {
            200: json_answer(
                "the devices",
                _obj(
                    {
                        "devices": _list(
                            _obj(
                                {
                                    "device": {"type": "string", "nullable": True},
                                    "role": _ROLE,
                                    "names": _list(_STR),
                                    "boards": _list(_STR),
                                }
                            )
                        )
                    },
                    ["devices"],
                ),
            ),
            403: _NOT_FACILITATOR,
        },
    ),
    ("POST", f"{M}/devices/{{device}}/remove"): control(
        "Close a device's connections at once (4401) and refuse its id from then on",
        {},
        ok={
            200: json_answer(
                "removed",
                _obj({"device": _STR, "closed": {"type": "integer"}}, ["device", "closed"]),
            )
        },
        params={"device": {"type": "string", "maxLength": 64}},
        responses={409: error_answer("that is the facilitator's own device")},
    ),
    ("GET", f"{M}/audit"): Operation(
        "When the closed part started and ended, links made, devices removed, and by whom",
        {
            200: json_answer(
                "the audit list", _obj({"audit": _list({"type": "object"})}, ["audit"])
            ),
            403: _NOT_FACILITATOR,
        },
    ),
    ("POST", f"{M}/tokens/{{role}}"): control(
        "Revoke the role's link and make a new one; devices on the old one get 4401",
        {},
        ok={
            200: json_answer(
                "the new link",
                _obj({"role": _ROLE, "token": _STR, "link": _STR}, ["role", "token", "link"]),
            )
        },
        params={"role": _ROLE},
        responses={404: error_answer("unknown role")},
    ),
    # who is in the room (server/admission.py) -----------------------------------------------
    ("GET", f"{M}/admissions"): Operation(
        "Who asks to come in by the room's QR code (\"Wie mag erin?\"), and the room's link",
        {
            200: json_answer(
                "the waiting devices and the room's link",
                _obj(
                    {
                        "waiting": _list(_obj({"device": _STR, "label": _STR, "via": _STR})),
                        "room": _ROOM,
                    },
                    ["waiting", "room"],
                ),
            ),
            403: _NOT_FACILITATOR,
        },
    ),
    ("POST", f"{M}/admissions/{{device}}"): control(
        "Let a waiting device in as familie, professional or scherm, or refuse it",
        {"role": _STR, "refuse": _BOOL},
        ok={200: json_answer("let in or refused", _obj({"device": _STR, "status": _STR}))},
        params={"device": {"type": "string", "maxLength": 64}},
        responses={404: error_answer("that device is not waiting (any more)")},
    ),
    ("GET", f"{M}/links"): Operation(
        "The role links, to show again on any device, with their QR codes and whether each "
        "asks the facilitator first; and the room's link",
        {
            200: json_answer(
                "the links",
                _obj({"links": {"type": "object"}, "room": _ROOM}, ["links", "room"]),
            ),
            403: _NOT_FACILITATOR,
        },
    ),
    ("POST", f"{M}/tokens/{{role}}/ask"): control(
        'Set a role link to "ask me first" (it then leads to the room\'s door) or back',
        {"ask": _BOOL},
        ["ask"],
        ok={200: json_answer("the setting", _obj({"role": _ROLE, "ask": _BOOL}))},
        params={"role": _ROLE},
        responses={404: error_answer("unknown role")},
    ),
    ("POST", f"{M}/room"): control(
        "A new room code: the old QR code leads nowhere; waiting devices are refused",
        {},
        ok={200: json_answer("the new room link", _obj({"room": _ROOM}, ["room"]))},
    ),
}


# --- the document ---------------------------------------------------------------------------


def operations(routes: Iterable[BaseRoute], prefix: str = "") -> list[tuple[str, str, list[str]]]:
    """(METHOD, path, path parameters) of every HTTP route. HEAD is left out: Starlette answers
    it on every GET route. A mounted app without routes (the static files) is one GET."""
    found: list[tuple[str, str, list[str]]] = []
    for route in routes:
        if isinstance(route, Route):
            found += [
                (method, prefix + route.path, list(route.param_convertors))
                for method in sorted(route.methods or ())
                if method != "HEAD"
            ]
        elif isinstance(route, Mount):
            if route.routes:
                found += operations(route.routes, prefix + route.path)
            else:
                found.append(("GET", prefix + route.path + "/{path}", ["path"]))
    return found


def undocumented(
    routes: Iterable[BaseRoute],
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Routes without a description, and descriptions of routes that are not there."""
    present = {(method, path) for method, path, _ in operations(routes)}
    return sorted(present - OPERATIONS.keys()), sorted(OPERATIONS.keys() - present)


def document(routes: Iterable[BaseRoute], max_body_bytes: int) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, params in operations(routes):
        described = OPERATIONS.get((method, path))
        if described is not None:
            paths.setdefault(path, {})[method.lower()] = _operation(
                method, path, params, described, max_body_bytes
            )
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Netwerkbord",
            "version": "1",
            "description": (
                'Every HTTP route of the server. Errors are JSON {"error": "<Dutch message>"}. '
                "The boards themselves sync over WebSockets at /ws/{meeting_id}/{board_id}?token=… "
                "(the y-websocket protocol; see README.md for its close codes)."
            ),
        },
        "components": {
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "a role link's token, or the admin key for creating meetings",
                },
                "query": {
                    "type": "apiKey",
                    "in": "query",
                    "name": "token",
                    "description": "a role link's token",
                },
            },
            "schemas": SCHEMAS,
        },
        "paths": paths,
    }


_SECURITY: dict[str, list[dict[str, list[str]]]] = {
    "role": [{"bearer": []}, {"query": []}],
    "admin": [{}, {"bearer": []}],
    "path": [],
    "none": [],
}


def _operation(
    method: str, path: str, params: list[str], described: Operation, max_body_bytes: int
) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": described.summary,
        "operationId": f"{method.lower()} {path}",
        "security": _SECURITY[described.auth],
        "parameters": [
            {"name": p, "in": "path", "required": True, "schema": described.params.get(p, _STR)}
            for p in params
        ],
    }
    if described.description:
        op["description"] = described.description
    if described.body is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": described.body}},
        }
    if described.form is not None:
        op["requestBody"] = {
            "required": True,
            "content": {"application/x-www-form-urlencoded": {"schema": described.form}},
        }
    responses = dict(described.responses)
    for status, answer in _common(method, path, described, max_body_bytes).items():
        responses[status] = either(responses[status], answer) if status in responses else answer
    op["responses"] = {str(status): responses[status] for status in sorted(responses)}
    return op


def _common(
    method: str, path: str, described: Operation, max_body_bytes: int
) -> dict[int, dict[str, Any]]:
    """The answers an operation shares with others, from the layer that gives them."""
    common: dict[int, dict[str, Any]] = {}
    if described.auth == "role":
        common[401] = error_answer("no token, or an invalid or revoked one")
    if described.auth == "admin":
        common[401] = error_answer("the admin key is missing or wrong (when the server has one)")
    if described.body is not None or described.form is not None:
        limit = body_limit(method, path, max_body_bytes)
        common[413] = error_answer(f"the body is larger than {limit} bytes")
    if _guarded({"path": path, "method": method}):  # guard.AuthGuard watches this route
        common[429] = error_answer(
            "an invalid link, after too many from this address; Retry-After says when "
            "(a valid link is always answered)"
        )
    if method in ("POST", "DELETE"):
        common[503] = error_answer("the server cannot store anything now (disk full or read-only)")
    return common


async def openapi_json(request: Request) -> JSONResponse:
    app = request.app
    if getattr(app.state, "openapi", None) is None:
        app.state.openapi = document(app.routes, app.state.config.max_body_bytes)
    return JSONResponse(app.state.openapi)
