"""Where the lines of a rendered PDF break, as poppler's text layout sees them.

``pdftotext -bbox-layout`` groups a page into blocks (a paragraph, a table cell) and lines; two
consecutive lines of one block are a line break inside that text. Used to check that no break
falls inside a word (tests/test_whole_words.py).
"""

from __future__ import annotations

import html
import re
import subprocess
import tempfile
from pathlib import Path

_BLOCK = re.compile(r"<block[^>]*>(.*?)</block>", re.S)
_LINE = re.compile(r"<line[^>]*>(.*?)</line>", re.S)
_WORD = re.compile(r"<word[^>]*>(.*?)</word>", re.S)
_PAGE = re.compile(r"<page[^>]*>(.*?)</page>", re.S)
_BOXED_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)


def _bbox_layout(pdf: bytes) -> str:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True,
                              check=True, timeout=120).stdout.decode("utf-8", "replace")


def words_with_boxes(pdf: bytes) -> list[tuple[int, str, tuple[float, float, float, float]]]:
    """(page, word, (x0, y0, x1, y1)) for every word poppler finds, in points from the top left."""
    found = []
    for number, page in enumerate(_PAGE.findall(_bbox_layout(pdf)), start=1):
        for x0, y0, x1, y1, word in _BOXED_WORD.findall(page):
            found.append((number, html.unescape(word), (float(x0), float(y0), float(x1), float(y1))))
    return found


def line_breaks(pdf: bytes) -> list[tuple[int, str, str]]:
    """(page, line before the break, line after it) for every break inside a block."""
    out = _bbox_layout(pdf)
    breaks = []
    for number, page in enumerate(_PAGE.findall(out), start=1):
        for block in _BLOCK.findall(page):
            lines = [" ".join(html.unescape(w) for w in _WORD.findall(line)) for line in _LINE.findall(block)]
            breaks += [(number, a, b) for a, b in zip(lines, lines[1:], strict=False)]
    return breaks


_THAI = "\u0e01-\u0e4e"
_TAIL = re.compile(f"[{_THAI}]+$")
_HEAD = re.compile(f"^[{_THAI}]+")


def split_words(pdf: bytes, words: frozenset[str]) -> list[str]:
    """Each break that cuts one of ``words``, a ไม้ยมก from its word or an era from its year."""
    found = []
    for page, before, after in line_breaks(pdf):
        before, after = before.rstrip(), after.lstrip()
        tail = (_TAIL.search(before) or [""])[0] if before and not before[-1].isspace() else ""
        head = (_HEAD.search(after) or [""])[0]
        where = f"หน้า {page}: …{before[-15:]} | {after[:15]}…"
        if after.startswith("ๆ"):
            found.append(f"ไม้ยมกขึ้นบรรทัดใหม่ ({where})")
        if re.search(r"[พค]\.ศ\.$", before) and re.match(r"[0-9๐-๙]", after):
            found.append(f"พ.ศ. แยกจากปี ({where})")
        if tail and head:
            for word in words:
                if any(tail.endswith(word[:i]) and head.startswith(word[i:]) for i in range(1, len(word))):
                    found.append(f"{word} ถูกตัดกลางคำ ({where})")
    return found
