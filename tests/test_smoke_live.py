from tests.yclient import YClient


async def test_two_python_clients_converge(live_server):
    m = await live_server.create_meeting()
    url = live_server.ws_url(m["id"], "drieluik", m["tokens"]["familie"])
    a = await YClient(url).connect()
    b = await YClient(url).connect()
    a.add_note("n1", "Oma Wiëbe komt elke woensdag")
    await b.wait_for(lambda: b.note_texts().get("n1") == "Oma Wiëbe komt elke woensdag")
    b.add_note("n2", "Meer rust thuis", zone="wensen")
    await a.wait_for(lambda: "n2" in a.note_texts())
    await a.close()
    await b.close()
