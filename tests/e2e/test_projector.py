"""The TV in the room at 1920×1080: the board always fits the screen at a size that can be read
from across a living room, the step's title is the largest text, the plan is text to read, the
facilitator sends the TV to another board and back, and everyone sees when the time is up."""

import time

import pytest
from playwright.async_api import expect

from tests.waiting import until

FONT_MIN = 20  # px at 1920×1080, up to 40 notes on a board (docs/meetings.md, projector.js)
FONT_ONE_COLUMN = 18  # all 40 of them in one column of the Drieluik (measured: 20)

ZORGEN = [
    "Sem raakt zijn school kwijt",
    "Wij houden het als pleeggezin niet vol",
    "Mama ziet Sem bijna niet meer",
    "Sem wordt stil en boos",
    "De uithuisplaatsing duurt langer dan een jaar",
    "Oma Wiëbe kan niet meer helpen",
    "Sem stopt met voetbal",
    "Ruzie tussen de families wordt groter",
    "Niemand weet meer wie wat doet",
    "Sem slaapt slecht en is moe op school",
    "Papa drinkt weer meer",
    "De juf maakt zich zorgen over Sem",
    "Er komt een nieuwe voogd",
    "Sem verliest zijn vrienden uit de buurt",
    "Geen geld voor de bus naar mama",
    "Karim en Lisa krijgen ruzie",
    "Sem moet misschien naar een andere school",
]
WENSEN = [
    "Sem voetbalt weer elke zaterdag",
    "Sem woont weer thuis bij mama",
    "Mama en de pleegouders praten rustig met elkaar",
    "Opa Henk haalt Sem op woensdag op",
    "Sem heeft een vriend in de klas",
    "Iedereen weet wie er belt als het misgaat",
    "Sem slaapt goed",
    "Een vaste dag voor bezoek",
    "Sem gaat graag naar school",
    "Oma komt weer op zondag eten",
    "Papa is een jaar gestopt met drinken",
    "Sem mag zelf kiezen waar hij zijn verjaardag viert",
    "Rust in huis",
    "De juf en mama hebben elke maand contact",
    "Samen op vakantie naar de Veluwe",
]
PLAN = [
    "Oma Wiëbe uitnodigen voor het netwerkberaad",
    "Vraag aan school: wat is er nodig?",
    "Buurvrouw Fatma vragen om te helpen met vervoer",
    "Over 6 weken weer bij elkaar, bij oma thuis",
    "Tante Eva bellen over de weekenden",
    "Trainer van de voetbalclub vragen mee te denken",
    "Informatie over schuldhulp opvragen",
    "Afspraak met de huisarts over slapen",
]

# Writes notes, groups and statements on a board from the facilitator's page, with the
# client's own note operations (as a drag and a tap would).
SEED = """([boardId, notes, groups, statements]) => {
  const nb = window.netwerkbord
  const origin = `local:${nb.person().id}`
  const board = nb.boards.find((b) => b.id === boardId)
  const zones = Object.fromEntries(
    nb.cfg.boards.find((b) => b.id === boardId).zones.map((z) => [z.id, z]))
  const ids = notes.map(([zone, text, author, role]) => nb.ops.addNote(board.doc, origin, {
    text, zone, author: `seed-${author}`, authorName: author, role, color: zones[zone].color }))
  for (const [title, members] of groups) {
    const [first, second, ...rest] = members.map((i) => ids[i])
    const group = nb.ops.groupWith(board.doc, origin, second, first)
    nb.ops.setGroupTitle(board.doc, origin, group, title)
    for (const id of rest) nb.ops.addToGroup(board.doc, origin, id, group)
  }
  board.doc.transact(() => {
    for (const [k, v] of Object.entries(statements)) board.doc.getMap('statements').set(k, v)
  }, origin)
  return ids.length
}"""

