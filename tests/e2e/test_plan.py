"""From goals to a plan that everyone takes home: two devices fill it at once, and the plan
page prints to a PDF that says what was agreed."""

import subprocess

import pytest

GOAL = "Sem gaat elke dag naar school"


@pytest.fixture
def requests_seen():
    return []


async def watch(device, seen):
    device.context.on("request", lambda r: seen.append(r.url))
    device.page.on(
        "console",
        lambda m: seen.append(f"console:{m.text}") if "Content Security Policy" in m.text else None,
    )
    return device


async def test_goals_become_a_plan_filled_on_two_devices_and_printed(
    live_server, new_device, tmp_path, requests_seen
):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = await watch(await new_device(1400, 900), requests_seen)
    await fac.join(m["links"]["facilitator"], "Joost", "gespreksleider")
    tablet = await watch(await new_device(1024, 768, has_touch=True), requests_seen)
    await tablet.join(m["links"]["familie"], "Mama Lisa", "moeder")
    phone = await watch(await new_device(800, 1000, has_touch=True), requests_seen)
    await phone.join(m["links"]["familie"], "Oma Wiëbe", "oma")

    # A goal on the doelenmatrix, then one tap: "maak er een doel van in het plan".
    await tablet.page.get_by_role("tab", name="Doelen in beeld").click()
    await tablet.zone("kort-samen").locator("[data-add-zone]").click()
    await tablet.page.locator("#nb-note-text").fill(GOAL)
    await tablet.page.locator("dialog input[value=voorwaardelijk]").check()
    await tablet.page.locator("dialog button[value=save]").click()
    await tablet.note(GOAL).click()
    await tablet.page.get_by_role("button", name="Maak er een doel van in het plan").click()

    for d in (tablet, phone):
        await d.page.get_by_role("tab", name="Plan van het actieteam").click()
    goal = phone.page.locator(".goal-card")
    await goal.wait_for()
    assert await goal.locator(".goal-text").input_value() == GOAL
    assert "moet eerst" in await goal.inner_text()  # the tag, in plain words

    # Both devices add an action to the same goal at the same time.
    await tablet.page.get_by_role("button", name="+ Actie").click()
    await phone.page.get_by_role("button", name="+ Actie").click()
    rows_tablet = tablet.page.locator(".actions-table tbody tr")
    rows_phone = phone.page.locator(".actions-table tbody tr")
    await rows_tablet.nth(1).wait_for()
    await rows_phone.nth(1).wait_for()
    mine_t = tablet.page.locator("tr:has(:focus)")
    await mine_t.locator("[id^=wat-]").fill("Wekker zetten om 7 uur")
    await mine_t.locator("input[id^=wie-]").fill("Mama Lisa")
    await mine_t.locator("select").select_option("bezig")
    mine_p = phone.page.locator("tr:has(:focus)")
    await mine_p.locator("[id^=wat-]").fill("Afspraak met de juf maken")
    await mine_p.locator("input[id^=wie-]").fill("Oma Wiëbe")
    await mine_p.locator("input[id^=vanaf-]").fill("2026-12-01")
    await mine_p.locator("[id^=nogDoen-]").fill("Telefoonnummer school opzoeken")
    await phone.page.locator("#nb-evaluatie").fill("2027-03-01")
    await phone.page.locator("#nb-team-add").fill("Opa Henk")
    await phone.page.get_by_role("button", name="Toevoegen", exact=True).click()
    await tablet.page.locator("[id^=hn-]").fill("Opa rijdt Sem op dinsdag")
    await tablet.page.locator("[id^=hn-]").blur()

    # Everyone sees everything.
    for d in (tablet, phone, fac):
        if d is fac:
            await fac.page.get_by_role("tab", name="Plan van het actieteam").click()
        await d.page.wait_for_function(
            """() => [...document.querySelectorAll('.actions-table :is(input, textarea)')]
                    .map(i => i.value).join('|').includes('Wekker zetten om 7 uur') &&
                  [...document.querySelectorAll('.actions-table :is(input, textarea)')]
                    .map(i => i.value).join('|')
                  .includes('Afspraak met de juf maken')""",
            timeout=5000,
        )
    await fac.page.locator(".team-list", has_text="Opa Henk").wait_for()
    await fac.screenshot("plan-facilitator")
    assert await tablet.axe_violations() == []

    # Consent, then the plan page printed to PDF.
    fac_token = m["tokens"]["facilitator"]
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac_token, {"phase": "instemming"})
    await phone.page.locator(".consent").get_by_role("button", name="Akkoord", exact=True).click()
    # Mama Lisa and Oma Wiëbe are asked; Joost leads the meeting and is not counted.
    await fac.page.locator(".consent-count", has_text="1 van 2 akkoord").wait_for()
    print_page = await fac.context.new_page()
    print_page.on("request", lambda r: requests_seen.append(r.url))
    await print_page.goto(f"{live_server.base}/j/{fac_token}/plan")
    violations = await type(fac)(fac.context, print_page).axe_violations()
    assert violations == []
    pdf = tmp_path / "plan.pdf"
    await print_page.pdf(path=str(pdf), format="A4")
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(text.split())  # table cells wrap their words over lines
    for expected in (
        "Netwerkberaad familie De Vries",
        "Het plan",
        GOAL,
        "Wekker zetten om 7 uur",
        "Mama Lisa",
        "Afspraak met de juf maken",
        "Telefoonnummer school opzoeken",
        "Opa rijdt Sem op dinsdag",
        "Opa Henk",
        "1 maart 2027",  # dates on paper read in Dutch
        "1 december 2026",
        "Instemming",
        "Oma Wiëbe: akkoord",
        "Wie waren er",
    ):
        assert expected in text, expected
    assert "Afdrukken of opslaan als PDF" not in text  # screen-only controls stay off paper

    # Nothing was requested from another host, and the policy blocked nothing of ours.
    others = [
        u
        for u in requests_seen
        if not u.startswith(live_server.base)
        and not u.startswith("console:")
        and not u.startswith(("data:", "blob:"))
    ]
    assert others == []
    assert [u for u in requests_seen if u.startswith("console:")] == []
