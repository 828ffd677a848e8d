"""Benchmark: how many answers a second the public answer page of a practice survey takes.

Reports figures; it is not a test and never fails for being slow.

    python bench/bench_surveys.py [--answers 6000] [--connections 16] [--workers 3] [--warmup 300]
                                  [--unqueued 600] [--profile 300] [--max-seconds 120]
                                  [--db itadesk_bench_surveys] [--keep-db]

What it does, all on this machine:
  1. creates a dedicated PostgreSQL database (dropped again at the end unless --keep-db) on
     127.0.0.1:5432 as user postgres, migrates it, adds one agency and one open practice EIT;
  2. makes --answers + --warmup answer forms in-process: each a signed one-time nonce (as the GET
     of the page gives) and an answer to every question, so the load is the POST alone;
  3. starts gunicorn on 127.0.0.1 (gthread workers × 1 thread, keep-alive) and posts every form
     once over --connections concurrent keep-alive connections (asyncio + httpx), bounded in
     count and in time (--max-seconds);
  4. posts --unqueued more over one connection per worker (the latency of an answer that does
     not wait behind others), after --profile answers posted in-process (Django test client:
     wall and CPU time of one answer, statements per answer);
  5. reports answers/s, latency percentiles, the server's CPU per answer (gunicorn and its
     PostgreSQL backends, from /proc), every answer that was not "stored", and whether the
     answers stored in the database equal the answers sent.
Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_web  # noqa: E402  (its database, Django and server helpers)
from bench_web import HOST, PG, admin_sql, free_port, log  # noqa: E402,F401

STORED_TEXT = "บันทึกคำตอบแล้ว"


def setup_django(db_name: str, data_dir: Path) -> None:
    """bench_web's set-up, plus what the gunicorn it starts needs: the path and the signing key."""
    os.environ["PYTHONPATH"] = str(ROOT / "src")
    os.environ.setdefault("ITADESK_SECRET_KEY", "bench-only-" + "k" * 40)  # the server signs with the same key
    bench_web.setup_django(db_name, data_dir)


def make_forms(count: int, seed: int) -> tuple[str, list[dict]]:
    import datetime as dt

    from itadesk.web.agencies.models import Agency
    from itadesk.web.surveys.models import Survey
    from itadesk.web.surveys.services import definition_for, new_nonce

    agency = Agency.objects.create(name="เทศบาลตำบลทดสอบภาระ", type="เทศบาลตำบล", district="เมือง",
                                   province="ขอนแก่น")
    today = dt.date.today()
    survey = Survey.objects.create(agency=agency, fiscal_year=2567, tool="EIT", opens_on=today - dt.timedelta(days=1),
                                   closes_on=today + dt.timedelta(days=1))
    columns = definition_for(2567)[1].columns_of("EIT")
    rng = random.Random(seed)
    forms = []
    for _ in range(count):
        form = {"nonce": new_nonce(survey)}
        form.update({f"q_{c.key}": str(rng.randrange(len(c.scale.options))) for c in columns})
        forms.append(form)
    return f"/s/{survey.token}/", forms


def profile_in_process(path: str, forms: list[dict]) -> dict:
    """The answer POST through Django's test client on the same database: wall and CPU time per
    answer of this process alone (no HTTP, no gunicorn), the service time the load run queues on."""
    from urllib.parse import urlencode

    from django.db import connection
    from django.test import Client

    client = Client()
    wall, cpu, statements = [], [], []

    def count(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.post(path, urlencode(forms[0]), content_type="application/x-www-form-urlencoded")
    for form in forms[1:]:
        body = urlencode(form)
        w, c = time.perf_counter(), time.process_time()
        response = client.post(path, body, content_type="application/x-www-form-urlencoded")
        wall.append(time.perf_counter() - w)
        cpu.append(time.process_time() - c)
        assert STORED_TEXT in response.content.decode()
    return {"n": len(forms), "wall": statistics.median(wall) * 1000, "cpu": statistics.median(cpu) * 1000,
            "queries": len(statements)}


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])      # utime + stime


def server_pids(server_pid: int, db_name: str) -> list[int]:
    """The gunicorn master and workers, and the PostgreSQL backends serving the bench database."""
    pids = [server_pid]
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == server_pid:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True, connect_timeout=5) as conn:
        pids += [r[0] for r in conn.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s", (db_name,))]
    return pids


def cpu_seconds(pids: list[int]) -> float:
    return sum(_ticks(p) for p in pids) / os.sysconf("SC_CLK_TCK")


def start_gunicorn(port: int, workers: int, log_path: Path) -> subprocess.Popen:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "itadesk.web.wsgi:application", "--bind", f"{HOST}:{port}",
               "--workers", str(workers), "--worker-class", "gthread", "--threads", "1",
               "--keep-alive", "10", "--backlog", "512", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log_path.open("wb"),
                              stderr=subprocess.STDOUT)
    return bench_web.wait_until_serving(server, port, log_path)


