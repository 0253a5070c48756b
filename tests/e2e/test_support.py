"""The steuntabel, the VIP-kaart, the levenslijn and the netwerkvragen in Chromium: on a tablet
passed around (the VIP-kaart in a child's hands), on a phone of 360 px, and on the TV at
1920×1080 (read-only, fits the screen). The VIP-kaart reaches a professional's phone and the
TV only while the child shows it; the facilitator puts one question at a time on the TV.
Screenshots in test-artifacts/support-*.png."""

from pycrdt import Map

from tests.e2e.test_screens import LAYOUT
from tests.yclient import YClient

PEOPLE = [
    ("Oma Wiëbe", "oma", "familie"),
    ("Mama Lisa", "moeder", "familie"),
    ("Sem", "het kind", "familie"),
    ("Opa Henk", "opa", "familie"),
    ("Buurvrouw Fatma", "buurvrouw", "vrienden"),
    ("Trainer Kees", "voetbaltrainer", "vrienden"),
    ("Aïsha", "jeugdbeschermer", "professionals"),
    ("Juf Anne", "leerkracht", "professionals"),
]
TABLET, PHONE, TV, LAPTOP = (1024, 768), (360, 740), (1920, 1080), (1400, 900)

# What the TV shows: the page does not scroll, the board lies inside the screen, the size of
# the board's smallest text (px) among `selector`.
TV_FITS = """(selector) => {
  const se = document.scrollingElement
  const board = document.querySelector('.board:not([hidden])')
  const r = board.getBoundingClientRect()
  const texts = [...board.querySelectorAll(selector)].filter((el) => el.getClientRects().length)
  const outside = texts.filter((el) => {
    const t = el.getBoundingClientRect()
    return t.right > innerWidth + 1 || t.bottom > innerHeight + 1 || t.left < -1 || t.top < -1
  }).map((el) => el.innerText)
  return {
    scroll: [se.scrollWidth - innerWidth, se.scrollHeight - innerHeight],
    board: [r.right <= innerWidth + 1, r.bottom <= innerHeight + 1],
    smallest: Math.min(...texts.map((el) => parseFloat(getComputedStyle(el).fontSize))),
    count: texts.length,
    outside,
  }
}"""


async def meeting(live) -> dict:
    return await live.create_meeting("Startbespreking familie De Vries", "startbespreking")


async def open_meeting(device, link: str, name: str | None = None, relation: str = ""):
    await device.page.goto(link)
    if name is not None:
        await device.choose(name, relation)
    await device.page.locator(".board:not([hidden]) > *").first.wait_for()
    return device


async def seed_people(live, m) -> dict[str, str]:
    """The people on the meeting's list (board `mensen`), as a device writes them: name -> id."""
    client = await YClient(
        live.ws_url(m["id"], "mensen", m["tokens"]["facilitator"]), role="facilitator"
    ).connect()
    ids = {}
    for i, (name, relation, sector) in enumerate(PEOPLE):
        ids[name] = f"p{i}"
        client.doc.get("people", type=Map)[f"p{i}"] = Map(
            {"name": name, "relation": relation, "sector": sector, "role": "familie"}
        )
    assert await client.roundtrip()
    await client.close()
    return ids


async def tab(device, title: str) -> None:
    await device.page.get_by_role("tab", name=title, exact=True).click()


def panel(device, board: str):
    return device.page.locator(f"#panel-{board}")


async def board_json(live, m, board: str) -> dict:
    r = await live.get(f"/api/meetings/{m['id']}/boards/{board}", m["tokens"]["facilitator"])
    assert r.status_code == 200, r.text
    return r.json()


async def send_tv(live, m, body: dict) -> None:
    r = await live.post(f"/api/meetings/{m['id']}/screen", m["tokens"]["facilitator"], body)
    assert r.status_code == 200, r.text


async def open_tv(live, m, new_device):
    tv = await new_device(*TV)
    await tv.page.goto(m["links"]["scherm"])
    await tv.page.locator(".board:not([hidden]) > *").first.wait_for()
    return tv


