"""Benchmark: the national results file and the region dashboards, on PostgreSQL.

Reports figures; it is not a test and never fails for being slow.

    .venv/bin/python bench/bench_dashboard.py [--agencies 8325] [--workers 3] [--connections 10]
                                              [--duration 20] [--warmup 5] [--keep-db]
                                              [--worker-class sync|gthread]
                                              [--redis redis://127.0.0.1:6379/15 | none]

The cache and the sessions are in Redis as deployed (deploy/itadesk.env.example sets
ITADESK_REDIS_URL); ``--redis none`` measures the embedded default's database cache instead.

What it does, all on this machine:
  1. creates a dedicated PostgreSQL database (itadesk_bench_dash, dropped again at the end unless
     --keep-db) on 127.0.0.1:5432 as user postgres, migrates it;
  2. writes a GENERATED national file (bench/national_file.py: 8,325 agencies, 77 provinces, the
     largest with 330) for FY2568 and times ``import_national`` on it (target ≤ 20 s), then the
     re-import of the same file (nothing changes), then FY2567 and FY2569 (3 years loaded);
  3. in-process (Django test client): queries and median time of the country dashboard (system
     administrator) and of the largest province's (its supervisor), from the cache and computed
     (the first answer after a change of the data);
  4. starts gunicorn on 127.0.0.1 (--workers sync workers, as deploy/itadesk-web.service) and
     drives each dashboard with --connections connections for --duration seconds after a
     --warmup, with wrk when it is installed, else httpx: requests/s, p50/p95/p99 (targets p95
     ≤ 150 ms country, ≤ 50 ms province), and the CPU each answer cost the gunicorn workers and the PostgreSQL backends
     (from /proc: what the code costs, whatever else the machine is running).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_web  # noqa: E402  (same folder: database, gunicorn and login helpers)
import national_file  # noqa: E402

HOST = bench_web.HOST
ADMIN, SUPERVISOR, PASSWORD = "bench-root", "bench-korat", "bench-password-2567"
log = bench_web.log


def import_year(year: int, count: int, seed: int) -> tuple[float, object]:
    from itadesk.web.dashboard.national import import_national

    data = national_file.to_csv(national_file.rows(year, count, seed))
    started = time.perf_counter()
    outcome = import_national(data, f"national-{year}.csv", year)
    return time.perf_counter() - started, outcome


def in_process(username: str, path: str, samples: int) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from itadesk.web import dataversion

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    for _ in range(3):
        assert client.get(path).status_code == 200
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        response = client.get(path)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    queries = captured.captured_queries   # read now: later queries shift the log it indexes
    sql_ms = sum(float(q["time"]) for q in queries) * 1000
    computed = []   # the first answer after a change: nothing cached is current
    for _ in range(max(3, samples // 3)):
        dataversion.renew()
        started = time.perf_counter()
        client.get(path)
        computed.append(time.perf_counter() - started)
    return {"ms": statistics.median(times) * 1000, "queries": len(queries), "sql_ms": sql_ms,
            "computed_ms": statistics.median(computed) * 1000, "rows": response.content.decode().count("<tr") - 1}


WRK_SCRIPT = """
local paths = {%(paths)s}
function init(args)
  bad = 0
  wrk.headers["Cookie"] = "%(cookie)s"
  n = 0
