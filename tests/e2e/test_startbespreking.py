"""A whole startbespreking (issue 15) on a tablet passed around, the facilitator's laptop and
the TV: the network mapped, the same people in the plan's "wie" and the actieteam, the
agreements on the board, on the TV and on the plan page; then an evaluation that follows on
from it, with the plan's progress marked and the plan page saying what changed since."""

from tests.e2e.test_screens import assert_fits

TITLE = "Startbespreking familie De Vries"
PEOPLE = [  # name, relation, part of the list
    ("Lisa de Vries", "moeder", "Familie"),
    ("Sem", "kind", "Familie"),
    ("Opa Henk", "opa", "Familie"),
    ("Buurvrouw Fatma", "buurvrouw", "Vrienden, kennissen en buren"),
    ("Anne Bakker", "pleegzorgbegeleider", "Hulpverleners en school"),
]
GOAL = "Sem voelt zich thuis in het pleeggezin"
VISIT = "Sem gaat bij mama op bezoek"


async def until_value(field, value: str) -> None:
    """Until an input says `value` (what the list of people says, once it has arrived)."""
    handle = await field.element_handle()
    await field.page.wait_for_function("([el, v]) => el.value === v", arg=[handle, value])


async def open_as(device, link: str, name: str | None = None, relation: str = ""):
    await device.page.goto(link)
    if name is not None:
        await device.choose(name, relation)
    await device.page.locator(".board:not([hidden]) > *").first.wait_for()
    return device


async def next_step(fac, title: str, *devices) -> None:
    """ "Volgende stap", then every screen shows the step."""
    await fac.page.get_by_role("button", name="Volgende stap →").click()
    for d in (fac, *devices):
        await d.page.locator(".step-title", has_text=title).wait_for()


async def add_person(device, name: str, relation: str, part: str) -> None:
    page = device.page
    await (
        page.locator(".board:not([hidden])").get_by_role("button", name="Iemand toevoegen").click()
    )
    dialog = page.locator("dialog")
    await dialog.locator("#nb-person-name").fill(name)
    await dialog.locator("#nb-person-relation").fill(relation)
    await dialog.get_by_label(part, exact=True).check()
    await dialog.get_by_role("button", name="Toevoegen").click()
    await dialog.wait_for(state="detached")


