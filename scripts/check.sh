#!/usr/bin/env bash
# Static checks: ruff (lint and format), mypy (strict for board/, checked for server/) and
# ESLint for the browser code and the Node scripts. Installs what is needed first.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check board server tests bench
.venv/bin/ruff format --check board server tests bench
.venv/bin/mypy --strict board
.venv/bin/mypy server
npx --no-install eslint .
echo "checks: clean"
