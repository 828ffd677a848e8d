"""The one error type a user ever sees: it says which file, which row, which value, what is expected.

Values are kept and shown only as a short excerpt, and at most ``LIMITS.max_problems`` problems
are listed, the rest counted ("และอีก N รายการ"), so a hostile file cannot make a huge message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from itadesk import limits


def _small(value: object, most: int | None = None) -> object:
    """The value, or a short excerpt of it when it is a long text or a container."""
    most = most or limits.active().excerpt_chars
    if isinstance(value, str) and len(value) > most and not isinstance(value, limits.Excerpt):
        return limits.Excerpt.of(value, most)
    if isinstance(value, bytes) and len(value) > most:
        return value[:most] + b"..."
    if isinstance(value, (dict, list, tuple, set)):
        return limits.excerpt(value)
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 200:
        return limits.excerpt(value)
    return value


_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _safe(text: object) -> object:
    """Text shown as is, except lone surrogates and control characters, written as escapes
    (a page or JSON answer could not even be encoded with them)."""
    if not isinstance(text, str) or not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii")
                       if not 0xD800 <= ord(m.group()) <= 0xDFFF else f"\\u{ord(m.group()):04x}", text)


@dataclass
class Problem:
    message: str
    source: str | None = None
    row: int | str | None = None
    value: object = None

    def __post_init__(self) -> None:
        self.value = _small(self.value)
        self.message = str(_safe(self.message))
        if isinstance(self.row, str):
            self.row = str(_safe(_small(self.row, 4 * limits.active().excerpt_chars)))
        if isinstance(self.source, str):
            self.source = str(_safe(_small(self.source, 8 * limits.active().excerpt_chars)))

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.row is not None:
            where.append(f"แถว {self.row}" if isinstance(self.row, int) else str(self.row))
        prefix = ", ".join(where)
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.value is not None and self.value != "":
            text += f" (ค่าที่พบ: {limits.excerpt(self.value)})"
        return text


def cap(problems: list[Problem]) -> list[Problem]:
    """At most LIMITS.max_problems problems, then one line counting the rest."""
    most = limits.active().max_problems
    if len(problems) <= most:
        return problems
    rest = len(problems) - most
    return [*problems[:most], Problem(f"และอีก {rest:,} รายการ (แก้รายการข้างต้นแล้วตรวจอีกครั้ง)")]


@dataclass
class InputError(Exception):
    """Bad input; carries every problem found (up to a limit) so the user can fix them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.problems = cap(list(self.problems))
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def single(cls, message: str, source: str | None = None, row=None, value=None) -> InputError:
        return cls([Problem(message, source, row, value)])
