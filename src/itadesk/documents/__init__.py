"""Documents in DOCX (to edit) and PDF (to publish), rendered from format-independent models."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from itadesk.documents.model import MeasuresDocument, ResultsReportDocument


_pdf_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="itadesk-pdf")


def _render_both(doc, render_docx, render_pdf) -> dict[str, bytes]:
    """Both formats; Typst lays out the PDF in a worker thread while python-docx builds the DOCX."""
    pdf = _pdf_thread.submit(render_pdf, doc)
    docx = render_docx(doc)
    return {"docx": docx, "pdf": pdf.result()}


def render_measures(doc: MeasuresDocument) -> dict[str, bytes]:
    from itadesk.documents.measures_docx import render_measures_docx
    from itadesk.documents.measures_pdf import render_measures_pdf

    return _render_both(doc, render_measures_docx, render_measures_pdf)


def render_results_report(doc: ResultsReportDocument) -> dict[str, bytes]:
    from itadesk.documents.results_report_docx import render_results_report_docx
    from itadesk.documents.results_report_pdf import render_results_report_pdf

    return _render_both(doc, render_results_report_docx, render_results_report_pdf)


def write_files(contents: dict[str, bytes], out_dir: str | Path, stem: str) -> list[Path]:
    """Write every file or none: each goes to a temporary name first and is renamed at the end."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for suffix, data in contents.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{stem}.", suffix=f".{suffix}.part", dir=out)
            staged.append((tmp, out / f"{stem}.{suffix}"))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, final in staged:
        os.replace(tmp, final)
    return [final for _, final in staged]
