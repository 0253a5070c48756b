"""Taking the plan home, on a phone: "Opslaan als PDF", the plan as text and a picture of each
board for everyone; the JSON for the case file only for the facilitator. Dates read in Dutch,
and the plan page shows the bodemeisen."""

import asyncio
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from playwright.async_api import expect

from board.boards import BOARDS
from tests.e2e.conftest import ARTIFACTS
from tests.yclient import YClient

PHONE = (390, 844)
PLAN_TAB = BOARDS["plan"].title
# window.print() tells the test (nb_printed) instead of opening the dialog.
COUNT_PRINTS = "window.print = () => { window.nb_printed() }"


async def plan_tab(device):
    await device.page.get_by_role("tab", name=PLAN_TAB).click()
    await device.page.locator(".board:not([hidden]) .plan-tools").wait_for()
    return device.page.locator(".board:not([hidden]) .plan-tools")


async def test_family_gets_readable_forms_and_the_facilitator_the_dossier(live_server, new_device):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    tok = m["tokens"]
    base = f"/api/meetings/{m['id']}"
    await live_server.post(f"{base}/phase", tok["facilitator"], {"phase": "informatie-delen"})
    pro = await YClient(
        live_server.ws_url(m["id"], "bodemeisen", tok["professional"]), role="professional"
    ).connect()
    pro.add_note("b1", "Contact met vader blijft begeleid", zone="bodemeisen", tags=["opgelegd"])
    assert await pro.roundtrip()
    await pro.close()

    phones, prints = {}, asyncio.Queue()
    for role, name in (
        ("familie", "Mama Lisa"),
        ("professional", "Aïsha"),
        ("facilitator", "Joost"),
    ):
        d = await new_device(*PHONE, has_touch=True, accept_downloads=True)
        await d.context.expose_function("nb_printed", lambda role=role: prints.put_nowait(role))
        await d.context.add_init_script(COUNT_PRINTS)
        phones[role] = await d.join(m["links"][role], name)

    # Everyone: a PDF, the text, a picture of each board; the dossier only for the facilitator.
    for role, d in phones.items():
        tools = await plan_tab(d)
        await d.screenshot(f"exports-plan-tab-{role}-phone")
        await tools.get_by_text("Plaatjes van de borden").click()  # folded away at first
        for label in ("Opslaan als PDF", "Downloaden als tekst", "Plaatje: Doelen in beeld"):
            assert await tools.get_by_role("link", name=label).count() == 1, (role, label)
        dossier = tools.get_by_role("link", name="Downloaden voor het dossier (JSON)")
        assert await dossier.count() == (1 if role == "facilitator" else 0), role
        assert "JSON" not in await tools.inner_text() or role == "facilitator"
        await tools.screenshot(path=str(ARTIFACTS / f"exports-buttons-{role}-phone.png"))

    # A date typed into the plan reads in Dutch words, on the other phone too.
    fam = phones["familie"]
    await fam.page.get_by_role("button", name="+ Doel toevoegen").click()
    await fam.page.locator(".goal-text").fill("Sem gaat elke dag naar school")
    await fam.page.get_by_role("button", name="+ Actie").click()
    await fam.page.locator("[id^=wat-]").fill("Wekker zetten")
    await fam.page.locator("input[id^=vanaf-]").fill("2025-01-08")
    await fam.page.locator("#nb-evaluatie").fill("2025-06-30")
    words = fam.page.locator("[id^=vanaf-] + .date-words")
    await words.filter(has_text="8 januari 2025").wait_for()
    fac = phones["facilitator"]
    await fac.page.locator(".date-words", has_text="30 juni 2025").wait_for()
    # Who may not change the plan now sees only the words, no date field.
    await live_server.post(f"{base}/phase", tok["facilitator"], {"phase": "instemming"})
    pro_phone = phones["professional"]
    await pro_phone.page.get_by_role("tab", name=PLAN_TAB).click()
    reader = pro_phone.page.locator(".board:not([hidden]) .date-field", has_text="8 januari 2025")
    await reader.wait_for()
    await expect(reader.locator("input")).to_be_hidden()  # hidden once the phase arrives
    await pro_phone.screenshot("exports-plan-dates-reader-phone")
    await fam.screenshot("exports-plan-dates-writer-phone")

    # The picture downloads as an SVG with the doelenmatrix's four quadrants.
    tools = await plan_tab(fam)
    async with fam.page.expect_download() as info:
        await tools.get_by_role("link", name="Plaatje: Doelen in beeld").click()
    picture = await (await info.value).path()
    root = ET.parse(picture).getroot()
    assert len([r for r in root.iter() if r.get("class") == "zone"]) == 4
    assert (await info.value).suggested_filename.endswith(".svg")

    # The text downloads as a .txt that any phone opens, with the dates in words.
    async with fam.page.expect_download() as info:
        await tools.get_by_role("link", name="Downloaden als tekst").click()
    download = await info.value
    assert download.suggested_filename.endswith(".txt")
    text = Path(await download.path()).read_text()
    assert "van 8 januari 2025" not in text  # only a start date
    assert "vanaf 8 januari 2025" in text and "We evalueren op 30 juni 2025." in text
    assert "Contact met vader blijft begeleid" in text

    # "Opslaan als PDF" opens the plan page, which opens the print dialog once.
    async with fam.context.expect_page() as opened:
        await tools.get_by_role("link", name="Opslaan als PDF").click()
    plan_page = await opened.value
    assert await asyncio.wait_for(prints.get(), 10) == "familie"
    assert plan_page.url.endswith("/plan")  # no #afdrukken left: a reload does not print again
    page = type(fam)(fam.context, plan_page)
    bodemeisen = plan_page.locator("section.bodemeisen")
    assert "Contact met vader blijft begeleid" in await bodemeisen.inner_text()
    assert "Ze staan vast" in await bodemeisen.inner_text()
    assert "8 januari 2025" in await plan_page.locator("table").inner_text()
    assert await page.axe_violations() == []
    await page.screenshot("exports-plan-page-phone")
    for d in phones.values():
        assert d.errors == []
    assert prints.empty()  # the dialog opened once


async def test_reloading_the_new_meetings_page_makes_no_second_meeting(live_server, new_device):
    store = live_server.app.state.meetings.store
    before = len(store.expired_meetings(time.time() + 60))
    d = await new_device(*PHONE)
    await d.page.goto(live_server.base + "/")
    await d.page.fill("#title", "Netwerkberaad familie De Vries")
    await d.page.get_by_role("button", name="Bijeenkomst aanmaken").click()
    await d.page.locator(".link-card").first.wait_for()
    links = await d.page.locator(".link-card").evaluate_all("cs => cs.map(c => c.dataset.link)")
    assert "/created/" in d.page.url and len(links) == 4
    await d.page.reload()  # no "resend the form?": the page was a GET
    await d.page.locator(".link-card").first.wait_for()
    again = await d.page.locator(".link-card").evaluate_all("cs => cs.map(c => c.dataset.link)")
    assert again == links
    assert len(store.expired_meetings(time.time() + 60)) == before + 1
    await d.screenshot("created-after-reload-phone")
    assert d.errors == []
