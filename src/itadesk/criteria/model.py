"""Typed view of one fiscal year's ITA criteria."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

TOOL_CODES = ("IIT", "EIT", "OIT")


@dataclass(frozen=True)
class Tool:
    code: str
    name: str
    weight: float
    status: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator:
    number: int
    tool: str
    name: str | None
    status: str
    topic: str | None = None      # what the indicator is about, for advice when only its score is known
    sources: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        return f"IND{self.number}"

    def as_entry(self) -> Entry:
        """The indicator as a weak point of its own, for results that give only indicator scores."""
        return Entry(self.code, self.number, self.name, self.status, self.topic)


@dataclass(frozen=True)
class Entry:
    """A survey question (i…, e…) or an OIT item (O…)."""

    code: str
    indicator: int
    name: str | None
    status: str
    topic: str | None = None
    function: str | None = None
    text: str | None = None
    reversed: bool = False
    keywords: tuple[str, ...] = ()
    covers: str | None = None     # "previous_fiscal_year": a report item showing last year's work
    sources: tuple[str, ...] = ()

    @property
    def is_oit_item(self) -> bool:
        return self.code.startswith("O")

    def evidence_year(self, fiscal_year: int) -> int:
        """The fiscal year the item's evidence shows when assessed in ``fiscal_year``: a report
        item that covers the previous fiscal year shows last year's work."""
        return fiscal_year - 1 if self.covers == "previous_fiscal_year" else fiscal_year

    @property
    def is_indicator(self) -> bool:
        """An indicator standing in for its questions or items (see Indicator.as_entry)."""
        return self.code.startswith("IND")

    @property
    def label(self) -> str:
        """Name as printed in documents; unknown names stay visibly unknown."""
        return self.name or "(ยังไม่ทราบชื่อข้อ)"


@dataclass(frozen=True)
class Level:
    code: str
    name: str
    min_ita: float
    passed: bool
    min_each_tool: float | None = None


@dataclass(frozen=True)
class Theme:
    number: int
    key: str
    name: str
    codes: tuple[str, ...]
    indicators: tuple[int, ...] = ()   # indicators whose indicator-level weak points belong here


@dataclass(frozen=True)
class Classification:
    keep_at_least: float
    urgent_below: float
    oit_zero_is_urgent: bool


@dataclass(frozen=True)
class Round:
    name: str
    months: int


@dataclass(frozen=True)
class Criteria:
    fiscal_year: int
    urn: str
    title: str
    publisher: str
    source: str
    status: str
    tools: tuple[Tool, ...]
    indicators: tuple[Indicator, ...]
    entries: tuple[Entry, ...]
    levels: tuple[Level, ...]
    classification: Classification
    themes: tuple[Theme, ...]
    rounds: tuple[Round, ...]
    raw: dict = field(compare=False, repr=False)
    sources: dict[str, str] = field(default_factory=dict, compare=False)   # citation key -> citation

    @cached_property
    def tool_by_code(self) -> dict[str, Tool]:
        return {t.code: t for t in self.tools}

    @cached_property
    def indicator_by_number(self) -> dict[int, Indicator]:
        return {i.number: i for i in self.indicators}

    @cached_property
    def entry_by_code(self) -> dict[str, Entry]:
        return {e.code: e for e in self.entries}

    @cached_property
    def entry_by_topic(self) -> dict[str, Entry]:
        return {e.topic: e for e in self.entries if e.topic}

    @cached_property
    def entries_of_indicator(self) -> dict[int, tuple[Entry, ...]]:
        grouped: dict[int, list[Entry]] = {i.number: [] for i in self.indicators}
        for e in self.entries:
            grouped[e.indicator].append(e)
        return {k: tuple(v) for k, v in grouped.items()}

    def indicators_of_tool(self, tool: str) -> tuple[Indicator, ...]:
        return tuple(i for i in self.indicators if i.tool == tool)

    @property
    def pass_mark(self) -> float:
        """The lowest ITA of a passing level (the criteria's levels): the line the charts draw."""
        return min(level.min_ita for level in self.levels if level.passed)

    def entry_with_function(self, function: str) -> Entry | None:
        """The item that plays a role (e.g. the measures plan), whatever its code this year."""
        return next((e for e in self.entries if e.function == function), None)

    def with_declared_questions(self, declared: dict[str, int]) -> Criteria:
        """These criteria plus questions a results file names by code and indicator because the
        year's question list is unknown; each goes to the theme of its indicator, unnamed."""
        extra = tuple(
            Entry(code, indicator, None, "unknown")
            for code, indicator in sorted(declared.items()) if code not in self.entry_by_code
        )
        if not extra:
            return self
        themes = tuple(
            replace(t, codes=t.codes + tuple(e.code for e in extra if e.indicator in t.indicators))
            for t in self.themes
        )
        return replace(self, entries=self.entries + extra, themes=themes)

    def tool_of_entry(self, entry: Entry) -> str:
        return self.indicator_by_number[entry.indicator].tool

    @cached_property
    def all_codes(self) -> frozenset[str]:
        """Every code a results file may use for this year."""
        return frozenset(
            {"ITA", *self.tool_by_code, *(i.code for i in self.indicators), *self.entry_by_code}
        )
