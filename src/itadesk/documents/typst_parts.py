"""Typst helpers shared by every PDF: one compiler per template, document data as JSON (user
text is always data, never Typst markup), Thai pre-segmented so words stay whole, and the memo,
emblem and signatures in the shape ``templates/common.typ`` reads."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from itadesk.documents.thai_text import segment
from itadesk.text import printable, soft_breaks


def _fonts_dir() -> str:
    import fontpkg_sarabun

    return str(Path(fontpkg_sarabun.ROOT) / "files")


class TypstTemplate:
    """One Typst template with its own compiler, created on first use (font scan ≈ 0.2–0.8 s) and
    reused, so a batch pays the scan once. Data goes in as JSON through ``sys.inputs.data``: user
    text is never parsed as Typst markup. Only the shipped Sarabun fonts are used."""

    def __init__(self, name: str):
        self.path = Path(__file__).with_name("templates") / name
        self.compiler = None
        self._lock = threading.Lock()  # a compiler keeps state between calls: one compile at a time

    def render(self, data: dict) -> bytes:
        payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        with self._lock:
            if self.compiler is None:
                import typst

                self.compiler = typst.Compiler(
                    input=str(self.path), root=str(self.path.parent),
                    font_paths=[_fonts_dir()], ignore_system_fonts=True,
                )
            return self.compiler.compile(format="pdf", sys_inputs={"data": payload})


def memo_data(m) -> dict:
    """The memo for common.typ's memo-page (both documents' memos)."""
    return {
        "office": m.office, "reference": m.reference, "date": m.date, "subject": m.subject,
        "to": m.to, "paragraphs": list(m.paragraphs), "closing": m.closing,
        "signers": [signature_data(s) for s in m.signers],
        "comments": [{"heading": c.heading, "signer": signature_data(c.signer)} for c in m.comments],
    }


def emblem_data(emblem) -> list[int] | None:
    """The emblem's bytes as a list of numbers: JSON carries no binary, Typst's bytes() takes it."""
    return list(emblem.data) if emblem is not None else None


def signature_data(sig) -> dict:
    return {"name": f"({sig.name})", "position": sig.position, "caption": sig.caption}


# Keys whose values are codes for the template, not text to lay out.
_CODE_KEYS = frozenset({"status", "group", "tool", "thai_digits", "has_change", "value", "pass_mark"})


def segment_all(obj, key: str = ""):
    """Apply `segment` to every text string of the data (codes and numbers left alone), after
    cleaning it (control characters, characters the font lacks) and marking where long unbroken
    runs may wrap."""
    if isinstance(obj, str):
        return obj if key in _CODE_KEYS else segment(soft_breaks(printable(obj)))
    if isinstance(obj, list):
        return [segment_all(v, key) for v in obj]
    if isinstance(obj, dict):
        return {k: segment_all(v, k) for k, v in obj.items()}
    return obj
