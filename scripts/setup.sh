#!/usr/bin/env bash
# Install everything itadesk needs on a fresh Debian machine with Python 3.11:
# a virtual environment with the pinned Python packages, poppler-utils for PDF checks, and
# LibreOffice Writer (headless) with the Laksaman font to lay out the DOCX as a stand-in for Word.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3

need_apt=()
command -v pdftotext >/dev/null 2>&1 || need_apt+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || need_apt+=(gettext)   # compilemessages: the web's Thai messages
command -v soffice >/dev/null 2>&1 || need_apt+=(libreoffice-writer-nogui)   # DOCX layout tests
[ -f /usr/share/fonts/truetype/tlwg/Laksaman.ttf ] || need_apt+=(fonts-tlwg-laksaman)
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server)   # the Celery broker of the jobs (web/jobs)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "itadesk: installing ${need_apt[*]} (apt)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "itadesk: please install ${need_apt[*]} (needed for the PDF and DOCX checks, the Thai messages and the background jobs)" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.itadesk-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[web,test]" 2>&1 \
    | grep -v "^WARNING: Location" || true
  .venv/bin/python -c "import itadesk, typst, docx, matplotlib" # fail loudly if the install did not work
  touch "$stamp"
fi

# The Thai messages Django's own Thai locale lacks (src/itadesk/web/locale/th): compiled every time (fast).
(cd src/itadesk/web && DJANGO_SETTINGS_MODULE=itadesk.web.settings PYTHONPATH="$PWD/../.." \
  ITADESK_DATA_DIR="${TMPDIR:-/tmp}/itadesk-compilemessages" ../../../.venv/bin/python -m django compilemessages -l th -v 0)

# Browser tests (tests/browser/): Playwright + Debian's chromium, installed by their own script.
if [ -f scripts/setup-browser.sh ]; then
  bash scripts/setup-browser.sh
fi
