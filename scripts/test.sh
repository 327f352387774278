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
# The test extra has TRL, which needs PyTorch; its CPU build is all the tests use. On this
# project's machines `torch==2.13.0` is that build, on disk (a bare `torch` would fetch a CUDA
# build of several GB), so it is installed first and TRL's requirement is then met.
python -c "import torch" 2>/dev/null ||
  python -m pip install -q --disable-pip-version-check "torch==2.13.0"
python -m pip install -q --disable-pip-version-check -e ".[test]"

ruff check .
ruff format --check .
npm test
python -m pytest "$@"
