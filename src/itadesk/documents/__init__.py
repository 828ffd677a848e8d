"""Documents in DOCX (to edit) and PDF (to publish), rendered from format-independent models."""

from __future__ import annotations

import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from itadesk.documents.model import MeasuresDocument, ResultsReportDocument

FORMATS = ("docx", "pdf")

_pdf_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="itadesk-pdf")


def _render(doc, render_docx, render_pdf, formats) -> dict[str, bytes]:
    """The formats asked for (``FORMATS``' order); with both, Typst lays out the PDF in a worker
    thread while python-docx builds the DOCX."""
    unknown = set(formats) - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown document formats: {sorted(unknown)}")
    if set(formats) == set(FORMATS):
        pdf = _pdf_thread.submit(render_pdf, doc)
        docx = render_docx(doc)
        return {"docx": docx, "pdf": pdf.result()}
    renderers = {"docx": render_docx, "pdf": render_pdf}
    return {fmt: renderers[fmt](doc) for fmt in FORMATS if fmt in formats}


def render_measures(doc: MeasuresDocument, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    from itadesk.documents.measures_docx import render_measures_docx
    from itadesk.documents.measures_pdf import render_measures_pdf

    return _render(doc, render_measures_docx, render_measures_pdf, formats)


def render_results_report(doc: ResultsReportDocument, formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    from itadesk.documents.results_report_docx import render_results_report_docx
    from itadesk.documents.results_report_pdf import render_results_report_pdf

    return _render(doc, render_results_report_docx, render_results_report_pdf, formats)


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
