"""WCAG 2.1 AA: an axe-core audit of every page finds no violations."""

import pytest


def assert_clean(violations, page_name):
    assert violations == [], f"{page_name}: " + "; ".join(
        f"{v['id']} ({v['help']}) at {v['nodes']}" for v in violations
    )


async def test_start_and_created_pages(live_server, new_device):
    d = await new_device()
    await d.page.goto(live_server.base + "/")
    assert_clean(await d.axe_violations(), "start")
    await d.screenshot("start")
    await d.page.fill("#title", "Netwerkberaad familie De Vries")
    await d.page.get_by_role("button", name="Bijeenkomst aanmaken").click()
    await d.page.locator(".link-card").first.wait_for()
    assert_clean(await d.axe_violations(), "created")
    await d.screenshot("created")


@pytest.mark.parametrize("role", ["familie", "professional", "facilitator"])
async def test_join_and_board_pages(live_server, new_device, role):
    m = await live_server.create_meeting(script="drieluik")
    d = await new_device()
    await d.page.goto(m["links"][role])
    await d.page.locator("dialog.who").wait_for()
    assert_clean(await d.axe_violations(), f"{role} join")
    await d.choose("Eliëtte", "nicht")
    await d.add_note("plan", "Samen koken op woensdag")
    await d.add_note("zorgen", "Alleen thuis", private=True)
    await d.page.get_by_role("tab", name="Doelen in beeld").click()
    await d.add_note("kort-zelf", "Elke ochtend op tijd op school")
    await d.page.get_by_role("tab", name="Drieluik").click()
    assert_clean(await d.axe_violations(), f"{role} board")
    await d.note("Samen koken").click()
    await d.page.locator("dialog").wait_for()
    assert_clean(await d.axe_violations(), f"{role} note dialog")
    await d.screenshot(f"{role}-note-dialog")
    await d.page.get_by_role("button", name="Annuleren").click()
    await d.screenshot(f"{role}-board")


async def test_projector_page(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    fam = await (await new_device()).join(m["links"]["familie"], "Oma Wiëbe", "oma")
    await fam.add_note("wensen", "Sem gaat weer graag naar school", private=False)
    tv = await new_device(1920, 1080)
    await tv.join(m["links"]["scherm"] + "#join=" + m["tokens"]["familie"])
    await tv.note("Sem gaat weer").wait_for()
    assert_clean(await tv.axe_violations(), "projector")


async def test_waiting_screen_and_consent(live_server, new_device):
    m = await live_server.create_meeting()  # a FamilieNetwerkBeraad
    fac_token = m["tokens"]["facilitator"]
    pro = await (await new_device()).join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac_token, {"phase": "besloten-deel"})
    await live_server.post(
        f"/api/meetings/{m['id']}/timer", fac_token, {"action": "start", "minutes": 20}
    )
    await pro.page.locator(".waiting-screen [role=timer]").wait_for()
    assert_clean(await pro.axe_violations(), "waiting screen")
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac_token, {"phase": "instemming"})
    fam = await (await new_device()).join(m["links"]["familie"], "Oma Wiëbe", "oma")
    await fam.page.locator(".consent").get_by_role("button", name="Akkoord", exact=True).wait_for()
    assert_clean(await fam.axe_violations(), "consent")
    await fam.screenshot("consent-family")
