"""Mapping the network in Chromium (toolkit chapter 2): the meeting's one list of people, the
ecogram (wijkecogram), the sociogram and the genogram — on a tablet passed around (touch: a
long press and a drag, or a tap and a tap), on a phone of 360 px and on the TV (read-only,
fits the screen). Screenshots in test-artifacts/network-*.png."""

from tests.e2e.test_screens import Finger, center

FAMILY = [
    ("Oma Wiëbe", "oma", "familie"),
    ("Mama Lisa", "moeder", "familie"),
    ("Opa Henk", "opa", "familie"),
    ("Sem", "het kind", "familie"),
    ("Buurvrouw Fatma", "buurvrouw", "vrienden"),
    ("Trainer Kees", "voetbaltrainer", "vrienden"),
    ("Aïsha", "jeugdbeschermer", "professionals"),
    ("Juf Anne", "leerkracht", "professionals"),
]
PID = {name: f"p{i}" for i, (name, _, _) in enumerate(FAMILY)}

# Nothing on the page is wider than the screen (a phone of 360 px).
NO_SIDEWAYS = "() => document.scrollingElement.scrollWidth <= innerWidth"


async def board(live, m, board_id: str) -> dict:
    r = await live.get(f"/api/meetings/{m['id']}/boards/{board_id}", m["tokens"]["facilitator"])
    assert r.status_code == 200, r.text
    return r.json()


async def open_meeting(device, link: str, name: str | None = None, relation: str = ""):
    await device.page.goto(link)
    if name is not None:
        await device.choose(name, relation)
    await device.page.locator("#panel-mensen:not([hidden]) .people-board").wait_for()
    return device


async def tab(device, title: str) -> None:
    await device.page.get_by_role("tab", name=title, exact=True).click()


async def seed(device, board_id: str, root: str, records: dict[str, dict]) -> None:
    """Records straight into a board's document, as a device writes them."""
    await device.page.evaluate(
        """([boardId, root, records]) => { const nb = window.netwerkbord
          const b = nb.boards.find((x) => x.id === boardId)
          const map = b.doc.getMap(root)
          const YMap = b.doc.getMap('people').constructor
          b.doc.transact(() => Object.entries(records).forEach(([id, fields]) => {
            const m = new YMap()
            map.set(id, m)
            Object.entries(fields).forEach(([k, v]) => m.set(k, v))
          }), 'local:test') }""",
        [board_id, root, records],
    )


async def seed_people(device) -> None:
    await seed(
        device,
        "mensen",
        "people",
        {
            PID[name]: {
                "name": name,
                "relation": rel,
                "sector": sector,
                "role": "familie",
                "createdAt": 1,
            }
            for name, rel, sector in FAMILY
        },
    )


def placement(name: str, ring: str, sector: str, a: float, r: float, about: str = "kind"):
    return {
        f"{about}-{PID[name]}": {
            "about": about,
            "person": PID[name],
            "ring": ring,
            "sector": sector,
            "a": a,
            "r": r,
            "createdAt": 1,
        }
    }


ALL_PLACED = {
    **placement("Oma Wiëbe", "dichtbij", "familie", 0.3, 0.5),
    **placement("Mama Lisa", "dichtbij", "familie", 0.7, 0.5),
    **placement("Opa Henk", "verder", "familie", 0.5, 0.5),
    **placement("Buurvrouw Fatma", "dichtbij", "vrienden", 0.5, 0.5),
    **placement("Trainer Kees", "verder", "vrienden", 0.3, 0.6),
    **placement("Aïsha", "verder", "professionals", 0.3, 0.5),
    **placement("Juf Anne", "dichtbij", "professionals", 0.6, 0.5),
    **placement("Sem", "verder", "professionals", 0.8, 0.3, about="ouders"),
}


async def placements(live, m, about: str = "kind") -> dict[str, tuple[str, str]]:
    """name -> (ring, sector) on the map of `about`, as the server hands it out."""
    names = {p["id"]: p["name"] for p in (await board(live, m, "mensen"))["people"]}
    maps = {x["about"]: x for x in (await board(live, m, "ecogram"))["maps"]}
    return {names[p["person"]]: (p["ring"], p["sector"]) for p in maps[about]["placements"]}


