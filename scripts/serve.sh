#!/usr/bin/env bash
# Install if needed, then serve on http://127.0.0.1:8000 with data in ./data (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/netwerkbord serve "$@"
