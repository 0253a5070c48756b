"""Who is in the room, in the browser: the TV opened from the console holds no credential,
a phone scans the room's QR code and is let in, a refused phone is told so calmly."""

from tests.e2e.test_board import meeting


async def test_the_tv_holds_nothing_and_the_facilitator_lets_a_phone_in(live_server, new_device):
    m = await meeting(live_server)
    tokens = list(m["tokens"].values())
    fac = await (await new_device(1280, 800)).join(
        m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    assert not any(t in fac.page.url for t in tokens)  # the link went no further than /j/
    # "Scherm openen": the TV's view in a window of the facilitator's own browser.
    requests: list[str] = []
    fac.context.on("request", lambda r: requests.append(r.url))
    async with fac.context.expect_page() as opened:
        await fac.page.get_by_role("button", name="Scherm openen").click()
    tv = await opened.value
    await tv.wait_for_selector(".join-corner img")
    html = await tv.content()
    room = await tv.locator(".join-link").inner_text()
    assert "/binnen/" in room and "/scherm" in tv.url
    assert not any(t in html or t in tv.url for t in tokens)
    assert not any(t in url for t in tokens for url in requests)
    await tv.set_viewport_size({"width": 1920, "height": 1080})
    await tv.screenshot(path="test-artifacts/admission-tv.png")

    # A phone scans the QR code: it asks, and waits.
    phone = await new_device(390, 844)
    await phone.page.goto(room)
    await phone.page.locator("#nb-admission-name").fill("Tante Fatima")
    await phone.page.get_by_role("button", name="Vraag of ik mee mag doen").click()
    await phone.page.get_by_text("Even wachten, Tante Fatima").wait_for()
    await phone.screenshot("admission-phone-waiting")
    # The facilitator sees it in the console, and lets her in as family.
    waiting = fac.page.locator(".admissions li", has_text="Tante Fatima")
    await waiting.wait_for()
    await fac.screenshot("admission-console")
    await waiting.get_by_role("button", name="Binnenlaten als Familie en netwerk").click()
    # The phone goes on by itself to the board, and writes a note that the TV shows.
    await phone.choose("Tante Fatima", "tante")
    await phone.page.wait_for_selector(".board:not([hidden]) .zones")
    await phone.add_note("zorgen", "Tante Fatima kan op woensdag koken", private=False)
    await tv.locator("li.note", has_text="Tante Fatima kan").wait_for()
    await phone.screenshot("admission-phone-in")

    # A second phone is refused: a calm message, and nothing opens.
    other = await new_device(390, 844)
    await other.page.goto(room)
    await other.page.locator("#nb-admission-name").fill("Onbekend")
    await other.page.get_by_role("button", name="Vraag of ik mee mag doen").click()
    await other.page.get_by_text("Even wachten").wait_for()
    request = fac.page.locator(".admissions li", has_text="Onbekend")
    await request.get_by_role("button", name="Niet binnenlaten").click()
    await other.page.get_by_text("niet binnengelaten").wait_for()
    await other.screenshot("admission-phone-refused")
    assert await other.page.locator(".board").count() == 0
    for device in (fac, phone, other):
        assert device.errors == []
