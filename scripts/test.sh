#!/usr/bin/env bash
# Second command of the README (and what CI runs): install, then the tests on both databases:
#   1. the whole suite on SQLite (the embedded default; DATABASE_URL is ignored for this run);
#   2. the database-backed tests again on PostgreSQL (postgres://postgres@127.0.0.1:5432/itadesk;
#      pytest-django creates and drops test_itadesk). Only tests/web (pages, API, the real Celery
#      worker) runs twice; the core tests (PDF, DOCX, scoring...) and the browser walks run once,
#      to keep CI near 20 minutes (ITADESK_TEST_PG_BROWSER=1 adds tests/browser to the second run).
# PostgreSQL is started with pg_ctlcluster if it is not running; if it cannot be started or its
# `postgres` role cannot create databases, the script stops with an error.
# ruff and mypy run first (a finding fails the script). Arguments go to both pytest runs (e.g. -q, -x). Any failure, and a run that collects no tests
# (pytest exit code 5), fails the script.
#   ITADESK_TEST_DATABASES="sqlite postgres"  the default; "sqlite" or "postgres" runs only one
#   ITADESK_TEST_PG_PORT=5432                 the local PostgreSQL port
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

DATABASES="${ITADESK_TEST_DATABASES:-sqlite postgres}"
PG_HOST=127.0.0.1
PG_PORT="${ITADESK_TEST_PG_PORT:-5432}"
PG_URL="postgres://postgres@$PG_HOST:$PG_PORT/itadesk"
PY=.venv/bin/python

fail() {
  printf '\n!!! itadesk tests: %s\n\n' "$*" >&2
  exit 1
}

pg_listening() { (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null; }

# 0: connected as postgres and may create databases; 1: cannot connect; 2: connected, may not.
pg_check() {
  "$PY" - "$PG_HOST" "$PG_PORT" <<'EOF'
import sys
import psycopg
host, port = sys.argv[1], sys.argv[2]
try:
    with psycopg.connect(host=host, port=port, user="postgres", dbname="postgres", connect_timeout=3) as conn:
        ok = conn.execute("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user").fetchone()
except psycopg.OperationalError as exc:
    print(str(exc).strip().splitlines()[-1], file=sys.stderr)
    sys.exit(1)
sys.exit(0 if ok and ok[0] else 2)
EOF
}

start_postgres() {
  command -v pg_ctlcluster >/dev/null 2>&1 \
    || fail "PostgreSQL is not running on $PG_HOST:$PG_PORT and pg_ctlcluster is missing.
    Install it (apt-get install postgresql) or start a PostgreSQL server there with trust auth for user postgres."
  local cluster ver name
  cluster="$(pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }')"
  if [ -z "$cluster" ] && [ "$PG_PORT" = 5432 ] && [ -d /etc/postgresql ]; then
    ver="$(ls /etc/postgresql | sort -V | tail -n 1)"
    [ -n "$ver" ] && [ -d "/etc/postgresql/$ver/main" ] && cluster="$ver main"
  fi
  [ -n "$cluster" ] || fail "PostgreSQL is not running on $PG_HOST:$PG_PORT and no cluster is configured for that port
    (pg_lsclusters shows none). Create one (pg_createcluster 15 main --start) or start a server there."
  read -r ver name <<<"$cluster"
  echo "itadesk: PostgreSQL is not running on $PG_HOST:$PG_PORT; starting cluster $ver/$name" >&2
  if ! pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start; then
    tail -n 20 "/var/log/postgresql/postgresql-$ver-$name.log" >&2 2>/dev/null || true
    fail "could not start PostgreSQL cluster $ver/$name (pg_ctlcluster --skip-systemctl-redirect $ver $name start failed;
    log above, from /var/log/postgresql/postgresql-$ver-$name.log). The PostgreSQL run needs it."
  fi
}

