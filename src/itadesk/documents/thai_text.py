"""Thai word breaking for the documents: where a line may break inside Thai text.

Typst breaks Thai with its own dictionary, which sometimes splits compounds and has no
emergency break for a word wider than a narrow table cell. Every Thai string of a document is
therefore pre-segmented with PyThaiNLP (newmm) over its dictionary plus the domain words
(``domain_words.txt``): a zero-width space marks each boundary between two Thai words, and the
templates keep each word together (a box), so lines break only there or at spaces. Results are
cached per string: question wordings, measure texts and department names repeat across
documents and agencies.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from itadesk.thai import THAI_MONTHS, THAI_MONTHS_SHORT, bind_units

ZWSP = "\u200b"


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
def _dictionary_parts(text: str) -> tuple[str, ...] | None:
    """``text`` as two or more dictionary words of two letters or more, the longest first word
    first, or None."""
    words = _words()
    for i in range(len(text) - 2, 1, -1):
        head, rest = text[:i], text[i:]
        if head in words and (parts := (rest,) if rest in words else _dictionary_parts(rest)):
            return (head, *parts)
    return None


@lru_cache(maxsize=20_000)
def _split_compound(tok: str) -> tuple[str, ...]:
    if len(tok) <= SPLIT_LONGER_THAN or not all(_is_thai_letter(c) for c in tok) or tok in domain_words():
        return (tok,)
    parts = _dictionary_parts(tok)
    return tuple(piece for word in parts for piece in _split_compound(word)) if parts else (tok,)


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
    inside: set[int] = set()
    edges: set[int] = set()
    for match in _domain_pattern().finditer(text):
        start, end = match.span(1)
        inside.update(range(start + 1, end))
        edges.update((start, end))
    if not inside:
        return tokens
    cuts = (cuts - inside) | (edges - inside)
    bounds = sorted(c for c in cuts | {0, len(text)} if 0 <= c <= len(text))
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False) if b > a]


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


WJ = "\u2060"
_OPENING = "(“\"‘'["


def _is_leading_vowel(ch: str) -> bool:
    return "\u0e40" <= ch <= "\u0e44"   # เ แ โ ใ ไ: written before the consonant they follow


def _may_start_a_line(ch: str) -> bool:
    # Thai consonants (ก–ฮ) and leading vowels: the only letters a Thai line can start with.
    # A joiner anywhere else (before a tone mark, ั, ำ …) would undo the shaping.
    return "\u0e01" <= ch <= "\u0e2e" or _is_leading_vowel(ch)


# A compound longer than this (องค์การบริหารส่วนตำบล) may be wider than a narrow table cell of the
# DOCX: a word processor has no break-only-if-needed, so it may break between its words anywhere;
# a shorter one (ผู้อำนวยการ, ยุทธศาสตร์) is kept whole.
DOCX_COMPOUND_BREAKS_ABOVE = 15
_LONG_WORD = re.compile(f"[^\\s{ZWSP}]*{ZWNJ}[^\\s{ZWSP}]*")


def _breakable(match: re.Match) -> str:
    word = match.group(0)
    return word.replace(ZWNJ, ZWSP) if len(word) - word.count(ZWNJ) > DOCX_COMPOUND_BREAKS_ABOVE else word


@lru_cache(maxsize=50_000)
def whole_words(text: str) -> str:
    """``text`` for a word processor: segmented as for the PDF (``segment``), with a word
    joiner (U+2060) before every letter inside a word where a line could start, and a zero-width
    space between words.

    LibreOffice breaks Thai with ICU's dictionary, which differs from ours (ข้อ|คำถาม,
    เท่า|เทียม), and Word with its own; neither can be given a dictionary through the file.
    The joiners leave each of them only our boundaries, as in the PDF. They are invisible and
    dropped from the PDF text LibreOffice exports. A compound longer than
    DOCX_COMPOUND_BREAKS_ABOVE letters may break between its words (``ZWNJ`` in ``segment``).
    """
    if not text or not any(_is_thai_letter(c) for c in text):
        return text
    marked = _LONG_WORD.sub(_breakable, segment(text)).replace(ZWNJ, "")
    out: list[str] = []
    prev = ""
    for i, ch in enumerate(marked):
        if prev == "/" and _is_thai_letter(ch):   # ปัญหา/อุปสรรค: ICU would not break after it
            out.append(ZWSP)
        elif _may_start_a_line(ch) and _is_thai_letter(prev) and not _is_leading_vowel(prev):
            out.append(WJ)
        elif ch in _OPENING and _is_thai_letter(marked[i + 1:i + 2]):
            # LibreOffice ignores the joiners of a word right after "(" or "“" unless one comes
            # before the mark too: then it breaks at the space before it, not inside the word.
            out.append(WJ)
        out.append(ch)
        prev = ch
    return "".join(out)