async def fits_the_phone(device, name: str) -> None:
    await device.screenshot(name)
    layout = await device.page.evaluate(LAYOUT)
    assert layout["width"] <= layout["vw"], f"{name}: the page is {layout['width']} px wide"
    assert layout["outside"] == [], f"{name}: controls outside the screen"


async def fits_the_tv(tv, name: str, selector: str, smallest: float) -> dict:
    await tv.screenshot(name)
    seen = await tv.page.evaluate(TV_FITS, selector)
    assert seen["scroll"][0] <= 0 and seen["scroll"][1] <= 0, f"{name}: the TV scrolls"
    assert seen["board"] == [True, True], f"{name}: the board is bigger than the screen"
    assert seen["count"] > 0 and seen["outside"] == [], f"{name}: {seen['outside']}"
    assert seen["smallest"] >= smallest, f"{name}: text of {seen['smallest']} px"
    return seen


# --- the steuntabel ---------------------------------------------------------------------------


async def score(device, kind: str, person: str, label: str) -> None:
    page = device.page
    await page.locator(f'button.support-cell[aria-label^="{kind}, {person}:"]').click()
    dialog = page.locator("dialog")
    await dialog.get_by_role("button", name=label, exact=True).click()
    await dialog.wait_for(state="detached")


async def test_the_steuntabel_on_a_tablet_a_phone_and_the_tv(live_server, new_device):
    m = await meeting(live_server)
    ids = await seed_people(live_server, m)
    tablet = await open_meeting(
        await new_device(*TABLET, has_touch=True), m["links"]["familie"], "Mama Lisa", "moeder"
    )
    await tab(tablet, "Steuntabel")
    board = panel(tablet, "steuntabel")
    # the five kinds of support as rows, each with what it means
    rows = board.locator(".support-kind-title")
    assert await board.locator(".people-empty").count() == 1
    for name in ("Oma Wiëbe", "Buurvrouw Fatma", "Aïsha"):
        await board.locator(".support-add .person-chip", has_text=name).click()
        await board.locator("th.support-member", has_text=name).wait_for()
    assert await rows.all_inner_texts() == [
        "Emotionele steun",
        "Informatieve steun",
        "Materiële steun",
        "Praktische steun",
        "Professionele steun",
    ]
    assert "luistert" in await board.locator(".support-kind-explain").first.inner_text()
    await score(tablet, "Emotionele steun", "Oma Wiëbe", "++ Veel steun")
    await score(tablet, "Praktische steun", "Oma Wiëbe", "+ – Wisselend")
    await score(tablet, "Praktische steun", "Buurvrouw Fatma", "++ Veel steun")
    await score(tablet, "Materiële steun", "Buurvrouw Fatma", "– – Geen steun")
    await score(tablet, "Professionele steun", "Aïsha", "++ Veel steun")
    cell = board.locator('button.support-cell[aria-label^="Emotionele steun, Oma Wiëbe:"]')
    assert (await cell.inner_text()).strip() == "++"
    legend = await board.locator(".support-legend").inner_text()
    for label in ("Veel steun", "Wisselend", "Weinig steun", "Geen steun"):
        assert label in legend
    await tablet.screenshot("support-steuntabel-tablet")
    assert await tablet.axe_violations() == []
    table = await board_json(live_server, m, "steuntabel")
    cells = {c["person"]: c["cells"] for c in table["members"]}
    assert cells[ids["Oma Wiëbe"]] == {"emotioneel": "++", "praktisch": "+-"}
    assert cells[ids["Buurvrouw Fatma"]] == {"praktisch": "++", "materieel": "--"}
    # emptied again
    await score(tablet, "Praktische steun", "Oma Wiëbe", "Leeg laten")
    assert (await board_json(live_server, m, "steuntabel"))["members"][0]["cells"] == {
        "emotioneel": "++"
    }

    # A phone: a card per person, the same five rows; nothing scrolls sideways.
    phone = await open_meeting(
        await new_device(*PHONE, has_touch=True), m["links"]["professional"], "Aïsha"
    )
    await tab(phone, "Steuntabel")
    cards = panel(phone, "steuntabel").locator(".support-card")
    await cards.first.wait_for()
    assert await cards.count() == 3
    oma = cards.filter(has_text="Oma Wiëbe")
    assert "++" in await oma.locator(".support-card-row[data-kind=emotioneel]").inner_text()
    await score(phone, "Informatieve steun", "Aïsha", "+ Steun")
    await fits_the_phone(phone, "support-steuntabel-phone")

    # The TV: the whole table with its legend, read from across the room.
    await send_tv(live_server, m, {"board": "steuntabel"})
    tv = await open_tv(live_server, m, new_device)
    await tv.page.locator(".support-tv .support-table").wait_for()
    await tv.page.locator(".support-tv[data-text-size]").wait_for()
    await fits_the_tv(tv, "support-steuntabel-tv", ".support-cell, .support-kind-title", 24)
    assert await tv.page.locator(".support-tv button").count() == 0  # nothing to tap

    # The plan page (A4, for everyone involved) has the table too, with its legend.
    await phone.page.goto(f"{live_server.base}/m/{m['id']}/plan")
    support = phone.page.locator("section.steuntabel")
    await support.locator("th", has_text="Buurvrouw Fatma").wait_for()
    assert "Wat betekenen de tekens?" in await support.inner_text()
    await fits_the_phone(phone, "support-steuntabel-plan-phone")
    for device in (tablet, phone, tv):
        assert device.errors == []


