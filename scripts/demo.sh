#!/usr/bin/env bash
# First command of the README: install, write the demo agency's documents of the current cycle
# (FY2569 results → FY2570 measures, the FY2569 results report) and of FY2567, the fully known
# example, then start the web application with the demo agency on http://127.0.0.1:8000/.
#
#   bash scripts/demo.sh [OUT_DIR]          # OUT_DIR defaults to out/demo
#
# Environment:
#   ITADESK_DEMO_NO_SERVER=1   prepare everything (documents, database, demo login) but do not serve
#   ITADESK_DEMO_ADDR          address to serve on (default 127.0.0.1:8000)
#   ITADESK_DATA_DIR           where the SQLite database lives (default ./var)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

out="${1:-out/demo}"
addr="${ITADESK_DEMO_ADDR:-127.0.0.1:8000}"
export ITADESK_DATA_DIR="${ITADESK_DATA_DIR:-$PWD/var}"
export DJANGO_SETTINGS_MODULE=itadesk.web.settings

# 1. The documents: the analysis on the terminal, DOCX + PDF in $out.
#    The current cycle: FY2569 results → FY2570 measures; the FY2569 measures' 12-month report.
.venv/bin/itadesk analyze demo/results-2569.yaml
echo
.venv/bin/itadesk measures-plan demo/results-2569.yaml --previous demo/results-2568.yaml --agency demo/agency.yaml --out "$out"
echo
.venv/bin/itadesk results-report demo/results-2568.yaml --agency demo/agency.yaml --progress demo/progress-2569.yaml \
  --round 12 --out "$out"
echo
#    FY2567, the one year known in full: FY2568 measures and their 12-month report.
.venv/bin/itadesk measures-plan demo/results-2567.yaml --agency demo/agency.yaml --out "$out"
.venv/bin/itadesk results-report demo/results-2567.yaml --agency demo/agency.yaml --progress demo/progress-2568.yaml \
  --round 12 --out "$out"
echo
docs="$(cd "$out" && pwd)"

# 2. The web application: database, demo agency with its FY2567 results, demo login.
.venv/bin/python manage.py migrate --no-input -v 0   # the tables, the caches' included
setup_out="$(.venv/bin/python manage.py demo_setup)"
echo "$setup_out"
agency_id="$(printf '%s\n' "$setup_out" | sed -n 's/.*(id \([0-9]\+\)).*/\1/p' | head -n 1)"
login_line="$(printf '%s\n' "$setup_out" | sed -n 's/^ผู้ใช้ตัวอย่าง: //p' | head -n 1)"
demo_user="${login_line%% / *}"
demo_password="${login_line#* / }"
# runserver --insecure serves static files straight from the app and the font package, so
# collectstatic is only needed for a real deployment (STATIC_ROOT = $ITADESK_DATA_DIR/static).

url="http://$addr/"
echo
echo "เอกสารอยู่ที่       $docs"
echo "เว็บแอป             $url"
[ -n "$agency_id" ] && echo "ผลการวิเคราะห์ 2569  ${url}agencies/$agency_id/results/2569/"
[ -n "$agency_id" ] && echo "ร่างมาตรการ 2570    ${url}agencies/$agency_id/plans/2570/"
[ -n "$agency_id" ] && echo "ติดตามผล 2569      ${url}agencies/$agency_id/plans/2569/progress/"
[ -n "$agency_id" ] && echo "ตัวอย่างปี 2567     ${url}agencies/$agency_id/results/2567/"
echo "เข้าสู่ระบบด้วย      ผู้ใช้ $demo_user  รหัสผ่าน $demo_password"
echo "ฐานข้อมูล           $ITADESK_DATA_DIR/itadesk.sqlite3"

if [ "${ITADESK_DEMO_NO_SERVER:-}" = 1 ]; then
  echo "(ITADESK_DEMO_NO_SERVER=1: ไม่เปิดเว็บเซิร์ฟเวอร์)"
  exit 0
fi
# 3. The background jobs (OIT checks, province batches): Redis as the broker and one Celery worker
#    beside the web server; both stop with it. Without Redis the jobs run in the web process.
if command -v redis-server >/dev/null 2>&1; then
  if ! (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; then
    redis-server --port 6379 --bind 127.0.0.1 --daemonize yes --save "" --appendonly no >/dev/null
    sleep 0.5
  fi
  export ITADESK_BROKER_URL="${ITADESK_BROKER_URL:-redis://127.0.0.1:6379/0}"
  .venv/bin/celery -A itadesk.web.worker worker --concurrency 2 --loglevel WARNING >"$ITADESK_DATA_DIR/worker.log" 2>&1 &
  worker_pid=$!
  trap 'kill "$worker_pid" 2>/dev/null || true' EXIT
  echo "งานเบื้องหลัง        Celery worker (บันทึกที่ $ITADESK_DATA_DIR/worker.log)"
else
  echo "งานเบื้องหลัง        ไม่มี redis-server: ทำงานในเว็บเซิร์ฟเวอร์เอง"
fi
echo "กด Ctrl+C เพื่อหยุดเว็บเซิร์ฟเวอร์"
echo
# Demo only: Django's development server, static files served with --insecure (DEBUG is off).
.venv/bin/python manage.py runserver --insecure --noreload "$addr"
