"""Every screen on every device: phones from 360 px wide, tablets both ways, a laptop and the TV
size. Nothing scrolls sideways and every control lies inside the screen; and the things a
finger or a facilitator on a tablet notices: a swipe on a note scrolls, a long press drags,
"Annuleren" always cancels, "Volgende stap" is always in reach."""

import pytest

from tests.e2e.conftest import ARTIFACTS

SIZES = [(360, 740), (390, 844), (768, 1024), (1024, 768), (1920, 1080)]
LONG = "Opa Henk haalt Sem elke woensdag op van school en neemt hem mee naar de voetbaltraining"

# Whatever lies outside the viewport horizontally, and how wide the page really is.
LAYOUT = """() => {
  const vw = document.documentElement.clientWidth
  const outside = []
  const clipped = []
  for (const el of document.querySelectorAll(
      'button, input, select, textarea, a[href], summary, [role=tab]')) {
    if (el.closest('.sr-only') || (el.matches('.skip') && el !== document.activeElement)) continue
    if (el.type === 'hidden' || !el.checkVisibility({ visibilityProperty: true })) continue
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) continue
    const what = (el.innerText || el.value || el.id || el.getAttribute('aria-label') || '').trim()
    const name = `${el.localName} "${what.slice(0, 40)}" ${r.left | 0}..${r.right | 0}`
    if (r.left < -0.5 || r.right > vw + 0.5) outside.push(name)
    // a button whose words do not fit in it
    if (el.tagName === 'BUTTON' && el.scrollWidth > el.clientWidth + 1) clipped.push(name)
  }
  return { width: document.scrollingElement.scrollWidth, vw, outside, clipped }
}"""


async def assert_fits(device, name: str) -> None:
    await device.screenshot(f"screens-{name}")
    layout = await device.page.evaluate(LAYOUT)
    assert layout["width"] <= layout["vw"], f"{name}: page is {layout['width']} px wide"
    assert layout["outside"] == [], f"{name}: controls outside the screen"
    assert layout["clipped"] == [], f"{name}: buttons too narrow for their words"


SEED = """([notes, goals]) => {
  const nb = window.netwerkbord
  const p = nb.person()
  const origin = `local:${p.id}`
  const doc = (id) => nb.boards.find((b) => b.id === id).doc
  for (const [boardId, zone, text] of notes) {
    const board = nb.cfg.boards.find((b) => b.id === boardId)
    const color = board.zones.find((z) => z.id === zone).color
    nb.ops.addNote(doc(boardId), origin, {
      text, zone, author: p.id, authorName: p.name, role: nb.cfg.role, color,
      tags: [...board.fixedTags]
    })
  }
  const plan = doc('plan')
  const YMap = plan.getMap('goals').constructor
  plan.transact(() => {
    goals.forEach(([text, actions], g) => {
      const goal = new YMap()
      plan.getMap('goals').set(`goal${g}`, goal)
      for (const [k, v] of Object.entries({ text, tags: ['voorwaardelijk'], order: g,
        createdAt: Date.now(), hulpNetwerk: 'Buren rijden mee' })) goal.set(k, v)
      actions.forEach(([wat, wie, nogDoen], a) => {
        const action = new YMap()
        plan.getMap('actions').set(`action${g}${a}`, action)
        for (const [k, v] of Object.entries({ goal: `goal${g}`, wat, wie, vanaf: '2026-01-08',
          tot: '2026-07-01', status: 'bezig', nogDoen, order: a, createdAt: Date.now() })) {
          action.set(k, v)
        }
      })
    })
  }, origin)
}"""

NOTES = [
    ["bodemeisen", "bodemeisen", "Sem woont niet thuis zolang er gedronken wordt"],
    ["bodemeisen", "bodemeisen", "Omgang met vader blijft begeleid"],
    ["drieluik", "zorgen", "Sem raakt zijn school kwijt"],
    ["drieluik", "zorgen", LONG],
    ["drieluik", "zorgen", "Pleeggezin houdt het niet vol"],
    ["drieluik", "plan", "Oma Wiëbe uitnodigen voor het netwerkberaad"],
    ["drieluik", "wensen", "Sem voetbalt weer"],
    ["drieluik", "wensen", "Elke zondag samen eten"],
    ["doelen", "kort-zelf", "Wekker zetten om 7 uur"],
    ["doelen", "kort-samen", "Iemand haalt Sem op van school"],
    ["doelen", "lang-samen", "Sem woont weer thuis"],
]
GOALS = [
    [
        "Sem gaat elke dag naar school",
        [
            ["Wekker zetten om 7 uur en samen ontbijten", "Mama Lisa", "Wekker kopen"],
            ["Afspraak met de juf maken over huiswerk", "Oma Wiëbe", LONG],
        ],
    ],
    ["Rust in huis in het weekend", [["Vaste logeerweekenden bij oma", "Opa Henk", ""]]],
]


