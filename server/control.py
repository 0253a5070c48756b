"""The facilitator's controls: steps, the closed part, the timer, locks, "iedereen plakt nu",
what the TV shows, devices and links. Every route needs the facilitator's token."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from board import screen as screens
from board import state as meeting_state
from board.boards import BOARDS
from board.phases import is_valid_phase
from board.roles import ROLES, Role, parse_role

from .api import error, join_links, meetings_of, principal_of, read_json, state_json
from .bus import elsewhere_of
from .followon import follow_on_checked
from .meetings import Meetings, Principal


@dataclass(frozen=True)
class Control:
    """One facilitator request, as every handler gets it."""

    meetings: Meetings
    principal: Principal  # the facilitator
    body: dict[str, Any]  # the JSON object sent (empty for GET and DELETE)
    path: Mapping[str, str]  # the route's path parameters
    request: Request
    by: tuple[str, str]  # ("facilitator", the name in the body's "by"), for the audit list


Handler = Callable[[Control], Awaitable[Response]]


def facilitator_route(path: str, handler: Handler, method: str = "POST") -> Route:
    """Authenticate as the facilitator, read the JSON body, then call the handler."""

    async def endpoint(request: Request) -> Response:
        principal = principal_of(request, request.path_params["meeting_id"])
        if isinstance(principal, JSONResponse):
            return principal
        if principal.role is not Role.FACILITATOR:
            return error(403, "Alleen de gespreksleider mag dit doen")
        body: dict[str, Any] = {}
        if method != "GET" and method != "DELETE":
            sent = await read_json(request)
            if sent is None:
                return error(400, "Verwacht een JSON-object")
            body = sent
        name = body.get("by")
        by = ("facilitator", name[:60] if isinstance(name, str) else "")
        meetings = meetings_of(request)
        response = await handler(
            Control(meetings, principal, body, request.path_params, request, by)
        )
        if meetings.rooms.bus is not None:  # its effects are in the meeting's order first
            await meetings.rooms.bus.settled()
        return response

    return Route(path, endpoint, methods=[method])


def _state(c: Control, state: Any) -> JSONResponse:
    return JSONResponse(state_json(c.principal.meeting_id, state))


async def set_closed(c: Control) -> Response:
    if not isinstance(c.body.get("closed"), bool):
        return error(400, 'Verwacht {"closed": true} of {"closed": false}')
    return _state(c, c.meetings.set_state(c.principal.meeting_id, c.by, closed=c.body["closed"]))


async def set_phase(c: Control) -> Response:
    phase = c.body.get("phase")
    if not is_valid_phase(phase):
        return error(400, 'Verwacht {"phase": "..."} met kleine letters, cijfers en -')
    return _state(
        c,
        c.meetings.change(
            c.principal.meeting_id, c.by, lambda state: meeting_state.enter_step(state, phase)
        ),
    )


async def move_step(c: Control) -> Response:
    move = c.body.get("move")
    if move not in ("next", "previous"):
        return error(400, 'Verwacht {"move": "next"} of {"move": "previous"}')
    delta = 1 if move == "next" else -1
    state = c.meetings.change(
        c.principal.meeting_id, c.by, lambda s: meeting_state.move_step(s, delta)
    )
    if state is None:
        return error(409, "Er is geen stap meer in die richting")
    return _state(c, state)


async def set_posting(c: Control) -> Response:
    if not isinstance(c.body.get("open"), bool):
        return error(400, 'Verwacht {"open": true} of {"open": false}')
    return _state(
        c, c.meetings.set_state(c.principal.meeting_id, c.by, posting_open=c.body["open"])
    )


async def set_lock(c: Control) -> Response:
    board = c.body.get("board")
    if (
        not isinstance(board, str)
        or board not in BOARDS
        or BOARDS[board].server_only
        or not isinstance(c.body.get("locked"), bool)
    ):
        return error(400, 'Verwacht {"board": "drieluik", "locked": true}')
    return _state(
        c,
        c.meetings.change(
            c.principal.meeting_id,
            c.by,
            lambda state: meeting_state.lock(state, board, c.body["locked"]),
        ),
    )


async def set_timer(c: Control) -> Response:
    minutes = c.body.get("minutes", 0)
    if not isinstance(minutes, (int, float)) or isinstance(minutes, bool):
        return error(400, "minutes moet een getal zijn")
    try:
        t = c.meetings.timer(c.principal.meeting_id, str(c.body.get("action")), float(minutes))
    except ValueError as e:
        return error(400, f"Timer: {e}")
    return JSONResponse({"timerEndsAt": t.ends_at, "timerPausedMs": t.paused_ms})


def _screen_json(screen: screens.Screen) -> JSONResponse:
    return JSONResponse(
        {"screen": screens.to_verloop(screen), "spotlight": screens.spotlight_of(screen)}
    )


async def set_screen(c: Control) -> Response:
    """What the TV shows: `board` null follows the step; a board; a group on it. `question`:
    one of the netwerkvragen above it (null: none). And `sound`: a short sound on the TV when
    the timer ends."""
    sound = c.body.get("sound")
    if ("board" not in c.body and "question" not in c.body and sound is None) or (
        sound is not None and not isinstance(sound, bool)
    ):
        return error(
            400,
            'Verwacht {"board": "doelen"}, {"board": null}, {"question": "n1"} of {"sound": true}',
        )

    def transition(screen: screens.Screen, state: meeting_state.MeetingState) -> screens.Screen:
        if "board" in c.body:
            board, group = c.body["board"], c.body.get("group")
            screen = (
                screens.follow_step(screen)
                if board is None
                else screens.show(screen, state, board, group)
            )
        if "question" in c.body:
            screen = screens.show_question(screen, state, c.body["question"])
        return screens.set_sound(screen, sound) if sound is not None else screen

    try:
        return _screen_json(c.meetings.screen(c.principal.meeting_id, transition))
    except screens.NotForTheScreen as e:
        return error(400, str(e))


async def set_spotlight(c: Control) -> Response:
    """A group large on the TV, or (group null) not any more: the older form of /screen."""
    board, group = c.body.get("board"), c.body.get("group")
    try:
        screen = c.meetings.screen(
            c.principal.meeting_id,
            lambda s, state: (
                screens.hide_group(s, state)
                if group is None
                else screens.show(s, state, board, group)
            ),
        )
    except screens.NotForTheScreen:
        return error(400, 'Verwacht {"board": "drieluik", "group": "<id>"} of group null')
    return JSONResponse({"spotlight": screens.spotlight_of(screen)})


async def list_devices(c: Control) -> Response:
    elsewhere = await elsewhere_of(c.meetings.rooms, c.principal.meeting_id)
    return JSONResponse({"devices": c.meetings.connected(c.principal.meeting_id, elsewhere)})


async def remove_device(c: Control) -> Response:
    device = c.path["device"]
    if not device or len(device) > 64:
        return error(400, "Onbekend apparaat")
    if device == c.principal.device:
        return error(409, "Je kunt je eigen apparaat niet verwijderen")
    meeting_id = c.principal.meeting_id
    elsewhere = await elsewhere_of(c.meetings.rooms, meeting_id)
    closed = c.meetings.remove_device(meeting_id, device)  # (the other nodes close theirs)
    closed += sum(1 for there in elsewhere if there.get("device") == device)
    c.meetings.store.add_audit(meeting_id, "apparaat verwijderd", *c.by)
    return JSONResponse({"device": device, "closed": closed})


async def audit(c: Control) -> Response:
    return JSONResponse({"audit": c.meetings.store.audit(c.principal.meeting_id)})


async def rotate_token(c: Control) -> Response:
    role = parse_role(c.path["role"])
    if role is None:
        return error(404, f"Onbekende rol; kies uit {', '.join(r.value for r in ROLES)}")
    token = c.meetings.rotate_token(c.principal.meeting_id, role)
    c.meetings.store.add_audit(c.principal.meeting_id, f"nieuwe link: {role.value}", *c.by)
    return JSONResponse(
        {
            "role": role.value,
            "token": token,
            "link": join_links(c.request, {role: token})[role.value],
        }
    )


async def finish(c: Control) -> Response:
    if not isinstance(c.body.get("finished"), bool):
        return error(400, 'Verwacht {"finished": true}')
    finished = c.body["finished"]
    state = c.meetings.change(
        c.principal.meeting_id, c.by, meeting_state.finish if finished else meeting_state.reopen
    )
    c.meetings.store.add_audit(
        c.principal.meeting_id,
        "bijeenkomst afgesloten" if finished else "bijeenkomst weer geopend",
        *c.by,
    )
    return _state(c, state)


async def delete_meeting(c: Control) -> Response:
    c.meetings.delete(c.principal.meeting_id)
    return JSONResponse({"deleted": c.principal.meeting_id})


async def share_plan(c: Control) -> Response:
    if c.body.get("revoke") is True:
        c.meetings.revoke_shares(c.principal.meeting_id)
        return JSONResponse({"revoked": True})
    token = c.meetings.share_plan(c.principal.meeting_id)
    link = str(c.request.url_for("shared_plan", token=token))
    return JSONResponse({"token": token, "link": link}, status_code=201)


async def follow_on(c: Control) -> Response:
    """A new meeting that follows on from this one (server/followon.py): the people, the
    network map, the plan and the agreements come along; this meeting stays as it is."""
    earlier = c.meetings.get(c.principal.meeting_id)
    if earlier is None:
        return error(404, "Deze bijeenkomst bestaat niet meer")
    created, err = follow_on_checked(
        c.request, earlier, c.body.get("title"), c.body.get("script"), c.by
    )
    if err or created is None:
        return error(*(err or (500, "Er ging iets mis")))
    meeting, tokens = created
    return JSONResponse(
        {
            "id": meeting.id,
            "title": meeting.title,
            "script": meeting.state.script,
            "follows": earlier.id,
            "tokens": {r.value: t for r, t in tokens.items()},
            "links": join_links(c.request, tokens),
        },
        status_code=201,
    )


M = "/api/meetings/{meeting_id}"
routes = [
    facilitator_route(f"{M}/finish", finish),
    facilitator_route(f"{M}/share", share_plan),
    facilitator_route(f"{M}/follow-on", follow_on),
    facilitator_route(M, delete_meeting, method="DELETE"),
    facilitator_route(f"{M}/closed", set_closed),
    facilitator_route(f"{M}/phase", set_phase),
    facilitator_route(f"{M}/step", move_step),
    facilitator_route(f"{M}/posting", set_posting),
    facilitator_route(f"{M}/lock", set_lock),
    facilitator_route(f"{M}/timer", set_timer),
    facilitator_route(f"{M}/spotlight", set_spotlight),
    facilitator_route(f"{M}/screen", set_screen),
    facilitator_route(f"{M}/devices", list_devices, method="GET"),
    facilitator_route(f"{M}/devices/{{device}}/remove", remove_device),
    facilitator_route(f"{M}/audit", audit, method="GET"),
    facilitator_route(f"{M}/tokens/{{role}}", rotate_token),
]
