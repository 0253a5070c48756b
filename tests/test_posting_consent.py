"""Posting as the steps intend (a new note is private by default only where people write for
themselves first) and consent as a closed meeting keeps it: refused once finished, the
facilitator neither asked nor counted. The rules without a server, then over HTTP."""

from board.boards import BOARDS
from board.consent import CONSENT_ROLES, consent_refusal, is_asked
from board.model import client_model
from board.roles import Role
from board.scripts import SCRIPTS, get_script, private_first
from board.state import MeetingState, enter_step, finish

F, P, S, L = Role.FAMILIE, Role.PROFESSIONAL, Role.SCHERM, Role.FACILITATOR


# --- private by default, per step ------------------------------------------------------------


def test_new_notes_start_private_only_in_the_steps_where_people_write_for_themselves():
    drieluik = get_script("drieluik")
    private = {s.id for s in drieluik.steps if private_first(s, "drieluik")}
    assert private == {"zelf-zorgen", "zelf-wensen"}
    # Where everyone writes together, or posts, a new note goes on the board.
    for step in ("welkom", "familie-plakt", "bespreken-zorgen", "bespreken-wensen", "plan"):
        assert not private_first(drieluik.step(step), "drieluik"), step
    # A step the script does not know, and boards without private notes: never private.
    assert not private_first(None, "drieluik")
    assert not private_first(drieluik.step("zelf-zorgen"), "doelen")
    for script in SCRIPTS.values():
        for step in script.steps:
            for board in BOARDS:
                if private_first(step, board):
                    assert step.private and BOARDS[board].private_notes


def test_the_browser_gets_the_rule_per_step_as_data():
    for role in (F, P, L):
        steps = {s["id"]: s for s in client_model("drieluik", role)["script"]["steps"]}
        assert steps["zelf-zorgen"]["privateFirst"] == ["drieluik"]
        assert steps["bespreken-zorgen"]["privateFirst"] == []
        assert steps["familie-plakt"]["privateFirst"] == []
        assert steps["familie-plakt"]["postZone"] == "zorgen"
    zones = client_model("drieluik", F)["boards"][0]["zones"]
    assert all("privateFirst" not in z for z in zones)  # one rule, the step's


def test_every_posting_step_posts_a_zone_of_its_own_board():
    for script in SCRIPTS.values():
        for step in script.steps:
            if step.post_zone:
                assert step.post_zone in {z.id for z in BOARDS[step.board].zones}
                assert BOARDS[step.board].private_notes


# --- consent ---------------------------------------------------------------------------------

CONSENT = MeetingState(phase="instemming")


def test_the_facilitator_is_not_asked_and_cannot_be_answered_for():
    assert Role.FACILITATOR not in CONSENT_ROLES and not is_asked("facilitator")
    assert is_asked("familie") and is_asked("professional") and not is_asked("scherm")
    refusal = consent_refusal(L, CONSENT, "facilitator")
    assert refusal is not None and refusal.kind == "role"
    assert "gespreksleider" in refusal.reason
    assert consent_refusal(L, CONSENT, "familie") is None  # it may still answer for someone
    assert client_model("familienetwerkberaad", F)["consentRoles"] == ["familie", "professional"]


def test_a_finished_meeting_takes_no_answer_and_says_why():
    for role, whom in ((F, "familie"), (P, "professional"), (L, "familie")):
        refusal = consent_refusal(role, finish(enter_step(MeetingState(), "instemming")), whom)
        assert refusal is not None and refusal.kind == "not-now"
        assert "afgesloten" in refusal.reason


def test_too_early_names_the_step_as_everyone_sees_it():
    refusal = consent_refusal(F, MeetingState(phase="plan-presenteren"), "familie")
    title = get_script("familienetwerkberaad").step("instemming").title
    assert refusal is not None and title in refusal.reason
    none = consent_refusal(F, MeetingState(phase="goed", script="evaluatie"), "familie")
    assert none is not None and none.kind == "not-now"


async def _person(live_server, m, role, name):
    r = await live_server.post(
        f"/api/meetings/{m['id']}/participants", m["tokens"][role], {"name": name}
    )
    return r.json()["id"]


async def test_after_finishing_nobody_changes_an_answer(live_server):
    m = await live_server.create_meeting("Netwerkberaad familie De Vries")
    fac = m["tokens"]["facilitator"]
    oma = await _person(live_server, m, "familie", "Oma Wiëbe")
    path = f"/api/meetings/{m['id']}/consent"
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac, {"phase": "instemming"})
    r = await live_server.post(path, m["tokens"]["familie"], {"participant": oma, "agree": False})
    assert r.status_code == 201

    r = await live_server.post(f"/api/meetings/{m['id']}/finish", fac, {"finished": True})
    assert r.status_code == 200
    for token in (m["tokens"]["familie"], fac):  # not the tablet, not the facilitator
        r = await live_server.post(path, token, {"participant": oma, "agree": True})
        assert r.status_code == 409
        assert "afgesloten" in r.json()["error"]
    course = await live_server.get(f"/api/meetings/{m['id']}/boards/verloop", fac)
    assert course.json()["state"]["consent"][oma]["agree"] is False  # as it was left

    # Opened again, answers can change again.
    await live_server.post(f"/api/meetings/{m['id']}/finish", fac, {"finished": False})
    r = await live_server.post(path, m["tokens"]["familie"], {"participant": oma, "agree": True})
    assert r.status_code == 201


async def test_the_facilitator_gives_no_answer_of_its_own(live_server):
    m = await live_server.create_meeting()
    fac = m["tokens"]["facilitator"]
    joost = await _person(live_server, m, "facilitator", "Joost")
    await live_server.post(f"/api/meetings/{m['id']}/phase", fac, {"phase": "instemming"})
    r = await live_server.post(
        f"/api/meetings/{m['id']}/consent", fac, {"participant": joost, "agree": True}
    )
    assert r.status_code == 403 and "gespreksleider" in r.json()["error"]
    course = await live_server.get(f"/api/meetings/{m['id']}/boards/verloop", fac)
    assert joost not in (course.json()["state"].get("consent") or {})


def test_the_waiting_screen_text_is_served_as_data():
    waiting = client_model("familienetwerkberaad", P)["closedWaiting"]
    assert waiting["title"] == "Even wachten"
    assert "gespreksleider het besloten deel afsluit" in waiting["text"]


async def test_the_text_view_says_what_happens_in_the_closed_part(live_server):
    m = await live_server.create_meeting()
    await live_server.post(
        f"/api/meetings/{m['id']}/closed", m["tokens"]["facilitator"], {"closed": True}
    )
    page = await live_server.get(f"/j/{m['tokens']['professional']}/tekst")
    assert "De familie praat nu onder elkaar" in page.text
    assert "gespreksleider het besloten deel afsluit" in page.text
