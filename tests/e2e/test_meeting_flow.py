"""Whole meetings, played with several devices: a FamilieNetwerkBeraad with its closed part,
and the guided Drieluik with private notes and the order of posting."""

import base64

import httpx

PLAN = "Opa Henk haalt Sem elke woensdag op"
WORKSHEET = "Tante Eva vertellen we het later"

READ_INDEXEDDB = """async () => {
  const out = []
  for (const info of await indexedDB.databases()) {
    const db = await new Promise((ok, fail) => {
      const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = fail })
    for (const store of db.objectStoreNames) {
      const rows = await new Promise((ok) => {
        const r = db.transaction(store).objectStore(store).getAll()
        r.onsuccess = () => ok(r.result)
      })
      for (const row of rows) {
        const bytes = row instanceof Uint8Array ? row
          : new TextEncoder().encode(JSON.stringify(row))
        out.push(Array.from(bytes))
      }
    }
    db.close()
  }
  return out
}"""


async def capture_frames(device) -> list[bytes]:
    """Every WebSocket frame the page receives, read through Chrome's DevTools protocol."""
    frames: list[bytes] = []
    cdp = await device.context.new_cdp_session(device.page)
    await cdp.send("Network.enable")

    def on_frame(event):
        r = event["response"]
        data = r["payloadData"]
        frames.append(base64.b64decode(data) if r["opcode"] == 2 else data.encode())

    cdp.on("Network.webSocketFrameReceived", on_frame)
    return frames


async def next_step(facilitator, confirm: str | None = None) -> None:
    """Press "Volgende stap" (and confirm)."""
    await facilitator.page.get_by_role("button", name="Volgende stap →").click()
    if confirm:
        await facilitator.page.locator("dialog").get_by_role("button", name=confirm).click()


async def step_is(device, title: str) -> None:
    await device.page.locator(".step-title", has_text=title).wait_for(timeout=3000)


