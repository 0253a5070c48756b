"""A professional's browser during the closed part: the waiting screen (with the timer) from
the small `stand` board, nothing of what the family does meanwhile, and the boards back after.
"""

from board.scripts import CLOSED_PART_WAITING
from tests.e2e.test_meeting_flow import capture_frames

RELATION = "wil-het-kind-opvangen-MARKER"
NOTE = "Opa Henk haalt Sem op MARKER"


async def test_the_waiting_screen_holds_and_the_board_comes_back(live_server, new_device):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    mid, tok = m["id"], m["tokens"]
    fac = tok["facilitator"]
    pro_device = await new_device(390, 844, has_touch=True)  # a phone
    frames = await capture_frames(pro_device)
    pro = await pro_device.join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")
    fam = await (await new_device(1024, 768, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )

    share = (await live_server.post(f"/api/meetings/{mid}/share", fac, {})).json()["link"]
    step = f"/api/meetings/{mid}/phase"
    await live_server.post(step, fac, {"phase": "besloten-deel"})  # starts the closed part
    waiting = pro.page.locator(".waiting-screen", has_text=CLOSED_PART_WAITING["title"])
    await waiting.wait_for()
    assert await pro.page.locator("li.note").count() == 0
    seen = len(frames)

    # The family goes on: a new person with what she wants, a note, on the tablet.
    r = await live_server.post(
        f"/api/meetings/{mid}/participants", tok["familie"], {"name": "Eva", "relation": RELATION}
    )
    assert r.status_code == 201
    await fam.page.locator(".closed-banner").wait_for()
    await fam.add_note("kort-samen", NOTE)  # on the step's board: the goals
    # The timer still reaches the waiting screen (from `stand`), and nothing else does.
    await live_server.post(f"/api/meetings/{mid}/timer", fac, {"action": "start", "minutes": 10})
    await pro.page.locator(".waiting-screen .waiting-timer", has_text="Nog").wait_for()
    await pro.page.locator(
        ".waiting-calm"
    ).wait_for()  # no "Geen verbinding": kept out, not offline
    assert await pro.page.locator(".connection-offline").count() == 0
    await pro.screenshot("closed-part-professional-phone-waiting")
    # The plan link shows a waiting page, with nothing of the meeting but its title.
    reader = await new_device(390, 844)
    await reader.page.goto(share)
    await reader.page.get_by_text("Het plan is straks weer te zien").wait_for()
    assert "MARKER" not in await reader.page.content()
    await reader.screenshot("closed-part-plan-link-waiting")
    # A professional who opens the link only now waits as well, and learns nothing either.
    late_device = await new_device()
    late_frames = await capture_frames(late_device)
    late = await late_device.join(m["links"]["professional"], "Ruud", "gedragsdeskundige")
    await late.page.locator(".waiting-screen .waiting-timer", has_text="Nog").wait_for()
    assert await late.page.locator("li.note").count() == 0
    await late.screenshot("closed-part-professional-late-waiting")
    for received in (frames[seen:], late_frames):
        assert all(b"MARKER" not in f for f in received if isinstance(f, bytes))
        assert all("MARKER" not in f for f in received if isinstance(f, str))

    # The closed part ends: the board, and all of it, is back.
    await live_server.post(step, fac, {"phase": "plan-presenteren"})  # ends it
    await waiting.wait_for(state="hidden")
    await pro.page.get_by_role("tab", name="Doelen in beeld").click()
    await pro.note(NOTE).wait_for()
    assert any(b"MARKER" in f for f in frames if isinstance(f, bytes))  # verloop, too
    await pro.screenshot("closed-part-professional-phone-back")
    await late.page.get_by_role("tab", name="Doelen in beeld").click()
    await late.note(NOTE).wait_for()
    for d in (pro, late, fam):
        assert d.errors == []
