"""Meetings as the server runs them: creation, role tokens, the meeting state, and keeping
every open connection in line with board.permissions whenever that state changes.
Everything that changes the state is also written into the `verloop` board for the screens,
and what a waiting screen needs of it into `stand` (board/boards.py).
"""

import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from pycrdt import Doc, Map

from board import followon
from board import screen as screens
from board import timer as timers
from board.boards import BOARDS, STAND, STAND_FIELDS
from board.permissions import Access, access_table, decide
from board.roles import ROLES, Role, parse_role
from board.schema import ROOTS
from board.state import MeetingState

from . import closecodes
from .content import board_content
from .devices import ACTIVE, Devices
from .registry import Rooms
from .store import Meeting, Store
from .tokens import hash_token, new_meeting_id, new_token

log = logging.getLogger("netwerkbord.meetings")

SHARE_ROLE = "plan-link"  # a read-only link to the plan; not a role: it opens no board
DEVICE_REMOVED = "Dit apparaat is verwijderd"
LINK_REVOKED = "Deze link is ingetrokken"
LINK_ASKS = "Deze link vraagt nu eerst de gespreksleider"


@dataclass(frozen=True)
class Principal:
    """Who is behind a request or a connection.

    `device`: for a device key (server/devices.py) the server's own id of the device; for a
    role link used directly (outside clients) "<role>:<the id the client gave>", which
    cannot be taken for a device's id; "" for neither."""

    meeting_id: str
    role: Role
    token_hash: str
    device: str = ""


