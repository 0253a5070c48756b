"""The living-room Wi-Fi drops: edits stay on the device and merge when it comes back."""

from tests.e2e.test_meeting_flow import READ_INDEXEDDB


async def test_offline_edits_on_both_devices_merge_after_reconnect(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    a = await (await new_device(1024, 768)).join(m["links"]["familie"], "Oma Wiëbe", "oma")
    b = await (await new_device()).join(m["links"]["facilitator"], "Joost", "gespreksleider")
    await a.add_note("plan", "Voor de storing")
    await b.note("Voor de storing").wait_for()

    await live_server.stop()
    offline = a.page.locator(".connection-offline")
    await offline.wait_for(timeout=5000)
    assert "blijft op dit apparaat bewaard" in await offline.inner_text()
    await a.add_note("plan", "Oma schrijft zonder wifi")
    await b.add_note("wensen", "Joost schrijft zonder wifi", private=False)
    await a.drag(a.note("Voor de storing"), a.zone("wensen"), where="bottom")

    # A reload without a connection still shows the board, own offline work included.
    await a.zone("wensen").locator("li.note", has_text="Voor de storing").wait_for()
    # IndexedDB writes are asynchronous, but a read waits for the writes begun before it
    # (transactions on a store run in the order they were made): read it all back first.
    stored = [bytes(row) for row in await a.page.evaluate(READ_INDEXEDDB)]
    assert any(b"Oma schrijft zonder wifi" in row for row in stored)
    await a.page.reload()
    await a.note("Oma schrijft zonder wifi").wait_for()
    await a.zone("wensen").locator("li.note", has_text="Voor de storing").wait_for()
    await a.page.locator(".connection-offline").wait_for(timeout=5000)

    await live_server.start()
    await a.page.locator(".connection-online", has_text="Weer verbonden").wait_for(timeout=10000)
    for device in (a, b):
        await device.note("Oma schrijft zonder wifi").wait_for(timeout=10000)
        await device.note("Joost schrijft zonder wifi").wait_for(timeout=10000)
        await device.zone("wensen").locator("li.note", has_text="Voor de storing").wait_for()
    await a.screenshot("offline-merged")


async def test_professional_sees_a_calm_waiting_screen_in_the_closed_part(live_server, new_device):
    m = await live_server.create_meeting(script="drieluik")
    pro = await (await new_device()).join(m["links"]["professional"], "Aïsha", "jeugdbeschermer")
    fam = await (await new_device()).join(m["links"]["familie"], "Oma Wiëbe", "oma")
    await fam.add_note("plan", "Voor het besloten deel")
    await pro.note("Voor het besloten deel").wait_for()

    await live_server.post(
        f"/api/meetings/{m['id']}/closed", m["tokens"]["facilitator"], {"closed": True}
    )
    await pro.page.locator(".waiting-screen", has_text="Even wachten").wait_for(timeout=2000)
    assert await pro.page.locator("li.note").count() == 0
    await fam.page.locator(".closed-banner", has_text="Besloten deel").wait_for()
    await fam.add_note("plan", "Het plan van de familie")
    await pro.screenshot("closed-part-professional")

    await live_server.post(
        f"/api/meetings/{m['id']}/closed", m["tokens"]["facilitator"], {"closed": False}
    )
    await pro.note("Het plan van de familie").wait_for(timeout=5000)
    assert await pro.page.locator(".waiting-screen").is_hidden()
