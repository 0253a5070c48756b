"""The HTTP API under generated requests (schemathesis, from server/openapi.py) against a real
server process: never a 5xx, the process never dies, and a board elsewhere keeps syncing."""

import asyncio
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from server.openapi import SCHEMA
from tests.serverprocess import ServerProcess
from tests.yclient import YClient

schema = schemathesis.openapi.from_dict(SCHEMA)


@pytest.fixture(scope="module")
def fuzzed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    sp = ServerProcess(Path(tmp_path_factory.mktemp("fuzz")) / "data")
    # Most generated requests carry a made-up token: keep the throttle out of the way here
    # (tests/test_limits.py covers it).
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NETWERKBORD_AUTH_FAILURE_BURST", "100000")
        sp.start()
    try:
        made = [httpx.post(sp.base + "/api/meetings", json={"title": t}).json()
                for t in ("Familie Fuzz", "Familie Elders")]
        yield {"server": sp, "meeting": made[0], "elsewhere": made[1]}
    finally:
        sp.stop()


@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_never_fails_on_generated_requests(case, fuzzed):
    sp, meeting = fuzzed["server"], fuzzed["meeting"]
    if "meeting_id" in (case.path_parameters or {}) and zlib.crc32(repr(case.body).encode()) % 4:
        # Mostly the real meeting with the facilitator's link, so requests get past the
        # token check; the rest keeps whatever was generated.
        case.path_parameters["meeting_id"] = meeting["id"]
        case.headers = {**(case.headers or {}),
                        "Authorization": f"Bearer {meeting['tokens']['facilitator']}"}
    if case.path_parameters and case.path_parameters.get("role") == "facilitator":
        case.path_parameters["role"] = "scherm"  # keep the facilitator's own link valid
    response = case.call(base_url=sp.base, timeout=10)
    assert response.status_code < 500, (case.method, case.path, response.text[:200])
    if response.status_code >= 400:  # a JSON error with a message, never a stack trace
        where = (case.method, case.formatted_path, response.status_code, response.text[:200])
        assert response.text.startswith('{"error":'), where
    assert sp.proc.poll() is None


async def test_after_the_fuzz_the_server_still_syncs_boards(fuzzed):
    sp, m = fuzzed["server"], fuzzed["elsewhere"]
    url = f"ws://127.0.0.1:{sp.port}/ws/{m['id']}/drieluik?token={m['tokens']['familie']}"
    a, b = await YClient(url).connect(), await YClient(url).connect()
    a.add_note("n1", "Na de storm")
    await b.wait_for(lambda: "n1" in b.notes)
    await asyncio.gather(a.close(), b.close())
    assert sp.proc.poll() is None