async def open_tab(device, title: str) -> None:
    await device.page.get_by_role("tab", name=title).click()
    await device.page.locator(".board:not([hidden])[aria-labelledby] >> nth=0").wait_for()


@pytest.mark.parametrize("width,height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
async def test_every_screen_fits_its_device(live_server, new_device, width, height):
    size = f"{width}x{height}"
    touch = {"has_touch": True, "is_mobile": width < 768} if width <= 1024 else {}
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")

    async def device():
        return await new_device(width, height, **touch)

    # The index page: a new meeting.
    start = await device()
    await start.page.goto(live_server.base + "/")
    await assert_fits(start, f"index-{size}")

    fac = await (await device()).join(m["links"]["facilitator"], "Joost", "gespreksleider")
    await fac.page.evaluate(SEED, [NOTES, GOALS])
    fam = await device()
    await fam.page.goto(m["links"]["familie"])
    await fam.page.locator("dialog.who").wait_for()
    await assert_fits(fam, f"familie-who-{size}")
    await fam.choose("Oma Wiëbe", "oma")
    await fam.note("Omgang met vader").wait_for()
    await assert_fits(fam, f"familie-bodemeisen-{size}")
    for tab, board in [
        ("Drieluik", "drieluik"),
        ("Doelen in beeld", "doelen"),
        ("Plan van het actieteam", "plan"),
    ]:
        await open_tab(fam, tab)
        if board == "plan":
            await fam.page.locator(".goal-card").nth(1).wait_for()
            # a new action, as after "+ Actie"
            await fam.page.get_by_role("button", name="+ Actie").first.click()
            await fam.page.locator(".actions-table tbody tr").nth(2).wait_for()
        await assert_fits(fam, f"familie-{board}-{size}")
    # In the cards of the plan, what an action says gets room to be read.
    for field in await fam.page.locator("[id^=wat-]").all():
        box = await field.bounding_box()
        card = await field.evaluate("el => el.closest('tr').getBoundingClientRect().width")
        assert box["width"] >= min(card * 0.3, 240), f"{size}: 'Wat' is {box['width']} px"

    pro = await (await device()).join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")
    await pro.note("Omgang met vader").wait_for()
    await assert_fits(pro, f"professional-bodemeisen-{size}")
    await open_tab(pro, "Drieluik")
    await pro.note("Sem voetbalt weer").wait_for()
    await assert_fits(pro, f"professional-drieluik-{size}")
    await open_tab(pro, "Plan van het actieteam")
    await pro.page.locator(".goal-card").nth(1).wait_for()
    await assert_fits(pro, f"professional-plan-{size}")

    await assert_fits(fac, f"facilitator-bodemeisen-{size}")
    await open_tab(fac, "Drieluik")
    await assert_fits(fac, f"facilitator-drieluik-{size}")
    await open_tab(fac, "Plan van het actieteam")
    await fac.page.locator(".goal-card").nth(1).wait_for()
    await assert_fits(fac, f"facilitator-plan-{size}")

    plan = await device()
    await plan.page.goto(f"{m['links']['familie']}/plan")
    await plan.page.locator("h2", has_text="Het plan").wait_for()
    await assert_fits(plan, f"plan-page-{size}")
    for d in (start, fac, fam, pro, plan):
        assert d.errors == []


# --- cancel, touch, the console ---------------------------------------------------------------


async def test_cancel_always_cancels_also_on_an_empty_note(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    tablet = await (await new_device(768, 1024, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    dialog = tablet.page.locator("dialog")
    # A new note, nothing written: "Annuleren" closes it (a tablet has no Escape key).
    await tablet.zone("plan").locator("[data-add-zone]").tap()
    await dialog.locator("#nb-note-text").wait_for()
    await dialog.get_by_role("button", name="Annuleren").tap()
    await dialog.wait_for(state="detached")
    assert await tablet.zone("plan").locator("li.note").count() == 0
    # Written, then wiped out again: "Annuleren" keeps what was there, "Weggooien" throws away.
    await tablet.add_note("plan", "Opa haalt Sem op dinsdag", private=False)
    await tablet.note("Opa haalt Sem").locator(".note-body").tap()
    await dialog.locator("#nb-note-text").fill("")
    await dialog.get_by_role("button", name="Annuleren").tap()
    await dialog.wait_for(state="detached")
    assert await tablet.note("Opa haalt Sem op dinsdag").count() == 1
    await tablet.note("Opa haalt Sem").locator(".note-body").tap()
    await dialog.locator("#nb-note-text").fill("")
    await dialog.get_by_role("button", name="Weggooien").tap()
    await tablet.note("Opa haalt Sem").wait_for(state="detached")
    # "Klaar" on an empty note still asks for words.
    await tablet.zone("plan").locator("[data-add-zone]").tap()
    await dialog.locator("button[value=save]").tap()
    assert await dialog.is_visible()
    assert await dialog.locator("#nb-note-text").evaluate("el => el.matches(':focus:invalid')")
    assert tablet.errors == []


class Finger:
    """One finger on a touch screen, through Chrome's DevTools protocol (real touch input:
    the browser itself decides whether it scrolls)."""

    def __init__(self, cdp) -> None:
        self.cdp = cdp
        self.x = self.y = 0.0

    @classmethod
    async def on(cls, device) -> "Finger":
        return cls(await device.context.new_cdp_session(device.page))

    async def down(self, x: float, y: float) -> None:
        self.x, self.y = x, y
        await self.cdp.send(
            "Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]}
        )

    async def move(self, x: float, y: float, steps: int = 10) -> None:
        x0, y0 = self.x, self.y
        for i in range(1, steps + 1):
            self.x, self.y = x0 + (x - x0) * i / steps, y0 + (y - y0) * i / steps
            await self.cdp.send(
                "Input.dispatchTouchEvent",
                {"type": "touchMove", "touchPoints": [{"x": self.x, "y": self.y}]},
            )

    async def up(self) -> None:
        await self.cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


async def center(locator) -> tuple[float, float]:
    box = await locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


async def board_notes(live_server, m, board="drieluik") -> dict[str, dict]:
    r = await live_server.get(f"/api/meetings/{m['id']}/boards/{board}", m["tokens"]["facilitator"])
    return {n["text"]: n for n in r.json()["notes"]}


async def test_a_swipe_on_a_note_scrolls_the_page(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    phone = await (await new_device(390, 844, is_mobile=True, has_touch=True)).join(
        m["links"]["familie"], "Mama Lisa", "moeder"
    )
    texts = [f"Zorg {i}: Sem slaapt slecht" for i in range(1, 9)]
    await phone.page.evaluate(SEED, [[["drieluik", "zorgen", t] for t in texts], []])
    await phone.note(texts[-1]).wait_for()
    before = await board_notes(live_server, m)
    # a note low on the screen: the finger starts on it and swipes up, as on any page
    note = phone.note(texts[3])
    await note.scroll_into_view_if_needed()
    await phone.page.evaluate("scrollBy(0, 0)")
    x, y = await center(note)
    start = await phone.page.evaluate("scrollY")
    finger = await Finger.on(phone)
    await finger.down(x, y)
    await finger.move(x, max(40, y - 400), steps=12)
    await finger.up()
    await phone.page.wait_for_function("start => scrollY > start + 150", arg=start)
    # the note stayed where it was, nothing opened and nothing is being dragged
    assert await phone.page.locator("dialog, .ghost, li.note.dragging").count() == 0
    assert await board_notes(live_server, m) == before
    await phone.screenshot("touch-swipe-scrolled")
    assert phone.errors == []


async def test_a_long_press_picks_a_note_up_and_a_finger_drags_it(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    tablet = await (await new_device(768, 1024, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    other = await (await new_device()).join(m["links"]["familie"], "Mama Lisa", "moeder")
    await tablet.add_note("zorgen", "Sem mist zijn vader", private=False)
    note = tablet.note("Sem mist zijn vader")
    target = tablet.zone("wensen")
    await target.scroll_into_view_if_needed()
    await note.scroll_into_view_if_needed()
    start = await tablet.page.evaluate("scrollY")
    finger = await Finger.on(tablet)
    x, y = await center(note)
    await finger.down(x, y)
    # held still: after a moment the note is lifted, and only then does it follow the finger
    await tablet.page.locator("li.note.drag-armed").wait_for()
    box = await target.bounding_box()
    await finger.move(box["x"] + box["width"] / 2, box["y"] + box["height"] - 10, steps=15)
    await tablet.page.locator("[data-zone=wensen].drop-target").wait_for()
    await finger.up()
    await other.zone("wensen").locator("li.note", has_text="Sem mist zijn vader").wait_for()
    assert await tablet.page.evaluate("scrollY") == start  # the page held still meanwhile
    assert await tablet.page.locator("dialog, .ghost, li.note.drag-armed").count() == 0
    # a quick tap still opens the note
    await tablet.note("Sem mist zijn vader").locator(".note-body").tap()
    await tablet.page.locator("dialog #nb-note-text").wait_for()
    assert tablet.errors == [] and other.errors == []


# Inside the screen, and nothing lies on top of it.
IN_REACH = """b => { const r = b.getBoundingClientRect()
  return r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth &&
    b.contains(document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)) }"""


@pytest.mark.parametrize("width,height", [(768, 1024), (1024, 768)], ids=["upright", "landscape"])
async def test_the_console_on_a_tablet_keeps_the_step_controls_in_reach(
    live_server, new_device, width, height
):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = await (await new_device(width, height, has_touch=True)).join(
        m["links"]["facilitator"], "Marieke", "gespreksleider"
    )
    await fac.page.evaluate(SEED, [NOTES, GOALS])
    fam = await (await new_device(390, 844, has_touch=True)).join(
        m["links"]["familie"], "Oma Wiëbe", "oma"
    )
    tv = await (await new_device(1920, 1080)).join(m["links"]["scherm"])

    page = fac.page
    assert await page.locator("h1").count() == 1
    assert await page.locator("h1").inner_text() == "Netwerkberaad familie De Vries"
    next_step = page.get_by_role("button", name="Volgende stap →")
    for where in ("top", "bottom"):
        await page.evaluate(
            "where => scrollTo(0, where === 'top' ? 0 : document.scrollingElement.scrollHeight)",
            where,
        )
        await page.wait_for_function(
            "where => where === 'top' ? scrollY === 0 : scrollY > 500", arg=where
        )
        assert await next_step.evaluate(IN_REACH), where
        # what the facilitator sees: the screen, not the whole page
        await page.screenshot(path=str(ARTIFACTS / f"console-{width}x{height}-{where}.png"))
    await next_step.tap()  # at the bottom of the console, one tap
    await fam.page.locator(".step-title", has_text="Informatie delen").wait_for()

    # Deleting stands apart from closing, marked as what cannot be undone.
    close = page.get_by_role("button", name="Bijeenkomst afsluiten")
    delete = page.locator(".danger-zone").get_by_role("button", name="Bijeenkomst nu verwijderen")
    assert "niet ongedaan" in await page.locator(".danger-zone").inner_text()
    assert await close.evaluate("b => !b.closest('.danger-zone')")
    gap = (await delete.bounding_box())["y"] - (await close.bounding_box())["y"]
    assert gap > 200, f"'verwijderen' is {gap} px below 'afsluiten'"

    # Who is connected: every name and role once; chips without a list of boards.
    await page.locator(".devices + button").tap()
    devices = page.locator(".devices li")
    await page.locator(".devices li", has_text="Oma Wiëbe").wait_for()
    await page.locator(".devices li", has_text="Scherm in de kamer").wait_for()
    for text in await devices.all_inner_texts():
        for word in ("Marieke", "Oma Wiëbe", "Gespreksleider", "Scherm in de kamer", "Familie"):
            assert text.count(word) <= 1, text
    await page.locator(".presence-person", has_text="Oma Wiëbe").wait_for()
    for chip in await page.locator(".presence-person").all_inner_texts():
        assert "Drieluik" not in chip and "Bodemeisen" not in chip, chip
    assert fac.errors == [] and fam.errors == [] and tv.errors == []
