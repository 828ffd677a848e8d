"""Text of a Typst PDF as a reader sees it (pypdf-based).

Typst writes Thai glyph clusters with /ActualText spans and a ToUnicode map that is only right
for a glyph's first use; pypdf's extract_text ignores /ActualText and garbles Thai (สำานัก,
ตำาบลั), so the text is read here from the content streams with pypdf, honouring /ActualText.
Typst also draws some shifted marks (the ์ of ดิ์, the ่ of ถิ่) as a separate zero-width glyph,
either bare (its ToUnicode text repeats the cluster) or in a span repeating the cluster's
/ActualText; both are skipped, which gives the exact text.
"""

from __future__ import annotations

import io
import re

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject


def _to_unicode(font) -> dict[int, str]:
    """CID → text from a font's ToUnicode CMap (bfchar and bfrange)."""
    font = font.get_object()
    if "/ToUnicode" not in font:
        return {}
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    out: dict[int, str] = {}

    def hex_text(h: str) -> str:
        return bytes.fromhex(h).decode("utf-16-be", "replace")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(src, 16)] = hex_text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            base = int(dst, 16)
            for i, cid in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                out[cid] = chr(base + i)
    return out


def _widths(font) -> tuple[dict[int, float], float]:
    """Advance widths of a Type0 font's CIDs (/W array) and the default width (/DW)."""
    desc = font.get_object()["/DescendantFonts"][0].get_object()
    items = list(desc.get("/W", []))
    widths: dict[int, float] = {}
    i = 0
    while i < len(items):
        first, nxt = int(items[i]), items[i + 1]
        if isinstance(nxt, list):  # c [w1 w2 ...]
            widths.update((first + j, float(w)) for j, w in enumerate(nxt))
            i += 2
        else:  # c_first c_last w
            widths.update((c, float(items[i + 2])) for c in range(first, int(nxt) + 1))
            i += 3
    return widths, float(desc.get("/DW", 1000))


class _ZeroWidth:
    """`cid in marks`: whether a CID has zero advance (a combining mark) in a font."""

    def __init__(self, widths: dict[int, float] | None = None, default: float = 1000):
        self.widths, self.default = widths or {}, default

    def __contains__(self, cid: int) -> bool:
        return self.widths.get(cid, self.default) == 0


def _raw(obj) -> bytes | None:
    """The bytes of a PDF string operand (pypdf may have decoded it to text)."""
    if isinstance(obj, bytes):
        return bytes(obj)
    return getattr(obj, "original_bytes", None)


def page_text(reader: PdfReader, page) -> str:
    """Text of a page in content order, using /ActualText where Typst gives it.

    A span whose glyphs are all zero-width (a mark Typst drew apart from its cluster, with the
    cluster's /ActualText repeated) is skipped, as are zero-width glyphs outside spans.
    """
    fonts = page["/Resources"].get("/Font", {})
    maps = {name: (_to_unicode(f), _ZeroWidth(*_widths(f))) for name, f in fonts.items()}
    cmap: dict[int, str] = {}
    marks = _ZeroWidth()
    stack: list[dict | None] = []  # per open marked-content sequence: its ActualText span or None
    parts: list[str] = []

    def show(obj) -> None:
        data = _raw(obj)
        if data is None:
            return
        cids = [int.from_bytes(data[i:i + 2], "big") for i in range(0, len(data) - 1, 2)]
        span = next((s for s in stack if s is not None), None)
        if span is not None:
            span["base"] = span["base"] or any(c not in marks for c in cids)
            return
        parts.extend(cmap.get(c, "") for c in cids if c not in marks)

    for operands, op in ContentStream(page.get_contents(), reader).operations:
        if op == b"Tf":
            cmap, marks = maps.get(operands[0], ({}, _ZeroWidth()))
        elif op == b"BDC":
            props = operands[1] if isinstance(operands[1], DictionaryObject) else {}
            actual = props.get("/ActualText") if hasattr(props, "get") else None
            outer = any(s is not None for s in stack)
            stack.append({"text": str(actual), "base": False} if actual is not None and not outer else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC":
            if stack:
                span = stack.pop()
                if span is not None and span["base"]:
                    parts.append(span["text"])
        elif op == b"Tj":
            show(operands[0])
        elif op == b"TJ":
            for item in operands[0]:
                show(item)
        elif op in (b"ET", b"Td", b"TD", b"T*", b"Tm"):
            parts.append(" ")
    return "".join(parts)


def norm(text: str) -> str:
    """Remove what extraction and layout may add or drop: spaces, ZWSP, NBSP, line breaks."""
    return re.sub(r"[\s\u200b\u00a0]+", "", text)


def pdf_text(data: bytes) -> str:
    """All pages' text (use instead of pypdf's extract_text for Typst PDFs with Thai)."""
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page_text(reader, p) for p in reader.pages)
