"""Posting as the steps intend, consent that keeps what you typed, and a waiting screen that
says what is happening. Played in Chromium: a family tablet, a professional's phone, the TV."""

from tests.e2e.test_meeting_flow import step_is


async def set_phase(live_server, m, phase: str) -> None:
    r = await live_server.post(
        f"/api/meetings/{m['id']}/phase", m["tokens"]["facilitator"], {"phase": phase}
    )
    assert r.status_code == 200


async def new_note_box(device, zone: str):
    """Open "+ Briefje" in a zone; the dialog's "Eerst alleen voor mij" box (may be absent)."""
    await device.zone(zone).locator("[data-add-zone]").click()
    return device.page.locator("dialog input[name=private]")


async def save_note(device, text: str) -> None:
    dialog = device.page.locator("dialog")
    await dialog.locator("#nb-note-text").fill(text)
    await dialog.locator("button[value=save]").click()
    await dialog.wait_for(state="detached")


async def test_in_a_write_together_step_a_new_note_reaches_the_tv(live_server, new_device):
    m = await live_server.create_meeting("Drieluik familie Bakker", script="drieluik")
    tablet = await (await new_device(768, 1024, has_touch=True)).join(
        m["links"]["familie"], "Mama Lisa", "moeder"
    )
    tv = await (await new_device(1920, 1080)).join(m["links"]["scherm"])

    # "Bespreken": everyone writes together. The box is not ticked, left or right.
    await set_phase(live_server, m, "bespreken-zorgen")
    await step_is(tablet, "Bespreken: wat is het ergste?")
    for zone, text in (("zorgen", "Sem raakt zijn school kwijt"), ("wensen", "Sem voetbalt weer")):
        box = await new_note_box(tablet, zone)
        assert await box.count() == 1 and not await box.is_checked(), zone
        await save_note(tablet, text)
        await tv.note(text).wait_for()
        assert "Alleen voor jou" not in await tablet.note(text).inner_text()
    await tablet.screenshot("posting-together-tablet")
    await tv.screenshot("posting-together-tv")

    # "Zelf schrijven": for yourself first. With posting opened for everyone the box shows,
    # ticked; without it there is no box: the note can only be kept for yourself.
    await set_phase(live_server, m, "zelf-wensen")
    await step_is(tablet, "Zelf schrijven: hoe willen we het")
    box = await new_note_box(tablet, "wensen")
    assert await box.count() == 0
    assert "Dit briefje zie alleen jij" in await tablet.page.locator("dialog").inner_text()
    await save_note(tablet, "Lisa: een weekend samen weg")
    await tablet.note("Lisa: een weekend samen weg").locator(".private-mark").wait_for()
    await live_server.post(
        f"/api/meetings/{m['id']}/posting", m["tokens"]["facilitator"], {"open": True}
    )
    await tablet.page.locator(".posting-message", has_text="iedereen mag nu plakken").wait_for()
    box = await new_note_box(tablet, "wensen")
    assert await box.is_checked()
    await save_note(tablet, "Lisa: rust in huis")
    await tablet.note("Lisa: rust in huis").locator(".private-mark").wait_for()
    assert await tv.note("Lisa: rust in huis").count() == 0
    assert await tv.note("Lisa: een weekend").count() == 0
    for d in (tablet, tv):
        assert d.errors == []


