#!/usr/bin/env bash
# Install if needed, then run the whole test suite: the Node tests of the browser's board logic,
# then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# First the browser's board logic (static/js/notes.js, privatenotes.js) with Node's own test
# runner. Only *.test.mjs: the other .mjs files in tests/node are helpers the Python tests run.
node --test --test-reporter=dot tests/node/*.test.mjs
exec .venv/bin/python -m pytest "$@"