# Where everything on the TV is: every note inside the screen and inside its zone (nothing cut
# off), the page itself not scrollable, and the sizes of the type scale.
MEASURE = """() => {
  const board = document.querySelector('.board:not([hidden])')
  const px = (el) => el ? parseFloat(getComputedStyle(el).fontSize) : 0
  const out = { notes: 0, outside: [], clipped: [], fonts: [] }
  for (const note of board.querySelectorAll('li.note')) {
    out.notes++
    const r = note.getBoundingClientRect()
    const z = note.closest('.zone').getBoundingClientRect()
    const label = note.innerText.split('\\n')[0]
    if (r.width < 10 || r.left < 0 || r.top < 0 || r.right > innerWidth ||
        r.bottom > innerHeight) out.outside.push(label)
    if (r.left < z.left - 1 || r.right > z.right + 1 || r.top < z.top - 1 ||
        r.bottom > z.bottom + 1) out.clipped.push(label)
    out.fonts.push(px(note.querySelector('.note-text')))
  }
  const se = document.scrollingElement
  return {
    ...out,
    scroll: [se.scrollWidth - innerWidth, se.scrollHeight - innerHeight],
    title: px(document.querySelector('.step-title')),
    ask: px(document.querySelector('.step-ask')),
    zoneTitle: Math.max(...[...board.querySelectorAll('.zone-title')].map(px)),
    statement: px(board.querySelector('.statement-text')),
    noteSize: Number(board.querySelector('.zones')?.dataset.noteSize || 0),
  }
}"""

# Every control that can be seen (the TV has nothing to tap, fill in or download).
CONTROLS = """() => [...document.querySelectorAll(
    'input, select, textarea, button, a[download], a.button, a[href*="export"]')]
  .filter((el) => el.checkVisibility({ visibilityProperty: true }))
  .map((el) => `${el.tagName} ${el.innerText || el.value || ''}`.trim())"""


STEP_NOW = "document.querySelector('.step-list [aria-current=step]').innerText"


async def step_to(fac, title: str) -> None:
    """Press "Volgende stap" (confirming the closed part) until `title` is the current step."""
    while (await fac.page.evaluate(STEP_NOW)) != title:
        before = await fac.page.evaluate(STEP_NOW)
        await fac.page.get_by_role("button", name="Volgende stap →").click()
        moved = f"b => {STEP_NOW} !== b"
        await fac.page.wait_for_function(
            f"b => document.querySelector('dialog') || ({moved})(b)", arg=before
        )
        if await fac.page.locator("dialog").count():
            await fac.page.locator("dialog button[value=yes]").click()
            await fac.page.wait_for_function(moved, arg=before)


async def tv_shows(tv, count: int, statements: int = 0) -> dict:
    """Wait until the TV shows `count` notes and `statements` statements on its board, fitted
    to the screen. (The statements are written after the notes, in a later update: a TV
    measured as soon as the notes were in once had no statement yet.)"""
    await tv.page.wait_for_function(
        """([n, s]) => { const b = document.querySelector('.board:not([hidden])')
                  const title = b && b.querySelector('.zone-title')
                  const said = b ? [...b.querySelectorAll('.statement-text')]
                    .filter((el) => !['', '…'].includes(el.innerText.trim())).length : 0
                  // (and its styles applied: once, under a heavily loaded CI machine, a
                  // column title still measured 0 px right after the notes were in)
                  return b && b.querySelectorAll('li.note').length === n && said >= s &&
                    b.querySelector('.zones[data-note-size]') &&
                    (!title || parseFloat(getComputedStyle(title).fontSize) > 0) }""",
        arg=[count, statements],
    )
    return await tv.page.evaluate(MEASURE)


def notes_of(zone: str, texts: list[str], role: str = "familie") -> list[list[str]]:
    authors = ["Mama Lisa", "Pleegvader Karim", "Oma Wiëbe", "Aïsha"]
    return [[zone, t, authors[i % 4], role] for i, t in enumerate(texts)]


