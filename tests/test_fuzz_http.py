"""Every HTTP operation under generated requests (schemathesis, from the OpenAPI document the
server serves, which is generated from its routes) against a real server process: never a
5xx, every answer is one the document describes (status, content type, JSON shape), the
process never dies, and a board elsewhere keeps syncing.

Most requests are aimed at a real meeting with a real link (each operation gets a meeting of
its own, so revoking links, finishing or deleting cannot spoil the others), so that they get
past the token check; the rest keep whatever was generated."""

import asyncio
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from server import openapi
from server.app import create_app
from server.config import Config
from tests.serverprocess import ServerProcess
from tests.yclient import YClient

# The same document as the server's /openapi.json (test_api.py checks they are equal).
SCHEMA = openapi.document(create_app(Config(data_dir=None)).routes, Config().max_body_bytes)
schema = schemathesis.openapi.from_dict(SCHEMA)

ENV = {
    # Most generated requests carry a made-up token or link: keep the throttle out of the way
    # here (tests/test_limits.py covers it); and this test makes a meeting per operation.
    "NETWERKBORD_AUTH_FAILURE_BURST": "100000",
    "NETWERKBORD_MEETINGS_PER_HOUR": "0",
}
ROLES = (
    "facilitator",
    "facilitator",
    "facilitator",
    "facilitator",
    "familie",
    "professional",
    "scherm",
    "facilitator",
)
# Files the static mount really has, for some of the requests to /static/{path}.
STATIC = sorted(
    str(p.relative_to(Config().static_dir)) for p in Config().static_dir.rglob("*") if p.is_file()
)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


class Fuzz:
    """The server and the meetings the requests are aimed at."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self.http = httpx.Client(base_url=server.base, timeout=10)
        self.meetings: dict[str, dict[str, Any]] = {}  # per operation
        self.elsewhere: dict[str, Any] = {}  # no request is aimed at this one

    def create(self, title: str) -> dict[str, Any]:
        meeting = self.http.post("/api/meetings", json={"title": title}).json()
        meeting["people"] = {}
        for role in ("familie", "professional", "facilitator"):
            person = self.http.post(
                f"/api/meetings/{meeting['id']}/participants",
                json={"name": f"Iemand ({role})"},
                headers=self.auth(meeting, role),
            )
            meeting["people"][role] = person.json()["id"]
        shared = self.http.post(
            f"/api/meetings/{meeting['id']}/share",
            json={},
            headers=self.auth(meeting, "facilitator"),
        )
        meeting["share"] = shared.json()["token"]
        return meeting

    def meeting_for(self, case: Any) -> dict[str, Any]:
        if case.method == "DELETE":  # a meeting to delete, every time
            return self.create("Familie Weg")
        label = case.operation.label
        if label not in self.meetings:
            self.meetings[label] = meeting = self.create("Familie Fuzz")
            if label.endswith("/consent"):  # consent is only possible in its step
                self.http.post(
                    f"/api/meetings/{meeting['id']}/phase",
                    json={"phase": "instemming"},
                    headers=self.auth(meeting, "facilitator"),
                )
        return self.meetings[label]

    @staticmethod
    def auth(meeting: dict[str, Any], role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {meeting['tokens'][role]}"}


@pytest.fixture(scope="module")
def fuzz(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fuzz]:
    sp = ServerProcess(Path(tmp_path_factory.mktemp("fuzz")) / "data", env=ENV)
    sp.start()
    fuzz = Fuzz(sp)
    try:
        fuzz.elsewhere = fuzz.create("Familie Elders")
        yield fuzz
    finally:
        fuzz.http.close()
        sp.stop()


def aim(case: Any, fuzz: Fuzz) -> tuple[dict[str, Any], str] | None:
    """Point three in four cases at a real meeting with a real link (which one, and which
    role, follows from the generated data, so a run is repeatable). Returns the meeting and
    the role used, or None for a case left as generated."""
    params = case.path_parameters or {}
    seed = zlib.crc32(repr((case.body, sorted(params.items()), case.query)).encode())
    if seed % 4 == 0:
        return None
    if case.path == "/static/{path}":
        params["path"] = STATIC[seed % len(STATIC)]
    if not {"meeting_id", "token"} & params.keys():
        return None
    meeting, role = fuzz.meeting_for(case), ROLES[(seed >> 2) % len(ROLES)]
    if "meeting_id" in params:
        params["meeting_id"] = meeting["id"]
        case.headers = {**(case.headers or {}), **Fuzz.auth(meeting, role)}
    if "token" in params:
        shared = case.path.startswith("/p/")
        params["token"] = meeting["share"] if shared else meeting["tokens"][role]
    if isinstance(case.body, dict) and "participant" in case.body and seed % 3:
        case.body["participant"] = meeting["people"].get(role, meeting["people"]["familie"])
    return meeting, role


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_described(case, fuzz):
    aimed = aim(case, fuzz)
    response = case.call(base_url=fuzz.server.base, timeout=10)
    where = (case.method, case.formatted_path, response.status_code, response.text[:300])
    assert response.status_code < 500, where
    case.validate_response(response, checks=CHECKS)
    if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
        assert set(response.json()) == {"error"}, where  # a message, never a stack trace
    if aimed and case.path.endswith("/tokens/{role}") and response.status_code == 200:
        aimed[0]["tokens"][response.json()["role"]] = response.json()["token"]  # the new link
    assert fuzz.server.proc.poll() is None


def test_every_operation_is_fuzzed():
    assert {
        (method.upper(), path) for path, item in SCHEMA["paths"].items() for method in item
    } == set(openapi.OPERATIONS)


async def test_after_the_fuzz_the_server_still_syncs_boards(fuzz):
    sp, m = fuzz.server, fuzz.elsewhere
    url = f"ws://127.0.0.1:{sp.port}/ws/{m['id']}/drieluik?token={m['tokens']['familie']}"
    a, b = await YClient(url).connect(), await YClient(url).connect()
    a.add_note("n1", "Na de storm")
    await b.wait_for(lambda: "n1" in b.notes)
    await asyncio.gather(a.close(), b.close())
    assert sp.proc.poll() is None
