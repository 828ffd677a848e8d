"""Background jobs on real Celery workers (a report, not a test).

1. A province's document batch: ``--agencies`` (300) generated agencies of one province, each with
   its own FY2567 scores, their FY2568 measures (DOCX + PDF) as one ZIP, on a worker with 1 pool
   process and then with 2 (``--rounds``: that many times, alternately); the scaling factor is the
   ratio of the two wall times. ``--pinned``: instead, 1 and then 2 workers of one process each,
   worker i held to CPU i (as machines of one CPU each). Each start does a small warm-up batch
   first (a fresh process's first document costs ≈ 3 s of imports and fonts).
2. A province's OIT check: ``--oit-agencies`` (60) agencies × 5 links on a local server listening
   on ``--hosts`` (20) loopback addresses 127.0.0.x (each a "website" of its own), with the
   production per-host limits (4 at a time, 5 a second per host): URLs checked per second.

A temporary data dir (SQLite file, or ``--database-url`` for PostgreSQL), Redis at
``--redis`` with a queue and key prefix of its own. Nothing leaves the machine.

    .venv/bin/python bench/bench_jobs.py [--agencies 300] [--oit-agencies 60] [--hosts 20] [--rounds 1]
                                         [--database-url postgres://…]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
PROVINCE, WARMUP, OIT_PROVINCE = "นครราชสีมา", "ขอนแก่น", "บุรีรัมย์"


def serve(hosts: int, port_queue) -> None:
    """A small Thai evidence page on 127.0.0.1 … 127.0.0.<hosts>, one port."""
    page = ("<!doctype html><html><head><meta charset='utf-8'><title>โครงสร้าง</title></head><body>"
            "<h1>แผนผังโครงสร้างองค์กร</h1><p>อัตรากำลัง ปีงบประมาณ พ.ศ. ๒๕๖๘</p>" + "<p>ข้อมูล</p>" * 200
            + "</body></html>").encode()

    async def handle(reader, writer):
        try:
            while True:
                await reader.readuntil(b"\r\n\r\n")
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                             + str(len(page)).encode() + b"\r\n\r\n" + page)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main():
        first = await asyncio.start_server(handle, "127.0.0.1", 0)
        port = first.sockets[0].getsockname()[1]
        others = [await asyncio.start_server(handle, f"127.0.0.{n}", port) for n in range(2, hosts + 1)]
        port_queue.put(port)
        await asyncio.gather(first.serve_forever(), *(s.serve_forever() for s in others))

    asyncio.run(main())


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--agencies", type=int, default=300)
    parser.add_argument("--oit-agencies", type=int, default=60)
    parser.add_argument("--hosts", type=int, default=20)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--rounds", type=int, default=1, help="1- and 2-process runs, alternately")
    parser.add_argument("--pinned", action="store_true",
                        help="separate 1-process workers, each held to its own CPU (as machines of 1 CPU)")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="itadesk-bench-jobs-"))
    tag = uuid.uuid4().hex[:10]
    env = {**os.environ, "ITADESK_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src"),
           "DJANGO_SETTINGS_MODULE": "itadesk.web.settings", "ITADESK_BROKER_URL": args.redis,
           "ITADESK_JOBS_MODE": "celery", "ITADESK_JOBS_QUEUE": f"itadesk-bench-{tag}",
           "ITADESK_BROKER_KEY_PREFIX": f"itadesk-bench-{tag}:", "ITADESK_OIT_ALLOWED_NETWORKS": "127.0.0.0/8"}
    env.pop("DATABASE_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    os.environ.update(env)
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)

    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from bench_documents import AGENCY, generated_results
    from itadesk.web.agencies.services import upsert_agency
    from itadesk.web.jobs import runner
    from itadesk.web.jobs.models import DONE, FAILED, Job
    from itadesk.web.oit.models import EvidenceEntry
    from itadesk.web.results.models import ResultSet

    def agencies(province: str, count: int, offset: int) -> list:
        made = []
        for n in range(count):
            profile = AGENCY.__class__(**{**AGENCY.__dict__, "name": f"อบต.ทดสอบ {province} {n + 1:03d}",
                                          "province": province})
            agency = upsert_agency(profile)
            ResultSet.objects.create(agency=agency, fiscal_year=2567, scores=generated_results(offset + n).scores,
                                     source="bench")
            made.append(agency)
        return made

    started = time.perf_counter()
    agencies(PROVINCE, args.agencies, 0)
    agencies(WARMUP, 2 * int(env.get("ITADESK_JOBS_DOCUMENTS_PER_PART", 10)), 100_000)   # 2 parts
    user = get_user_model().objects.create_user(f"bench-{tag}", is_superuser=True)
    print(f"set-up: {args.agencies} agencies with FY2567 scores in {time.perf_counter() - started:.1f} s")

    def run(kind: str, province: str, year: int) -> tuple[float, Job]:
        began = time.perf_counter()
        job = runner.start(kind, user, year, province=province)
        while True:
            job.refresh_from_db()
            if job.state in (DONE, FAILED):
                break
            time.sleep(0.25)
        assert job.state == DONE, job.message
        return time.perf_counter() - began, job

    def workers(count: int, pinned: bool) -> list[subprocess.Popen]:
        """One celery worker with ``count`` pool processes; ``pinned``: ``count`` workers of one
        process each, worker i held to CPU i (``taskset``), as ``count`` machines of one CPU."""
        commands = [["--concurrency", str(count), "-n", f"bench-{tag}-pool@%h"]] if not pinned else \
            [["--concurrency", "1", "-n", f"bench-{tag}-cpu{i}@%h"] for i in range(count)]
        started = []
        for i, extra in enumerate(commands):
            log = open(data_dir / f"worker-{count}-{i}.log", "wb")
            prefix = ["taskset", "-c", str(i)] if pinned else []
            started.append(subprocess.Popen(
                [*prefix, sys.executable, "-m", "celery", "-A", "itadesk.web.worker", "worker", *extra,
                 "-Q", env["ITADESK_JOBS_QUEUE"], "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        run(Job.DOCUMENTS, WARMUP, 2567)           # one part per process: each has made its first document
        return started

    def stop(started: list[subprocess.Popen]) -> None:
        for process in started:
            process.terminate()
        for process in started:
            process.wait(timeout=120)

    how = "worker(s) of 1 process, each held to its own CPU" if args.pinned else "worker process(es)"
    times: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(args.rounds):   # alternately, so a change in the machine's load hits both alike
        for processes in (1, 2):
            started = workers(processes, args.pinned)
            try:
                load = load_average()
                seconds, job = run(Job.DOCUMENTS, PROVINCE, 2567)
                times[processes].append(seconds)
                size = (Path(data_dir / "media") / job.result_file).stat().st_size
                print(f"documents, {processes} {how}: {args.agencies} agencies in {seconds:.1f} s "
                      f"({1000 * seconds / args.agencies:.0f} ms per agency), ZIP {size / 1e6:.0f} MB; "
                      f"load average before {load}, after {load_average()}", flush=True)
            finally:
                stop(started)
    factors = [one / two for one, two in zip(times[1], times[2], strict=True)]
    print(f"scaling factor 1 → 2: {', '.join(f'{f:.2f}×' for f in factors)} "
          f"(median {statistics.median(factors):.2f}×)", flush=True)

    queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(args.hosts, queue), daemon=True)
    server.start()
    try:
        port = queue.get(timeout=10)
        for n, agency in enumerate(agencies(OIT_PROVINCE, args.oit_agencies, 200_000)):
            base = f"http://127.0.0.{n % args.hosts + 1}:{port}"
            agency.website = base
            agency.save()
            for item in range(1, 6):
                EvidenceEntry.objects.create(agency=agency, fiscal_year=2568, code=f"O{item}",
                                             urls=[f"{base}/page/{n}/{item}"])
        started = workers(1, False)
        try:
            load = load_average()
            seconds, job = run(Job.OIT_BATCH, OIT_PROVINCE, 2568)
            urls = sum(a["urls"] for a in job.result["agencies"])
            print(f"OIT batch, 1 worker process: {urls} URLs on {args.hosts} hosts in {seconds:.1f} s = "
                  f"{urls / seconds:.0f} URLs/s (limit {5 * args.hosts}/s: 5 a second per host); "
                  f"load average before {load}, after {load_average()}")
        finally:
            stop(started)
    finally:
        server.terminate()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
