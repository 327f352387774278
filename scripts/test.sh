#!/usr/bin/env bash
# Install everything the tests need on a fresh machine, then run the whole suite:
# lint, the front end's unit tests, and pytest (unit + JupyterLab/Chromium end-to-end).
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, each installed when missing (fonts too: emoji and CJK in the
# screenshots, whether or not chromium was there already). The PostgreSQL store's tests
# start a throw-away server of their own (tests/pg.py).
missing=()
for package in chromium fonts-dejavu-core fonts-noto-color-emoji fonts-noto-cjk postgresql; do
  # (dpkg -s alone also succeeds for a removed package whose config files remain)
  dpkg -s "$package" 2>/dev/null | grep -qx "Status: install ok installed" ||
    missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund --loglevel=error
# JupyterHub's proxy (tests/e2e/test_jupyterhub.py: real logins), from npm, when missing.
command -v configurable-http-proxy >/dev/null ||
  npm install -g --no-audit --no-fund --loglevel=error configurable-http-proxy@5.3.0
# The test extra has TRL, which needs PyTorch; its CPU build is all the tests use. On this
# project's machines `torch==2.13.0` is that build, on disk (a bare `torch` would fetch a CUDA
# build of several GB), so it is installed first and TRL's requirement is then met.
python -c "import torch" 2>/dev/null ||
  python -m pip install -q --disable-pip-version-check "torch==2.13.0"
python -m pip install -q --disable-pip-version-check -e ".[test]"

ruff check .
ruff format --check .
npm test
# Not yet on two xdist workers (`-n 2 --dist loadfile --no-loadscope-reorder`, 13 min instead
# of 20): test_store_faults.py's read-only PostgreSQL test failed in both such full runs.
python -m pytest "$@"
