"""Boards stored by earlier versions may hold values nested deeper than Yrs can read (they
crashed the server on every read of the board). Opening such a database makes them deleted
content; the rest of the board stays (store migration 6, server/yupdate.py neutralize)."""

import json
import subprocess
import sys
from pathlib import Path

from pycrdt import Doc, Map

from server.store import Store
from server.yupdate import neutralize
from tests import ybytes

ROOT = Path(__file__).resolve().parents[1]

READ_BOARD = """
import json, sys
from pycrdt import Doc
from server.content import board_content
from server.store import Store
store = Store(sys.argv[1])
doc = Doc()
snapshot, updates = store.load_board("m1", "drieluik")
for u in ([snapshot] if snapshot else []) + updates:
    doc.apply_update(u)
print(json.dumps(board_content(doc)["notes"]))
"""


def _note_update(text: str) -> bytes:
    doc = Doc()
    doc.get("notes", type=Map)["n1"] = Map({"text": text, "zone": "zorgen", "role": "familie"})
    return doc.get_update()


def test_an_old_database_with_deep_values_opens_and_its_board_reads(tmp_path):
    path = tmp_path / "nb.db"
    store = Store(path)
    poison = ybytes.deep_any_note(20_000, client=77, key="gif")
    good = _note_update("Oma Wiëbe haalt Sem op")
    store.db.execute(
        "INSERT INTO updates (meeting_id, board_id, data) VALUES (?, ?, ?)",
        ["m1", "drieluik", good],
    )
    store.db.execute(
        "INSERT INTO updates (meeting_id, board_id, data) VALUES (?, ?, ?)",
        ["m1", "drieluik", poison],
    )
    store.db.execute("PRAGMA user_version=5")  # as an earlier version left it
    store.db.conn.commit()
    store.close()

    Store(path).close()  # opening it migrates

    # Read in a separate process: if the poison were still there, it would crash it.
    done = subprocess.run(
        [sys.executable, "-c", READ_BOARD, str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {
        "n1": {"text": "Oma Wiëbe haalt Sem op", "zone": "zorgen", "role": "familie"}
    }


def test_neutralize_leaves_ordinary_updates_alone():
    assert neutralize(_note_update("Tante Ineke komt ook")) is None
    assert neutralize(ybytes.deep_any_note(8)) is None  # at the limit: kept
    assert neutralize(ybytes.deep_any_note(9)) is not None