async def test_plakken_shows_exactly_when_posting_is_allowed(live_server, new_device):
    m = await live_server.create_meeting("Drieluik familie Bakker", script="drieluik")
    tablet = await (await new_device(1024, 768, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    pro = await (await new_device(390, 844, is_mobile=True, has_touch=True)).join(
        m["links"]["professional"], "Aïsha", "jeugdbeschermer"
    )
    tv = await (await new_device(1920, 1080)).join(m["links"]["scherm"])
    post_left = "Mijn briefjes links plakken"

    # Writing for yourself: nothing can be posted, and the screen says so.
    await set_phase(live_server, m, "zelf-zorgen")
    await step_is(tablet, "Zelf schrijven: als er niks verandert")
    for text in ("Oma: Sem is vaak alleen", "Oma: geen geld voor de club", "Oma: ruzie thuis"):
        await tablet.add_note("zorgen", text)
    await tablet.add_note("wensen", "Oma: Sem logeert bij mij")
    await step_is(pro, "Zelf schrijven: als er niks verandert")
    await pro.add_note("zorgen", "Aïsha: school belt te laat")
    await tablet.page.locator(".posting-message", has_text="Plakken mag nu nog niet").wait_for()
    assert await tablet.page.get_by_role("button", name="Plakken").count() == 0
    assert await tablet.page.locator("button.post-all").is_hidden()
    await tablet.screenshot("posting-not-yet-tablet")

    # The family's turn: the buttons are there at once (no switching person needed) ...
    await set_phase(live_server, m, "familie-plakt")
    await tablet.page.get_by_role("button", name=post_left).wait_for()
    await tablet.note("Oma: ruzie thuis").get_by_role("button", name="Plakken").wait_for()
    # ... but not for the professional, who is told why.
    await step_is(pro, "Familie plakt links")
    await pro.page.locator(".posting-message", has_text="Plakken mag nu nog niet").wait_for()
    assert await pro.page.get_by_role("button", name=post_left).count() == 0
    assert await pro.note("Aïsha: school").get_by_role("button", name="Plakken").count() == 0
    await pro.screenshot("posting-waiting-turn-professional")
    # Not on a board without private notes.
    await tablet.page.get_by_role("tab", name="Doelen in beeld").click()
    await tablet.page.locator("button.post-all").wait_for(state="hidden")
    await tablet.page.get_by_role("tab", name="Drieluik").click()

    await tablet.page.get_by_role("button", name=post_left).click()
    await tablet.page.locator(".posting-message", has_text="3 briefjes geplakt").wait_for()
    for text in ("Oma: Sem is vaak alleen", "Oma: geen geld voor de club", "Oma: ruzie thuis"):
        await tv.note(text).wait_for()
    assert await tv.note("Oma: Sem logeert").count() == 0  # the right column waits its turn
    await tablet.page.locator("button.post-all").wait_for(state="hidden")  # nothing left here
    await tablet.screenshot("posting-posted-tablet")
    await tv.screenshot("posting-posted-tv")

    # The professionals' turn: one note, with its own "Plakken".
    await set_phase(live_server, m, "professionals-plakken")
    plakken = pro.note("Aïsha: school").get_by_role("button", name="Plakken")
    await plakken.click()
    await pro.page.locator(".posting-message", has_text="1 briefje geplakt").wait_for()
    await tv.note("Aïsha: school belt te laat").wait_for()
    await pro.screenshot("posting-posted-professional")
    for d in (tablet, pro, tv):
        assert d.errors == []


async def test_consent_keeps_the_comment_and_leaves_the_facilitator_out(live_server, new_device):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = await (await new_device(1400, 900)).join(
        m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    fam = await (await new_device(768, 1024, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    await set_phase(live_server, m, "instemming")
    consent = fam.page.locator(".consent")
    comment = "Graag eerst een afspraak over de weekenden"
    await consent.locator("#nb-consent-comment").fill(comment)
    await consent.get_by_role("button", name="Akkoord", exact=True).click()
    await consent.locator(".consent-yes", has_text="Oma Wiëbe").wait_for()
    assert await consent.locator("#nb-consent-comment").input_value() == comment
    await consent.get_by_role("button", name="Niet akkoord").click()
    await consent.locator(".consent-no", has_text=comment).wait_for()
    assert await consent.locator("#nb-consent-comment").input_value() == comment

    # The facilitator is neither asked nor counted: one person, Oma.
    fac_consent = fac.page.locator(".consent")
    await fac_consent.locator(".consent-count", has_text="0 van 1 akkoord").wait_for()
    assert await fac_consent.get_by_role("button", name="Akkoord", exact=True).count() == 0
    assert "Joost" not in await fac_consent.locator(".consent-list").inner_text()
    assert "geeft zelf geen akkoord" in await fac_consent.inner_text()
    await fam.screenshot("consent-comment-kept")

    # Finished: the answer stays as it was, and the screen says it cannot change.
    r = await live_server.post(
        f"/api/meetings/{m['id']}/finish", m["tokens"]["facilitator"], {"finished": True}
    )
    assert r.status_code == 200
    await consent.locator(".consent-question", has_text="afgesloten").wait_for()
    assert await consent.get_by_role("button", name="Akkoord", exact=True).is_hidden()
    await fam.screenshot("consent-finished")
    for d in (fac, fam):
        assert d.errors == []


SETTLED = """() => {
  const s = window.netwerkbord.status
  return s.timer === 0 && [...s.states.values()].every((v) => v === 'connected' || v === 'held')
}"""


async def test_the_waiting_screen_says_what_happens_and_a_real_outage_still_shows(
    live_server, new_device
):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = await (await new_device(1400, 900)).join(
        m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    pro = await (await new_device(390, 844, is_mobile=True, has_touch=True)).join(
        m["links"]["professional"], "Aïsha", "jeugdbeschermer"
    )
    await live_server.post(
        f"/api/meetings/{m['id']}/closed", m["tokens"]["facilitator"], {"closed": True}
    )
    waiting = pro.page.locator(".waiting-screen")
    await waiting.locator("text=De familie praat nu onder elkaar").wait_for()
    assert "als de gespreksleider het besloten deel afsluit" in await waiting.inner_text()
    # Every board the server keeps from us is "held", not a broken connection.
    await pro.page.wait_for_function(SETTLED)
    assert await pro.page.locator(".connection-offline").count() == 0
    assert "niets mis met je apparaat" in await waiting.inner_text()
    await pro.screenshot("waiting-professional-phone")

    # The facilitator is told what the professionals will see again, and what they will not.
    await fac.page.get_by_role("button", name="Besloten deel stoppen").click()
    dialog = fac.page.locator("dialog")
    text = await dialog.inner_text()
    assert "alles wat de familie heeft geschreven" not in text
    assert 'Wat op "Werkblad van de familie" staat, blijft alleen voor de familie' in text
    assert "Doelen in beeld" in text
    await fac.screenshot("closed-part-stop-dialog")
    await dialog.get_by_role("button", name="Annuleren").click()
    assert fac.errors == []
    await fac.context.close()  # the console's own fetches would fail while the server is away

    # A real outage still says so, on the bar and on the waiting screen.
    await live_server.stop()
    await pro.page.locator(".connection-offline", has_text="Geen verbinding").wait_for(timeout=5000)
    await waiting.locator(".waiting-offline", has_text="geen verbinding").wait_for()
    await pro.screenshot("waiting-professional-offline")
    await live_server.start()
    await waiting.locator(".waiting-calm").wait_for(timeout=15000)
    assert pro.errors == []
