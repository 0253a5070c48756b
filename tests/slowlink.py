"""A TCP proxy that delays every chunk it passes, in a thread of its own: Redis far away
(another data centre, a congested network) for one node in a test."""

import asyncio
import threading


class SlowLink:
    def __init__(self, host: str, port: int, delay: float) -> None:
        self.upstream, self.delay = (host, port), delay
        self.loop = asyncio.new_event_loop()
        self.port = 0
        ready = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            start = asyncio.start_server(self._serve, "127.0.0.1", 0)
            server = self.loop.run_until_complete(start)
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            self.loop.run_forever()

        threading.Thread(target=run, daemon=True).start()
        ready.wait()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        await asyncio.gather(self._pump(reader, up_writer), self._pump(up_reader, writer))

    async def _pump(self, src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
        try:
            while data := await src.read(65536):
                await asyncio.sleep(self.delay)  # the distance, not a wait for an outcome
                dst.write(data)
                await dst.drain()
        except OSError:
            pass
        finally:
            dst.close()
