"""The loaded rooms: created on first use, unloaded when idle, indexed by meeting."""

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

from .config import Config
from .rooms import Room, RoomKey
from .store import Store
from .validate import MeetingGuard

log = logging.getLogger("netwerkbord.rooms")


class _RoomIndex(dict[RoomKey, Room]):
    """The loaded rooms by key, also indexed by meeting, so that limits and per-meeting loops
    never scan every room on the server."""

    def __init__(self) -> None:
        super().__init__()
        self.by_meeting: dict[str, dict[str, Room]] = {}

    def __setitem__(self, key: RoomKey, room: Room) -> None:
        super().__setitem__(key, room)
        self.by_meeting.setdefault(key[0], {})[key[1]] = room

    def __delitem__(self, key: RoomKey) -> None:
        super().__delitem__(key)
        boards = self.by_meeting.get(key[0], {})
        boards.pop(key[1], None)
        if not boards:
            self.by_meeting.pop(key[0], None)

    def pop(self, key, *default):  # type: ignore[no-untyped-def, override]  # dict.pop's overloads
        if key in self:
            room = self[key]
            del self[key]
            return room
        if default:
            return default[0]
        raise KeyError(key)


class Rooms:
    """The loaded rooms, created on first use and unloaded when idle."""

    def __init__(
        self,
        store: Store,
        idle_seconds: float = 60.0,
        compact_after: int = 500,
        board_quota: int = 8 * 2**20,
        meeting_quota: int = 64 * 2**20,
        *,
        config: Config | None = None,
        bus: Any = None,
    ):
        self.store = store
        self.bus = bus  # several nodes: server/bus.py
        self.config = config  # for the rooms' presence limits (server/awareness.py)
        self.idle_seconds = idle_seconds
        self.compact_after = compact_after
        self.board_quota, self.meeting_quota = board_quota, meeting_quota
        self._rooms = _RoomIndex()
        self._unload_timers: dict[RoomKey, asyncio.TimerHandle] = {}
        self._meetings: dict[str, MeetingGuard] = {}  # of the meetings with a board loaded

    def get(self, meeting_id: str, board_id: str) -> Room:
        key = (meeting_id, board_id)
        timer = self._unload_timers.pop(key, None)
        if timer is not None:
            timer.cancel()
        room = self._rooms.get(key)
        if room is None:
            meeting = self._meetings.get(meeting_id)
            if meeting is None:
                meeting = self._meetings[meeting_id] = MeetingGuard.load(
                    self.store, meeting_id, self.board_quota, self.meeting_quota
                )
            room = self._rooms[key] = Room(
                key, self.store, self.compact_after, meeting, config=self.config, bus=self.bus
            )
        return room

    def _drop(self, key: RoomKey) -> None:
        self._rooms.pop(key).gone = True
        if not self.boards_of(key[0]):
            self._meetings.pop(key[0], None)

    def release(self, room: Room) -> None:
        """Call when done with a room; it unloads after idle_seconds without connections."""
        if room.connections or room.key in self._unload_timers:
            return
        loop = asyncio.get_running_loop()
        self._unload_timers[room.key] = loop.call_later(self.idle_seconds, self._unload, room.key)

    def _unload(self, key: RoomKey, at_once: bool = False) -> None:
        self._unload_timers.pop(key, None)
        room = self._rooms.get(key)
        if room is None or room.connections:
            return
        try:
            if at_once:
                room.compact()
            else:
                room.compact_soon()
                if room.compacting:  # a big board, in parts: unload when that is done
                    loop = asyncio.get_running_loop()
                    self._unload_timers[key] = loop.call_later(1.0, self._unload, key)
                    return
        except Exception:
            log.exception("compacting %s/%s on unload failed; its log stays", *key)
        self._drop(key)

    def forget(self, meeting_id: str) -> None:
        """Drop a (deleted) meeting's boards from memory without writing them back."""
        for board_id in list(self.boards_of(meeting_id)):
            timer = self._unload_timers.pop((meeting_id, board_id), None)
            if timer is not None:
                timer.cancel()
            self._drop((meeting_id, board_id))

    def loaded(self, meeting_id: str) -> Iterator[Room]:
        return iter(list(self.boards_of(meeting_id).values()))

    def boards_of(self, meeting_id: str) -> dict[str, Room]:
        """The meeting's loaded boards by board id (do not change the dict)."""
        return self._rooms.by_meeting.get(meeting_id, {})

    def all(self) -> list[Room]:
        return list(self._rooms.values())

    def meeting_ids(self) -> list[str]:
        return list(self._rooms.by_meeting)

    def active_meetings(self) -> int:
        return len(self._rooms.by_meeting)

    def is_loaded(self, meeting_id: str, board_id: str) -> bool:
        return (meeting_id, board_id) in self._rooms

    def close(self) -> None:
        """Compact every room (graceful shutdown)."""
        for timer in self._unload_timers.values():
            timer.cancel()
        self._unload_timers.clear()
        for key in list(self._rooms):
            self._unload(key, at_once=True)
