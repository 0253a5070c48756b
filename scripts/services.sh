#!/usr/bin/env bash
# A PostgreSQL and a Redis of your own, to run several nodes by hand:
#   scripts/services.sh          start both (folders under /tmp, free ports), print the URLs
#   scripts/services.sh stop     stop them and remove their folders
# Then, in two terminals, e.g.:
#   .venv/bin/netwerkbord serve --port 8001 --database postgresql://... --redis redis://...
#   .venv/bin/netwerkbord serve --port 8002 --database postgresql://... --redis redis://...
# Needs Debian's postgresql and redis-server (.ci/run installs them); as root, PostgreSQL
# runs as the user `postgres`. Nothing is started with systemd.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/setup.sh
exec .venv/bin/python -m tests.services "${1:-start}"
