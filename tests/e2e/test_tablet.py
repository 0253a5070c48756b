"""A tablet passed around: who are you, private notes, the hand-over screen."""

import httpx
from playwright.async_api import expect


async def board_json(live_server, m, board="drieluik"):
    async with httpx.AsyncClient() as http:
        r = await http.get(
            f"{live_server.base}/api/meetings/{m['id']}/boards/{board}",
            headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
        )
    return r.json()


async def test_private_notes_stay_on_the_device_until_posted(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    tablet = await (await new_device(1024, 768)).join(m["links"]["familie"], "Oma Wiëbe", "oma")
    other = await (await new_device()).join(m["links"]["familie"], "Mama Lisa", "moeder")

    # "Eerst alleen voor mij": kept on this tablet. (In the first step everyone writes
    # together, so the box starts unticked: tests/e2e/test_posting.py.)
    await tablet.add_note("zorgen", "Sem mist zijn vader", private=True)
    note = tablet.note("Sem mist zijn vader")
    await note.wait_for()
    assert "Alleen voor jou" in await note.inner_text()
    # A note for everyone, written after it on the same tablet, reaches the other device;
    # the private one does not, and the server never had it.
    await tablet.add_note("zorgen", "Sem is graag bij opa", private=False)
    await other.note("Sem is graag bij opa").wait_for()
    assert await other.note("Sem mist zijn vader").count() == 0
    assert [n["text"] for n in (await board_json(live_server, m))["notes"]] == [
        "Sem is graag bij opa"
    ]

    # It survives a reload (kept in this device's IndexedDB).
    await tablet.page.reload()
    await tablet.note("Sem mist zijn vader").wait_for()

    # Hand the tablet over: the next person does not see Oma's private note.
    await tablet.page.get_by_role("button", name="Iemand anders").click()
    who = tablet.page.locator("dialog.who")
    await who.wait_for()
    assert "Geef het apparaat door" in await who.inner_text()
    await expect(tablet.page.locator("li.note.private")).to_have_count(0)
    await tablet.screenshot("hand-over")
    await tablet.choose("Pleegvader Karim", "pleegvader")
    await tablet.add_note("zorgen", "Karim is bang dat het misgaat", private=True)
    await tablet.note("Karim is bang").wait_for()  # Karim's own private notes are shown
    assert await tablet.note("Sem mist zijn vader").count() == 0
    # Karim's notes are attributed to him, in one tap back to Oma
    await tablet.page.get_by_role("button", name="Iemand anders").click()
    await tablet.choose("Oma Wiëbe")
    await tablet.note("Sem mist zijn vader").wait_for()
    assert await tablet.note("Karim is bang").count() == 0

    # Posting puts it on everyone's board, with Oma as the writer.
    await tablet.note("Sem mist zijn vader").get_by_role("button", name="Plakken").click()
    posted = other.note("Sem mist zijn vader")
    await posted.wait_for()
    assert "Oma Wiëbe" in await posted.inner_text()
    assert "Alleen voor jou" not in await tablet.note("Sem mist zijn vader").inner_text()
    notes = (await board_json(live_server, m))["notes"]
    assert sorted((n["text"], n["authorName"]) for n in notes) == [
        ("Sem is graag bij opa", "Oma Wiëbe"),
        ("Sem mist zijn vader", "Oma Wiëbe"),
    ]


async def test_names_chosen_on_one_device_are_offered_on_the_next(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    await (await new_device()).join(m["links"]["familie"], "Opa Henk", "opa")
    phone = await new_device(390, 844, is_mobile=True, has_touch=True)
    await phone.page.goto(m["links"]["familie"])
    who = phone.page.locator("dialog.who")
    await who.get_by_role("button", name="Opa Henk (opa)").wait_for()
    await phone.screenshot("join-phone")
    await who.get_by_role("button", name="Opa Henk (opa)").click()
    await phone.page.locator(".person-bar", has_text="Opa Henk").wait_for()


async def test_keyboard_only_adds_and_moves_a_goal(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    d = await (await new_device()).join(m["links"]["familie"], "Aïsha", "zus")
    page = d.page
    await page.get_by_role("tab", name="Doelen in beeld").focus()
    await page.keyboard.press("Enter")
    add = page.locator(".board:not([hidden]) [data-zone=kort-samen] [data-add-zone]")
    await add.focus()
    await page.keyboard.press("Enter")
    await page.keyboard.type("Iemand haalt Sem op van school")
    await page.locator("dialog input[value=voorwaardelijk]").focus()
    await page.keyboard.press("Space")
    await page.locator("dialog #nb-note-help").select_option("praktisch")
    await page.locator("dialog button[value=save]").focus()
    await page.keyboard.press("Enter")
    note = d.zone("kort-samen").locator("li.note", has_text="Iemand haalt Sem op")
    await note.wait_for()
    text = await note.inner_text()
    assert "moet eerst" in text and "hulp: een handje helpen" in text  # plain words
    # move it to another zone with the keyboard: open, choose the zone, done
    await note.locator(".note-body").focus()
    await page.keyboard.press("Enter")
    await page.locator("dialog #nb-note-zone").select_option("lang-samen")
    await page.locator("dialog button[value=save]").focus()
    await page.keyboard.press("Enter")
    await d.zone("lang-samen").locator("li.note", has_text="Iemand haalt Sem op").wait_for()


async def test_fits_tablets_and_phones_with_big_touch_targets(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    for width, height, name in [
        (768, 1024, "tablet-portrait"),
        (1024, 768, "tablet-landscape"),
        (390, 844, "phone"),
    ]:
        d = await (await new_device(width, height, has_touch=True)).join(
            m["links"]["familie"], "Oma Wiëbe", "oma"
        )
        await d.add_note("plan", f"Briefje op {name}")
        assert await d.page.evaluate("document.documentElement.scrollWidth <= innerWidth"), name
        small = await d.page.evaluate("""() => [...document.querySelectorAll(
            'button:not([hidden]), [role=tab], input, select')]
            .filter(el => el.offsetParent !== null)
            .map(el => el.getBoundingClientRect())
            .filter(r => r.height < 44 || r.width < 44).length""")
        assert small == 0, f"{name}: {small} touch targets smaller than 44 px"
        await d.screenshot(name)