# --- the VIP-kaart ----------------------------------------------------------------------------


async def put_on_card(device, name: str, contact: str, said: str = "", change: str = "") -> None:
    board = panel(device, "vipkaart")
    await board.locator(".vip-add .person-chip", has_text=name).click()
    dialog = device.page.locator("dialog")
    await dialog.locator(".vip-face-choice").get_by_text(contact, exact=True).click()
    if said:
        await dialog.locator("#nb-vip-contact").fill(said)
    if change:
        await dialog.get_by_label(change).check()
    await dialog.locator("button[value=save]").click()
    await dialog.wait_for(state="detached")
    await board.locator(".vip-card", has_text=name).wait_for()


async def test_the_vipkaart_in_a_childs_hands_shown_when_the_child_says(live_server, new_device):
    m = await meeting(live_server)
    await seed_people(live_server, m)
    child = await open_meeting(
        await new_device(*TABLET, has_touch=True), m["links"]["familie"], "Sem", "het kind"
    )
    pro = await open_meeting(
        await new_device(*PHONE, has_touch=True), m["links"]["professional"], "Aïsha"
    )
    tv = await open_tv(live_server, m, new_device)
    await tab(child, "VIP-kaart")
    await tab(pro, "VIP-kaart")
    card = panel(child, "vipkaart")
    who = card.locator(".vip-who")
    assert "De professionals en het scherm zien hem niet" in await who.inner_text()

    await put_on_card(child, "Oma Wiëbe", "Goed", "We bakken samen")
    await put_on_card(child, "Opa Henk", "Goed")
    await put_on_card(child, "Mama Lisa", "Gaat wel", "Ik mis haar", "Er moet iets veranderen")
    await card.locator(".vip-card", has_text="Mama Lisa").click()  # change what was said
    dialog = child.page.locator("dialog")
    await dialog.locator("#nb-vip-changetext").fill("Vaker bellen")
    await dialog.locator("button[value=save]").click()
    await card.locator(".vip-wish", has_text="Vaker bellen").wait_for()
    assert await card.locator(".vip-card .face").count() == 3
    assert "3 van de 10" in await card.locator(".vip-count").inner_text()
    await child.screenshot("support-vipkaart-tablet")
    assert await child.axe_violations() == []

    # The professional's phone and the TV: whose card it is, and nothing of it.
    hidden = panel(pro, "vipkaart").locator(".vip-not-shown")
    await hidden.wait_for()
    assert "Het kind kiest zelf" in await hidden.inner_text()
    await pro.screenshot("support-vipkaart-phone-not-shown")
    for device in (pro, tv):
        html = await device.page.content()
        assert "We bakken samen" not in html and "Vaker bellen" not in html
    r = await live_server.post(
        f"/api/meetings/{m['id']}/screen", m["tokens"]["facilitator"], {"board": "vipkaart"}
    )
    assert r.status_code == 400  # the TV cannot be sent to it either

    # The child shows it: the phone and the TV get it.
    await who.get_by_role("button", name="Laat mijn kaart aan iedereen zien").click()
    await card.locator(".vip-who.is-shown").wait_for()
    shown = panel(pro, "vipkaart").locator(".vip-card", has_text="We bakken samen")
    await shown.wait_for()
    assert await panel(pro, "vipkaart").locator("button.vip-card").count() == 0  # read only
    await fits_the_phone(pro, "support-vipkaart-phone-shown")
    await send_tv(live_server, m, {"board": "vipkaart"})
    await tv.page.locator(".vip-tv .vip-card", has_text="Vaker bellen").wait_for()
    await tv.page.locator(".vip-tv[data-text-size]").wait_for()
    await fits_the_tv(tv, "support-vipkaart-tv", ".vip-name, .vip-me", 20)

    # And hides it again: gone from the phone and the TV at once.
    await who.get_by_role("button", name="Toch niet laten zien").click()
    await hidden.wait_for()
    await tv.page.locator(".tv-board-title").wait_for(state="hidden")  # follows the step again
    for device in (pro, tv):
        await device.page.wait_for_function(
            "() => !document.body.innerHTML.includes('We bakken samen')"
        )
        assert await device.page.locator(".waiting-screen").is_hidden()  # no closed part
    assert "We bakken samen" not in await panel(pro, "vipkaart").inner_text()

    # Ten is the most: then the card says so.
    await child.page.evaluate(  # the other seven places, as another tablet would fill them
        """() => { const nb = window.netwerkbord
          const b = nb.boards.find((x) => x.id === 'vipkaart')
          const vips = b.doc.getMap('vips')
          b.doc.transact(() => { for (let i = 4; i <= 10; i++) {
            const m = new (vips.constructor)(); vips.set(String(i), m); m.set('person', 'x' + i)
          } }, `local:${nb.person().id}`) }"""
    )
    await card.locator(".vip-full").wait_for()
    assert "tien mensen" in await card.locator(".vip-full").inner_text()
    assert await card.locator(".vip-add .person-chip").count() == 0
    for device in (child, pro, tv):
        assert device.errors == []


