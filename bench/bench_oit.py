"""OIT checker throughput (a report, not a test): URLs checked per second and peak memory.

A local asyncio HTTP server on 127.0.0.1 (in a separate process, so it does not share the
checker's CPU time slice) serves a small Thai HTML evidence page; the checker, allowed to reach
127.0.0.1 only, checks ``--urls`` distinct URLs at ``--concurrency`` (bounded overall and per
host, per-host rate limit off). Nothing leaves the machine. Bounded in count and time.

    .venv/bin/python bench/bench_oit.py [--urls 2000] [--concurrency 32] [--timeout 120]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

PAGE = ("<!doctype html><html><head><meta charset='utf-8'><title>โครงสร้าง</title></head><body>"
        "<h1>แผนผังโครงสร้างองค์กร</h1><p>อัตรากำลัง ปีงบประมาณ พ.ศ. ๒๕๖๘</p>" + "<p>ข้อมูล</p>" * 200
        + "</body></html>").encode()


def serve(port_queue) -> None:
    async def handle(reader, writer):
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if not head:
                    break
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                             + str(len(PAGE)).encode() + b"\r\n\r\n" + PAGE)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    async def main():
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=1024)
        port_queue.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--timeout", type=float, default=120)
    args = parser.parse_args()

    from itadesk.oit.checker import OK, Checker, CheckSettings
    from itadesk.oit.safety import NetworkPolicy

    queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(queue,), daemon=True)
    server.start()
    try:
        port = queue.get(timeout=10)
        base = f"http://127.0.0.1:{port}"
        settings = CheckSettings(
            concurrency=args.concurrency, per_host_concurrency=args.concurrency, per_host_rate=0,
            policy=NetworkPolicy.build(allowed_networks=["127.0.0.1/32"]), total_timeout=10,
        )
        keywords = ("โครงสร้าง", "แผนผัง", "อัตรากำลัง")

        async def run():
            async with Checker(settings, base) as checker:
                await checker.check("O1", f"{base}/warmup", keywords, 2568)
                started = time.perf_counter()
                results = await asyncio.wait_for(asyncio.gather(*(
                    checker.check("O1", f"{base}/page/{i}", keywords, 2568) for i in range(args.urls)
                )), args.timeout)
                return time.perf_counter() - started, results

        async def run_sample():  # peak Python heap over a smaller run at the same concurrency
            async with Checker(settings, base) as checker:
                await asyncio.gather(*(checker.check("O1", f"{base}/m/{i}", keywords, 2568)
                                       for i in range(min(args.urls, 300))))

        elapsed, results = asyncio.run(run())          # timed without tracemalloc (it slows allocation ~5x)
        tracemalloc.start()
        asyncio.run(run_sample())
        _, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        ok = sum(1 for r in results if r.outcome == OK and r.year_match == "be" and len(r.keywords_found) == 3)
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"URLs checked: {len(results)} ({ok} fully analysed OK) in {elapsed:.2f} s")
        print(f"throughput:   {len(results) / elapsed:.0f} URLs/s at concurrency {args.concurrency} "
              f"(page {len(PAGE)} bytes, HTML text + keywords + fiscal year)")
        print(f"peak memory:  Python heap {traced_peak / 1e6:.1f} MB (tracemalloc, 300 URLs), "
              f"process max RSS {rss_mb:.0f} MB")
        return 0 if ok == len(results) else 1
    finally:
        server.terminate()
        server.join(5)


if __name__ == "__main__":
    sys.exit(main())
