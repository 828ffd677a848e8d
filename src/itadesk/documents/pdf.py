"""PDF rendering of a MeasuresDocument through Typst.

The layout lives in ``templates/measures.typ``; this module only turns the document into JSON
and hands it to the template through ``sys.inputs`` (so user text is always data, never Typst
markup). One compiler is created lazily and reused, so a batch pays the font scan once.

Thai line breaking: Typst breaks Thai with its own dictionary, which sometimes splits compounds
and has no emergency break for a word wider than a narrow table cell. Text that goes into table
cells is therefore pre-segmented with PyThaiNLP (newmm): a zero-width space marks each boundary
between two Thai words, and the template keeps each short word together (a box) so lines break
only there or at spaces. Results are cached per string: question wordings, measure texts and
department names repeat across documents and agencies.
"""

from __future__ import annotations

import json
import re
import threading
from functools import lru_cache
from pathlib import Path

from itadesk.documents.model import MeasuresDocument, ScoreBar
from itadesk.status import STATUS_LABEL
from itadesk.text import printable, soft_breaks
from itadesk.thai import THAI_MONTHS, THAI_MONTHS_SHORT, bind_units, digits


ZWSP = "\u200b"
# Words longer than this (in code points) are left for Typst to break on its own, so that a
# very long compound (นายกองค์การบริหารส่วนตำบล) can still wrap inside a narrow cell.
MAX_BOXED_WORD = 14

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


MEASURES_TEMPLATE = TypstTemplate("measures.typ")


# ---------------------------------------------------------------------------------------------
# Thai word segmentation for table cells


def _is_thai_letter(ch: str) -> bool:
    # Thai consonants, vowels, tone marks and signs; not Thai digits (U+0E50–0E59).
    return "\u0e01" <= ch <= "\u0e4e"