ensure_postgres() {
  pg_listening || start_postgres
  local rc=1
  for _ in $(seq 30); do
    rc=0; pg_check || rc=$?
    [ "$rc" = 1 ] || break
    sleep 1
  done
  case "$rc" in
    0) echo "itadesk: PostgreSQL ready on $PG_HOST:$PG_PORT" >&2 ;;
    2) fail "the PostgreSQL role postgres on $PG_HOST:$PG_PORT may not create databases; pytest-django needs to
    create test_itadesk. Run: ALTER ROLE postgres CREATEDB;" ;;
    *) fail "cannot connect to PostgreSQL as postgres on $PG_HOST:$PG_PORT (error above) after 30 s.
    The PostgreSQL run needs a server there with trust auth for user postgres (pg_hba.conf: host all all 127.0.0.1/32 trust)." ;;
  esac
}

# Redis: the broker of the real-worker tests (tests/web/test_jobs_worker.py, tests/browser/test_jobs.py).
redis_listening() { (exec 3<>/dev/tcp/127.0.0.1/6379) 2>/dev/null; }
if ! redis_listening; then
  command -v redis-server >/dev/null 2>&1 || fail "Redis is not running on 127.0.0.1:6379 and redis-server is missing
    (scripts/setup.sh installs it: apt-get install redis-server). The background-job tests need it."
  echo "itadesk: Redis is not running on 127.0.0.1:6379; starting redis-server" >&2
  redis-server --port 6379 --bind 127.0.0.1 --daemonize yes --save "" --appendonly no >/dev/null
  for _ in $(seq 50); do redis_listening && break; sleep 0.1; done
  redis_listening || fail "could not start redis-server on 127.0.0.1:6379"
fi

summary=()
times=()
failed=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run_pytest() { # label, then the command
  local label="$1" start=$SECONDS rc=0 closing
  shift
  echo "=== itadesk tests on $label ===" >&2
  "$@" 2>&1 | tee "$log" || rc=$?
  times+=("$label $((SECONDS - start)) s")
  closing="$({ grep -E '^=* *[0-9]+ (passed|failed|errors?|skipped|deselected|xfailed|xpassed)|no tests ran' "$log" || true; } \
    | tail -n 1 | tr -d '=' | sed 's/^ *//; s/ *$//')"
  case "$rc" in
    0) summary+=("$label: ${closing:-passed}") ;;
    5) summary+=("$label: FAILED, pytest collected no tests (exit 5): ${closing:-no tests ran}"); failed=1 ;;
    *) summary+=("$label: FAILED (pytest exit $rc): ${closing:-see above}"); failed=1 ;;
  esac
}

# Linters first (configured in pyproject.toml): ruff over the code, tests and benches, mypy over the
# core. A finding fails the script like a failing test; the tests still run so one report shows both.
run_lint() { # label, then the command
  local label="$1" rc=0
  shift
  echo "=== itadesk lint: $label ===" >&2
  "$@" || rc=$?
  if [ "$rc" = 0 ]; then summary+=("$label: clean"); else summary+=("$label: FAILED (exit $rc, findings above)"); failed=1; fi
}
run_lint "ruff" .venv/bin/ruff check --quiet .
run_lint "mypy (core)" .venv/bin/mypy

for db in $DATABASES; do
  case "$db" in
    sqlite)
      run_pytest sqlite env -u DATABASE_URL "$PY" -m pytest "$@" ;;
    postgres)
      ensure_postgres
      paths=(tests/web)
      [ "${ITADESK_TEST_PG_BROWSER:-0}" = 1 ] && [ -d tests/browser ] && paths+=(tests/browser)
      echo "itadesk: on PostgreSQL, only ${paths[*]} (the database-backed tests) run again" >&2
      run_pytest postgresql env DATABASE_URL="$PG_URL" "$PY" -m pytest "$@" "${paths[@]}" ;;
    *) fail "ITADESK_TEST_DATABASES: unknown database '$db' (use sqlite and/or postgres)" ;;
  esac
done

[ "${#summary[@]}" -gt 0 ] || fail "ITADESK_TEST_DATABASES is empty: no tests were run"
printf '\nitadesk tests, wall time: %s\n' "$(IFS=,; echo "${times[*]}" | sed 's/,/, /g')"
printf '%s\n' "${summary[@]}"
[ "$failed" = 0 ] || fail "a test run failed (see above)"