async def drieluik_meeting(live_server, new_device):
    m = await live_server.create_meeting("Drieluik familie Bakker", script="drieluik")
    fac = await (await new_device(1400, 900)).join(
        m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    tv = await (await new_device(1920, 1080)).join(
        m["links"]["scherm"] + "#join=" + m["tokens"]["familie"]
    )
    return m, fac, tv


def assert_fits(seen: dict, count: int, font_min: float) -> None:
    assert seen["notes"] == count
    assert seen["outside"] == [], f"notes outside the screen: {seen['outside']}"
    assert seen["clipped"] == [], f"notes cut off by their column: {seen['clipped']}"
    assert seen["scroll"] == [0, 0], "the TV page scrolls"
    assert min(seen["fonts"]) >= font_min, f"notes at {min(seen['fonts'])} px"


async def test_forty_notes_fit_the_tv_at_a_readable_size(live_server, new_device):
    m, fac, tv = await drieluik_meeting(live_server, new_device)
    await step_to(fac, "Bespreken: wat is het ergste?")
    notes = notes_of("zorgen", ZORGEN) + notes_of("plan", PLAN) + notes_of("wensen", WENSEN)
    notes[3][3] = notes[7][3] = notes[20][3] = "professional"
    statements = {
        "ergste": "Sem moet naar een andere school en verliest iedereen",
        "wens": "Sem woont weer thuis en voetbalt",
    }
    groups = [["Sem en school", [0, 9, 11, 16]], ["Thuis", [26, 28, 36]]]
    assert await fac.page.evaluate(SEED, ["drieluik", notes, groups, statements]) == 40

    seen = await tv_shows(tv, 40, statements=2)
    await tv.screenshot("projector-40-notes")
    assert_fits(seen, 40, FONT_MIN)
    # The type scale: the step's title largest, then what the discussion came to, then the
    # instruction and the column titles, then the notes.
    assert seen["title"] > seen["statement"] > seen["zoneTitle"] > max(seen["fonts"])
    assert seen["title"] > seen["ask"] >= seen["zoneTitle"]
    assert tv.errors == []


async def test_a_full_left_column_spreads_over_the_screen(live_server, new_device):
    """The walk-through's case: nine notes on the left, the other columns empty."""
    m, fac, tv = await drieluik_meeting(live_server, new_device)
    await step_to(fac, "Familie plakt links")
    await fac.page.evaluate(SEED, ["drieluik", notes_of("zorgen", ZORGEN[:9]), [], {}])
    seen = await tv_shows(tv, 9)
    await tv.screenshot("projector-9-notes-left")
    assert_fits(seen, 9, 24)  # few notes: large

    # Forty notes in that one column still all fit (smaller, in more columns).
    more = notes_of("zorgen", [f"{t} ({i})" for i, t in enumerate(ZORGEN + WENSEN)][:31])
    await fac.page.evaluate(SEED, ["drieluik", more, [], {}])
    seen = await tv_shows(tv, 40)
    await tv.screenshot("projector-40-notes-left")
    assert_fits(seen, 40, FONT_ONE_COLUMN)
    assert tv.errors == []


async def test_the_plan_on_the_tv_is_text_to_read(live_server, new_device):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = await (await new_device(1400, 900)).join(
        m["links"]["facilitator"], "Joost", "gespreksleider"
    )
    tv = await (await new_device(1920, 1080)).join(
        m["links"]["scherm"] + "#join=" + m["tokens"]["familie"]
    )
    await fac.page.evaluate(
        """() => {
      const nb = window.netwerkbord
      const doc = nb.boards.find((b) => b.id === 'plan').doc
      const YMap = doc.getMap('goals').constructor
      const put = (map, id, fields) => {
        const m = new YMap(); doc.getMap(map).set(id, m)
        for (const [k, v] of Object.entries(fields)) m.set(k, v)
      }
      doc.transact(() => {
        put('goals', 'g1', { text: 'Sem gaat elke dag naar school', tags: ['voorwaardelijk'],
          order: 1, hulpNetwerk: 'Opa rijdt Sem op dinsdag',
          hulpProfessionals: 'De jeugdbeschermer belt de school' })
        put('goals', 'g2', { text: 'Sem ziet mama elke week', order: 2 })
        put('actions', 'a1', { goal: 'g1', wat: 'Wekker zetten om 7 uur', wie: 'Mama Lisa',
          status: 'bezig', order: 1 })
        put('actions', 'a2', { goal: 'g1', wat: 'Afspraak met de juf maken', wie: 'Oma Wiëbe',
          vanaf: '2026-12-01', tot: '2027-01-15', nogDoen: 'Telefoonnummer school opzoeken',
          order: 2 })
        put('actions', 'a3', { goal: 'g2', wat: 'Vaste bezoekdag afspreken',
          wie: 'Pleegvader Karim', order: 1 })
        put('team', 't1', { name: 'Opa Henk', order: 1 })
        put('team', 't2', { name: 'Mama Lisa', order: 2 })
        doc.getMap('info').set('evaluatie', '2027-03-01')
      }, `local:${nb.person().id}`)
    }"""
    )
    await step_to(fac, "Plan presenteren")
    plan = tv.page.locator("#panel-plan:not([hidden]) .plan-read")
    await plan.locator(".plan-read-goal", has_text="Sem ziet mama elke week").wait_for()
    text = await plan.inner_text()
    for expected in (
        "Sem gaat elke dag naar school",
        "Wekker zetten om 7 uur",
        "Mama Lisa",
        "1 december 2026 tot 15 januari 2027",
        "Nog doen: Telefoonnummer school opzoeken",
        "Opa rijdt Sem op dinsdag",
        "Opa Henk, Mama Lisa",
        "1 maart 2027",
    ):
        assert expected in text
    assert await tv.page.evaluate(CONTROLS) == []
    assert (
        await tv.page.locator(
            "#panel-plan input, #panel-plan select, #panel-plan textarea, "
            "#panel-plan button, #panel-plan a"
        ).count()
        == 0
    )
    size = await plan.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= FONT_MIN
    box = await plan.evaluate(
        "el => [el.scrollHeight - el.clientHeight, el.getBoundingClientRect().bottom - innerHeight]"
    )
    assert box[0] <= 1 and box[1] <= 0, "the plan runs off the screen"
    await tv.screenshot("projector-plan")

    # Instemming: the plan, and beside it who said akkoord.
    tablet = await (await new_device(1024, 768, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    await step_to(fac, "Akkoord met het plan?")
    await tablet.page.locator(".consent").get_by_role("button", name="Akkoord", exact=True).click()
    await tv.page.locator(".consent-list .consent-yes", has_text="Oma Wiëbe").wait_for()
    assert await tv.page.evaluate(CONTROLS) == []
    assert await plan.is_visible()
    await tv.screenshot("projector-consent")
    assert tv.errors == []


async def test_the_facilitator_sends_the_tv_elsewhere_and_back(live_server, new_device):
    m, fac, tv = await drieluik_meeting(live_server, new_device)
    await step_to(fac, "Bespreken: wat is het ergste?")
    await fac.page.evaluate(
        SEED, ["drieluik", notes_of("zorgen", ZORGEN[:6]), [["Sem en school", [0, 3]]], {}]
    )
    await tv.note("Sem wordt stil").wait_for()
    console = fac.page.locator(".side-screen")
    follows = console.get_by_role("button", name="Volgt de stap")
    await expect(follows).to_have_attribute("aria-pressed", "true")

    # To another board: the TV goes there, and says so.
    await console.get_by_role("button", name="Doelen in beeld").click()
    await tv.page.locator("#panel-doelen:not([hidden]) .zones").wait_for()
    await tv.page.locator(".tv-board-title", has_text="Op het scherm: Doelen in beeld").wait_for()
    assert await tv.page.locator("#panel-drieluik").is_hidden()
    await expect(console.get_by_role("button", name="Doelen in beeld")).to_have_attribute(
        "aria-pressed", "true"
    )
    await tv.screenshot("projector-sent-to-doelen")
    await fac.screenshot("facilitator-screen-control")

    # Back to following the step.
    await follows.click()
    await tv.page.locator("#panel-drieluik:not([hidden]) li.note").first.wait_for()
    assert await tv.page.locator(".tv-board-title").is_hidden()

    # One group large, from its "Op het scherm" button on the board; then off again.
    await (
        fac.page.locator(".group", has_text="Sem en school")
        .get_by_role("button", name="Op het scherm")
        .click()
    )
    spot = tv.page.locator(".spotlight-view:not([hidden])")
    await spot.locator("h2", has_text="Sem en school").wait_for()
    assert await tv.page.locator("#panel-drieluik li.note").first.is_hidden()
    await tv.screenshot("projector-group")
    await console.get_by_role("button", name="Groep van het scherm halen").click()
    await tv.page.locator(".spotlight-view").wait_for(state="hidden")
    await tv.page.locator("#panel-drieluik li.note").first.wait_for()

    # Sent elsewhere, then the next step: the TV follows the step again.
    await console.get_by_role("button", name="Plan van het actieteam").click()
    await tv.page.locator("#panel-plan:not([hidden]) .plan-read").wait_for()
    await step_to(fac, "Familie plakt rechts")
    await tv.page.locator("#panel-drieluik:not([hidden])").wait_for()
    await expect(follows).to_have_attribute("aria-pressed", "true")
    assert tv.errors == [] and fac.errors == []


@pytest.mark.parametrize("sound", [True, False])
async def test_everyone_sees_when_the_time_is_up(live_server, new_device, sound):
    m, fac, tv = await drieluik_meeting(live_server, new_device)
    tablet = await (await new_device(1024, 768, has_touch=True)).join(
        m["links"]["familie"], "Mama Lisa", "moeder"
    )
    box = fac.page.get_by_label("Geluid op het scherm als de tijd om is")
    assert not await box.is_checked()  # off until the facilitator turns it on
    if sound:
        await box.check()
        await fac.page.wait_for_function(
            "() => window.netwerkbord.verloop.doc.getMap('state').get('screen')?.sound === true"
        )
    # A timer of a few seconds: it runs, then every screen says the time is up (not "0:00").
    fac_token = m["tokens"]["facilitator"]
    timer = f"/api/meetings/{m['id']}/timer"
    r = await live_server.post(timer, fac_token, {"action": "start", "minutes": 0.15})
    assert r.status_code == 200
    for device in (tablet, tv):
        await device.page.locator(".bar .timer:not(.timer-ended)", has_text=":").wait_for()
    for device in (tablet, tv, fac):
        ended = device.page.locator(".timer.timer-ended").first
        await ended.wait_for(timeout=20_000)
        assert await ended.inner_text() == "De tijd is om"
    await tv.screenshot(f"projector-time-up{'-sound' if sound else ''}")
    await tablet.screenshot("tablet-time-up")
    # The sound: on the TV only, only when the facilitator turned it on.
    await tv.page.wait_for_function("() => window.netwerkbord.sound.chimedFor !== null")
    assert await tv.page.evaluate("window.netwerkbord.sound.chimes") == (1 if sound else 0)
    assert await tablet.page.evaluate("window.netwerkbord.sound") is None

    # "Stop" clears it everywhere; so does the next step, for a timer that ran out.
    await fac.page.locator(".side-timer").get_by_role("button", name="Stop").click()
    for device in (tablet, tv):
        await device.page.locator(".timer.timer-ended").wait_for(state="detached")
        assert await device.page.locator(".bar .timer").inner_text() == ""
    r = await live_server.post(timer, fac_token, {"action": "start", "minutes": 0.02})
    await tablet.page.locator(".timer.timer-ended").wait_for(timeout=10_000)
    ends = r.json()["timerEndsAt"]
    await until(lambda: time.time() * 1000 > ends, timeout=10)  # over for the server too
    await step_to(fac, "Zelf schrijven: als er niks verandert")
    for device in (tablet, tv):
        await device.page.locator(".timer.timer-ended").wait_for(state="detached")
    for d in (fac, tv, tablet):
        assert d.errors == []
