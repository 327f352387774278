#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the whole suite:
# lint, the front end's unit tests, and pytest (unit + JupyterLab/Chromium end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends \
    chromium fonts-dejavu-core fonts-noto-color-emoji fonts-noto-cjk
fi

# The PostgreSQL store's tests start a throw-away server of their own (tests/pg.py).
if ! compgen -G "/usr/lib/postgresql/*/bin/pg_ctl" >/dev/null; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends postgresql
fi

npm ci --no-audit --no-fund --loglevel=error
python -m pip install -q --disable-pip-version-check -e ".[test]"

ruff check .
ruff format --check .
npm test
python -m pytest "$@"
