"""Post-its in the browser: two devices live, moves, groups, undo, XSS, the projector."""

import httpx

XSS = "<img src=x onerror=alert(1)>"


async def meeting(live_server, title="Netwerkberaad familie De Vries"):
    return await live_server.create_meeting(title, script="drieluik")


async def test_tablet_and_remote_device_see_each_others_notes_and_moves(live_server, new_device):
    m = await meeting(live_server)
    tablet = await (await new_device(1024, 768)).join(m["links"]["familie"], "Oma Wiëbe", "oma")
    laptop = await (await new_device()).join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")

    await tablet.add_note("plan", "Opa haalt Sem op dinsdag")
    await laptop.note("Opa haalt Sem op dinsdag").wait_for()
    await laptop.add_note("plan", "School belt moeder bij zorgen")
    await tablet.note("School belt moeder bij zorgen").wait_for()
    # who wrote it, with a mark for professionals
    assert "Aïsha" in await tablet.note("School belt moeder").inner_text()
    assert "· professional" in await tablet.note("School belt moeder").inner_text()
    assert "professional" not in await laptop.note("Opa haalt Sem").inner_text()

    # the laptop drags the tablet's note into the right column; the tablet sees it move
    await laptop.drag(laptop.note("Opa haalt Sem"), laptop.zone("wensen"), where="bottom")
    await tablet.zone("wensen").locator("li.note", has_text="Opa haalt Sem").wait_for()
    # the colour follows the question
    await tablet.zone("wensen").locator("li.note.color-groen", has_text="Opa haalt Sem").wait_for()
    await tablet.screenshot("board-tablet")
    assert tablet.errors == [] and laptop.errors == []


async def test_drop_a_note_on_another_to_group_them_with_a_theme(live_server, new_device):
    m = await meeting(live_server)
    a = await (await new_device()).join(m["links"]["familie"], "Mama Lisa", "moeder")
    b = await (await new_device()).join(m["links"]["facilitator"], "Joost", "gespreksleider")
    await a.add_note("plan", "Vaste avond bij oma")
    await a.add_note("plan", "Sem logeert om het weekend")
    await a.add_note("wensen", "Rust in huis", private=False)

    await a.drag(a.note("Sem logeert"), a.note("Vaste avond bij oma"))
    group = b.page.locator(".board:not([hidden]) li.group")
    await group.wait_for()
    assert await group.locator("li.note").count() == 2

    await b.page.locator("button.group-title").click()
    await b.page.locator("#nb-ask").fill("Weekenden")
    await b.page.get_by_role("button", name="Klaar").click()
    await a.page.locator("button.group-title", has_text="Weekenden").wait_for()

    # the group moves as one
    await a.drag(a.page.locator(".group-head"), a.zone("wensen"), where="bottom")
    wensen_group = b.zone("wensen").locator("li.group", has_text="Weekenden")
    await wensen_group.wait_for()
    assert await wensen_group.locator("li.note").count() == 2
    assert await b.zone("plan").locator("li.note").count() == 0
    await b.screenshot("board-groups")


async def test_undo_and_redo_my_own_change(live_server, new_device):
    m = await meeting(live_server)
    a = await (await new_device()).join(m["links"]["familie"], "Opa Henk", "opa")
    b = await (await new_device()).join(m["links"]["familie"], "Tante Eva", "tante")
    await a.add_note("plan", "Opa rijdt naar voetbal")
    await b.add_note("plan", "Tante Eva kookt op vrijdag")
    await b.note("Opa rijdt").wait_for()
    await a.page.get_by_role("button", name="Ongedaan maken").click()
    await b.note("Opa rijdt").wait_for(state="detached")
    assert await a.note("Tante Eva kookt").count() == 1  # someone else's note stays
    await a.page.get_by_role("button", name="Opnieuw").click()
    await b.note("Opa rijdt").wait_for()


async def test_only_the_writer_or_facilitator_can_change_a_note(live_server, new_device):
    m = await meeting(live_server)
    a = await (await new_device()).join(m["links"]["familie"], "Mama Lisa", "moeder")
    b = await (await new_device()).join(m["links"]["familie"], "Papa Rik", "vader")
    await a.add_note("plan", "Papa belt elke zondag")
    await b.note("Papa belt").click()
    assert await b.page.locator("dialog").count() == 0  # not his note: nothing to edit
    await a.note("Papa belt").click()
    dialog = a.page.locator("dialog")
    await dialog.locator("#nb-note-text").fill("Papa belt elke zondag om 18 uur")
    await dialog.locator("button[value=save]").click()
    await b.note("om 18 uur").wait_for()
    await a.note("om 18 uur").click()
    await a.page.locator("dialog button[value=delete]").click()
    await b.note("Papa belt").wait_for(state="detached")


async def test_note_text_is_shown_as_text_never_run(live_server, new_device):
    m = await meeting(live_server)
    a = await (await new_device()).join(m["links"]["familie"], "Aïsha", "zus")
    b = await (await new_device()).join(m["links"]["familie"], "Eliëtte", "nicht")
    await b.page.evaluate("window.__xss = 0")
    await a.add_note("plan", XSS + "<script>window.__xss = 1</script>")
    await b.note("onerror").wait_for()
    text = await b.note("onerror").locator(".note-text").inner_text()
    assert text == XSS + "<script>window.__xss = 1</script>"
    assert await b.page.locator(".board img, .board script").count() == 0
    assert await b.page.evaluate("window.__xss") == 0
    assert a.errors == [] and b.errors == []  # includes: no alert() dialog appeared


async def test_projector_is_read_only_and_shows_how_to_join(live_server, new_device):
    m = await meeting(live_server)
    fam = await (await new_device()).join(m["links"]["familie"], "Oma Wiëbe", "oma")
    await fam.add_note("zorgen", "Sem wordt stil op school", private=False)
    tv = await new_device(1920, 1080)
    await tv.join(m["links"]["scherm"])
    await tv.note("Sem wordt stil").wait_for()
    assert await tv.page.locator("dialog.who").count() == 0
    assert await tv.page.locator("[data-add-zone]").count() == 0
    qr = tv.page.locator(".join-corner img")
    await qr.wait_for()
    assert await qr.evaluate("img => img.complete && img.naturalWidth > 100")
    # The room's link: it asks the facilitator, it opens no role (tests/test_devices.py).
    room = await tv.page.locator(".join-link").inner_text()
    assert "/binnen/" in room
    assert not any(token in room for token in m["tokens"].values())
    # dragging on the projector changes nothing: a note written after it reaches the
    # projector, and by then the dragged note is still where it was, there and on the tablet
    await tv.drag(tv.note("Sem wordt stil"), tv.zone("wensen"), where="bottom")
    await fam.add_note("wensen", "Sem gaat weer graag naar school", private=False)
    await tv.note("Sem gaat weer graag").wait_for()
    await fam.note("Sem gaat weer graag").wait_for()
    for device in (tv, fam):
        assert (
            await device.zone("zorgen").locator("li.note", has_text="Sem wordt stil").count() == 1
        )
        assert (
            await device.zone("wensen").locator("li.note", has_text="Sem wordt stil").count() == 0
        )
    # the QR code is made by our server
    async with httpx.AsyncClient() as http:
        svg = await http.get(f"{room}/qr.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    # legible from across the room: note text at least 24 px on a 1080p screen
    size = (
        await tv.note("Sem wordt stil")
        .locator(".note-text")
        .evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    )
    assert size >= 24
    await tv.screenshot("projector")