# --- the levenslijn ---------------------------------------------------------------------------


async def new_line(device, name: str, born: int) -> None:
    board = panel(device, "levenslijn")
    await board.locator(".ll-add-line .person-chip", has_text=name).click()
    dialog = device.page.locator("dialog")
    await dialog.locator("#nb-ll-born").fill(str(born))
    await dialog.locator("button[value=save]").click()
    await dialog.wait_for(state="detached")
    await board.locator(".ll-head", has_text=name).wait_for()


async def new_event(device, name: str, year: int, text: str, tone: str, people=()) -> None:
    board = panel(device, "levenslijn")
    await (
        board.locator(".ll-head", has_text=name).get_by_role("button", name="+ Gebeurtenis").click()
    )
    dialog = device.page.locator("dialog")
    await dialog.locator("#nb-ll-year").fill(str(year))
    await dialog.locator("#nb-ll-text").fill(text)
    await dialog.locator(".tone", has_text=tone).click()
    for person in people:
        await dialog.locator(".ll-people .choice", has_text=person).click()
    await dialog.locator("button[value=save]").click()
    await dialog.wait_for(state="detached")
    await board.locator(".ll-event", has_text=text).first.wait_for()


async def test_the_levenslijn_lines_side_by_side(live_server, new_device):
    m = await meeting(live_server)
    ids = await seed_people(live_server, m)
    tablet = await open_meeting(
        await new_device(*TABLET, has_touch=True), m["links"]["familie"], "Mama Lisa", "moeder"
    )
    await tab(tablet, "Levenslijn")
    await new_line(tablet, "Sem", 2014)
    await new_line(tablet, "Mama Lisa", 1990)
    await new_event(tablet, "Sem", 2020, "Naar het pleeggezin", "Moeilijk", ["Oma Wiëbe"])
    await new_event(tablet, "Sem", 2016, "Zwemdiploma A", "Fijn", ["Opa Henk"])
    await new_event(tablet, "Mama Lisa", 2014, "Sem geboren", "Fijn")
    await new_event(tablet, "Mama Lisa", 2020, "Sem gaat uit huis", "Moeilijk")
    grid = panel(tablet, "levenslijn").locator(".ll-grid")
    years = await grid.locator(".ll-year").all_inner_texts()
    assert years[:4] == ["1990", "2014", "2016", "2020"] and years[-1].startswith("Nu")
    # a year lines up across the lines: both 2020 events on one row
    a = await grid.locator(".ll-event", has_text="Naar het pleeggezin").bounding_box()
    b = await grid.locator(".ll-event", has_text="Sem gaat uit huis").bounding_box()
    assert abs(a["y"] - b["y"]) < 2 and a["x"] != b["x"]
    people = grid.locator(".ll-event", has_text="Naar het pleeggezin").locator(".ll-event-people")
    assert await people.inner_text() == "Oma Wiëbe"
    await tablet.screenshot("support-levenslijn-tablet")
    assert await tablet.axe_violations() == []
    line = (await board_json(live_server, m, "levenslijn"))["lines"]
    sem = next(x for x in line if x["person"] == ids["Sem"])
    assert [(e["year"], e["tone"]) for e in sem["events"]] == [
        (2016, "positief"),
        (2020, "negatief"),
    ]

    phone = await open_meeting(
        await new_device(*PHONE, has_touch=True), m["links"]["familie"], "Opa Henk", "opa"
    )
    await tab(phone, "Levenslijn")
    await panel(phone, "levenslijn").locator(".ll-stack .ll-line").first.wait_for()
    assert await panel(phone, "levenslijn").locator(".ll-line").count() == 2
    await fits_the_phone(phone, "support-levenslijn-phone")

    await send_tv(live_server, m, {"board": "levenslijn"})
    tv = await open_tv(live_server, m, new_device)
    await tv.page.locator(".ll-tv .ll-grid").wait_for()
    await tv.page.locator(".ll-tv[data-text-size]").wait_for()
    await fits_the_tv(tv, "support-levenslijn-tv", ".ll-event-text, .ll-title, .ll-year", 20)
    for device in (tablet, phone, tv):
        assert device.errors == []