async def spot(device, ring: str, sector: str) -> tuple[float, float]:
    """The middle of a ring's part of a sector on the ecogram on screen (client px)."""
    return await device.page.evaluate(
        """([ring, sector]) => {
          const view = window.netwerkbord.views.find((v) => v.cfg.id === 'ecogram')
          const [x, y] = view.point({ ring, sector, a: 0.5, r: 0.5 })
          const c = document.querySelector('#panel-ecogram .eco-circle').getBoundingClientRect()
          return [c.left + (x + 1.02) / 2.04 * c.width, c.top + (y + 1.02) / 2.04 * c.height] }""",
        [ring, sector],
    )


async def long_press_drag(device, source, target) -> None:
    """A finger holds `source` still until it is lifted, then drags it onto `target` (an
    element, or a point)."""
    await source.scroll_into_view_if_needed()
    finger = await Finger.on(device)
    x, y = await center(source)
    await finger.down(x, y)
    await device.page.locator(".drag-armed").wait_for()
    tx, ty = target if isinstance(target, (tuple, list)) else await center(target)
    await finger.move(tx, ty, steps=15)
    await device.page.locator(".drop-target").wait_for()
    await finger.up()


# --- the people list ----------------------------------------------------------------------------


async def add_person(device, name: str, relation: str, sector_title: str) -> None:
    page = device.page
    await page.get_by_role("button", name="Iemand toevoegen").click()
    dialog = page.locator("dialog")
    await dialog.locator("#nb-person-name").fill(name)
    await dialog.locator("#nb-person-relation").fill(relation)
    await dialog.get_by_label(sector_title).check()
    await dialog.locator("button[value=save]").click()
    await dialog.wait_for(state="detached")


async def test_one_list_of_people_renamed_once_everywhere(live_server, new_device):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    tablet = await open_meeting(
        await new_device(1024, 768, has_touch=True), m["links"]["familie"], "Mama Lisa", "moeder"
    )
    laptop = await open_meeting(await new_device(1280, 800), m["links"]["familie"], "Opa Henk")
    page = tablet.page
    await add_person(tablet, "Oma Wiebe", "oma", "Familie")
    # Who is here today but not on the list yet: one tap, and the form is filled in.
    await page.get_by_role("button", name="+ Mama Lisa (moeder)").click()
    await page.locator("dialog button[value=save]").click()
    # People easily forgotten: "Buren" opens the form in the right part, relation filled in.
    await page.get_by_role("button", name="+ Buren").click()
    dialog = page.locator("dialog")
    assert await dialog.get_by_label("Vrienden, kennissen en buren").is_checked()
    assert await dialog.locator("#nb-person-relation").input_value() == "buur"
    await dialog.locator("#nb-person-name").fill("Buurvrouw Fatma")
    await dialog.locator("button[value=save]").click()
    await page.locator("[data-sector=vrienden] .person", has_text="Buurvrouw Fatma").wait_for()
    await page.locator("[data-sector=familie] .person", has_text="Mama Lisa").wait_for()
    assert await page.get_by_role("button", name="+ Mama Lisa (moeder)").count() == 0

    # Oma on the ecogram (the laptop places her), then her name is changed once, on the list.
    await tab(laptop, "Ecogram")
    await laptop.page.locator(".eco-tray .person-chip", has_text="Oma Wiebe").click()
    await laptop.page.get_by_role("button", name="Dichtbij", exact=True).click()
    await laptop.page.locator(".eco-person", has_text="Oma Wiebe").wait_for()
    await page.locator(".person-button", has_text="Oma Wiebe").click()
    await dialog.locator("#nb-person-name").fill("Oma Wiëbe")
    await dialog.locator("button[value=save]").click()
    await laptop.page.locator(".eco-person", has_text="Oma Wiëbe").wait_for()
    assert await placements(live_server, m) == {"Oma Wiëbe": ("dichtbij", "familie")}
    await tablet.screenshot("network-people-tablet")

    # Off the list: she is off the map too (the placement refers to her id).
    await page.locator(".person-button", has_text="Oma Wiëbe").click()
    await dialog.locator("button[value=remove]").click()
    await page.get_by_role("button", name="Van de lijst halen").click()
    await laptop.page.locator(".eco-person").wait_for(state="detached")
    people = (await board(live_server, m, "mensen"))["people"]
    assert [(p["name"], p["sector"]) for p in people] == [
        ("Mama Lisa", "familie"),
        ("Buurvrouw Fatma", "vrienden"),
    ]
    assert tablet.errors == [] and laptop.errors == []


# --- the ecogram -----------------------------------------------------------------------------


