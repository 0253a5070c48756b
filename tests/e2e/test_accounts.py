"""A facilitator with an account, in Chromium: the first account by the link `serve` prints,
logging in, a new meeting and its links, and the same meeting from a second browser."""

from server.accounts import accounts_of, offer_first_account

PASSWORD = "paardenbloem-42"


async def _log_in(device, base: str, name: str = "anna") -> None:
    page = device.page
    await page.goto(f"{base}/inloggen")
    await page.get_by_label("Gebruikersnaam").fill(name)
    await page.get_by_label("Wachtwoord").fill(PASSWORD)
    await page.get_by_role("button", name="Inloggen").click()
    await page.get_by_role("heading", name="Mijn bijeenkomsten").wait_for()


async def test_first_account_then_a_meeting_seen_from_a_second_browser(live_server, new_device):
    base = live_server.base
    token = offer_first_account(live_server.app.state)  # what `netwerkbord serve` prints

    # The first facilitator makes the account with the link; then they are logged in.
    laptop = await new_device(1280, 800)
    page = laptop.page
    await page.goto(f"{base}/eerste-account/{token}")
    await page.get_by_label("Gebruikersnaam").fill("anna")
    await page.get_by_label("Wachtwoord (minstens 10 tekens)").fill(PASSWORD)
    await page.get_by_label("Hetzelfde wachtwoord nog een keer").fill(PASSWORD)
    await laptop.screenshot("accounts-first-account")
    await page.get_by_role("button", name="Account maken").click()
    await page.get_by_role("heading", name="Mijn bijeenkomsten").wait_for()
    assert await page.get_by_text("Je hebt nog geen bijeenkomsten").is_visible()
    await laptop.screenshot("accounts-mijn-empty")

    # Log out and in again, as on any other day.
    await page.get_by_role("button", name="Uitloggen").click()
    await page.get_by_text("Je bent uitgelogd").wait_for()
    await laptop.screenshot("accounts-login")
    assert await laptop.axe_violations() == []
    await _log_in(laptop, base)

    # A new meeting: its links and QR codes, on a page of its own.
    await page.get_by_label("Naam van de bijeenkomst").fill("Netwerkberaad familie De Vries")
    await page.get_by_label("Soort bijeenkomst").select_option(label="Drieluik-bijeenkomst")
    await page.get_by_role("button", name="Bijeenkomst aanmaken").click()
    await page.get_by_role("heading", name="Netwerkberaad familie De Vries").wait_for()
    assert "/mijn/" in page.url
    cards = page.locator(".link-card")
    assert await cards.count() == 4
    links = {
        await card.get_attribute("data-role"): await card.get_attribute("data-link")
        for card in await cards.all()
    }
    assert all(link.startswith(f"{base}/j/") for link in links.values())
    qrs = page.locator(".link-card img")
    await page.wait_for_function(
        "() => [...document.querySelectorAll('.link-card img')]"
        ".every(img => img.complete && img.naturalWidth > 0)"
    )
    assert await qrs.count() == 4
    assert await page.get_by_text("anna (jij)").is_visible()
    await laptop.screenshot("accounts-meeting-links")
    assert await laptop.axe_violations() == []

    # A second browser (a tablet at the office): the same account sees the same meeting.
    tablet = await new_device(820, 1180)
    await _log_in(tablet, base)
    listed = tablet.page.locator(".my-meeting", has_text="Netwerkberaad familie De Vries")
    await listed.wait_for()
    assert await listed.get_by_text("Drieluik-bijeenkomst", exact=False).is_visible()
    assert await listed.get_by_text("Nog bezig").is_visible()
    await tablet.screenshot("accounts-mijn-second-browser")
    assert await tablet.axe_violations() == []
    await listed.get_by_role("link", name="Links en QR-codes").click()
    await tablet.page.get_by_role("heading", name="Links en QR-codes").wait_for()
    again = {
        await card.get_attribute("data-role"): await card.get_attribute("data-link")
        for card in await tablet.page.locator(".link-card").all()
    }
    assert again == links  # the same links, shown again: nobody's link was replaced

    # "Openen" opens the meeting itself as its facilitator.
    await tablet.page.go_back()
    await listed.get_by_role("link", name="Openen").click()
    await tablet.page.wait_for_selector("body[data-role=facilitator]")
    assert accounts_of(live_server.app.state).find("anna") is not None
    assert laptop.errors == [] and tablet.errors == []


async def test_a_phone_sees_the_login_and_the_meetings_at_its_size(live_server, new_device):
    accounts_of(live_server.app.state).add("bram", PASSWORD)
    phone = await new_device(390, 844, is_mobile=True, has_touch=True)
    await _log_in(phone, live_server.base, "bram")
    page = phone.page
    await page.get_by_label("Naam van de bijeenkomst").fill("FamilieNetwerkBeraad familie Jansen")
    await page.get_by_role("button", name="Bijeenkomst aanmaken").click()
    await page.get_by_role("heading", name="Links en QR-codes").wait_for()
    await page.get_by_role("link", name="← Mijn bijeenkomsten").click()
    await page.locator(".my-meeting").first.wait_for()
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390  # nothing wider than the phone
    await phone.screenshot("accounts-mijn-phone")
    assert phone.errors == []
