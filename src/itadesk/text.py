"""Text as users paste it, made safe to store and to print: one helper for every reader and document.

Word's manual line break (``\\x0b``), form feeds, stray escape codes, C1 controls, lone surrogates
and Unicode noncharacters (``\\uffff``) are invisible to the person who pasted them, but they break
XML (DOCX, XLSX) and some of them the PDF engine. :func:`clean_text` turns line-like controls into
a newline and drops the rest; tabs and newlines stay.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# \x0b (vertical tab: Word's Shift+Enter), \x0c (form feed), U+2028/U+2029 are line breaks
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls but \t and \n, DEL, C1 controls, lone surrogates, noncharacters
_DROPPED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
    + "]"
)


def clean_text(text: object) -> str:
    """``text`` with line-like controls as ``\\n`` and other control characters removed."""
    if text is None:
        return ""
    value = str(text)
    if value.isprintable() and "\ufffe" not in value and "\uffff" not in value:
        return value      # the common case, fast
    return _DROPPED.sub("", _LINE_BREAKS.sub("\n", value))


@lru_cache(maxsize=1)
def _font_coverage() -> frozenset[int]:
    """Code points the document font (Sarabun, the PDF's only font) can draw."""
    import fontpkg_sarabun
    from fontTools.ttLib import TTFont

    font = TTFont(str(fontpkg_sarabun.ROOT / "files" / "Sarabun-Regular.ttf"), lazy=True)
    return frozenset(font.getBestCmap())


def unprintable(text: str) -> list[str]:
    """Characters of ``text`` the documents' font cannot draw (emoji, other scripts), in order, once."""
    covered = _font_coverage()
    seen: list[str] = []
    for ch in text:
        if ch in "\n\t" or ord(ch) in covered or unicodedata.category(ch) in ("Mn", "Me", "Cf", "Zs"):
            continue
        if ch not in seen:
            seen.append(ch)
    return seen


def printable(text: object) -> str:
    """``clean_text`` with each character the document font cannot draw shown as ``?`` (marks and
    format characters it lacks, such as emoji variation selectors, are dropped)."""
    value = clean_text(text)
    if value.isascii():
        return value
    covered = _font_coverage()
    return "".join(
        ch if ch in "\n\t" or ord(ch) in covered or unicodedata.category(ch) == "Zs"
        else ("" if unicodedata.category(ch) in ("Mn", "Me", "Cf") else "?")
        for ch in value
    )


ZWSP = "\u200b"
_LONG_RUN = re.compile("[^\\s\u0e00-\u0e7f\u200b\u200c]{25,}")
_CHUNK = re.compile("[^/.?&=_-]{1,12}[/.?&=_-]*|[/.?&=_-]+")


def soft_breaks(text: str) -> str:
    """``text`` with zero-width spaces inside runs of 25+ characters that have no place to break
    (a URL, 300 × 'x'): after ``/ . ? & = _ -`` and every 12 characters, so a table cell wraps them
    instead of overflowing the page. Thai text is left to word segmentation."""
    if len(text) < 25:
        return text
    return _LONG_RUN.sub(lambda m: ZWSP.join(_CHUNK.findall(m.group())), text)
