"""Benchmark: the analysis page under load, served by gunicorn from PostgreSQL.

Reports figures; it is not a test and never fails for being slow.

    .venv/bin/python bench/bench_web.py [--agencies 1000] [--workers 3] [--connections 50]
                                        [--duration 20] [--warmup 5] [--profile 300] [--keep-db]

What it does, all on this machine:
  1. creates a dedicated PostgreSQL database (itadesk_bench, dropped again at the end unless
     --keep-db) on 127.0.0.1:5432 as user postgres (trust auth, as in scripts/test.sh), migrates it;
  2. loads --agencies agencies, each with result sets for FY2567, 2568 and 2569 (every year whose
     criteria exist: FY2567 with its survey questions, FY2568/2569 with official indicator scores
     IND1–8, as those years' criteria have no questions yet; OIT items for all), validated by the
     same parser as an upload, and one user who is an editor of every agency;
  3. profiles the page in-process (Django test client): queries per request, time in the view's
     context (database + analysis) versus template rendering, cProfile's top functions;
  4. starts gunicorn on 127.0.0.1 (gthread workers, so connections are kept alive), logs in, and
     drives /agencies/<id>/results/<year>/ for random agencies and years with --connections
     concurrent keep-alive connections for --duration seconds after a --warmup: with wrk
     (apt-get install wrk) when it is installed, else an asyncio httpx client. Any answer other than
     200 is counted and reported. Traffic goes to 127.0.0.1 only; the load is bounded in time (and,
     with httpx, in count).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import os
import pstats
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

HOST = "127.0.0.1"  # the only host this script ever sends traffic to
PG = f"postgres://postgres@{HOST}:5432"
USERNAME, PASSWORD = "bench-editor", "bench-password-2567"
PROVINCES = ["ขอนแก่น", "เชียงใหม่", "นครราชสีมา", "สงขลา", "อุบลราชธานี", "ชลบุรี", "พิษณุโลก", "สุราษฎร์ธานี"]
MAX_HTTPX_REQUESTS = 200_000  # the httpx load loop stops here even if time is left


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- database --------------------------------------------------------------------------------

def admin_sql(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        for statement in statements:
            conn.execute(statement)


def setup_django(db_name: str, data_dir: Path) -> None:
    os.environ["DATABASE_URL"] = f"{PG}/{db_name}"
    os.environ["ITADESK_DATA_DIR"] = str(data_dir / "var")
    os.environ["ITADESK_CRITERIA_DIR"] = str(data_dir / "criteria")  # only the packaged criteria
    os.environ["DJANGO_SETTINGS_MODULE"] = "itadesk.web.settings"
    os.environ.pop("ITADESK_DEBUG", None)
    (data_dir / "criteria").mkdir(parents=True, exist_ok=True)
    import django

    django.setup()


def generated_scores(year: int, rng: random.Random) -> bytes:
    """A plausible results file for one agency and year, as an upload would send it. Survey
    scores centre on 92 with a spread of 7, one agency in five has weak spots near 60; OIT items
    are published (100) with probability 0.8, partly (50) 0.05, else 0."""
    from itadesk.criteria import load_criteria

    criteria = load_criteria(year)
    weak = rng.random() < 0.2

    def survey() -> float:
        centre = 60 if weak and rng.random() < 0.15 else 92
        return round(min(100.0, max(0.0, rng.gauss(centre, 7))), 2)

    lines = [f"fiscal_year,{year}"]
    has_questions = False
    for entry in criteria.entries:
        if entry.is_oit_item:
            lines.append(f"{entry.code},{rng.choices([100, 50, 0], weights=[80, 5, 15])[0]}")
        else:
            has_questions = True
            lines.append(f"{entry.code},{survey()}")
    if not has_questions:  # no questions in the year's criteria: the official indicator scores
        for indicator in criteria.indicators:
            if indicator.tool != "OIT":
                lines.append(f"{indicator.code},{survey()}")
    return "\n".join(lines).encode()


def load_data(agencies: int, seed: int) -> list[tuple[int, int]]:
    from django.contrib.auth import get_user_model

    from itadesk.criteria import available_years
    from itadesk.results import parse_results
    from itadesk.web.agencies.models import Agency, Membership
    from itadesk.web.results.models import ResultSet

    rng = random.Random(seed)
    years = available_years()
    user = get_user_model().objects.create_user(USERNAME, password=PASSWORD)
    rows = []
    for n in range(agencies):
        province = PROVINCES[n % len(PROVINCES)]
        rows.append(Agency(name=f"องค์การบริหารส่วนตำบลทดสอบที่ {n + 1}", type="องค์การบริหารส่วนตำบล",
                           district=f"อำเภอที่ {n % 17 + 1}", province=province))
    created = Agency.objects.bulk_create(rows, batch_size=500)
    Membership.objects.bulk_create(
        [Membership(user=user, agency=a, role=Membership.EDITOR) for a in created], batch_size=1000)
    result_sets = []
    for agency in created:
        for year in years:
            results = parse_results(generated_scores(year, rng), "bench.csv", year)
            result_sets.append(ResultSet(agency=agency, fiscal_year=year, scores=results.scores,
                                         source="bench", updated_by=user))
    ResultSet.objects.bulk_create(result_sets, batch_size=1000)
    return [(a.pk, y) for a in created for y in years]


# --- in-process profile ----------------------------------------------------------------------

def profile_page(pages: list[tuple[int, int]], samples: int, rng: random.Random) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.template.loader import render_to_string
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from itadesk.web.agencies.models import Agency
    from itadesk.web.results.analysis_view import analysis_context
    from itadesk.web.results.models import ResultSet

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    chosen = [rng.choice(pages) for _ in range(samples)]
    for agency_id, year in chosen[:20]:  # warm caches (criteria, templates, connection)
        assert client.get(f"/agencies/{agency_id}/results/{year}/").status_code == 200

    whole, queries, sizes = [], [], []
    for agency_id, year in chosen:
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(f"/agencies/{agency_id}/results/{year}/")
            whole.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        queries.append(len(captured.captured_queries))
        sizes.append(len(response.content))
    last_queries = [q["sql"] for q in captured.captured_queries]

    context_s, render_s, db_s = [], [], []
    for agency_id, year in chosen:
        agency = Agency.objects.get(pk=agency_id)
        result_set = ResultSet.objects.get(agency=agency, fiscal_year=year)
        spent = []

        def timed_sql(execute, sql, params, many, context, spent=spent):
            t0 = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent.append(time.perf_counter() - t0)

        with connection.execute_wrapper(timed_sql):
            started = time.perf_counter()
            context = analysis_context(agency, result_set)
            context["can_edit"] = True
            context_s.append(time.perf_counter() - started)
        db_s.append(sum(spent))
        started = time.perf_counter()
        render_to_string("results/analysis.html", context)
        render_s.append(time.perf_counter() - started)
    reset_queries()

    profiler = cProfile.Profile()
    profiler.enable()
    for agency_id, year in chosen:
        client.get(f"/agencies/{agency_id}/results/{year}/")
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    return {
        "request_ms": statistics.median(whole) * 1000,
        "queries": statistics.median(queries),
        "query_list": last_queries,
        "bytes": statistics.median(sizes),
        "context_ms": statistics.median(context_s) * 1000,
        "context_db_ms": statistics.median(db_s) * 1000,
        "render_ms": statistics.median(render_s) * 1000,
        "cprofile": out.getvalue(),
        "load": os.getloadavg()[0],
    }


# --- server and load -------------------------------------------------------------------------

def stop_and_drop(server, db_name: str, keep_db: bool) -> None:
    """End the benchmark's gunicorn, close Django's connections and drop its database."""
    if server is not None:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    try:
        from django.db import connections

        connections.close_all()
    except Exception:
        pass
    if not keep_db:
        admin_sql(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_gunicorn(port: int, workers: int, threads: int, log_path: Path,
                   worker_class: str = "gthread") -> subprocess.Popen:
    """gthread keeps each client's connection open (keep-alive) on one worker; "sync", as
    deploy/itadesk-web.service runs behind nginx, answers one request per connection, so requests
    queue for whichever worker is free."""
    gunicorn = Path(sys.executable).parent / "gunicorn"   # the running venv's, wherever it lives
    if not gunicorn.exists():
        gunicorn = Path(shutil.which("gunicorn") or "gunicorn")
    command = [str(gunicorn), "itadesk.web.wsgi:application", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
               "--keep-alive", "10", "--backlog", "256", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(),
                              stdout=log_path.open("wb"), stderr=subprocess.STDOUT)
    return wait_until_serving(server, port, log_path)


def wait_until_serving(server: subprocess.Popen, port: int, log_path: Path) -> subprocess.Popen:
    """``server`` once its login page answers (at most 30 s), else stop with its log."""
    import httpx

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}); see {log_path}:\n{log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"http://{HOST}:{port}/login/", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer on {HOST}:{port} within 30 s; see {log_path}")


def log_in(base: str) -> dict[str, str]:
    import httpx

    with httpx.Client(base_url=base, timeout=10, follow_redirects=False) as client:
        page = client.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        answer = client.post("/login/", data={"username": USERNAME, "password": PASSWORD,
                                              "csrfmiddlewaretoken": token})
        if answer.status_code != 302 or "sessionid" not in client.cookies:
            raise SystemExit(f"login failed: {answer.status_code}")
        return {name: client.cookies[name] for name in ("sessionid", "csrftoken")}


WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  math.randomseed(%(seed)d + id * 7919)
  wrk.headers["Cookie"] = "%(cookie)s"
end
function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local b = 0
  for _, t in ipairs(threads) do b = b + t:get("bad") end
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d not200=%%d connect=%%d read=%%d write=%%d " ..
    "timeout=%%d p50=%%d p95=%%d p99=%%d max=%%d mean=%%.0f\\n",
    summary.requests, summary.duration, b, e.connect, e.read, e.write, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


def run_wrk(base: str, cookies: dict, pages: list, connections: int, seconds: float, seed: int) -> dict:
    script = WRK_SCRIPT % {
        "paths": ",".join(f'"/agencies/{a}/results/{y}/"' for a, y in pages),
        "seed": seed, "cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{int(seconds)}s", "--timeout", "5s",
                   "-s", handle.name, base + "/"]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(handle.name)
    line = next(text for text in out.splitlines() if text.startswith("BENCH "))
    f = {k: float(v) for k, v in (item.split("=") for item in line.split()[1:])}
    return {
        "tool": "wrk", "requests": int(f["requests"]), "seconds": f["duration_us"] / 1e6,
        "not_200": int(f["not200"]), "errors": int(f["connect"] + f["read"] + f["write"] + f["timeout"]),
        "p50": f["p50"] / 1000, "p95": f["p95"] / 1000, "p99": f["p99"] / 1000, "max": f["max"] / 1000,
    }


async def _httpx_load(base: str, cookies: dict, pages: list, connections: int, seconds: float,
                      seed: int) -> dict:
    import httpx

    rng = random.Random(seed)
    latencies: list[float] = []
    counts = {"not_200": 0, "errors": 0}
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    started = time.perf_counter()
    deadline = started + seconds
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=5) as client:
        async def worker() -> None:
            while time.perf_counter() < deadline and len(latencies) < MAX_HTTPX_REQUESTS:
                agency_id, year = rng.choice(pages)
                t0 = time.perf_counter()
                try:
                    response = await client.get(f"/agencies/{agency_id}/results/{year}/")
                except httpx.HTTPError:
                    counts["errors"] += 1
                    continue
                latencies.append(time.perf_counter() - t0)
                if response.status_code != 200:
                    counts["not_200"] += 1

        await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(connections))), seconds + 30)
    elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return {"tool": "httpx", "requests": len(latencies), "seconds": elapsed, **counts,
            "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000,
            "max": max(latencies, default=0) * 1000}


def drive(base, cookies, pages, connections, seconds, seed, tool) -> dict:
    if tool == "wrk":
        return run_wrk(base, cookies, pages, connections, seconds, seed)
    return asyncio.run(_httpx_load(base, cookies, pages, connections, seconds, seed))


# --- main ------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (2–4)")
    parser.add_argument("--threads", type=int, default=1,
                        help="threads per gunicorn worker (more threads: GIL contention, fewer requests/s)")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds (at most 120)")
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--profile", type=int, default=300, help="in-process sample requests (0: none)")
    parser.add_argument("--tool", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--db", default="itadesk_bench")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=int, default=2567)
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db) or args.db in ("postgres", "itadesk", "test_itadesk"):
        raise SystemExit(f"--db {args.db!r}: use a dedicated database name such as itadesk_bench")
    args.duration = min(args.duration, 120.0)
    args.warmup = min(args.warmup, 60.0)
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    rng = random.Random(args.seed)

    admin_sql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)', f'CREATE DATABASE "{args.db}"')
    server = None
    with tempfile.TemporaryDirectory(prefix="itadesk-bench-") as tmp:
        try:
            setup_django(args.db, Path(tmp))
            from django.core.management import call_command
            from django.db import connections

            from itadesk.criteria import available_years

            call_command("migrate", verbosity=0)
            started = time.perf_counter()
            pages = load_data(args.agencies, args.seed)
            log(f"loaded {args.agencies} agencies × years {available_years()} = {len(pages)} result sets "
                f"in {time.perf_counter() - started:.1f} s (database {args.db})")

            profile = profile_page(pages, args.profile, rng) if args.profile else None
            connections.close_all()

            port = free_port()
            server = start_gunicorn(port, args.workers, args.threads, Path(tmp) / "gunicorn.log")
            base = f"http://{HOST}:{port}"
            cookies = log_in(base)
            log(f"gunicorn: {args.workers} gthread workers × {args.threads} threads on {base}; load with {tool}")
            warm = drive(base, cookies, pages, args.connections, args.warmup, args.seed + 1, tool)
            log(f"warm-up: {warm['requests']} requests in {warm['seconds']:.1f} s")
            load_before = os.getloadavg()[0]
            run = drive(base, cookies, pages, args.connections, args.duration, args.seed + 2, tool)
            run["load"] = (load_before, os.getloadavg()[0])
            # The same page with one connection per worker: latency without queueing (service time).
            single = drive(base, cookies, pages, args.workers, min(args.duration, 10.0), args.seed + 3, tool)
        finally:
            stop_and_drop(server, args.db, args.keep_db)

    report(args, tool, run, single, profile, len(pages))


def report(args, tool: str, run: dict, single: dict, profile: dict | None, pages: int) -> None:
    rps = run["requests"] / run["seconds"]
    print(f"\nWeb load: GET /agencies/<id>/results/<year>/ over {pages} result sets "
          f"({args.agencies} agencies), PostgreSQL, gunicorn {args.workers} gthread workers × {args.threads} threads, "
          f"{os.cpu_count()} CPUs shared with the load generator ({tool})")
    print(f"  {args.connections} keep-alive connections for {run['seconds']:.1f} s after a {args.warmup:.0f} s "
          f"warm-up; 1-minute load average {run['load'][0]:.1f} before, {run['load'][1]:.1f} after "
          "(other work on the machine skews it)")
    print(f"  {run['requests']} requests, {rps:.0f} requests/s, not 200: {run['not_200']}, errors: {run['errors']}")
    print(f"  latency p50 {run['p50']:.1f} ms, p95 {run['p95']:.1f} ms, p99 {run['p99']:.1f} ms, "
          f"max {run['max']:.1f} ms"
          f"  (target p95 ≤ 50 ms: {'met' if run['p95'] <= 50 else 'MISSED'})")
    print(f"  Little's law: {args.connections} connections at {rps:.0f} requests/s give a mean latency of "
          f"{args.connections / rps * 1000:.0f} ms; p95 ≤ 50 ms at {args.connections} connections needs "
          f"well over {args.connections / 0.05:.0f} requests/s")
    print(f"  without queueing ({args.workers} connections, one per worker, {single['seconds']:.0f} s): "
          f"{single['requests'] / single['seconds']:.0f} requests/s, p50 {single['p50']:.1f} ms, "
          f"p95 {single['p95']:.1f} ms, p99 {single['p99']:.1f} ms, not 200: {single['not_200']}")
    if profile:
        print(f"\nOne request in-process (1-minute load average {profile['load']:.1f}) "
              f"(median of {args.profile}, Django test client, no HTTP):")
        print(f"  whole request {profile['request_ms']:.2f} ms, {profile['queries']:.0f} SQL queries, "
              f"{profile['bytes'] / 1024:.0f} KiB of HTML")
        print(f"  view context (analysis_context) {profile['context_ms']:.2f} ms, of which SQL "
              f"{profile['context_db_ms']:.2f} ms; template rendering {profile['render_ms']:.2f} ms")
        other = profile["request_ms"] - profile["context_ms"] - profile["render_ms"]
        print(f"  the rest (middleware, session, user, agency and access check, result set lookup) ≈{other:.2f} ms")
        print(f"  capacity at that cost: ≈{1000 / profile['request_ms']:.0f} requests/s per busy CPU")
        print("  queries of the last request:")
        for sql in profile["query_list"]:
            print(f"    {sql[:150]}")
        print("\ncProfile, top functions by cumulative time:")
        print(profile["cprofile"])


if __name__ == "__main__":
    main()