class Meetings:
    def __init__(self, store: Store, rooms: Rooms) -> None:
        self.store = store
        self.rooms = rooms
        self.devices = Devices(store)

    # creation and access ------------------------------------------------------------------

    def create(self, title: str, script: str) -> tuple[Meeting, dict[Role, str]]:
        meeting_id = new_meeting_id()
        tokens = {role: new_token() for role in ROLES}
        self.store.create_meeting(
            meeting_id,
            title,
            {role.value: hash_token(t) for role, t in tokens.items()},
            script,
            {role.value: t for role, t in tokens.items()},
        )
        meeting = self.store.get_meeting(meeting_id)
        assert meeting is not None
        for board_id in BOARDS:
            self._write(
                meeting_id, board_id, partial(_init_board, board_id=board_id, meeting_title=title)
            )
        self._write_course(meeting_id, lambda doc: _write_state(doc, meeting.state))
        return meeting, tokens

    def follow_on(
        self, earlier_id: str, title: str, script: str, by: tuple[str, str] = ("", "")
    ) -> tuple[Meeting, dict[Role, str]]:
        """A new meeting that follows on from an earlier one of the same family: the people,
        the network map, the plan and the agreements are copied into it (board/followon.py),
        its plan remembers what it was (`previous`, for "what changed since"), and it is led
        by the same facilitators. The earlier meeting is only read: it stays as it was, with
        its own retention."""
        earlier = self.store.get_meeting(earlier_id)
        assert earlier is not None
        contents = {b: self.content(earlier_id, b) for b in followon.carried_boards()}
        meeting, tokens = self.create(title, script)
        people = contents.get("mensen", {}).get("people")
        for board_id, content in contents.items():
            maps = followon.carried(board_id, content)
            base = (
                followon.baseline(earlier.title, earlier.created_at, content, people)
                if board_id == "plan"
                else None
            )
            self._write(
                meeting.id, board_id, partial(_write_copy, board_id=board_id, maps=maps, base=base)
            )
        self.store.copy_facilitators(earlier_id, meeting.id)
        self.store.add_audit(earlier_id, "vervolgbijeenkomst gemaakt", *by)
        self.store.add_audit(meeting.id, "gemaakt als vervolg op een eerdere bijeenkomst", *by)
        log.info("meeting %s follows on from %s", meeting.id, earlier_id)
        return meeting, tokens

    def get(self, meeting_id: str) -> Meeting | None:
        return self.store.get_meeting(meeting_id)

    def authenticate(
        self, token: str | None, meeting_id: str | None = None, device: str = ""
    ) -> Principal | None:
        """Who holds `token`: a device key, or a role link that opens the door by itself (not
        one set to "ask me first"). `device` is what a client using a role link directly
        calls itself."""
        if not token or len(token) > 200:
            return None
        record = self.store.find_token(hash_token(token))
        if record is None:
            return self.device_principal(token, meeting_id)
        if record.ask or (meeting_id is not None and record.meeting_id != meeting_id):
            return None
        role = parse_role(record.role)
        if role is None:
            return None
        device = f"{role.value}:{device[:64]}" if device else ""
        if device and self.store.is_blocked(record.meeting_id, device):
            return None
        return Principal(record.meeting_id, role, record.hash, device)

    def device_principal(self, key: str | None, meeting_id: str | None = None) -> Principal | None:
        found = self.devices.by_key(key, meeting_id)
        if found is None or found.status != ACTIVE or found.role is None:
            return None
        return Principal(found.meeting_id, found.role, "device:" + found.id, found.id)

    def access(self, principal: Principal, board_id: str) -> Access:
        meeting = self.store.get_meeting(principal.meeting_id)
        if meeting is None:
            return Access.NONE
        return decide(principal.role, board_id, meeting.state)

    # the state of the meeting -------------------------------------------------------------

    def set_state(
        self, meeting_id: str, by: tuple[str, str] = ("", ""), **changes: Any
    ) -> MeetingState:
        """Change phase, closed, locked or posting_open; `by` is (role, name) for the audit."""
        state = self.change(meeting_id, by, lambda s: replace(s, **changes))
        assert state is not None
        return state

    def change(
        self,
        meeting_id: str,
        by: tuple[str, str],
        transition: Callable[[MeetingState], MeetingState | None],
    ) -> MeetingState | None:
        """Apply one of board.state's transitions (None from it: nothing changes) and put
        every open connection and `verloop` in line with the new state."""
        meeting = self.store.get_meeting(meeting_id)
        assert meeting is not None
        old, state = meeting.state, transition(meeting.state)
        if state is None:
            return None
        self.store.set_state(meeting_id, state)
        # Cut off whoever may no longer see a board *before* anything else is written.
        self.enforce(meeting_id, state)
        self.tell(meeting_id)
        if state.closed != old.closed:
            self.store.add_audit(
                meeting_id,
                "besloten deel gestart" if state.closed else "besloten deel gestopt",
                *by,
            )
        self._write_course(meeting_id, lambda doc: _write_state(doc, state, old))
        log.info("meeting %s: phase=%s closed=%s", meeting_id, state.phase, state.closed)
        return state

    def tell(self, meeting_id: str) -> None:
        """Several nodes (server/bus.py): the others recheck their devices of the meeting,
        in the meeting's order, before anything this node forwards after this."""
        if self.rooms.bus is not None:
            self.rooms.bus.event(meeting_id)

    def recheck(self, meeting_id: str) -> None:
        """Another node changed a rule of the meeting: cut off every device here that may
        no longer be there (deleted meeting, removed device, revoked link, the closed part),
        as that node did with its own."""
        if self.store.get_meeting(meeting_id) is not None:
            reasons: dict[tuple[str, str], str | None] = {}  # a device has a socket per board
            for room in self.rooms.loaded(meeting_id):
                for conn in list(room.connections):
                    p: Principal = conn.principal
                    key = (p.token_hash, p.device)
                    if key not in reasons:
                        reasons[key] = self._gone_reason(p)
                    if reasons[key]:
                        room.revoke(conn, closecodes.UNAUTHORIZED, str(reasons[key]))
        self.enforce_stored(meeting_id)

    def enforce_stored(self, meeting_id: str) -> None:
        """enforce() with the state in the database (deleted: everyone out)."""
        meeting = self.store.get_meeting(meeting_id)
        if meeting is None:
            self._cut_all(meeting_id)
        else:
            self.enforce(meeting_id, meeting.state)

    def _gone_reason(self, p: Principal) -> str | None:
        """Why a connection's credential no longer counts, or None."""
        if p.token_hash == f"device:{p.device}":
            found = self.devices.get(p.meeting_id, p.device)
            return None if found is not None and found.status == ACTIVE else DEVICE_REMOVED
        record = self.store.find_token(p.token_hash)
        if record is None:
            return LINK_REVOKED
        if record.ask:
            return LINK_ASKS
        if p.device and self.store.is_blocked(p.meeting_id, p.device):
            return DEVICE_REMOVED
        return None

    def enforce(self, meeting_id: str, state: MeetingState) -> None:
        for room in self.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                p: Principal = conn.principal
                access = decide(p.role, room.key[1], state)
                if access is Access.NONE:
                    room.revoke(conn, closecodes.FORBIDDEN, "Dit bord is nu niet zichtbaar")
                else:
                    conn.access = access

    # the course board: timer, spotlight, people, consent -----------------------------------

    def timer(self, meeting_id: str, action: str, minutes: float) -> timers.Timer:
        result: list[timers.Timer] = []

        def write(doc: Doc) -> None:
            s = doc.get("state", type=Map)
            now = time.time() * 1000
            t = timers.apply(
                timers.Timer(s.get("timerEndsAt"), s.get("timerPausedMs")), action, minutes, now
            )
            s["timerEndsAt"], s["timerPausedMs"] = t.ends_at, t.paused_ms
            result.append(t)

        self._write_course(meeting_id, write)
        return result[0]

    def screen(
        self,
        meeting_id: str,
        transition: Callable[[screens.Screen, MeetingState], screens.Screen],
    ) -> screens.Screen:
        """Apply one of board.screen's transitions to what the TV shows (its ValueError, for
        something the TV cannot show, comes before anything is written)."""
        meeting = self.store.get_meeting(meeting_id)
        assert meeting is not None
        state = self.content(meeting_id, "verloop")["state"]
        screen = transition(_screen_of(state), meeting.state)
        self._write(meeting_id, "verloop", lambda doc: _write_screen(doc, screen))
        return screen

    def add_participant(self, meeting_id: str, role: Role, name: str, relation: str) -> str:
        """Put a person on the meeting's list (verloop state.participants); returns their id."""
        pid = new_token()[:12]
        person = {
            "name": name,
            "relation": relation,
            "role": role.value,
            "joinedAt": time.time() * 1000,
        }
        self._write(
            meeting_id, "verloop", lambda doc: _submap(doc, "participants").update({pid: person})
        )
        return pid

    def participant(self, meeting_id: str, pid: str) -> dict[str, Any] | None:
        found = self.content(meeting_id, "verloop")["state"].get("participants", {}).get(pid)
        return found if isinstance(found, dict) else None

    def content(self, meeting_id: str, board_id: str) -> dict[str, Any]:
        """A board's content as plain data (loads the board if needed)."""
        room = self.rooms.get(meeting_id, board_id)
        try:
            return board_content(room.doc)
        finally:
            self.rooms.release(room)

    # finishing, deleting, sharing ---------------------------------------------------------

    def delete(self, meeting_id: str) -> None:
        """Delete a meeting now: devices are cut off, boards leave memory, rows leave SQLite."""
        self._cut_all(meeting_id)
        self.store.delete_meeting(meeting_id)
        self.tell(meeting_id)
        if self.rooms.bus is not None:
            self.rooms.bus.purge_soon(meeting_id)
        log.info("meeting %s deleted", meeting_id)

    def _cut_all(self, meeting_id: str) -> None:
        for room in list(self.rooms.loaded(meeting_id)):
            for conn in list(room.connections):
                room.revoke(conn, closecodes.UNAUTHORIZED, "Deze bijeenkomst is verwijderd")
        self.rooms.forget(meeting_id)

    def delete_expired(self, retention_seconds: float) -> list[str]:
        expired = self.store.expired_meetings(time.time() - retention_seconds)
        for meeting_id in expired:
            self.delete(meeting_id)
        return expired

    def share_plan(self, meeting_id: str) -> str:
        """A new read-only link to the plan (earlier ones keep working until revoked)."""
        token = new_token()
        self.store.add_token(meeting_id, SHARE_ROLE, hash_token(token))
        return token

    def revoke_shares(self, meeting_id: str) -> None:
        self.store.revoke_tokens(meeting_id, SHARE_ROLE)

    def shared_meeting(self, token: str) -> str | None:
        """The meeting a plan link belongs to, if the link is valid."""
        if not token or len(token) > 200:
            return None
        record = self.store.find_token(hash_token(token))
        return record.meeting_id if record and record.role == SHARE_ROLE else None

    def record_consent(
        self, meeting_id: str, pid: str, person: dict[str, Any], agree: bool, comment: str
    ) -> dict[str, Any]:
        entry = {
            "name": person.get("name", ""),
            "role": person.get("role", ""),
            "agree": agree,
            "comment": comment,
            "at": time.time() * 1000,
        }
        self._write(meeting_id, "verloop", lambda doc: _submap(doc, "consent").update({pid: entry}))
        return entry

    # devices and links --------------------------------------------------------------------

    def connected(
        self, meeting_id: str, elsewhere: Iterable[dict[str, Any]] = ()
    ) -> list[dict[str, Any]]:
        """The devices of a meeting: every admitted device (connected or not) and every
        client connected by a role link, with its role, the names shown on it in presence,
        its label and whether it is connected now. `elsewhere`: what other nodes list as
        connected there (server/bus.py RedisBus.elsewhere), as here() lists it."""
        found: dict[str, dict[str, Any]] = {}
        for d in self.devices.active(meeting_id):
            role = d.role.value if d.role else ""
            found[d.id] = _device_entry(d.id, role, d.label, d.via)
        for there in (*self.here(meeting_id), *elsewhere):
            entry = found.setdefault(
                there["device"] or there["key"],
                _device_entry(there["device"], there["role"], "", "link"),
            )
            entry["connected"] = True
            entry["boards"].add(there["board"])
            for cid in there["ids"]:
                for room in self.rooms.loaded(meeting_id):  # (presence is on every node)
                    entry["names"].update(_awareness_names(room.awareness.get(cid)))
        return [
            {**e, "names": sorted(e["names"]), "boards": sorted(e["boards"])}
            for e in found.values()
        ]

    def here(self, meeting_id: str) -> list[dict[str, Any]]:
        """This node's connections to the meeting: device, role, board, presence ids."""
        return [
            {
                "device": conn.principal.device,
                "key": f"anoniem-{id(conn)}",
                "role": conn.principal.role.value,
                "board": room.key[1],
                "ids": sorted(conn.client_ids),
            }
            for room in self.rooms.loaded(meeting_id)
            for conn in room.connections
        ]

    def remove_device(self, meeting_id: str, device: str) -> int:
        """Revoke a device's key (or block a role-link client's id) and close its
        connections at once; returns how many were closed. Nobody else is touched."""
        if self.devices.get(meeting_id, device) is not None:
            self.devices.remove(meeting_id, device)
        else:
            self.store.block_device(meeting_id, device)
        closed = 0
        for room in self.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                if conn.principal.device == device:
                    room.revoke(conn, closecodes.UNAUTHORIZED, DEVICE_REMOVED)
                    closed += 1
        self.tell(meeting_id)
        return closed

    def rotate_token(self, meeting_id: str, role: Role) -> str:
        """Revoke the role's current link and hand out a new one; live devices are cut off."""
        token = new_token()
        revoked = set(self.store.replace_tokens(meeting_id, role.value, hash_token(token), token))
        for room in self.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                if conn.principal.token_hash in revoked:
                    room.revoke(conn, closecodes.UNAUTHORIZED, LINK_REVOKED)
        self.tell(meeting_id)
        return token

    def _write_course(self, meeting_id: str, change: Callable[[Doc], None]) -> None:
        """Write `verloop`, then copy what a waiting screen needs into `stand` (the step, the
        closed part, the end of the meeting, the timer: board.boards.STAND_FIELDS). Both are
        written after enforce() has cut off whoever may no longer read `verloop`."""
        copied: dict[str, Any] = {}

        def write(doc: Doc) -> None:
            change(doc)
            state = doc.get("state", type=Map)
            copied.update({field: state.get(field) for field in STAND_FIELDS})

        self._write(meeting_id, "verloop", write)
        self._write(meeting_id, STAND.id, lambda doc: _write_stand(doc, copied))

    def _write(self, meeting_id: str, board_id: str, change: Callable[[Doc], None]) -> None:
        room = self.rooms.get(meeting_id, board_id)
        try:
            room.transact(change)
        finally:
            self.rooms.release(room)


