"""An OpenAPI 3.0 description of the JSON API (the contract in README.md), served at
/openapi.json and used by the schemathesis fuzz test. Kept by hand: small, and it says what
each route promises, including its error statuses."""

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse

_ERROR = {"description": "JSON {\"error\": \"<Dutch message>\"}",
          "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
_ERRORS = {str(code): _ERROR for code in (400, 401, 403, 404, 409, 413, 429)}


def _body(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "properties": properties, "required": required}}}}


def _op(summary: str, ok: str = "200", body: dict[str, Any] | None = None,
        secured: bool = True, params: tuple[str, ...] = ()) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [{"name": p, "in": "path", "required": True, "schema": {"type": "string"}}
                       for p in params],
        "responses": {ok: {"description": "OK", "content": {"application/json": {
            "schema": {"type": "object"}}}}, **_ERRORS},
    }
    if body is not None:
        op["requestBody"] = body
    if not secured:
        op["security"] = []
    return op


_M = "/api/meetings/{meeting_id}"
_MID = ("meeting_id",)
_BOOL = {"type": "boolean"}
_STR = {"type": "string"}

SCHEMA: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Netwerkbord", "version": "1"},
    "components": {
        "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}},
        "schemas": {"Error": {"type": "object", "properties": {"error": _STR},
                              "required": ["error"]}},
    },
    "security": [{"token": []}],
    "paths": {
        "/api/meetings": {"post": _op(
            "Create a meeting; returns the role tokens (admin key as Bearer when configured)",
            "201", _body({"title": {"type": "string", "maxLength": 120},
                          "script": {"type": "string"}}, ["title"]))},
        _M: {"get": _op("Title, phase, closed part and your role", params=_MID)},
        f"{_M}/participants": {"post": _op(
            "Put a person on the meeting's list", "201",
            _body({"name": _STR, "relation": _STR}, ["name"]), params=_MID)},
        f"{_M}/consent": {"post": _op(
            "Akkoord or niet akkoord, during a consent step", "201",
            _body({"participant": _STR, "agree": _BOOL, "comment": _STR},
                  ["participant", "agree"]), params=_MID)},
        f"{_M}/boards/{{board_id}}": {"get": _op(
            "A board as JSON", params=("meeting_id", "board_id"))},
        f"{_M}/closed": {"post": _op("Start or end the closed part (facilitator)",
                                     body=_body({"closed": _BOOL, "by": _STR}, ["closed"]),
                                     params=_MID)},
        f"{_M}/phase": {"post": _op("Jump to a step (facilitator)",
                                    body=_body({"phase": _STR, "by": _STR}, ["phase"]),
                                    params=_MID)},
        f"{_M}/step": {"post": _op("Next or previous step (facilitator)", body=_body(
            {"move": {"type": "string", "enum": ["next", "previous"]}}, ["move"]),
            params=_MID)},
        f"{_M}/posting": {"post": _op("Iedereen plakt nu (facilitator)",
                                      body=_body({"open": _BOOL}, ["open"]), params=_MID)},
        f"{_M}/lock": {"post": _op("Lock a board (facilitator)",
                                   body=_body({"board": _STR, "locked": _BOOL},
                                              ["board", "locked"]), params=_MID)},
        f"{_M}/timer": {"post": _op("The timer (facilitator)", body=_body(
            {"action": {"type": "string",
                        "enum": ["start", "add", "pause", "resume", "stop"]},
             "minutes": {"type": "number"}}, ["action"]), params=_MID)},
        f"{_M}/spotlight": {"post": _op("A group on the projector (facilitator)", body=_body(
            {"board": _STR, "group": {"type": "string", "nullable": True}}, ["board"]),
            params=_MID)},
        f"{_M}/devices": {"get": _op("Who is connected (facilitator)", params=_MID)},
        f"{_M}/devices/{{device}}/remove": {"post": _op(
            "Remove a device at once (facilitator)", params=("meeting_id", "device"))},
        f"{_M}/audit": {"get": _op("The audit list of the closed part (facilitator)",
                                   params=_MID)},
        f"{_M}/tokens/{{role}}": {"post": _op(
            "Revoke a role's link and make a new one (facilitator)",
            params=("meeting_id", "role"))},
    },
}


async def openapi_json(request: Request) -> JSONResponse:
    return JSONResponse(SCHEMA)
