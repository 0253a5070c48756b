"""What the TV shows (board/screen.py) and the timer's end (board/timer.py): the pure rules,
then the facilitator's control over HTTP and what the TV receives."""

from dataclasses import replace

import pytest
from pycrdt import Map

from board import screen as screens
from board import timer as timers
from board.scripts import get_script
from board.state import MeetingState, enter_step, finish, lock
from tests.yclient import YClient

DRIELUIK = MeetingState(script="drieluik", phase="bespreken-zorgen")
FNB = MeetingState(script="familienetwerkberaad", phase="welkom")


def test_the_tv_follows_the_step_until_it_is_sent_elsewhere():
    screen = screens.Screen()
    assert screens.showing(screen, DRIELUIK) == "drieluik"
    screen = screens.show(screen, DRIELUIK, "doelen")
    assert screens.showing(screen, DRIELUIK) == "doelen"
    assert screens.spotlight_of(screen) is None
    assert screens.showing(screens.follow_step(screen), DRIELUIK) == "drieluik"


def test_a_group_large_on_the_tv_and_back_to_its_board():
    screen = screens.show(screens.Screen(), DRIELUIK, "drieluik", "g1")
    assert screens.spotlight_of(screen) == {"board": "drieluik", "group": "g1"}
    # the group was on the step's board: taking it off means following the step again
    assert screens.hide_group(screen, DRIELUIK) == screens.Screen()
    # a group on another board: taking it off leaves that board on the TV
    elsewhere = screens.show(screens.Screen(), DRIELUIK, "doelen", "g2")
    assert screens.hide_group(elsewhere, DRIELUIK) == screens.Screen(board="doelen")
    assert screens.hide_group(screens.Screen(board="plan"), DRIELUIK) == screens.Screen("plan")


@pytest.mark.parametrize(
    ("state", "board", "group"),
    [
        (FNB, "familie", None),  # the family's worksheet never goes on the TV
        (replace(FNB, closed=True), "familie", None),
        (FNB, "verloop", None),
        (FNB, "evaluatie", None),  # not a board of this meeting's script
        (DRIELUIK, "bodemeisen", None),
        (DRIELUIK, "nergens", None),
        (DRIELUIK, None, None),
        (DRIELUIK, 3, None),
        (DRIELUIK, "plan", "g1"),  # the plan has no groups
        (DRIELUIK, "drieluik", ""),
        (DRIELUIK, "drieluik", "g" * 65),
        (DRIELUIK, "drieluik", 7),
    ],
)
def test_what_the_tv_cannot_show(state, board, group):
    with pytest.raises(screens.NotForTheScreen):
        screens.show(screens.Screen(), state, board, group)


def test_the_tv_shows_the_open_boards_also_in_the_closed_part_and_when_finished():
    closed = enter_step(FNB, "besloten-deel")
    assert closed.closed
    assert screens.screen_boards(closed) == ("bodemeisen", "doelen", "plan", "drieluik")
    assert screens.screen_boards(lock(finish(closed), "plan", True)) == screens.screen_boards(
        closed
    )
    for script in ("familienetwerkberaad", "drieluik", "evaluatie"):
        state = MeetingState(script=script)
        assert "familie" not in screens.screen_boards(state)
        assert set(screens.screen_boards(state)) <= set(get_script(script).boards)


def test_another_step_makes_the_tv_follow_it_again_and_keeps_the_sound():
    screen = screens.set_sound(screens.show(screens.Screen(), DRIELUIK, "doelen"), True)
    same_step = lock(DRIELUIK, "drieluik", True)
    assert screens.after_change(screen, DRIELUIK, same_step) == screen
    next_step = enter_step(DRIELUIK, "familie-plakt-wensen")
    assert screens.after_change(screen, DRIELUIK, next_step) == screens.Screen(sound=True)


def test_the_screen_as_kept_in_verloop_and_read_back():
    screen = screens.Screen("drieluik", "g1", True)
    assert screens.from_verloop(screens.to_verloop(screen)) == screen
    assert screens.from_verloop(None) == screens.Screen()
    assert screens.from_verloop({"board": "nergens", "group": "g1"}) == screens.Screen()
    # the older spotlight field reads as a group on the TV
    assert screens.from_verloop({"board": "drieluik", "group": "g1"}) == screens.Screen(
        "drieluik", "g1"
    )


def test_the_timer_ends_and_the_next_step_clears_it():
    running = timers.apply(timers.Timer(), "start", 5, now=0)
    assert not timers.ended(running, now=299_999) and timers.ended(running, now=300_000)
    assert timers.after_step(running, now=100) == running  # still running: it goes on
    assert timers.after_step(running, now=300_001) == timers.Timer()
    paused = timers.apply(running, "pause", 0, now=100)
    assert not timers.ended(paused, now=10**9) and timers.after_step(paused, 10**9) == paused
    assert 0 < timers.END_SHOWN_MS <= 5 * 60_000


