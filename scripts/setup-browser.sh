#!/usr/bin/env bash
# Install what the browser tests (tests/browser/) need, idempotently:
#  - Debian's chromium at /usr/bin/chromium (Playwright's own browser download does not work here),
#    plus a Thai system font as a fallback behind the Sarabun web font;
#  - Playwright for Python, pinned, into .venv (which scripts/setup.sh creates first).
# Called from scripts/setup.sh; safe to run again (does nothing when everything is there).
set -euo pipefail
cd "$(dirname "$0")/.."

PLAYWRIGHT_VERSION=1.65.2

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=th 2>/dev/null)" ]; then
  need_apt+=(fonts-thai-tlwg)
fi
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "itadesk: installing ${need_apt[*]} (apt, for the browser tests)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "itadesk: please install ${need_apt[*]} (apt) for the browser tests; they are skipped without chromium" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "itadesk: .venv is missing; run scripts/setup.sh first" >&2
  exit 1
fi
installed="$(.venv/bin/python -c 'import importlib.metadata as m; print(m.version("playwright"))' 2>/dev/null || true)"
if [ "$installed" != "$PLAYWRIGHT_VERSION" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check "playwright==$PLAYWRIGHT_VERSION" 2>&1 \
    | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import playwright.sync_api" # fail loudly if the install did not work
fi