async def test_a_startbespreking_then_an_evaluation_that_follows_on(live_server, new_device):
    m = await live_server.create_meeting(TITLE, "startbespreking")
    fac = await open_as(
        await new_device(1400, 900), m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    tablet = await open_as(
        await new_device(1024, 768, has_touch=True),
        m["links"]["familie"],
        "Lisa de Vries",
        "moeder",
    )
    tv = await open_as(await new_device(1920, 1080), m["links"]["scherm"])
    screens = (tablet, tv)
    await tablet.page.locator(".step-title", has_text="Welkom").wait_for()

    # -- the network: who belongs to it ---------------------------------------------------
    await next_step(fac, "Wie horen erbij?", *screens)
    for name, relation, part in PEOPLE:
        await add_person(tablet, name, relation, part)
    for d in (tablet, tv):
        for name, _, _ in PEOPLE:
            await d.page.locator(".board:not([hidden]) .person", has_text=name).wait_for()
    await tablet.screenshot("startbespreking-mensen-tablet")
    await tv.screenshot("startbespreking-mensen-tv")

    # The mapping boards are tabs of the meeting, with the same people.
    tabs = await tablet.page.locator(".tabs [role=tab]").all_inner_texts()
    assert (
        tabs[0] == "Wie horen erbij?" and "Afspraken" in tabs and "Plan van het actieteam" in tabs
    )

    # -- perspectief: an answer written down, shown on the TV --------------------------------
    # The same people on the child's ecogram: one tap on a name, one on its ring.
    await next_step(fac, "Wie staan dichtbij?", *screens)
    eco = tablet.page.locator("#panel-ecogram")
    for name, ring in (("Opa Henk", "Dichtbij"), ("Anne Bakker", "Verder weg")):
        await eco.locator(".eco-tray").get_by_role("button", name=name).click()
        await eco.locator(".picked-bar").get_by_role("button", name=ring, exact=True).click()
        await tv.page.locator("#panel-ecogram .eco-person", has_text=name).wait_for()
    await tv.screenshot("startbespreking-ecogram-tv")
    # ... and in the steuntabel.
    await next_step(fac, "Wie geeft welke steun?", *screens)
    support = tablet.page.locator("#panel-steuntabel")
    for name in ("Opa Henk", "Lisa de Vries"):
        await support.locator(".support-add").get_by_role("button", name=name).click()
        await tv.page.locator("#panel-steuntabel .support-name", has_text=name).wait_for()
    await next_step(fac, "Perspectief", *screens)
    focus = tablet.page.locator("[data-part=perspectief].is-focus")
    await focus.wait_for()
    await focus.locator("textarea").fill("Sem blijft tot de zomer in het pleeggezin")
    await focus.locator("textarea").blur()
    await tv.page.locator(".afspraken-read", has_text="Sem blijft tot de zomer").wait_for()

    # -- the child: a goal in the plan, with someone from the list as "wie" ---------------
    await next_step(fac, "Hoe gaat het met het kind?", *screens)
    plan = tablet.page.locator("#panel-plan")
    await plan.get_by_role("button", name="+ Doel toevoegen").click()
    await plan.locator(".goal-text").fill(GOAL)
    await plan.get_by_role("button", name="+ Actie").click()
    row = plan.locator(".actions-table tbody tr").first
    await row.locator("[id^=wat-]").fill("Elke avond samen voorlezen")
    await row.locator("input[id^=wie-]").fill("opa henk")  # someone on the list, in any case
    await row.locator("input[id^=wie-]").blur()
    # Kept as that person: the field now says the name as the list has it.
    await until_value(row.locator("input[id^=wie-]"), "Opa Henk")
    # The actieteam: one tap on each name from the list.
    team = plan.locator(".plan-team")
    for name in ("Lisa de Vries", "Opa Henk", "Anne Bakker"):
        await team.locator(".team-people").get_by_role("button", name=name, exact=True).click()
    for name in ("Lisa de Vries", "Opa Henk", "Anne Bakker"):
        await team.locator(".team-list li", has_text=name).wait_for()
    await tv.page.locator(
        ".plan-read", has_text="Het actieteam: Lisa de Vries, Opa Henk, Anne Bakker"
    ).wait_for()
    await tablet.screenshot("startbespreking-plan-tablet")

    # -- bezoek en contact: an agreement with people from the list --------------------------
    await next_step(fac, "Bezoek en contact", *screens)
    contact = tablet.page.locator("[data-part=contact]")
    await contact.get_by_role("button", name="+ Afspraak").click()
    agreement = contact.locator(".afspraak-card").first
    await agreement.locator(".afspraak-wat").fill(VISIT)
    who = agreement.locator(".afspraak-who")
    await who.get_by_role("button", name="Sem", exact=True).click()
    await who.get_by_role("button", name="Lisa de Vries", exact=True).click()
    await agreement.get_by_label("Hoe vaak?").fill("elke twee weken")
    forms = agreement.get_by_role("group", name="Hoe?")
    await forms.get_by_role("button", name="Bezoek").click()
    await forms.get_by_role("button", name="Foto's").click()
    await agreement.get_by_label("Wie is erbij of begeleidt?").select_option(label="Anne Bakker")
    await agreement.get_by_label("Wanneer kijken we of het goed gaat?").fill("2026-03-01")
    await agreement.get_by_label("Wanneer kijken we of het goed gaat?").blur()
    await tv.page.locator(".afspraken-read", has_text=VISIT).wait_for()
    await tv.page.locator(".afspraken-read", has_text="erbij: Anne Bakker").wait_for()
    await tablet.screenshot("startbespreking-afspraken-tablet")
    await tv.screenshot("startbespreking-afspraken-tv")
    # On a phone 360 px wide: the same card, nothing sideways.
    phone = await open_as(
        await new_device(360, 740, has_touch=True), m["links"]["familie"], "Lisa de Vries"
    )
    await phone.page.locator("[data-part=contact] .afspraak-card").wait_for()
    await assert_fits(phone, "startbespreking-afspraken-360")
    await phone.context.close()

    # -- the three questions -----------------------------------------------------------------
    await next_step(fac, "Wat vertellen we het kind?", *screens)
    await next_step(fac, "Wie doet wat?", *screens)
    part = tablet.page.locator("[data-part=samenwerking].is-focus")
    await part.get_by_label("Wie neemt de regie?", exact=False).fill("Anne houdt het overzicht")
    await part.get_by_label("Wie neemt de regie?", exact=False).blur()
    await tv.page.locator(".afspraken-read", has_text="Anne houdt het overzicht").wait_for()
    await next_step(fac, "Afspraken in het plan", *screens)
    await next_step(fac, "Samenvatting", *screens)
    await next_step(fac, "Wanneer evalueren we?", *screens)
    await tablet.page.locator("#nb-evaluatie").fill("2026-04-01")
    await tablet.page.locator("#nb-evaluatie").blur()
    await tv.page.locator(".plan-read", has_text="1 april 2026").wait_for()

    # -- the plan page: the plan, the same people, the agreements -----------------------------
    page = await fac.context.new_page()
    await page.goto(f"{live_server.base}/j/{m['tokens']['facilitator']}/plan")
    text = await page.locator(".plan-doc").inner_text()
    for expected in (
        GOAL,
        "Opa Henk",
        VISIT,
        "Sem, Lisa de Vries",
        "elke twee weken",
        "Bezoek, Foto's",
        "Anne Bakker",
        "1 maart 2026",
        "Anne houdt het overzicht",
    ):
        assert expected in text, expected
    await page.close()

    # -- a follow-on: an evaluation made from the console ------------------------------------
    console = fac.page.locator(".side")
    follow = console.locator(".side-follow-on")
    await follow.get_by_label("Naam").fill("Evaluatie familie De Vries")
    await follow.get_by_label("Soort bijeenkomst").select_option("evaluatie")
    await follow.get_by_role("button", name="Vervolgbijeenkomst maken").click()
    go = follow.get_by_role("link", name="Naar de vervolgbijeenkomst")
    await go.wait_for()
    await fac.screenshot("startbespreking-vervolg-console")
    await go.click()
    await fac.page.locator("h1.meeting-title", has_text="Evaluatie familie De Vries").wait_for()
    new_meeting = fac.page.url  # /m/{the new meeting}
    await fac.choose("Joost")  # a meeting of its own: its own list of who is there
    # The new meeting's own links, from its console.
    link = lambda role: fac.page.locator(".side-links li", has_text=role).locator("a.link")  # noqa: E731
    family, screen = (
        await link("Familie en netwerk").get_attribute("href"),
        await link("Scherm in de kamer").get_attribute("href"),
    )
    tablet = await open_as(
        await new_device(1024, 768, has_touch=True), family, "Lisa de Vries", "moeder"
    )
    tv = await open_as(await new_device(1920, 1080), screen)
    screens = (tablet, tv)
    assert await tablet.page.locator(".tabs [role=tab]").all_inner_texts() == [
        "Evaluatie",
        "Plan van het actieteam",
        "Afspraken",
        "Wie horen erbij?",
    ]

    # Everything came along: the people, the plan with its "wie" and actieteam, the agreements.
    await tablet.page.get_by_role("tab", name="Wie horen erbij?").click()
    for name, _, _ in PEOPLE:
        await tablet.page.locator("#panel-mensen .person", has_text=name).wait_for()
    # A name is changed once, on the list: the plan follows (in this meeting only).
    await tablet.page.locator("#panel-mensen .person", has_text="Opa Henk").click()
    dialog = tablet.page.locator("dialog")
    await dialog.locator("#nb-person-name").fill("Opa Henk Jansen")
    await dialog.get_by_role("button", name="Klaar").click()
    await dialog.wait_for(state="detached")

    # -- how far the plan is: marked goal by goal, action by action -------------------------
    await next_step(fac, "Hoe staat het plan ervoor?", *screens)
    plan = tablet.page.locator("#panel-plan")
    goal = plan.locator(".goal-card").first
    await until_value(goal.locator(".goal-text"), GOAL)
    row = goal.locator(".actions-table tbody tr").first
    await until_value(row.locator("input[id^=wie-]"), "Opa Henk Jansen")
    await plan.locator(".team-list li", has_text="Opa Henk Jansen").wait_for()
    await (
        goal.get_by_role("group", name="Hoe staat dit doel ervoor?")
        .get_by_role("button", name="Loopt", exact=True)
        .click()
    )
    await (
        row.get_by_role("group", name="Hoe staat deze actie ervoor?")
        .get_by_role("button", name="Behaald", exact=True)
        .click()
    )
    await tv.page.locator(".plan-read .progress-badge", has_text="Behaald").wait_for()
    await tv.page.locator(".plan-read h3 .progress-badge", has_text="Loopt").wait_for()
    await tablet.screenshot("evaluatie-voortgang-tablet")
    await tv.screenshot("evaluatie-voortgang-tv")
    phone = await open_as(await new_device(360, 740, has_touch=True), family, "Lisa de Vries")
    await phone.page.locator("#panel-plan .progress-marks [aria-pressed=true]").first.wait_for()
    await assert_fits(phone, "evaluatie-voortgang-360")
    await phone.context.close()

    # -- the agreements came along too --------------------------------------------------------
    await next_step(fac, "Lopen de afspraken goed?", *screens)
    await tablet.page.locator("[data-part=contact].is-focus .afspraak-wat").wait_for()
    assert await tablet.page.locator("[data-part=contact] .afspraak-wat").input_value() == VISIT
    await tv.page.locator(".afspraken-read", has_text="erbij: Anne Bakker").wait_for()
    await next_step(fac, "Wat gaat goed?", *screens)

    # -- the plan page says what changed since the startbespreking ---------------------------
    page = await fac.context.new_page()
    await page.goto(f"{new_meeting}/plan")
    text = " ".join((await page.locator(".plan-doc").inner_text()).split())
    for expected in (
        "Wat is er veranderd sinds Startbespreking familie De Vries",
        f"Doel: {GOAL} — loopt",
        "Actie: Elke avond samen voorlezen — behaald",
        "Hoe staat het ervoor: Loopt",
        "Opa Henk Jansen",  # the name as it is now on this meeting's list
        VISIT,
    ):
        assert expected in text, expected
    await page.set_viewport_size({"width": 390, "height": 844})
    await type(fac)(fac.context, page).screenshot("evaluatie-planpagina-telefoon")
    await page.close()

    # The startbespreking is as it was: no progress, the old name.
    page = await fac.context.new_page()
    await page.goto(f"{live_server.base}/j/{m['tokens']['facilitator']}/plan")
    earlier = await page.locator(".plan-doc").inner_text()
    assert "Behaald" not in earlier and "Opa Henk Jansen" not in earlier and "Opa Henk" in earlier
    await page.close()
    for d in (fac, tablet, tv):
        assert d.errors == []