@lru_cache(maxsize=1)
def domain_words() -> frozenset[str]:
    """Words never broken inside (documents/domain_words.txt)."""
    text = Path(__file__).with_name("domain_words.txt").read_text("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _words() -> frozenset[str]:
    from pythainlp.corpus import thai_words

    return frozenset(thai_words()) | domain_words()


# newmm keeps dictionary compounds whole (เทคโนโลยีสารสนเทศ, นายกองค์การบริหารส่วนตำบล); one that
# is wider than a narrow cell would be left to Typst, which may break it mid-word (เทคโนโล|ยี).
# Longer tokens are therefore split further into dictionary words, marked with U+200C (ZWNJ):
# the template uses these inner boundaries only for a word that does not fit its cell, and
# removes the marks otherwise.
ZWNJ = "\u200c"
SPLIT_LONGER_THAN = 9


@lru_cache(maxsize=20_000)
def _split_compound(tok: str) -> tuple[str, ...]:
    if len(tok) <= SPLIT_LONGER_THAN or not all(_is_thai_letter(c) for c in tok) or tok in domain_words():
        return (tok,)
    words = _words()
    for i in range(len(tok) - 2, 1, -1):  # longest known head first
        head, rest = tok[:i], tok[i:]
        if head in words and (rest in words or len(_split_compound(rest)) > 1):
            return (head, *_split_compound(rest)) if len(head) <= SPLIT_LONGER_THAN else (
                *_split_compound(head), *_split_compound(rest))
    return (tok,)


@lru_cache(maxsize=1)
def _tokenizer():
    """newmm over PyThaiNLP's dictionary plus the domain words (กิจกรรม|การมีส่วนร่วม, not
    กิจ|กรรมการ|มีส่วนร่วม)."""
    from functools import partial

    from pythainlp.tokenize import word_tokenize
    from pythainlp.util import Trie

    tokenize = partial(word_tokenize, custom_dict=Trie(_words()))
    tokenize("อุ่นเครื่อง", engine="newmm")  # builds the dictionary once
    return tokenize


_MONTHS = THAI_MONTHS + THAI_MONTHS_SHORT
# "๓๐ กันยายน": keep a day number with its month on one line (no-break space).
_DAY_MONTH = re.compile(r"(?<![0-9๐-๙])([0-9๐-๙]{1,2}) (" + "|".join(map(re.escape, _MONTHS)) + ")")


@lru_cache(maxsize=1)
def _domain_pattern() -> re.Pattern:
    # a lookahead, so that overlapping words (การมีส่วนร่วม, มีส่วนร่วม) are all found in one pass
    return re.compile("(?=(" + "|".join(sorted(map(re.escape, domain_words()), key=len, reverse=True)) + "))")


def _whole_domain_words(text: str, tokens: list[str]) -> list[str]:
    """Re-cut newmm's tokens so that no boundary falls inside a domain word: newmm's tie between
    มาตร|การควบคุม and มาตรการ|ควบคุม (two tokens each) may go either way."""
    cuts, at = set(), 0
    for tok in tokens:
        at += len(tok)
        cuts.add(at)
    inside, edges = set(), set()
    for match in _domain_pattern().finditer(text):
        start, end = match.span(1)
        inside.update(range(start + 1, end))
        edges.update((start, end))
    if not inside:
        return tokens
    cuts = (cuts - inside) | (edges - inside)
    bounds = sorted(c for c in cuts | {0, len(text)} if 0 <= c <= len(text))
    return [text[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


@lru_cache(maxsize=50_000)
def segment(text: str) -> str:
    """``text`` with U+200B between adjacent Thai words (newmm boundaries).

    A boundary is marked only where both neighbours are Thai letters, so codes such as
    "O๗", numbers, brackets and punctuation stay attached to their words.
    """
    if not text or not any(_is_thai_letter(c) for c in text):
        return text
    text = bind_units(_DAY_MONTH.sub("\\1\u00a0\\2", text))
    tokens = _whole_domain_words(text, _tokenizer()(text, engine="newmm", keep_whitespace=True))
    out: list[str] = []
    prev = ""
    for tok in (ZWNJ.join(_split_compound(t)) for t in tokens):
        if not tok:
            continue
        if prev and _is_thai_letter(prev[-1]) and _is_thai_letter(tok[0]):
            out.append(ZWSP)
        out.append(tok)
        prev = tok
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Document → JSON for the template


def _bar(bar: ScoreBar, group: str | None = None) -> dict:
    return {
        "label": bar.label,
        "short": bar.short_label,
        "value": None if bar.value is None else max(0.0, min(100.0, float(bar.value))),
        "text": bar.text,
        "group": group if group is not None else bar.group,
    }


def _indicator_name(bar: ScoreBar) -> str:
    """"ตัวชี้วัดที่ ๑ การปฏิบัติหน้าที่" → "การปฏิบัติหน้าที่" for the table's name column."""
    label = bar.label.strip()
    for prefix in (f"ตัวชี้วัดที่ {bar.short_label}", bar.short_label):
        if prefix and label.startswith(prefix):
            rest = label[len(prefix):].strip()
            if rest:
                return rest
    return label


def _groups(items: list, key) -> list[dict]:
    """Consecutive runs of equal ``key`` (for the merged tool column)."""
    runs: list[dict] = []
    for item in items:
        k = key(item)
        if runs and runs[-1]["key"] == k:
            runs[-1]["items"].append(item)
        else:
            runs.append({"key": k, "items": [item]})
    return runs


def _short_row(m) -> bool:
    """Whether a measures row is short enough to keep on one page (about a third of a page)."""
    longest = max(
        sum(len(s) + 25 for s in m.steps),  # each step starts a new line
        *(len(x) for x in (m.issue, m.name, m.responsible, m.period, m.monitoring)),
    )
    return longest <= 420


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


def document_data(doc: MeasuresDocument) -> dict:
    """The JSON-ready structure the template reads (public for tests and debugging).

    Every text string carries U+200B at Thai word boundaries; the template keeps the words
    whole, so neither running text nor table cells break inside a word.
    """
    th = doc.thai_digits

    def num(n: int) -> str:
        return digits(n, th)

    themes = []
    for theme in doc.themes:
        has_change = any(r.change for r in theme.rows)
        row_groups = [
            {
                "tool": g["key"],
                "rows": [
                    {
                        "code": r.code,
                        "text": r.text,
                        "score": r.score,
                        "status": r.status,
                        "status_label": STATUS_LABEL.get(r.status, r.status),
                        "change": r.change or "-",
                    }
                    for r in g["items"]
                ],
            }
            for g in _groups(theme.rows, lambda r: r.tool)
        ]
        measures = [
            {
                "issue": m.issue,
                "name": m.name,
                "steps": [{"n": num(i) + ".", "text": s} for i, s in enumerate(m.steps, 1)],
                "responsible": m.responsible,
                "period": m.period,
                "monitoring": m.monitoring,
                "unbreakable": _short_row(m),
            }
            for m in theme.measures
        ]
        themes.append(
            {
                "title": f"ประเด็นที่ {theme.number} {theme.name}",
                "has_change": has_change,
                "groups": row_groups,
                "improve": list(theme.improve),
                "keep": list(theme.keep),
                "measures": measures,
            }
        )

    indicator_groups = [
        {
            "tool": g["key"],
            "rows": [
                {"short": b.short_label, "name": _indicator_name(b), "text": b.text}
                for b in g["items"]
            ],
        }
        for g in _groups(doc.indicators, lambda b: b.group)
    ]

    memo = memo_data(doc.memo) if doc.memo is not None else None

    titles = {
        "agency_line": f"{doc.agency_name} {doc.agency_place}".strip(),
        "section1": doc.titles.overall,
        "figure1": doc.titles.figure_tools,
        "figure2": doc.titles.figure_indicators,
        "section2": doc.titles.indicators,
        "section3": doc.titles.themes,
        "section4": doc.titles.measures,
        "pass_line": f"เกณฑ์ผ่าน {num(f'{doc.pass_mark:g}')} คะแนน",
    }

    data = {
        "thai_digits": th,
        "pass_mark": doc.pass_mark,
        "title": " ".join(doc.cover_title),
        "agency_name": doc.agency_name,
        "cover_title": list(doc.cover_title),
        "agency_place": doc.agency_place,
        "heading": list(doc.heading),
        "titles": titles,
        "overall_text": doc.overall_text,
        "tool_bars": [_bar(doc.ita, "ITA")] + [_bar(b, b.group or b.short_label) for b in doc.tools],
        "indicator_bars": [_bar(b) for b in doc.indicators],
        "indicator_groups": indicator_groups,
        "themes": themes,
        "notes": list(doc.notes),
        "signatures": [signature_data(s) for s in doc.signatures],
        "memo": memo,
    }
    data = segment_all(data)
    if memo is not None:
        data["memo"]["emblem"] = emblem_data(doc.memo.emblem)   # numbers, not text to segment
    # PDF metadata stays plain text
    data["title"] = " ".join(doc.cover_title)
    data["author"] = doc.agency_name
    return data


def render_measures_pdf(doc: MeasuresDocument) -> bytes:
    """Lay out ``doc`` as an A4 PDF (memo, cover, analysis with charts, measures, signatures)."""
    return MEASURES_TEMPLATE.render(document_data(doc))