async def test_the_ecogram_on_a_tablet_passed_around(live_server, new_device):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    tablet = await open_meeting(
        await new_device(1024, 768, has_touch=True), m["links"]["familie"], "Mama Lisa", "moeder"
    )
    other = await open_meeting(await new_device(), m["links"]["familie"], "Opa Henk", "opa")
    await seed_people(tablet)
    await tab(tablet, "Ecogram")
    await tab(other, "Ecogram")
    page = tablet.page
    # One tap and a drag: a finger holds Oma's name, then drags it into the inner circle.
    chip = page.locator(".eco-tray .person-chip", has_text="Oma Wiëbe")
    await chip.scroll_into_view_if_needed()
    await long_press_drag(tablet, chip, await spot(tablet, "dichtbij", "familie"))
    await page.locator(".eco-circle .eco-person", has_text="Oma Wiëbe").wait_for()
    await other.page.locator(".eco-circle .eco-person", has_text="Oma Wiëbe").wait_for()

    # A tap on a name and a tap on the place.
    await page.locator(".eco-tray .person-chip", has_text="Buurvrouw Fatma").tap()
    assert "Buurvrouw Fatma" in await page.locator(".picked-bar").inner_text()
    await page.touchscreen.tap(*await spot(tablet, "verder", "vrienden"))
    # Or a tap on the name and one on "Verder weg": in the person's own part of the circle.
    await page.locator(".eco-tray .person-chip", has_text="Aïsha").tap()
    await page.locator(".picked-bar").get_by_role("button", name="Verder weg").tap()
    # The server has them once another device shows them (it forwards what it stored).
    await other.page.locator(".eco-circle .eco-person").nth(2).wait_for()

    # Oma is moved out to the outer circle with a long press.
    placed = page.locator(".eco-circle .eco-person", has_text="Oma Wiëbe")
    await placed.scroll_into_view_if_needed()
    await long_press_drag(tablet, placed, await spot(tablet, "verder", "familie"))
    await other.page.locator(".eco-person[data-ring=verder]", has_text="Oma Wiëbe").wait_for()
    assert await placements(live_server, m) == {
        "Oma Wiëbe": ("verder", "familie"),
        "Buurvrouw Fatma": ("verder", "vrienden"),
        "Aïsha": ("verder", "professionals"),
    }

    # Tapping a name on the map: closer, another part, or off this map.
    await page.locator(".eco-circle .eco-person", has_text="Aïsha").tap()
    dialog = page.locator("dialog")
    await dialog.get_by_label("Dichtbij", exact=False).check()
    await dialog.locator("button[value=save]").tap()
    await other.page.locator(".eco-person[data-ring=dichtbij]", has_text="Aïsha").wait_for()
    await page.locator(".eco-circle .eco-person", has_text="Buurvrouw Fatma").tap()
    await dialog.locator("button[value=remove]").tap()
    await other.page.locator(".eco-person", has_text="Buurvrouw Fatma").wait_for(state="detached")

    # One map per person it is about: the parents' map is another.
    await page.get_by_role("button", name="De ouders").tap()
    await page.locator(".eco-circle .eco-center", has_text="De ouders").wait_for()
    assert await page.locator(".eco-circle .eco-person").count() == 0
    await page.locator(".eco-tray .person-chip", has_text="Mama Lisa").tap()
    await page.locator(".picked-bar").get_by_role("button", name="Dichtbij").tap()
    await page.locator(".eco-circle .eco-center", has_text="De ouders").wait_for()
    assert await placements(live_server, m, "ouders") == {"Mama Lisa": ("dichtbij", "familie")}
    await page.get_by_role("button", name="Het kind (2)").tap()
    await page.locator(".eco-circle .eco-person", has_text="Oma Wiëbe").wait_for()
    await tablet.screenshot("network-ecogram-tablet")
    assert await tablet.axe_violations() == []
    assert tablet.errors == [] and other.errors == []


