"""Benchmark: one agency's analysis and documents, LibreOffice as a yardstick, and a batch on all cores.

Reports figures; it is not a test and never fails for being slow.

    .venv/bin/python bench/bench_documents.py [--batch 1000] [--runs 10] [--workers N]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from itadesk.agency import load_agency  # noqa: E402
from itadesk.criteria import load_criteria  # noqa: E402
from itadesk.documents import render_measures  # noqa: E402
from itadesk.documents.measures_docx import render_measures_docx  # noqa: E402
from itadesk.documents.measures_pdf import render_measures_pdf  # noqa: E402
from itadesk.results import Results, load_results  # noqa: E402
from itadesk.workflow import analyze_results, prepare_measures  # noqa: E402

AGENCY = load_agency(ROOT / "demo" / "agency.yaml")


def generated_results(seed: int) -> Results:
    """Plausible FY2567 scores. Survey questions centre on 92 (national averages were 90–94
    in FY2566–2568) with a spread of 7, one agency in five has a weak spot near 60; each OIT
    item is published (100) with probability 0.8, partly (50) 0.05, else 0."""
    rng = random.Random(seed)
    criteria = load_criteria(2567)
    scores = {}
    weak_spot = rng.random() < 0.2
    for entry in criteria.entries:
        if entry.is_oit_item:
            scores[entry.code] = rng.choices([100.0, 50.0, 0.0], weights=[80, 5, 15])[0]
        else:
            centre = 60 if weak_spot and rng.random() < 0.15 else 92
            scores[entry.code] = round(min(100.0, max(0.0, rng.gauss(centre, 7))), 2)
    return Results(2567, scores, f"generated-{seed}")


def one_agency(seed: int) -> tuple[int, int]:
    results = generated_results(seed)
    agency = replace(AGENCY, name=f"องค์การบริหารส่วนตำบลทดสอบที่{seed}")
    package = prepare_measures(analyze_results(results), agency)
    files = render_measures(package.document)
    return len(files["docx"]), len(files["pdf"])


def timed(fn, runs: int) -> tuple[float, float, object]:
    times, value = [], None
    for _ in range(runs):
        started = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times), value


def libreoffice_seconds(docx: bytes, runs: int) -> float | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "o34.docx"
        source.write_bytes(docx)
        profile = Path(tmp) / "profile"
        command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                   "--convert-to", "pdf", "--outdir", tmp, str(source)]
        subprocess.run(command, capture_output=True, check=True, timeout=300)  # first start: profile set-up
        _, median, _ = timed(lambda: subprocess.run(command, capture_output=True, check=True, timeout=300), runs)
        return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--lo-runs", type=int, default=3)
    args = parser.parse_args()

    results = load_results(ROOT / "demo" / "results-2567.yaml")
    started = time.perf_counter()
    package = prepare_measures(analyze_results(results), AGENCY)
    render_measures_docx(package.document)
    render_measures_pdf(package.document)
    first = time.perf_counter() - started

    a_min, a_med, analysis = timed(lambda: analyze_results(results), args.runs)
    b_min, b_med, package = timed(lambda: prepare_measures(analysis, AGENCY), args.runs)
    # Each run is another generated agency (other scores, other weak items, other measures):
    # Typst memoises layout, so re-rendering one identical document would flatter it.
    documents = [
        prepare_measures(analyze_results(generated_results(10_000 + n)),
                         replace(AGENCY, name=f"องค์การบริหารส่วนตำบลทดลองที่{n}")).document
        for n in range(2 * args.runs)
    ]
    docx_docs, pdf_docs = iter(documents[: args.runs]), iter(documents[args.runs:])
    d_min, d_med, docx = timed(lambda: render_measures_docx(next(docx_docs)), args.runs)
    p_min, p_med, pdf = timed(lambda: render_measures_pdf(next(pdf_docs)), args.runs)
    import io

    from pypdf import PdfReader
    pages = len(PdfReader(io.BytesIO(pdf)).pages)

    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    print(f"first document in a fresh process (imports, fonts): {first:.2f} s")
    print(f"per agency, warm, min / median of {args.runs}:")
    print(f"  analysis (score + themes)   {a_min * 1000:7.1f} / {a_med * 1000:7.1f} ms")
    print(f"  plan + document model       {b_min * 1000:7.1f} / {b_med * 1000:7.1f} ms")
    print(f"  DOCX                        {d_min * 1000:7.1f} / {d_med * 1000:7.1f} ms")
    print(f"  PDF ({pages} pages)              {p_min * 1000:7.1f} / {p_med * 1000:7.1f} ms")
    total = a_med + b_med + d_med + p_med
    print(f"  total                       {total * 1000:7.1f} ms (target ≤ 300 ms)")

    sequence = [generated_results(20_000 + n) for n in range(args.runs)]
    started = time.perf_counter()
    for n, results_n in enumerate(sequence):
        one = prepare_measures(analyze_results(results_n), replace(AGENCY, name=f"อบต.ลำดับที่{n}"))
        render_measures(one.document)
    in_sequence = (time.perf_counter() - started) / len(sequence)
    print(f"  one process, {len(sequence)} different agencies in a row: {in_sequence * 1000:.0f} ms per agency "
          "(analysis + plan + DOCX + PDF, the PDF laid out in a second thread)")

    lo = libreoffice_seconds(docx, args.lo_runs)
    if lo is None:
        print("LibreOffice DOCX→PDF: soffice not installed (apt-get install libreoffice-writer-nogui)")
    else:
        print(f"LibreOffice DOCX→PDF, one call per document: {lo * 1000:.0f} ms "
              f"= {lo / p_med:.1f}× our PDF time")

    if args.batch:
        started = time.perf_counter()
        # spawn, not fork: a forked child inherits the parent's Typst thread pool and hangs
        with multiprocessing.get_context("spawn").Pool(args.workers) as pool:
            sizes = pool.map(one_agency, range(args.batch), chunksize=8)
        elapsed = time.perf_counter() - started
        print(f"batch: {args.batch} generated agencies, DOCX+PDF each, {args.workers} workers: "
              f"{elapsed:.1f} s = {elapsed / args.batch * 1000:.0f} ms per agency "
              f"({sum(d + p for d, p in sizes) / 1e6:.0f} MB written to memory)")
        print(f"  → 8,300 agencies ≈ {elapsed / args.batch * 8300 / 60:.1f} min on this machine")


if __name__ == "__main__":
    main()