# --- over HTTP and the wire -------------------------------------------------------------------


async def test_only_the_facilitator_sends_the_tv_elsewhere_and_the_tv_follows(live_server):
    m = await live_server.create_meeting("Drieluik familie Bakker", script="drieluik")
    path = f"/api/meetings/{m['id']}/screen"
    tv = await YClient(
        live_server.ws_url(m["id"], "verloop", m["tokens"]["scherm"]), role="scherm"
    ).connect()
    state = lambda: tv.doc.get("state", type=Map)  # noqa: E731
    assert state().get("screen") == {
        "board": None,
        "group": None,
        "sound": False,
        "question": None,
    }

    for role in ("familie", "professional", "scherm"):
        r = await live_server.post(path, m["tokens"][role], {"board": "doelen"})
        assert r.status_code == 403, role
    r = await live_server.post(path, None, {"board": "doelen"})
    assert r.status_code == 401

    fac = m["tokens"]["facilitator"]
    r = await live_server.post(path, fac, {"board": "doelen", "by": "Joost"})
    assert r.status_code == 200
    assert r.json() == {
        "screen": {"board": "doelen", "group": None, "sound": False, "question": None},
        "spotlight": None,
    }
    await tv.wait_for(lambda: (state().get("screen") or {}).get("board") == "doelen")

    for bad in (
        {"board": "familie"},
        {"board": "bodemeisen"},  # not in a Drieluik-bijeenkomst
        {"board": "plan", "group": "g1"},
        {"board": 1},
        {"sound": "ja"},
        {},
    ):
        r = await live_server.post(path, fac, bad)
        assert r.status_code == 400, bad
        assert r.json()["error"]
    # nothing of those changed what the TV shows
    assert state().get("screen")["board"] == "doelen"

    r = await live_server.post(path, fac, {"board": "drieluik", "group": "g1"})
    assert r.json()["spotlight"] == {"board": "drieluik", "group": "g1"}
    await tv.wait_for(lambda: (state().get("spotlight") or {}).get("group") == "g1")
    # the older route takes the group off again: the step's board, so it follows the step
    r = await live_server.post(
        f"/api/meetings/{m['id']}/spotlight", fac, {"board": "drieluik", "group": None}
    )
    assert r.json() == {"spotlight": None}
    await tv.wait_for(lambda: state().get("screen")["board"] is None)

    r = await live_server.post(path, fac, {"sound": True})
    assert r.json()["screen"] == {"board": None, "group": None, "sound": True, "question": None}
    r = await live_server.post(path, fac, {"board": "plan"})
    assert r.json()["screen"] == {"board": "plan", "group": None, "sound": True, "question": None}
    r = await live_server.post(path, fac, {"board": None})
    assert r.json()["screen"] == {"board": None, "group": None, "sound": True, "question": None}
    await tv.close()


async def test_the_next_step_brings_the_tv_back_and_clears_a_timer_that_ran_out(live_server):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = m["tokens"]["facilitator"]
    base = f"/api/meetings/{m['id']}"
    tv = await YClient(
        live_server.ws_url(m["id"], "verloop", m["tokens"]["scherm"]), role="scherm"
    ).connect()
    state = lambda: tv.doc.get("state", type=Map)  # noqa: E731
    await live_server.post(f"{base}/screen", fac, {"board": "drieluik"})
    # a timer of 10 ms has run out by the time the step changes; one of 10 minutes goes on
    r = await live_server.post(f"{base}/timer", fac, {"action": "start", "minutes": 10 / 60_000})
    ends = r.json()["timerEndsAt"]
    await tv.wait_for(lambda: state().get("timerEndsAt") == ends)
    r = await live_server.post(f"{base}/step", fac, {"move": "next"})
    assert r.json()["phase"] == "informatie-delen"
    await tv.wait_for(lambda: state().get("screen")["board"] is None)
    await tv.wait_for(lambda: state().get("timerEndsAt") is None)

    r = await live_server.post(f"{base}/timer", fac, {"action": "start", "minutes": 10})
    ends = r.json()["timerEndsAt"]
    await live_server.post(f"{base}/screen", fac, {"board": "plan"})
    # the closed part: the TV still shows an open board, never the family's worksheet
    r = await live_server.post(f"{base}/step", fac, {"move": "next"})
    assert r.json()["closed"] is True
    await tv.wait_for(lambda: state().get("screen")["board"] is None)
    assert state().get("timerEndsAt") == ends
    r = await live_server.post(f"{base}/screen", fac, {"board": "plan"})
    assert r.json()["screen"]["board"] == "plan"
    r = await live_server.post(f"{base}/screen", fac, {"board": "familie"})
    assert r.status_code == 400
    await tv.close()