async def test_the_ecogram_on_a_phone(live_server, new_device):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    phone = await open_meeting(
        await new_device(360, 740, is_mobile=True, has_touch=True),
        m["links"]["familie"],
        "Sem",
        "het kind",
    )
    await seed_people(phone)
    await seed(phone, "ecogram", "placements", ALL_PLACED)
    # The list first: its three parts one under the other.
    await phone.page.locator("[data-sector=professionals] .person", has_text="Juf Anne").wait_for()
    assert await phone.page.evaluate(NO_SIDEWAYS)
    await phone.screenshot("network-people-phone")
    await tab(phone, "Ecogram")
    page = phone.page
    await page.locator(".eco-circle .eco-person").nth(6).wait_for()
    assert await page.evaluate(NO_SIDEWAYS)
    # Every name inside the circle's square and at a size a child can read.
    inside = await page.evaluate(
        """() => {
          const c = document.querySelector('#panel-ecogram .eco-circle').getBoundingClientRect()
          return [...document.querySelectorAll('#panel-ecogram .eco-person')].map((el) => {
            const r = el.getBoundingClientRect()
            return [r.left >= c.left - 1 && r.right <= c.right + 1,
              parseFloat(getComputedStyle(el).fontSize)] }) }"""
    )
    await phone.screenshot("network-ecogram-phone-full")
    assert all(ok for ok, _ in inside), inside
    assert min(size for _, size in inside) >= 12
    # The people still to place come below the circle, within reach.
    await page.locator(".eco-tray .person-chip", has_text="Sem").scroll_into_view_if_needed()
    await page.locator(".eco-tray .person-chip", has_text="Sem").tap()
    await page.locator(".picked-bar").get_by_role("button", name="Dichtbij").tap()
    await page.locator(".eco-circle .eco-person", has_text="Sem").wait_for()
    await page.evaluate("scrollTo(0, document.querySelector('.about-switch').offsetTop)")
    await phone.page.screenshot(path="test-artifacts/network-ecogram-phone.png")
    assert phone.errors == []


# --- the sociogram ----------------------------------------------------------------------------


async def test_the_sociogram_in_the_first_person(live_server, new_device):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    tablet = await open_meeting(
        await new_device(1024, 768, has_touch=True), m["links"]["familie"], "Mama Lisa", "moeder"
    )
    phone = await open_meeting(
        await new_device(360, 740, is_mobile=True, has_touch=True), m["links"]["familie"], "Sem"
    )
    await seed_people(tablet)
    await tab(tablet, "Sociogram")
    await tab(phone, "Sociogram")
    page = tablet.page
    await page.locator(".socio-add .person-chip", has_text="Oma Wiëbe").tap()
    dialog = page.locator("dialog")
    # The questions name the person and are asked in the first person.
    await dialog.get_by_label("Hoe is het contact met Oma Wiëbe?").fill(
        "Wisselend, soms gaat het heel goed"
    )
    await dialog.get_by_label("Wat levert het contact met Oma Wiëbe mij op?").fill(
        "Oma kent mij al twintig jaar, dit geeft mij veel steun"
    )
    await dialog.locator("input[name=steun][value=emotioneel]").check()
    await dialog.locator("input[name=steun][value=praktisch]").check()
    await dialog.locator("button[value=save]").tap()
    await page.locator(".socio-add .person-chip", has_text="Buurvrouw Fatma").tap()
    await dialog.get_by_label("Hoe is het contact met Buurvrouw Fatma?").fill(
        "Goed, we maken een praatje"
    )
    await dialog.locator("button[value=save]").tap()
    row = phone.page.locator(".socio-row", has_text="Oma Wiëbe")
    await row.wait_for()
    assert "Familie" in await row.inner_text() and "een handje helpen" in await row.inner_text()
    await phone.page.locator(".socio-row", has_text="Buurvrouw Fatma").wait_for()
    assert await phone.page.evaluate(NO_SIDEWAYS)
    await tablet.screenshot("network-sociogram-tablet")
    await phone.screenshot("network-sociogram-phone")
    tables = {t["about"]: t for t in (await board(live_server, m, "sociogram"))["tables"]}
    rows = {r["person"]: r for r in tables["kind"]["rows"]}
    assert rows[PID["Oma Wiëbe"]]["steun"] == ["emotioneel", "praktisch"]
    assert rows[PID["Buurvrouw Fatma"]]["contact"] == "Goed, we maken een praatje"
    # Changing an answer, and taking someone out of the sociogram.
    await page.locator(".socio-name", has_text="Buurvrouw Fatma").tap()
    await dialog.locator("button[value=remove]").tap()
    await phone.page.locator(".socio-row", has_text="Buurvrouw Fatma").wait_for(state="detached")
    assert tablet.errors == [] and phone.errors == []


# --- the genogram -----------------------------------------------------------------------------


