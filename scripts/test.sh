#!/usr/bin/env bash
# Install if needed, then run the whole test suite: the Node tests of the browser's board logic,
# then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# First the browser's board logic (static/js/notes.js, privatenotes.js) with Node's own test
# runner. Only *.test.mjs: the other .mjs files in tests/node are helpers the Python tests run.
node --test --test-reporter=dot tests/node/*.test.mjs
.venv/bin/python -m pytest "$@"
# The same live tests once more against two nodes on a real PostgreSQL and Redis, every
# request and WebSocket going to the next node in turn (tests/conftest.py --backend=cluster).
# These files speak to the service only through its routes; the others also look into the
# SQLite file or need one host name for cookies and Origin. NETWERKBORD_TEST_CLUSTER=0 skips.
if [ "${NETWERKBORD_TEST_CLUSTER:-1}" != "0" ]; then
  .venv/bin/python -m pytest "$@" --backend=cluster \
    tests/test_side_doors.py tests/test_closed_part.py tests/test_control.py \
    tests/test_instruments_live.py tests/test_networkmap_live.py tests/test_posting_consent.py \
    tests/test_ws_errors.py tests/test_screen.py tests/test_family_exports.py \
    tests/test_followon.py tests/test_interop_node.py tests/test_smoke_live.py \
    tests/test_wsprotocol.py tests/test_exports_escaping.py tests/test_no_store_and_throttle.py \
    --deselect tests/test_followon.py::test_only_the_facilitator_of_the_meeting_makes_a_follow_on
fi
