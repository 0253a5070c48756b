"""A change the server refuses (4422): the device says so calmly, throws its copy of the board
away and loads it again from the server, and the board stays usable without a reload."""

from pathlib import Path

import httpx
from playwright.async_api import expect

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ORIGINAL = "Ik maak me zorgen om school"
CHANGED = "Er is niets aan de hand op school"
CHANGED_AGAIN = "School gaat heel goed"

# What a modified client would do: change another role's note through the page's own
# document operations, without the interface's checks.
CHANGE_NOTE = """([original, text]) => {
  const nb = window.netwerkbord
  const board = nb.boards.find((b) => b.id === 'drieluik')
  let id = null
  board.doc.getMap('notes').forEach((n, key) => { if (n.get('text') === original) id = key })
  if (!id) throw new Error('note not found')
  nb.ops.updateNote(board.doc, 'local:changed-by-hand', id, { text })
}"""

# The family's board copy in IndexedDB, read raw: which of the texts does it hold?
STORED_TEXTS = """async ([name, texts]) => {
  const board = window.netwerkbord.boards.find((b) => b.id === 'drieluik')
  await board.local.whenSynced
  const db = await new Promise((resolve, reject) => {
    const r = indexedDB.open(name)
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
  const updates = await new Promise((resolve, reject) => {
    const r = db.transaction('updates').objectStore('updates').getAll()
    r.onsuccess = () => resolve(r.result)
    r.onerror = () => reject(r.error)
  })
  db.close()
  const all = updates.map((u) => new TextDecoder().decode(u)).join(' ')
  return texts.filter((t) => all.includes(t))
}"""

DRIELUIK_READY = "() => !window.netwerkbord.boards.find((b) => b.id === 'drieluik').resetting"


async def shot(device, name: str) -> None:
    """What the person sees now (the viewport, where the message is)."""
    ARTIFACTS.mkdir(exist_ok=True)
    await device.page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


async def test_a_refused_change_is_undone_calmly_and_the_board_stays_usable(
    live_server, new_device
):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries", script="drieluik")
    r = await live_server.post(
        f"/api/meetings/{m['id']}/posting", m["tokens"]["facilitator"], {"open": True}
    )
    assert r.status_code == 200, r.text  # "iedereen plakt nu": family and professionals write
    pro = await (await new_device()).join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")
    fam = await (await new_device(768, 1024, has_touch=True)).join(
        m["links"]["familie"], "Mama Lisa", "moeder"
    )

    await pro.add_note("zorgen", ORIGINAL, private=False)
    await fam.note(ORIGINAL).wait_for()
    # A private note on the tablet: kept on this device only, it must survive the reset.
    await fam.add_note("wensen", "Sem gaat weer voetballen", private=True)
    await expect(fam.note("Sem gaat weer voetballen")).to_contain_text("Alleen voor jou")
    await fam.page.evaluate("window.__samePage = true")

    # The family tablet changes the professional's note, as a modified client would.
    await fam.page.evaluate(CHANGE_NOTE, [ORIGINAL, CHANGED])
    message = fam.page.locator(".refused-notice")
    await expect(message).to_contain_text("Deze wijziging is niet bewaard.")
    await expect(message).to_contain_text("Je ziet weer wat iedereen ziet.")
    await expect(message).to_be_visible()
    # The board shows again what everyone sees, on both devices.
    await expect(fam.note(ORIGINAL)).to_have_count(1)
    await expect(fam.note(CHANGED)).to_have_count(0)
    await expect(pro.note(ORIGINAL)).to_have_count(1)
    await expect(pro.note(CHANGED)).to_have_count(0)
    await shot(fam, "refused-change-tablet")
    await fam.page.set_viewport_size({"width": 390, "height": 844})
    await expect(message).to_be_visible()
    await shot(fam, "refused-change-phone")
    box = await message.locator(".refused-box").bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844
    await fam.page.set_viewport_size({"width": 768, "height": 1024})

    # The device's own copy was thrown away and loaded again: no trace of the refused text.
    await fam.page.wait_for_function(DRIELUIK_READY)
    stored = await fam.page.evaluate(
        STORED_TEXTS, [f"nb:{m['id']}:drieluik:familie", [ORIGINAL, CHANGED]]
    )
    assert stored == [ORIGINAL]
    # The private note is still there, still only on this device.
    await expect(fam.note("Sem gaat weer voetballen")).to_contain_text("Alleen voor jou")

    # A tap puts the message away.
    await message.get_by_role("button", name="Oké").click()
    await expect(message).to_be_empty()

    # The board is fully usable: a new note reaches the professional; the professional's
    # changes reach the tablet.
    await fam.add_note("plan", "Oma haalt Sem op van school")
    await pro.note("Oma haalt Sem op van school").wait_for()
    await pro.add_note("plan", "Ik bel de mentor op maandag")
    await fam.note("Ik bel de mentor op maandag").wait_for()

    # Refused again right after the reset: the same calm message, a reset again (a little
    # later), never a reload of the page.
    await fam.page.evaluate(CHANGE_NOTE, [ORIGINAL, CHANGED_AGAIN])
    await expect(message).to_contain_text("Deze wijziging is niet bewaard.")
    await fam.page.wait_for_function(DRIELUIK_READY)
    await expect(fam.note(ORIGINAL)).to_have_count(1)
    await expect(fam.note(CHANGED_AGAIN)).to_have_count(0)
    await fam.add_note("plan", "Opa brengt Sem op woensdag")
    await pro.note("Opa brengt Sem op woensdag").wait_for()

    async with httpx.AsyncClient() as http:
        r = await http.get(
            f"{live_server.base}/api/meetings/{m['id']}/boards/drieluik",
            headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
        )
    texts = {n["text"] for n in r.json()["notes"]}
    assert ORIGINAL in texts and CHANGED not in texts and CHANGED_AGAIN not in texts
    assert "Sem gaat weer voetballen" not in texts  # the private note never left the tablet
    assert await fam.page.evaluate("window.__samePage === true")
    assert fam.errors == [] and pro.errors == []