async def test_the_genogram_drawn_together(live_server, new_device):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    tablet = await open_meeting(
        await new_device(1024, 768, has_touch=True), m["links"]["familie"], "Mama Lisa", "moeder"
    )
    phone = await open_meeting(
        await new_device(360, 740, is_mobile=True, has_touch=True), m["links"]["familie"], "Sem"
    )
    await seed_people(tablet)
    await tab(tablet, "Genogram")
    await tab(phone, "Genogram")
    page = tablet.page

    async def put(name: str, row_title: str) -> None:
        await page.locator(".geno-tray .person-chip", has_text=name).tap()
        await page.locator(".picked-bar").get_by_role("button", name=row_title).tap()
        await page.locator(".geno-tree .geno-member", has_text=name).wait_for()

    await put("Opa Henk", "Opa's en oma's")
    await put("Oma Wiëbe", "Opa's en oma's")
    await put("Mama Lisa", "Ouders, ooms en tantes")
    # Sem goes into the children's row with one tap and a drag.
    row = page.locator(".geno-row[data-generation=kinderen]")
    chip = page.locator(".geno-tray .person-chip", has_text="Sem")
    await long_press_drag(tablet, chip, row)
    await page.locator(
        ".geno-row[data-generation=kinderen] .geno-member", has_text="Sem"
    ).wait_for()

    async def relate(name: str, other: str, kind: str, quality: str, died: bool = False):
        await page.locator(".geno-member", has_text=name).tap()
        dialog = page.locator("dialog")
        if died:
            await dialog.locator("input[name=overleden]").check()
        await dialog.locator("#nb-geno-other").select_option(label=other)
        await dialog.get_by_label(kind, exact=True).check()
        await dialog.get_by_label(quality, exact=True).check()
        await dialog.locator("button[value=save]").tap()
        await dialog.wait_for(state="detached")

    await relate(
        "Opa Henk",
        "Oma Wiëbe",
        "Gescheiden of uit elkaar",
        "Wisselend: soms goed, soms niet",
        died=True,
    )
    await relate("Oma Wiëbe", "Mama Lisa", "Ouder en kind", "Goed contact")
    await relate("Mama Lisa", "Sem", "Ouder en kind", "Moeilijk: veel spanning of ruzie")
    # On the other device: the lines, and Opa's cross.
    await phone.page.locator(".geno-lines .geno-line").nth(2).wait_for(state="attached")
    await phone.page.locator(".geno-member.deceased", has_text="Opa Henk").wait_for()
    assert await phone.page.evaluate(NO_SIDEWAYS)
    trees = {t["about"]: t for t in (await board(live_server, m, "genogram"))["trees"]}
    kid = trees["kind"]
    assert {(r["a"], r["b"], r["kind"], r["quality"]) for r in kid["relations"]} == {
        (PID["Opa Henk"], PID["Oma Wiëbe"], "uit-elkaar", "wisselend"),
        (PID["Oma Wiëbe"], PID["Mama Lisa"], "ouder-kind", "goed"),
        (PID["Mama Lisa"], PID["Sem"], "ouder-kind", "moeilijk"),
    }
    assert [m["person"] for m in kid["members"] if m["deceased"]] == [PID["Opa Henk"]]
    await tablet.screenshot("network-genogram-tablet")
    await phone.screenshot("network-genogram-phone")
    assert tablet.errors == [] and phone.errors == []


# --- the TV -------------------------------------------------------------------------------------

# What is on the TV: every name inside the screen and not cut off, the page does not scroll,
# nothing to tap, and the smallest name's size.
TV = """sel => {
  const names = [...document.querySelectorAll('.board:not([hidden]) ' + sel)]
  const out = names.filter((el) => { const r = el.getBoundingClientRect()
    return r.left < 0 || r.top < 0 || r.right > innerWidth + 1 || r.bottom > innerHeight + 1
      || el.scrollWidth > el.clientWidth + 1 })
  return { names: names.length, out: out.map((el) => el.textContent),
    fonts: names.map((el) => parseFloat(getComputedStyle(el).fontSize)),
    scroll: [document.scrollingElement.scrollWidth > innerWidth,
      document.scrollingElement.scrollHeight > innerHeight],
    controls: document.querySelectorAll(['button', 'input', 'textarea']
      .map((c) => '.board:not([hidden]) ' + c).join(', ')).length } }"""