async def test_familienetwerkberaad_with_a_closed_part(live_server, new_device):
    m = await live_server.create_meeting("FamilieNetwerkBeraad familie De Vries")
    fac = await (await new_device(1400, 900)).join(
        m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    fam = await (await new_device(1024, 768, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    pro_device = await new_device()
    frames = await capture_frames(pro_device)
    pro = await pro_device.join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")
    tv = await (await new_device(1920, 1080)).join(m["links"]["scherm"])
    await step_is(tv, "Welkom")

    # 1. informatie delen: the professional writes a bodemeis, the family only reads it
    await next_step(fac)
    for d in (fam, pro, tv):
        await step_is(d, "Informatie delen")
    await pro.add_note("bodemeisen", "Sem woont niet thuis zolang er gedronken wordt")
    bodemeis = fam.note("Sem woont niet thuis")
    await bodemeis.wait_for()
    assert "staat vast" in await bodemeis.inner_text()  # the tag opgelegd, in plain words
    assert await fam.zone("bodemeisen").locator("[data-add-zone]").count() == 0

    # 2. the closed part: the professional's boards are gone
    await next_step(fac, confirm="Starten")
    await pro.page.locator(".waiting-screen", has_text="Even wachten").wait_for()
    assert await pro.page.locator("li.note").count() == 0
    frames_before = len(frames)
    await fam.page.locator(
        ".closed-banner", has_text="Besloten deel — alleen familie en netwerk"
    ).wait_for()
    await step_is(fam, "Besloten deel")
    await fam.add_note("kort-samen", PLAN)  # the plan, on the goals board
    await fam.page.get_by_role("tab", name="Werkblad van de familie").click()
    await fam.add_note("afspraken", WORKSHEET)
    await fam.page.get_by_role("tab", name="Bodemeisen").click()
    await fam.note("Sem woont niet thuis").wait_for()  # read-only during the closed part
    await fac.page.get_by_role("tab", name="Doelen in beeld").click()
    await fac.note(PLAN).wait_for()  # the facilitator stays nearby and sees the boards
    await fac.page.get_by_role("tab", name="Werkblad van de familie").click()
    await fac.note(WORKSHEET).wait_for()
    await fac.page.get_by_role("tab", name="Doelen in beeld").click()
    await pro.screenshot("fnb-professional-waiting")
    await fam.screenshot("fnb-family-closed-part")
    # Both were stored and sent on to whoever may see them. Something sent after them does
    # reach the professional: the timer, on the waiting screen.
    fac_token = m["tokens"]["facilitator"]
    timer = f"/api/meetings/{m['id']}/timer"
    await live_server.post(timer, fac_token, {"action": "start", "minutes": 5})
    await pro.page.locator(".waiting-timer").wait_for()
    await live_server.post(timer, fac_token, {"action": "stop"})
    await pro.page.locator(".waiting-timer").wait_for(state="detached")

    # Nothing of it reached the professional: not over the WebSocket, not into IndexedDB.
    for secret in (PLAN, WORKSHEET):
        assert all(secret.encode() not in f for f in frames[frames_before:])
    stored = [bytes(row) for row in await pro.page.evaluate(READ_INDEXEDDB)]
    assert stored, "the professional's IndexedDB holds the boards from before"
    assert all(PLAN.encode() not in row and WORKSHEET.encode() not in row for row in stored)
    async with httpx.AsyncClient() as http:
        r = await http.get(
            f"{live_server.base}/api/meetings/{m['id']}/boards/doelen",
            headers={"Authorization": f"Bearer {m['tokens']['professional']}"},
        )
    assert r.status_code == 403

    # 3. plan presenteren: the professional is back and sees the plan, never the worksheet
    await next_step(fac, confirm="Stoppen")
    await step_is(pro, "Plan presenteren")
    await pro.page.get_by_role("tab", name="Doelen in beeld").click()
    await pro.note(PLAN).wait_for(timeout=5000)
    assert await pro.page.locator(".waiting-screen").is_hidden()
    assert await pro.page.get_by_role("tab", name="Werkblad van de familie").count() == 0
    assert all(WORKSHEET.encode() not in f for f in frames)

    # 4. instemming: everyone says akkoord or not, on their own device; the facilitator
    # leads the meeting and is neither asked nor counted
    await next_step(fac)
    await fam.page.locator(".consent").get_by_role("button", name="Akkoord", exact=True).click()
    await pro.page.locator("#nb-consent-comment").fill("Graag eerst een afspraak over de weekenden")
    await pro.page.locator(".consent").get_by_role("button", name="Niet akkoord").click()
    overview = tv.page.locator(".consent-list")
    await overview.locator(".consent-no", has_text="Aïsha").wait_for()
    await tv.page.locator(".consent-count", has_text="1 van 2 akkoord").wait_for()
    assert "Graag eerst een afspraak" in await overview.inner_text()
    await fac.page.locator(".consent-count", has_text="1 van 2 akkoord").wait_for()
    assert "Joost" not in await overview.inner_text()
    assert await fac.page.locator(".consent").get_by_role("button", name="Akkoord").count() == 0
    await tv.screenshot("fnb-projector-consent")
    await fac.screenshot("fnb-facilitator-console")

    # The facilitator's audit list says when the closed part started and ended, and by whom.
    audit = fac.page.locator(".audit")
    await audit.locator("li", has_text="besloten deel gestopt door Joost").wait_for()
    assert "besloten deel gestart door Joost" in await audit.inner_text()
    for d in (fac, fam, pro, tv):
        assert d.errors == []


async def test_guided_drieluik_private_first_then_family_then_professionals(
    live_server, new_device
):
    m = await live_server.create_meeting("Drieluik familie Bakker", script="drieluik")
    fac = await (await new_device(1400, 900)).join(
        m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    tablet = await (await new_device(1024, 768, has_touch=True)).join(
        m["links"]["familie"], "Mama Lisa", "moeder"
    )
    pro = await (await new_device()).join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")

    async def board():
        async with httpx.AsyncClient() as http:
            r = await http.get(
                f"{live_server.base}/api/meetings/{m['id']}/boards/drieluik",
                headers={"Authorization": f"Bearer {m['tokens']['facilitator']}"},
            )
        return r.json()

    # Write for yourself first: left, then right. Nothing reaches the board.
    await next_step(fac)
    await step_is(tablet, "Zelf schrijven: als er niks verandert")
    await tablet.add_note("zorgen", "Lisa: Sem raakt zijn school kwijt")
    await tablet.page.get_by_role("button", name="Iemand anders").click()
    await tablet.choose("Pleegvader Karim", "pleegvader")
    await tablet.add_note("zorgen", "Karim: wij houden het niet vol")
    await step_is(pro, "Zelf schrijven: als er niks verandert")
    await pro.add_note("zorgen", "Aïsha: uithuisplaatsing duurt langer")
    assert await pro.note("Aïsha: uithuisplaatsing").locator(".post-note").count() == 0  # not yet
    await next_step(fac)
    await step_is(tablet, "Zelf schrijven: hoe willen we het")
    await tablet.add_note("wensen", "Karim: Sem voetbalt weer")
    await step_is(pro, "Zelf schrijven: hoe willen we het")
    await pro.add_note("wensen", "Aïsha: Sem woont weer thuis")
    assert (await board())["notes"] == []

    # The family posts the left column; the professionals may not yet.
    await next_step(fac)
    await step_is(pro, "Familie plakt links")
    await tablet.page.get_by_role("button", name="Mijn briefjes links plakken").click()
    await tablet.page.locator(".posting-message", has_text="1 briefje geplakt").wait_for()
    # The professional has no button yet, and is told why.
    await pro.page.locator(".posting-message", has_text="Plakken mag nu nog niet").wait_for()
    assert await pro.page.get_by_role("button", name="Mijn briefjes links plakken").count() == 0
    await pro.note("Karim: wij houden").wait_for()
    assert await tablet.note("Karim: Sem voetbalt weer").count() == 1  # right column still private
    await tablet.page.get_by_role("button", name="Iemand anders").click()
    await tablet.choose("Mama Lisa")
    await tablet.page.get_by_role("button", name="Mijn briefjes links plakken").click()
    await pro.note("Lisa: Sem raakt").wait_for()
    # only the family's notes are on the board
    assert {n["text"] for n in (await board())["notes"]} == {
        "Karim: wij houden het niet vol",
        "Lisa: Sem raakt zijn school kwijt",
    }
    assert "Alleen voor jou" in await pro.note("Aïsha: uithuisplaatsing").inner_text()

    # Then the professionals.
    await next_step(fac)
    await pro.page.get_by_role("button", name="Mijn briefjes links plakken").click()
    await tablet.note("Aïsha: uithuisplaatsing").wait_for()
    notes = (await board())["notes"]
    by_text = {n["text"]: n for n in notes}
    assert by_text["Aïsha: uithuisplaatsing duurt langer"]["createdAt"] > max(
        by_text["Karim: wij houden het niet vol"]["createdAt"],
        by_text["Lisa: Sem raakt zijn school kwijt"]["createdAt"],
    )

    # Discuss: group, theme, and the worst that can happen.
    await next_step(fac)
    await step_is(tablet, "Bespreken: wat is het ergste?")
    # The facilitator's board has taken the step too (it asks for the worst) before dragging.
    await fac.page.locator(".zone-zorgen .statement.asked").wait_for()
    await fac.drag(fac.note("Lisa: Sem raakt"), fac.note("Aïsha: uithuisplaatsing"))
    await fac.page.locator("button.group-title").click()
    await fac.page.locator("#nb-ask").fill("Sem en school")
    await fac.page.get_by_role("button", name="Klaar").click()
    await fac.page.locator(".statement button").click()
    await fac.page.locator("#nb-ask").fill("Sem moet naar een andere school")
    await fac.page.get_by_role("button", name="Klaar").click()
    await tablet.page.locator(".statement", has_text="Sem moet naar een andere school").wait_for()

    # Right column: family, professionals, the biggest wish.
    await next_step(fac)
    await tablet.page.get_by_role("button", name="Iemand anders").click()
    await tablet.choose("Pleegvader Karim")
    await tablet.page.get_by_role("button", name="Mijn briefjes rechts plakken").click()
    await pro.note("Karim: Sem voetbalt").wait_for()
    await next_step(fac)
    await pro.page.get_by_role("button", name="Mijn briefjes rechts plakken").click()
    await tablet.note("Aïsha: Sem woont weer thuis").wait_for()
    await next_step(fac)
    await step_is(tablet, "Bespreken: wat is de grootste wens?")
    await tablet.page.locator(".zone-wensen .statement button").click()
    await tablet.page.locator("#nb-ask").fill("Sem woont weer thuis en voetbalt")
    await tablet.page.get_by_role("button", name="Klaar").click()

    # The middle: the plan.
    await next_step(fac)
    await step_is(pro, "Het plan")
    await tablet.add_note("plan", "Oma Wiëbe uitnodigen voor het netwerkberaad")
    await pro.add_note("plan", "Vraag aan school: wat is er nodig?")
    await fac.note("Vraag aan school").wait_for()
    await fac.note("Oma Wiëbe uitnodigen").wait_for()
    await fac.screenshot("drieluik-walked")
    for d in (fac, tablet, pro):
        assert d.errors == []
