"""Admission: the room's QR code asks, the facilitator decides.

The TV shows a link to /binnen/{code}. It grants nothing: a device that opens it gives a name
and waits (it gets a key at once, but the key opens nothing while it waits); the facilitator
sees it under "Wie mag erin?" and lets it in as familie, professional or TV, or not. Role
links sent privately keep working as doors that are already open, unless the facilitator
sets one to "ask me first"; then it leads here too.

Limits: MAX_WAITING open requests per meeting and MAX_WAITING_PER_ADDRESS per address
(server/devices.py); a request nobody answered is forgotten after WAIT_SECONDS. The code
can be renewed: the old QR then leads nowhere.
"""

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from board.roles import ROLE_LABELS, ROLES, Role, parse_role

from . import closecodes
from .api import browser_device, error, from_our_pages, join_links, meetings_of
from .control import Control, facilitator_route
from .devices import (
    ACTIVE,
    MAX_LABEL,
    MAX_WAITING,
    MAX_WAITING_PER_ADDRESS,
    REFUSED,
    REMOVED,
    WAITING,
    clean_label,
)
from .joining import give_key, removed_page
from .limits import address_group, client_address
from .meetings import LINK_ASKS
from .pages import qr_svg, render
from .tokens import new_token

ADMITTABLE = (Role.FAMILIE, Role.PROFESSIONAL, Role.SCHERM)


def _meeting_of_code(request: Request) -> str | None:
    code = request.path_params["code"]
    if not code or len(code) > 64:
        return None
    return meetings_of(request).store.meeting_by_admission_code(code)


def _unknown(request: Request) -> Response:
    return render(request, "invalid_link.html", status=404)  # counted by server/guard.py


async def admission_page(request: Request) -> Response:
    """Ask to join, or wait for the answer (the page reloads itself while waiting)."""
    meeting_id = _meeting_of_code(request)
    if meeting_id is None:
        return _unknown(request)
    device = browser_device(request, meeting_id)
    if device is not None and device.status == ACTIVE:
        return RedirectResponse(request.url_for("meeting", meeting_id=meeting_id), 303)
    if device is not None and device.status == REMOVED:
        return removed_page(request)
    return _page(
        request, meeting_id, device.status if device else "", device.label if device else ""
    )


def _page(
    request: Request,
    meeting_id: str,
    status: str,
    label: str,
    error_text: str = "",
    code: int = 200,
) -> Response:
    meeting = meetings_of(request).get(meeting_id)
    return render(
        request,
        "admission.html",
        status=code,
        meeting=meeting,
        code=request.path_params["code"],
        label=label,
        error=error_text,
        state=status,
    )


async def ask(request: Request) -> Response:
    meeting_id = _meeting_of_code(request)
    if meeting_id is None:
        return _unknown(request)
    if not from_our_pages(request):
        return error(403, "Dit verzoek komt niet van Netwerkbord zelf")
    meetings = meetings_of(request)
    here = RedirectResponse(request.url_for("admission", code=request.path_params["code"]), 303)
    device = browser_device(request, meeting_id)
    if device is not None and device.status == REMOVED:
        return removed_page(request)
    if device is not None and device.status in (WAITING, ACTIVE):
        return here  # this browser asked already (or is in): one request per browser
    # The door's form has one field; a file or many fields is no request to join (400).
    async with request.form(max_files=0, max_fields=8) as form:
        name = clean_label(form.get("name"))
    if not name or len(name) > MAX_LABEL:
        return _page(
            request, meeting_id, "", "", f"Schrijf je naam op (hoogstens {MAX_LABEL} tekens).", 400
        )
    meeting = meetings.get(meeting_id)
    if meeting is None or meeting.state.finished:
        return _page(request, meeting_id, "", name, "Deze bijeenkomst is afgesloten.", 409)
    address = address_group(client_address(request.scope))
    in_meeting, from_here = meetings.devices.waiting_count(meeting_id, address)
    if in_meeting >= MAX_WAITING or from_here >= MAX_WAITING_PER_ADDRESS:
        return _page(
            request,
            meeting_id,
            "",
            name,
            "Er wachten nu al veel mensen. Probeer het over een paar minuten nog eens.",
            429,
        )
    _, key = meetings.devices.issue(meeting_id, None, "toelating", name, address)
    give_key(here, request, meeting_id, key)
    return here


async def admission_qr(request: Request) -> Response:
    if _meeting_of_code(request) is None:
        return error(404, "Onbekende link")
    return qr_svg(str(request.url_for("admission", code=request.path_params["code"])))