async def test_the_tv_shows_each_map_to_read_across_the_room(live_server, new_device):
    m = await live_server.create_meeting("Startbespreking familie De Vries", "startbespreking")
    fac = await open_meeting(
        await new_device(1280, 800), m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    await seed_people(fac)
    await seed(fac, "ecogram", "placements", ALL_PLACED)
    await seed(
        fac,
        "sociogram",
        "rows",
        {
            f"kind-{PID['Oma Wiëbe']}": {
                "about": "kind",
                "person": PID["Oma Wiëbe"],
                "contact": "Wisselend, soms gaat het heel goed, soms zijn er spanningen",
                "oplevert": "Oma kent mij al twintig jaar en weet veel van mijn situatie",
                "steun": ["emotioneel"],
            },
            f"kind-{PID['Buurvrouw Fatma']}": {
                "about": "kind",
                "person": PID["Buurvrouw Fatma"],
                "contact": "Goed, we maken een praatje en helpen elkaar",
                "oplevert": "Ik weet dat ik bij haar kan aankloppen als ik iets nodig heb",
                "steun": ["praktisch", "emotioneel"],
            },
            f"kind-{PID['Aïsha']}": {
                "about": "kind",
                "person": PID["Aïsha"],
                "contact": "Goed, ik kan haar vragen stellen",
                "oplevert": "Ik krijg informatie over de situatie",
                "steun": ["informatief"],
            },
        },
    )
    members = {
        "Opa Henk": ("grootouders", 0.3, "ja"),
        "Oma Wiëbe": ("grootouders", 0.7, "nee"),
        "Mama Lisa": ("ouders", 0.5, "nee"),
        "Sem": ("kinderen", 0.5, "nee"),
    }
    await seed(
        fac,
        "genogram",
        "members",
        {
            f"kind-{PID[n]}": {
                "about": "kind",
                "person": PID[n],
                "generation": g,
                "x": x,
                "overleden": d,
            }
            for n, (g, x, d) in members.items()
        },
    )
    await seed(
        fac,
        "genogram",
        "relations",
        {
            "r1": {
                "about": "kind",
                "a": PID["Opa Henk"],
                "b": PID["Oma Wiëbe"],
                "kind": "getrouwd",
                "quality": "goed",
            },
            "r2": {
                "about": "kind",
                "a": PID["Oma Wiëbe"],
                "b": PID["Mama Lisa"],
                "kind": "ouder-kind",
                "quality": "gebroken",
            },
            "r3": {
                "about": "kind",
                "a": PID["Mama Lisa"],
                "b": PID["Sem"],
                "kind": "ouder-kind",
                "quality": "wisselend",
            },
        },
    )
    # The facilitator's laptop: the console beside the map.
    await tab(fac, "Ecogram")
    await fac.page.locator("#panel-ecogram .eco-person").nth(6).wait_for()
    await fac.screenshot("network-ecogram-facilitator")
    tv = await new_device(1920, 1080)
    await tv.page.goto(m["links"]["scherm"] + "#join=" + m["tokens"]["familie"])
    await tv.page.locator("#panel-mensen:not([hidden]) .people-board").wait_for()
    await tv.page.locator(".board:not([hidden]) .person").nth(7).wait_for()
    seen = await tv.page.evaluate(TV, ".person")
    assert seen["out"] == [] and seen["scroll"] == [False, False] and seen["controls"] == 0
    assert min(seen["fonts"]) >= 24
    await tv.screenshot("network-tv-people")

    for board_id, selector, count, font in (
        ("ecogram", ".eco-person", 8, 20),
        ("sociogram", ".socio-row", 3, 20),
        ("genogram", ".geno-member", 4, 24),
    ):
        r = await live_server.post(
            f"/api/meetings/{m['id']}/screen", m["tokens"]["facilitator"], {"board": board_id}
        )
        assert r.status_code == 200, r.text
        await (
            tv.page.locator(f"#panel-{board_id}:not([hidden]) {selector}").nth(count - 1).wait_for()
        )
        seen = await tv.page.evaluate(TV, selector)
        assert seen["names"] == count, board_id
        await tv.screenshot(f"network-tv-{board_id}")
        assert seen["out"] == [], (board_id, seen["out"])
        assert seen["scroll"] == [False, False] and seen["controls"] == 0, board_id
        assert min(seen["fonts"]) >= font, (board_id, seen["fonts"])
        await tv.screenshot(f"network-tv-{board_id}")
    assert await tv.page.locator("#panel-genogram .geno-lines .geno-cross").count() == 1
    assert await tv.axe_violations() == []
    assert tv.errors == [] and fac.errors == []