async def _post_all(base: str, path: str, forms: list[dict], connections: int, max_seconds: float) -> dict:
    import httpx

    latencies: list[float] = []
    outcomes: dict[str, int] = {}
    queue = list(reversed(forms))
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    stop_at = time.monotonic() + max_seconds
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        async def worker() -> None:
            while queue and time.monotonic() < stop_at:
                form = queue.pop()
                started = time.perf_counter()
                try:
                    response = await client.post(path, data=form)
                    outcome = "stored" if response.status_code == 200 and STORED_TEXT in response.text \
                        else f"HTTP {response.status_code}"
                except httpx.HTTPError as exc:
                    outcome = type(exc).__name__
                latencies.append(time.perf_counter() - started)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        seconds = time.perf_counter() - started
    return {"sent": len(latencies), "seconds": seconds, "latencies": sorted(latencies), "outcomes": outcomes}


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=6000, help="answers posted in the measured run (≤ 50,000)")
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--db", default="itadesk_bench_surveys")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--seed", type=int, default=2567)
    parser.add_argument("--profile", type=int, default=300, help="answers posted in-process first (0: none)")
    parser.add_argument("--unqueued", type=int, default=600,
                        help="answers posted last over one connection per worker (latency without queueing)")
    args = parser.parse_args()
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", args.db) or args.db in ("postgres", "itadesk", "test_itadesk"):
        raise SystemExit(f"--db {args.db!r}: use a dedicated database name")
    args.answers = min(args.answers, 50_000)
    args.max_seconds = min(args.max_seconds, 300.0)

    admin_sql(f'DROP DATABASE IF EXISTS "{args.db}" WITH (FORCE)', f'CREATE DATABASE "{args.db}"')
    server = None
    with tempfile.TemporaryDirectory(prefix="itadesk-bench-") as tmp:
        try:
            setup_django(args.db, Path(tmp))
            from django.core.management import call_command
            from django.db import connections

            call_command("migrate", verbosity=0)
            path, forms = make_forms(args.profile + args.warmup + args.answers + args.unqueued, args.seed)
            from itadesk.web.surveys.models import SurveyAnswer

            profile = profile_in_process(path, forms[:args.profile]) if args.profile else None
            forms = forms[args.profile:]

            connections.close_all()
            port = free_port()
            server = start_gunicorn(port, args.workers, Path(tmp) / "gunicorn.log")
            base = f"http://{HOST}:{port}"
            log(f"gunicorn: {args.workers} gthread workers × 1 thread on {base}; "
                f"{args.connections} connections; {args.answers} answers after {args.warmup} warm-up")
            warm = asyncio.run(_post_all(base, path, forms[:args.warmup], args.connections, args.max_seconds))
            load_before = os.getloadavg()[0]
            pids = server_pids(server.pid, args.db)
            cpu_before, client_before = cpu_seconds(pids), time.process_time()
            measured = forms[args.warmup:args.warmup + args.answers]
            run = asyncio.run(_post_all(base, path, measured, args.connections, args.max_seconds))
            run["cpu"] = cpu_seconds(pids) - cpu_before
            run["client_cpu"] = time.process_time() - client_before
            load_after = os.getloadavg()[0]
            # One connection per worker: the latency of an answer without queueing.
            rest = forms[args.warmup + args.answers:]
            single = asyncio.run(_post_all(base, path, rest, args.workers, args.max_seconds)) if rest else None
            stored = SurveyAnswer.objects.count()
            connections.close_all()
        finally:
            bench_web.stop_and_drop(server, args.db, args.keep_db)

    lat = run["latencies"]
    sent_total = warm["sent"] + run["sent"] + (profile["n"] if profile else 0) + (single["sent"] if single else 0)
    stored_ok = sum(r["outcomes"].get("stored", 0) for r in (warm, run, single) if r)
    print(f"answers posted: {run['sent']} in {run['seconds']:.1f} s = {run['sent'] / run['seconds']:.0f} answers/s "
          f"({args.connections} connections, {args.workers} gunicorn workers, PostgreSQL, {os.cpu_count()} CPUs)")
    print(f"latency ms: p50 {percentile(lat, 50):.1f}  p95 {percentile(lat, 95):.1f}  p99 {percentile(lat, 99):.1f}  "
          f"max {lat[-1] * 1000:.1f}")
    print(f"outcomes: {run['outcomes']} (warm-up {warm['outcomes']})")
    print(f"server CPU (gunicorn + PostgreSQL backends): {run['cpu'] / run['sent'] * 1000:.2f} ms per answer "
          f"-> at most ~{run['sent'] / run['cpu'] * os.cpu_count():.0f} answers/s on {os.cpu_count()} idle CPUs "
          f"(the load generator used {run['client_cpu'] / run['sent'] * 1000:.2f} ms CPU per answer besides)")
    if single:
        sl = single["latencies"]
        print(f"unqueued ({args.workers} connections, {single['sent']} answers): "
              f"{single['sent'] / single['seconds']:.0f} answers/s, p50 {percentile(sl, 50):.1f} ms, "
              f"p95 {percentile(sl, 95):.1f} ms, p99 {percentile(sl, 99):.1f} ms; {single['outcomes']}")
    if profile:
        stored_ok += profile["n"]
        print(f"in-process, one answer at a time ({profile['n']}): median {profile['wall']:.2f} ms wall, "
              f"{profile['cpu']:.2f} ms CPU of the Django process, {profile['queries']} SQL statements")
    print(f"stored in the database: {stored}; sent (in-process, warm-up and both runs): {sent_total}; "
          f"answered 'stored': {stored_ok} -> "
          + ("none lost" if stored == sent_total == stored_ok else "MISMATCH"))
    print(f"1-minute load average: {load_before:.2f} before, {load_after:.2f} after")
    print(f"targets: >= 150 answers/s {'met' if run['sent'] / run['seconds'] >= 150 else 'MISSED'}, "
          f"p95 <= 100 ms {'met' if percentile(lat, 95) <= 100 else 'MISSED'}")


if __name__ == "__main__":
    main()
