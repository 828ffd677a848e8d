"""The one error type a user ever sees: it says which file, which row, which value, what is expected."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Problem:
    message: str
    source: str | None = None
    row: int | str | None = None
    value: object = None

    def __str__(self) -> str:
        where = []
        if self.source:
            where.append(str(self.source))
        if self.row is not None:
            where.append(f"แถว {self.row}" if isinstance(self.row, int) else str(self.row))
        prefix = ", ".join(where)
        text = f"{prefix}: {self.message}" if prefix else self.message
        if self.value is not None and self.value != "":
            text += f" (ค่าที่พบ: {self.value!r})"
        return text


@dataclass
class InputError(Exception):
    """Bad input; carries every problem found so the user can fix them all at once."""

    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def single(cls, message: str, source: str | None = None, row=None, value=None) -> "InputError":
        return cls([Problem(message, source, row, value)])