def _write_copy(
    doc: Doc, board_id: str, maps: dict[str, dict[str, Any]], base: dict[str, Any] | None
) -> None:
    """An earlier board's content (board.followon.carried) into a new meeting's board, as a
    device would have written it: a record as a map of plain values, a RECORD's values plain.
    `base`: what the plan was, into the plan's `previous` (the server's only)."""
    roots = ROOTS[board_id]
    for name, items in maps.items():
        target = doc.get(name, type=Map)
        for key, value in items.items():
            target[key] = Map(value) if roots[name].records else value
    if base is not None:
        doc.get(followon.PREVIOUS, type=Map).update(base)


def _submap(doc: Doc, name: str) -> Map:
    state = doc.get("state", type=Map)
    if not isinstance(state.get(name), Map):
        state[name] = Map()
    return state[name]


def _device_entry(device: str, role: str, label: str, via: str) -> dict[str, Any]:
    return {
        "device": device,
        "role": role,
        "label": label,
        "via": via,
        "names": set(),
        "boards": set(),
        "connected": False,
    }


def _awareness_user(entry: tuple[int, str] | None) -> dict[str, Any]:
    """The `user` object of a presence state (stamped by the server with role and device:
    server/awareness.py), or {}."""
    if entry is None:
        return {}
    try:
        user = json.loads(entry[1]).get("user") or {}
    except (ValueError, AttributeError):
        return {}
    return user if isinstance(user, dict) else {}


