"""Browser tests: the real server, driven through Debian's Chromium by Playwright."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("NETWERKBORD_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SYNCED = """() => { const nb = window.netwerkbord
  return !!nb && [nb.verloop, ...nb.boards].every((b) => b.refused || b.provider.synced) }"""

if not Path(CHROMIUM).exists():  # .ci/run installs it; locally: apt-get install chromium
    pytest.skip(f"no Chromium at {CHROMIUM}", allow_module_level=True)


@pytest.fixture
async def browser() -> Browser:
    async with async_playwright() as p:
        b = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        await b.close()


class Device:
    """One browser context: a tablet, a laptop or the TV, with its own storage."""

    def __init__(self, context: BrowserContext, page: Page) -> None:
        self.context, self.page = context, page
        self.errors: list[str] = []
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: self.errors.append(f"unexpected dialog: {d.message}"))

    async def join(self, link: str, name: str | None = None, relation: str = "") -> "Device":
        await self.page.goto(link)
        if name is not None:
            await self.choose(name, relation)
        await self.page.wait_for_selector(
            ".board:not([hidden]) .zones, .board:not([hidden]) .plan-tools, "
            ".waiting-screen:not([hidden])"
        )
        # Every board of the page has its copy from the server, or was refused (the closed
        # part): what the test does next is not raced by a late first sync.
        await self.page.wait_for_function(SYNCED)
        return self

    async def choose(self, name: str, relation: str = "") -> None:
        """Answer "Wie ben jij?": tap the name if it is listed, otherwise type it."""
        who = self.page.locator("dialog.who")
        await who.wait_for()
        listed = who.get_by_role("button", name=name, exact=False)
        if await listed.count():
            await listed.first.click()
        else:
            await who.locator("#nb-name").fill(name)
            await who.locator("#nb-relation").fill(relation)
            await who.get_by_role("button", name="Dat ben ik").click()
        await who.wait_for(state="detached")

    def zone(self, zone: str):
        return self.page.locator(f".board:not([hidden]) [data-zone={zone}]")

    def note(self, text: str):
        return self.page.locator(".board:not([hidden]) li.note", has_text=text)

    async def add_note(self, zone: str, text: str, private: bool | None = None) -> None:
        await self.zone(zone).locator("[data-add-zone]").click()
        dialog = self.page.locator("dialog")
        await dialog.locator("#nb-note-text").fill(text)
        box = dialog.locator("input[name=private]")
        if private is not None and await box.count():
            await box.set_checked(private)
        await dialog.locator("button[value=save]").click()
        await dialog.wait_for(state="detached")

    async def drag(self, source, target, where: str = "center") -> None:
        """Drag with the mouse's pointer events, as a finger would."""
        s = await source.bounding_box()
        t = await target.bounding_box()
        x0, y0 = s["x"] + s["width"] / 2, s["y"] + min(20, s["height"] / 2)
        if where == "center":
            x1, y1 = t["x"] + t["width"] / 2, t["y"] + t["height"] / 2
        else:  # bottom of the target area
            x1, y1 = t["x"] + t["width"] / 2, t["y"] + t["height"] - 8
        await self.page.mouse.move(x0, y0)
        await self.page.mouse.down()
        await self.page.mouse.move(x0 + 10, y0 + 10, steps=3)
        await self.page.mouse.move(x1, y1, steps=12)
        await self.page.mouse.up()

    async def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        await self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)

    async def axe_violations(self) -> list[dict]:
        # Evaluated through DevTools, which the page's strict Content-Security-Policy
        # (script-src 'self') does not apply to: the policy stays as strict as in real use.
        if not await self.page.evaluate("typeof window.axe === 'object'"):
            await self.page.evaluate(AXE.read_text() + "\n;undefined")
        result = await self.page.evaluate(
            "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', "
            "'wcag21aa']})).violations.map(v => ({id: v.id, help: v.help, "
            "nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))"
        )
        return result


@pytest.fixture
def new_device(browser):
    contexts = []

    async def make(width: int = 1280, height: int = 800, **kwargs) -> Device:
        context = await browser.new_context(viewport={"width": width, "height": height}, **kwargs)
        contexts.append(context)
        return Device(context, await context.new_page())

    yield make
