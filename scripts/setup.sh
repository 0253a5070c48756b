#!/usr/bin/env bash
# Install what Netwerkbord needs into ./.venv and ./node_modules. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  touch "$stamp"
fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
# The browser bundle: plain ES modules and npm packages, bundled into one file (no CDN).
npx --no-install esbuild server/static/js/app.js --bundle --format=esm --target=es2020 \
  --minify --sourcemap --log-level=warning --outfile=server/static/build/app.js