def _awareness_names(entry: tuple[int, str] | None) -> list[str]:
    name = _awareness_user(entry).get("name")
    return [name[:60]] if isinstance(name, str) and name else []


def _screen_of(state: Any) -> screens.Screen:
    """What `verloop` says the TV shows (a meeting from before `screen`: its spotlight)."""
    if "screen" in state:
        return screens.from_verloop(state.get("screen"))
    return screens.from_verloop(state.get("spotlight"))


def _write_screen(doc: Doc, screen: screens.Screen) -> None:
    doc.get("state", type=Map).update(
        {"screen": screens.to_verloop(screen), "spotlight": screens.spotlight_of(screen)}
    )


def _write_state(doc: Doc, state: MeetingState, old: MeetingState | None = None) -> None:
    s = doc.get("state", type=Map)
    if old is not None:
        # Another step: the TV follows it again, and a timer that ran out is cleared.
        screen = _screen_of(s)
        new_screen = screens.after_change(screen, old, state)
        if new_screen != screen:
            _write_screen(doc, new_screen)
        timer = timers.Timer(s.get("timerEndsAt"), s.get("timerPausedMs"))
        after = timers.after_step(timer, time.time() * 1000) if state.phase != old.phase else timer
        if after != timer:
            s["timerEndsAt"], s["timerPausedMs"] = after.ends_at, after.paused_ms
    s["phase"] = state.phase
    s["closed"] = state.closed
    s["script"] = state.script
    s["locked"] = sorted(state.locked)
    s["postingOpen"] = state.posting_open
    s["finished"] = state.finished
    s["shown"] = sorted(state.shown)  # boards the family has shown (the VIP-kaart)
    s["access"] = access_table(state)


def _write_stand(doc: Doc, fields: dict[str, Any]) -> None:
    """Only what changed: an unchanged field sends nothing to the waiting screens."""
    state = doc.get("state", type=Map)
    for field, value in fields.items():
        if field not in state or state.get(field) != value:
            state[field] = value


def _init_board(doc: Doc, board_id: str, meeting_title: str) -> None:
    board = BOARDS[board_id]
    meta = doc.get("meta", type=Map)
    meta["template"] = board_id
    meta["title"] = board.title
    meta["meeting"] = meeting_title
    if board_id == "verloop":
        state = doc.get("state", type=Map)
        state["timerEndsAt"] = None
        state["timerPausedMs"] = None
        state["spotlight"] = None
        state["screen"] = screens.to_verloop(screens.Screen())
        state["participants"] = Map()
        state["consent"] = Map()
