#!/usr/bin/env bash
# First command of the README: install, then write the demo agency's measures documents.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
out="${1:-out/demo}"
.venv/bin/itadesk analyze demo/results-2567.yaml
echo
.venv/bin/itadesk o34 demo/results-2567.yaml --agency demo/agency.yaml --out "$out"
echo
echo "เอกสารอยู่ที่ $(cd "$out" && pwd)"
