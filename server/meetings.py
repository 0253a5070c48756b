"""Meetings as the server runs them: creation, role tokens, the meeting state, and keeping
every open connection in line with board.permissions whenever that state changes.
Everything that changes the state is also written into the `verloop` board for the screens.
"""

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from pycrdt import Doc, Map

from board import timer as timers
from board.boards import BOARDS
from board.permissions import Access, access_table, decide
from board.roles import ROLES, Role, parse_role
from board.state import MeetingState

from . import closecodes
from .content import board_content
from .registry import Rooms
from .store import Meeting, Store
from .tokens import hash_token, new_meeting_id, new_token

log = logging.getLogger("netwerkbord.meetings")

SHARE_ROLE = "plan-link"  # a read-only link to the plan; not a role: it opens no board


@dataclass(frozen=True)
class Principal:
    """Who is behind a request or a connection (the device id is chosen by the browser)."""

    meeting_id: str
    role: Role
    token_hash: str
    device: str = ""


class Meetings:
    def __init__(self, store: Store, rooms: Rooms) -> None:
        self.store = store
        self.rooms = rooms

    # creation and access ------------------------------------------------------------------

    def create(self, title: str, script: str) -> tuple[Meeting, dict[Role, str]]:
        meeting_id = new_meeting_id()
        tokens = {role: new_token() for role in ROLES}
        self.store.create_meeting(
            meeting_id, title, {role.value: hash_token(t) for role, t in tokens.items()}, script
        )
        meeting = self.store.get_meeting(meeting_id)
        assert meeting is not None
        for board_id in BOARDS:
            self._write(
                meeting_id, board_id, partial(_init_board, board_id=board_id, meeting_title=title)
            )
        self._write(meeting_id, "verloop", lambda doc: _write_state(doc, meeting.state))
        return meeting, tokens

    def get(self, meeting_id: str) -> Meeting | None:
        return self.store.get_meeting(meeting_id)

    def authenticate(
        self, token: str | None, meeting_id: str | None = None, device: str = ""
    ) -> Principal | None:
        if not token or len(token) > 200:
            return None
        record = self.store.find_token(hash_token(token))
        if record is None or (meeting_id is not None and record.meeting_id != meeting_id):
            return None
        role = parse_role(record.role)
        if role is None or (device and self.store.is_blocked(record.meeting_id, device)):
            return None
        return Principal(record.meeting_id, role, record.hash, device)

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
        if state.closed != old.closed:
            self.store.add_audit(
                meeting_id,
                "besloten deel gestart" if state.closed else "besloten deel gestopt",
                *by,
            )
        self._write(meeting_id, "verloop", lambda doc: _write_state(doc, state))
        log.info("meeting %s: phase=%s closed=%s", meeting_id, state.phase, state.closed)
        return state

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

        self._write(meeting_id, "verloop", write)
        return result[0]

    def spotlight(self, meeting_id: str, board: str | None, group: str | None) -> None:
        value = {"board": board, "group": group} if board and group else None
        self._write(
            meeting_id,
            "verloop",
            lambda doc: doc.get("state", type=Map).update({"spotlight": value}),
        )

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
        for room in list(self.rooms.loaded(meeting_id)):
            for conn in list(room.connections):
                room.revoke(conn, closecodes.UNAUTHORIZED, "Deze bijeenkomst is verwijderd")
        self.rooms.forget(meeting_id)
        self.store.delete_meeting(meeting_id)
        log.info("meeting %s deleted", meeting_id)

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

    def devices(self, meeting_id: str) -> list[dict[str, Any]]:
        """Who is connected now: per device its role, the names it shows and its boards."""
        found: dict[str, dict[str, Any]] = {}
        for room in self.rooms.loaded(meeting_id):
            for conn in room.connections:
                p: Principal = conn.principal
                key = p.device or f"anoniem-{id(conn)}"
                entry = found.setdefault(
                    key, {"device": p.device, "role": p.role.value, "names": set(), "boards": set()}
                )
                entry["boards"].add(room.key[1])
                for cid in conn.client_ids:
                    entry["names"].update(_awareness_names(room.awareness.get(cid)))
        return [
            {**e, "names": sorted(e["names"]), "boards": sorted(e["boards"])}
            for e in found.values()
        ]

    def remove_device(self, meeting_id: str, device: str) -> int:
        """Block a device id and close its connections at once; returns how many were closed."""
        self.store.block_device(meeting_id, device)
        closed = 0
        for room in self.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                if conn.principal.device == device:
                    room.revoke(conn, closecodes.UNAUTHORIZED, "Dit apparaat is verwijderd")
                    closed += 1
        return closed

    def rotate_token(self, meeting_id: str, role: Role) -> str:
        """Revoke the role's current link and hand out a new one; live devices are cut off."""
        token = new_token()
        revoked = set(self.store.replace_tokens(meeting_id, role.value, hash_token(token)))
        for room in self.rooms.loaded(meeting_id):
            for conn in list(room.connections):
                if conn.principal.token_hash in revoked:
                    room.revoke(conn, closecodes.UNAUTHORIZED, "Deze link is ingetrokken")
        return token

    def _write(self, meeting_id: str, board_id: str, change: Callable[[Doc], None]) -> None:
        room = self.rooms.get(meeting_id, board_id)
        try:
            room.transact(change)
        finally:
            self.rooms.release(room)


def _submap(doc: Doc, name: str) -> Map:
    state = doc.get("state", type=Map)
    if not isinstance(state.get(name), Map):
        state[name] = Map()
    return state[name]


def _awareness_names(entry: tuple[int, str] | None) -> list[str]:
    if entry is None:
        return []
    try:
        user = json.loads(entry[1]).get("user") or {}
    except (ValueError, AttributeError):
        return []
    name = user.get("name") if isinstance(user, dict) else None
    return [name[:60]] if isinstance(name, str) and name else []


def _write_state(doc: Doc, state: MeetingState) -> None:
    s = doc.get("state", type=Map)
    s["phase"] = state.phase
    s["closed"] = state.closed
    s["script"] = state.script
    s["locked"] = sorted(state.locked)
    s["postingOpen"] = state.posting_open
    s["finished"] = state.finished
    s["access"] = access_table(state)


def _init_board(doc: Doc, board_id: str, meeting_title: str) -> None:
    board = BOARDS[board_id]
    meta = doc.get("meta", type=Map)
    meta["template"] = board_id
    meta["title"] = board.title
    meta["meeting"] = meeting_title
    if board.server_only:
        state = doc.get("state", type=Map)
        state["timerEndsAt"] = None
        state["timerPausedMs"] = None
        state["spotlight"] = None
        state["participants"] = Map()
        state["consent"] = Map()