end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d not200=%%d errors=%%d p50=%%d p95=%%d p99=%%d max=%%d\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
"""


def run_wrk(base: str, cookies: dict, paths: list[str], connections: int, seconds: float) -> dict:
    script = WRK_SCRIPT % {"paths": ",".join(f'"{p}"' for p in paths),
                           "cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{int(seconds)}s", "--timeout", "10s",
                   "-s", handle.name, base + "/"]
        out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True).stdout
    finally:
        os.unlink(handle.name)
    line = next(x for x in out.splitlines() if x.startswith("BENCH "))
    f = {k: float(v) for k, v in (item.split("=") for item in line.split()[1:])}
    return {"requests": int(f["requests"]), "seconds": f["duration_us"] / 1e6, "not_200": int(f["not200"]),
            "errors": int(f["errors"]), "p50": f["p50"] / 1000, "p95": f["p95"] / 1000, "p99": f["p99"] / 1000}


async def _httpx(base: str, cookies: dict, paths: list[str], connections: int, seconds: float) -> dict:
    import httpx

    latencies, bad = [], [0]
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, cookies=cookies, limits=limits, timeout=10) as client:
        async def worker(i: int) -> None:
            n = i
            while time.perf_counter() < deadline:
                t0 = time.perf_counter()
                response = await client.get(paths[n % len(paths)])
                n += 1
                latencies.append(time.perf_counter() - t0)
                bad[0] += response.status_code != 200

        await asyncio.gather(*(worker(i) for i in range(connections)))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return {"requests": len(latencies), "seconds": time.perf_counter() - started, "not_200": bad[0], "errors": 0,
            "p50": cuts[49] * 1000, "p95": cuts[94] * 1000, "p99": cuts[98] * 1000}


def drive(tool, base, cookies, paths, connections, seconds) -> dict:
    if tool == "wrk":
        return run_wrk(base, cookies, paths, connections, seconds)
    return asyncio.run(_httpx(base, cookies, paths, connections, seconds))


def _cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, 0 once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def serving_pids(server, db: str) -> list[int]:
    """The gunicorn workers and the PostgreSQL backends connected to the bench database (their
    process title names it)."""
    pids = [int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()]
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                title = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if title.startswith("postgres: ") and f" {db} " in title:
                pids.append(int(entry.name))
    return pids


def measured(tool, base, cookies, paths, connections, seconds, server, db) -> dict:
    """drive(), plus the CPU milliseconds each answer cost gunicorn and PostgreSQL: what the code
    costs, whatever else the machine runs (unlike the latencies). Processes are sampled every
    0.2 s, so a database connection closed during the run (CONN_MAX_AGE) keeps its last figure."""
    import threading

    workers = set(int(p) for p in Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split())
    start = {pid: _cpu(pid) for pid in serving_pids(server, db)}
    last = dict(start)
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            for pid in serving_pids(server, db):
                last.setdefault(pid, 0.0)
                start.setdefault(pid, 0.0)   # born during the run: all of its time counts
                last[pid] = max(last[pid], _cpu(pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        run = drive(tool, base, cookies, paths, connections, seconds)
    finally:
        done.set()
        sampler.join()
    for pid in last:
        last[pid] = max(last[pid], _cpu(pid))
    n = max(run["requests"], 1)
    run["web_ms"] = 1000 * sum(last[p] - start[p] for p in last if p in workers) / n
    run["db_ms"] = 1000 * sum(last[p] - start[p] for p in last if p not in workers) / n
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=national_file.COUNTRY)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--worker-class", choices=("sync", "gthread"), default="sync",
                        help="sync: as deployed (deploy/itadesk-web.service, behind nginx); gthread: "
                             "keep-alive connections, each held by one worker")
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=5.0)
    parser.add_argument("--samples", type=int, default=30, help="in-process requests per dashboard")
    parser.add_argument("--tool", choices=("auto", "wrk", "httpx"), default="auto")
    parser.add_argument("--db", default="itadesk_bench_dash")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=int, default=2567)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15", metavar="URL",
                        help="the cache (and sessions) as deployed (deploy/itadesk.env.example); this "
                             "Redis database is emptied first. 'none': the database cache")
    args = parser.parse_args()
    if not re.fullmatch(r"itadesk_bench_[a-z0-9_]+", args.db):
        raise SystemExit(f"--db {args.db!r}: use a dedicated database named itadesk_bench_…")
    args.duration, args.warmup = min(args.duration, 120.0), min(args.warmup, 60.0)
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "httpx")
    random.seed(args.seed)

    bench_web.admin_sql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)', f'CREATE DATABASE "{args.db}"')
    server = None
    report = []
    with tempfile.TemporaryDirectory(prefix="itadesk-bench-dash-") as tmp:
        try:
            cache = "the database cache"
            if args.redis != "none":
                import redis

                redis.Redis.from_url(args.redis).flushdb()
                os.environ["ITADESK_REDIS_URL"] = args.redis
                cache = f"Redis ({args.redis}) for the cache and the sessions"
            bench_web.setup_django(args.db, Path(tmp))
            from django.contrib.auth import get_user_model
            from django.core.management import call_command
            from django.db import connections

            from itadesk.web.agencies.models import Supervision

            call_command("migrate", verbosity=0)
            seconds, outcome = import_year(2568, args.agencies, args.seed)
            report.append(f"| import FY2568 ({outcome.rows:,} rows, {outcome.created:,} agencies created) "
                          f"| {seconds:.1f} s |")
            log(report[-1])
            seconds, outcome = import_year(2568, args.agencies, args.seed)
            report.append(f"| re-import of the same file ({outcome.unchanged:,} unchanged, "
                          f"{outcome.added + outcome.updated} written) | {seconds:.1f} s |")
            log(report[-1])
            for year in (2567, 2569):
                seconds, outcome = import_year(year, args.agencies, args.seed)
                report.append(f"| import FY{year} (agencies matched, {outcome.added:,} result sets added) "
                              f"| {seconds:.1f} s |")
                log(report[-1])
            users = get_user_model().objects
            users.create_user(ADMIN, password=PASSWORD, is_superuser=True, is_staff=True)
            korat = users.create_user(SUPERVISOR, password=PASSWORD)
            Supervision.objects.create(user=korat, province=national_file.LARGEST)
            pages = {"country": (ADMIN, "/?year=2568"), "province": (SUPERVISOR, "/?year=2568")}
            for name, (user, path) in pages.items():
                figures = in_process(user, path, args.samples)
                report.append(f"| in-process, {name} dashboard from the cache: {figures['queries']} queries, "
                              f"SQL {figures['sql_ms']:.1f} ms | {figures['ms']:.1f} ms (median of {args.samples}) |")
                report.append(f"| in-process, {name} dashboard computed (first answer after a change) "
                              f"| {figures['computed_ms']:.1f} ms |")
                log(report[-1])
            connections.close_all()

            port = bench_web.free_port()
            server = bench_web.start_gunicorn(port, args.workers, 1, Path(tmp) / "gunicorn.log", args.worker_class)
            base = f"http://{HOST}:{port}"
            loads = []
            for name, (user, path) in pages.items():
                bench_web.USERNAME, bench_web.PASSWORD = user, PASSWORD
                cookies = bench_web.log_in(base)
                paths = [path, path + "&sort=ita", path + "&page=2", path + "&sort=-change"]
                drive(tool, base, cookies, paths, args.connections, args.warmup)
                for connections_ in (args.connections, args.workers):   # then one per worker: no queueing
                    before = os.getloadavg()[0]
                    run = measured(tool, base, cookies, paths, connections_, args.duration, server, args.db)
                    loads.append((f"{name}, {connections_} connections", run, before, os.getloadavg()[0]))
                    log(f"{loads[-1][0]}: {run}")
        finally:
            if server is not None:
                server.terminate()
                server.wait(timeout=10)
            from django.db import connections

            connections.close_all()
            if not args.keep_db:
                bench_web.admin_sql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)')

    print(f"\nbench_dashboard: {args.agencies:,} generated agencies × FY2567–2569, PostgreSQL, "
          f"{os.cpu_count()} CPUs, {cache}, {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| step | time |\n| --- | ---: |")
    print("\n".join(report))
    kept = "keep-alive " if args.worker_class == "gthread" else ""
    print(f"\ngunicorn {args.workers} {args.worker_class} workers × 1 thread, {tool}, "
          f"{args.connections} (then {args.workers}) {kept}connections, "
          f"{args.duration:.0f} s after {args.warmup:.0f} s warm-up "
          "(each page in turn: as is, by ITA, page 2, by change)\n")
    print("| dashboard | requests/s | p50 | p95 | p99 | not 200 | CPU per answer: gunicorn + PostgreSQL "
          "| load before → after |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for name, run, before, after in loads:
        print(f"| {name} | {run['requests'] / run['seconds']:.0f} | {run['p50']:.0f} ms | {run['p95']:.0f} ms | "
              f"{run['p99']:.0f} ms | {run['not_200'] + run['errors']} | {run['web_ms']:.1f} + {run['db_ms']:.1f} ms "
              f"| {before:.1f} → {after:.1f} |")


if __name__ == "__main__":
    main()