# the facilitator's side -------------------------------------------------------------------


def _room(c: Control) -> dict[str, str]:
    code = c.meetings.store.admission_code(c.principal.meeting_id, new_token)
    return {
        "link": str(c.request.url_for("admission", code=code)),
        "qr": str(c.request.url_for("admission_qr", code=code)),
    }


async def waiting(c: Control) -> Response:
    """Who asks to come in, and the room's link."""
    return JSONResponse(
        {
            "waiting": [
                {"device": d.id, "label": d.label, "via": d.via}
                for d in c.meetings.devices.waiting(c.principal.meeting_id)
            ],
            "room": _room(c),
        }
    )


async def decide(c: Control) -> Response:
    """{"role": "familie" | "professional" | "scherm"} lets the device in; {"refuse": true}
    does not."""
    meeting_id, device_id = c.principal.meeting_id, c.path["device"]
    devices = c.meetings.devices
    if c.body.get("refuse") is True:
        if not devices.refuse(meeting_id, device_id):
            return error(404, "Dit apparaat wacht niet (meer)")
        c.meetings.store.add_audit(meeting_id, "niet binnengelaten", *c.by)
        return JSONResponse({"device": device_id, "status": REFUSED})
    asked = c.body.get("role")
    role = parse_role(asked) if isinstance(asked, str) else None
    if role not in ADMITTABLE:
        return error(400, "Kies familie, professional of scherm")
    assert role is not None
    if not devices.admit(meeting_id, device_id, role):
        return error(404, "Dit apparaat wacht niet (meer)")
    c.meetings.store.add_audit(meeting_id, f"binnengelaten als {ROLE_LABELS[role]}", *c.by)
    return JSONResponse({"device": device_id, "status": ACTIVE, "role": role.value})


async def links(c: Control) -> Response:
    """The role links, to show again (with their QR codes), and whether each asks first."""
    out = {}
    for role, link in c.meetings.store.role_links(c.principal.meeting_id).items():
        parsed = parse_role(role)
        if parsed is None:
            continue  # plan links: the share routes
        url = join_links(c.request, {parsed: link["token"]})[role] if link["token"] else None
        out[role] = {
            "link": url,
            "qr": str(c.request.url_for("join_qr", token=link["token"])) if url else None,
            "ask": link["ask"],
        }
    return JSONResponse({"links": out, "room": _room(c)})


async def set_ask(c: Control) -> Response:
    role = parse_role(c.path["role"])
    if role is None or role is Role.FACILITATOR:
        return error(
            404, f"Kies uit {', '.join(r.value for r in ROLES if r is not Role.FACILITATOR)}"
        )
    if not isinstance(c.body.get("ask"), bool):
        return error(400, 'Verwacht {"ask": true} of {"ask": false}')
    meeting_id = c.principal.meeting_id
    c.meetings.store.set_ask(meeting_id, role.value, c.body["ask"])
    if c.body["ask"]:
        # Whoever uses the link itself (an outside client, not a device with its own key) is
        # cut off now: the link opens nothing any more, and such a client may have no device
        # id the console could remove it by.
        for room in c.meetings.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                p = conn.principal
                if p.role is role and p.token_hash != f"device:{p.device}":
                    room.revoke(conn, closecodes.UNAUTHORIZED, LINK_ASKS)
        c.meetings.tell(meeting_id)
    return JSONResponse({"role": role.value, "ask": c.body["ask"]})


async def renew_room(c: Control) -> Response:
    """A new room code: the old QR code leads nowhere any more. Waiting requests are
    refused."""
    meeting_id = c.principal.meeting_id
    for d in c.meetings.devices.waiting(meeting_id):
        c.meetings.devices.refuse(meeting_id, d.id)
    c.meetings.store.renew_admission_code(meeting_id, new_token())
    return JSONResponse({"room": _room(c)})


M = "/api/meetings/{meeting_id}"
routes = [
    Route("/binnen/{code}", admission_page, methods=["GET"], name="admission"),
    Route("/binnen/{code}", ask, methods=["POST"]),
    Route("/binnen/{code}/qr.svg", admission_qr, methods=["GET"], name="admission_qr"),
    facilitator_route(f"{M}/admissions", waiting, method="GET"),
    facilitator_route(f"{M}/admissions/{{device}}", decide),
    facilitator_route(f"{M}/links", links, method="GET"),
    facilitator_route(f"{M}/tokens/{{role}}/ask", set_ask),
    facilitator_route(f"{M}/room", renew_room),
]