# --- the netwerkvragen ------------------------------------------------------------------------

BIRTHDAY = "Wie komt er op je verjaardag?"


async def test_the_netwerkvragen_one_question_at_a_time_on_the_tv(live_server, new_device):
    m = await meeting(live_server)
    await seed_people(live_server, m)
    fac = await open_meeting(await new_device(*LAPTOP), m["links"]["facilitator"], "Marieke")
    tablet = await open_meeting(
        await new_device(*TABLET, has_touch=True), m["links"]["familie"], "Sem", "het kind"
    )
    tv = await open_tv(live_server, m, new_device)
    await tab(fac, "Netwerkvragen")
    await tab(tablet, "Netwerkvragen")
    questions = panel(fac, "netwerkvragen")
    assert await questions.locator(".vragen-group").first.locator(".vraag").count() == 20

    # From the question on the board: "Op het scherm".
    birthday = questions.locator(".vraag", has_text=BIRTHDAY)
    await birthday.get_by_role("button", name="Op het scherm").click()
    banner = tv.page.locator(".tv-question")
    await banner.get_by_text(BIRTHDAY).wait_for()
    await panel(tablet, "netwerkvragen").locator(".vraag.on-screen", has_text=BIRTHDAY).wait_for()

    # The family answers: who comes to Sem's birthday?
    mine = panel(tablet, "netwerkvragen").locator(".vraag", has_text=BIRTHDAY)
    await mine.get_by_role("button", name="+ Wie?").click()
    dialog = tablet.page.locator("dialog")
    for name in ("Oma Wiëbe", "Opa Henk"):
        await dialog.locator(".choice", has_text=name).click()
    await dialog.locator("#nb-vraag-text").fill("de hele voetbalclub")
    await dialog.locator("button[value=save]").click()
    await dialog.wait_for(state="detached")
    await birthday.locator(".answer-chip", has_text="de hele voetbalclub").wait_for()
    assert await birthday.locator(".answer-chip").count() == 3
    await tablet.screenshot("support-netwerkvragen-tablet")
    assert await tablet.axe_violations() == []

    # The TV shows the board too, with the question above it; then the next question.
    await send_tv(live_server, m, {"board": "netwerkvragen"})
    await tv.page.locator(".vragen-tv .answer-chip", has_text="Oma Wiëbe").wait_for()
    await tv.page.locator(".vragen-tv[data-text-size]").wait_for()
    await fits_the_tv(tv, "support-netwerkvragen-tv", ".vraag-text, .tv-question-text", 24)
    console = fac.page.locator(".side-question")
    await console.get_by_role("button", name="Volgende vraag →").click()
    await banner.get_by_text("Wie zou je willen dat er komt op je verjaardag?").wait_for()
    await send_tv(live_server, m, {"board": "steuntabel"})  # a question above any board
    await tv.page.locator(".support-tv").wait_for()
    assert await banner.is_visible()
    await tv.screenshot("support-netwerkvragen-tv-question")
    await console.get_by_role("button", name="Vraag weghalen").click()
    await banner.wait_for(state="hidden")
    await fac.screenshot("support-netwerkvragen-console")

    phone = await open_meeting(
        await new_device(*PHONE, has_touch=True), m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    await tab(phone, "Netwerkvragen")
    await panel(phone, "netwerkvragen").locator(".vragen-group").first.wait_for()
    await fits_the_phone(phone, "support-netwerkvragen-phone")
    for device in (fac, tablet, tv, phone):
        assert device.errors == []


async def test_a_professional_sees_none_of_it_in_the_closed_part(live_server, new_device):
    m = await meeting(live_server)
    ids = await seed_people(live_server, m)
    child = await YClient(
        live_server.ws_url(m["id"], "vipkaart", m["tokens"]["familie"]), role="familie"
    ).connect()
    child.doc.get("vips", type=Map)["1"] = Map(
        {"person": ids["Oma Wiëbe"], "contact": "goed", "contactText": "We bakken samen"}
    )
    assert await child.roundtrip()
    r = await live_server.post(
        f"/api/meetings/{m['id']}/shown",
        m["tokens"]["familie"],
        {"board": "vipkaart", "shown": True},
    )
    assert r.status_code == 200
    pro = await open_meeting(
        await new_device(*PHONE, has_touch=True), m["links"]["professional"], "Aïsha"
    )
    await tab(pro, "VIP-kaart")
    await panel(pro, "vipkaart").locator(".vip-card", has_text="We bakken samen").wait_for()

    fac = m["tokens"]["facilitator"]
    await live_server.post(f"/api/meetings/{m['id']}/closed", fac, {"closed": True})
    await pro.page.locator(".waiting-screen").wait_for()
    child.doc.get("vips", type=Map)["2"] = Map({"person": ids["Opa Henk"], "contact": "goed"})
    assert await child.roundtrip()
    assert "We bakken samen" not in await pro.page.content()
    await pro.screenshot("support-closed-part-phone")

    await live_server.post(f"/api/meetings/{m['id']}/closed", fac, {"closed": False})
    await pro.page.locator(".waiting-screen").wait_for(state="hidden")
    await panel(pro, "vipkaart").locator(".vip-card", has_text="Opa Henk").wait_for()
    assert pro.errors == []
    await child.close()
