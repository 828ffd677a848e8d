"""PDF renderer (Typst): the sample document renders with all its text, in Sarabun only.

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

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

from itadesk.documents import pdf as pdf_mod
from itadesk.documents.model import MeasureRow, QuestionRow
from itadesk.documents.pdf import render_measures_pdf, segment
from tests.support.sample_document import sample


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


@pytest.fixture(scope="module")
def rendered():
    doc = sample()
    data = render_measures_pdf(doc)
    reader = PdfReader(io.BytesIO(data))
    text = norm(pdf_text(data))
    return doc, data, reader, text


def test_is_a_pdf(rendered):
    _, data, _, _ = rendered
    assert data.startswith(b"%PDF-")


def test_text_contains_agency_themes_measures_and_codes(rendered):
    doc, _, _, text = rendered
    assert norm(doc.agency_name) in text
    assert norm(doc.agency_place) in text
    for line in doc.cover_title + doc.heading + doc.memo.paragraphs + [doc.overall_text]:
        assert norm(line) in text, line
    assert "บันทึกข้อความ" in text
    assert len(doc.themes) == 7
    for theme in doc.themes:
        assert norm(theme.name) in text, theme.name
        for measure in theme.measures:
            assert norm(measure.name) in text, measure.name
            for step in measure.steps:
                assert norm(step) in text, step
        for row in theme.rows:
            assert norm(row.code) in text, row.code
            assert norm(row.text) in text, row.text
        for para in theme.improve + theme.keep:
            assert norm(para) in text, para
    for sig in doc.signatures:
        assert norm(sig.name) in text
    # Thai page numbers from the template's own numbering
    assert "หน้า๑" in text and "หน้า๒" in text
    for bar in doc.indicators + doc.tools:
        assert bar.text in text


def test_embeds_only_sarabun(rendered):
    _, _, reader, _ = rendered
    names = set()
    for page in reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    assert names, "no fonts found"
    assert all("Sarabun" in n for n in names), names


def test_page_count_is_reasonable(rendered):
    _, _, reader, _ = rendered
    # memo + cover + charts/indicators + 7 themes with 2 measures each
    assert 5 <= len(reader.pages) <= 14


def test_user_text_is_data_not_markup():
    doc = sample()
    doc.agency_name = 'เทศบาล #set page(width: 1cm) *x* _y_ $z$ <l> @r \\ ] [ // ) } {'
    doc.themes[0].measures[0].name = "#panic(\"boom\") = หัวข้อ - รายการ"
    data = render_measures_pdf(doc)
    reader = PdfReader(io.BytesIO(data))
    text = norm(pdf_text(data))
    assert norm(doc.agency_name) in text
    assert norm(doc.themes[0].measures[0].name) in text
    assert reader.pages[0].mediabox.width > 500  # A4, not a 1 cm page


def test_optional_parts_may_be_missing():
    doc = sample()
    doc.memo = None
    doc.signatures = []
    doc.notes = []
    doc.indicators[9].value = None
    doc.indicators[9].text = "-"
    doc.themes[0].improve = []
    doc.themes[1].keep = []
    doc.themes[2].measures = []
    doc.themes[3].rows = [QuestionRow(r.tool, r.code, r.text, r.score, r.status, "+๑.๒๐")
                          for r in doc.themes[3].rows]
    doc.themes[4].measures = [MeasureRow("ก", "ข", [], "ค", "ง", "จ")]
    text = norm(pdf_text(render_measures_pdf(doc)))
    assert "บันทึกข้อความ" not in text
    assert "เปลี่ยนแปลง" in text and "+๑.๒๐" in text


def test_segment_marks_thai_word_boundaries_only():
    assert segment("นำแผนขึ้นเว็บไซต์") == "นำ\u200bแผน\u200bขึ้น\u200bเว็บไซต์"
    # codes, digits and brackets stay attached; a day stays with its month
    out = segment("O๗ แผนยุทธศาสตร์ (๐.๐๐) ถึง ๓๐ กันยายน ๒๕๖๘")
    assert "O๗ " in out and "(๐.๐๐)" in out and "๓๐\u00a0กันยายน" in out
    assert segment("IIT") == "IIT"


def test_compiler_is_reused():
    render_measures_pdf(sample())
    first = pdf_mod._compiler
    render_measures_pdf(sample())
    assert pdf_mod._compiler is first
