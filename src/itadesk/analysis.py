"""Per-theme analysis of a year's scores: what is urgent, what must improve, what to keep."""

from __future__ import annotations

from dataclasses import dataclass

from itadesk.criteria import Criteria, Entry, Indicator, Theme
from itadesk.knowledge import KnowledgeBase
from itadesk.scoring import Scorecard
from itadesk.status import IMPROVE, KEEP, URGENT
from itadesk.thai import thai_list


@dataclass(frozen=True)
class EntryResult:
    """A scored question or item, or an indicator whose questions or items have no score."""

    entry: Entry
    tool: str
    score: float
    status: str                 # URGENT / IMPROVE / KEEP
    previous: float | None = None
    topic: str | None = None    # what the advice is keyed by: the entry's topic, else its indicator's

    @property
    def change(self) -> float | None:
        return None if self.previous is None else self.score - self.previous


@dataclass(frozen=True)
class ThemeResult:
    theme: Theme
    rows: tuple[EntryResult, ...]       # in the theme's order; entries without a score are left out
    unscored: tuple[str, ...]           # codes of the theme with no score in the file

    def codes(self, status: str) -> list[str]:
        return [r.entry.code for r in self.rows if r.status == status]

    @property
    def weak(self) -> list[EntryResult]:
        """Urgent rows first, then those to improve; lowest score first within each."""
        order = {URGENT: 0, IMPROVE: 1}
        return sorted((r for r in self.rows if r.status in order), key=lambda r: (order[r.status], r.score))


@dataclass(frozen=True)
class Analysis:
    criteria: Criteria
    card: Scorecard
    themes: tuple[ThemeResult, ...]
    previous: Scorecard | None = None
    previous_criteria: Criteria | None = None

    def previous_indicator(self, indicator: Indicator) -> float | None:
        """Last year's score of the indicator that measures the same thing (same topic, since
        numbers may move between years); None without last year's scores or such an indicator."""
        return _previous_indicator(indicator, self.previous, self.previous_criteria)

    def weak_count(self, indicators: bool) -> int:
        """How many weak points are indicators (True) or questions and items (False)."""
        return sum(1 for t in self.themes for r in t.weak if r.entry.is_indicator == indicators)


def classify(entry: Entry, value: float, criteria: Criteria) -> str:
    rules = criteria.classification
    if value >= rules.keep_at_least:
        return KEEP
    if value < rules.urgent_below or (rules.oit_zero_is_urgent and entry.is_oit_item and value == 0):
        return URGENT
    return IMPROVE


def _previous_by_topic(previous: Scorecard | None, previous_criteria: Criteria | None) -> dict[str, float]:
    """Last year's entry scores keyed by topic, since codes move between years."""
    if previous is None or previous_criteria is None:
        return {}
    return {
        topic: value
        for code, value in previous.entries.items()
        if (topic := previous_criteria.entry_by_code[code].topic)
    }


def _previous_indicator(indicator: Indicator, previous: Scorecard | None,
                        previous_criteria: Criteria | None) -> float | None:
    if previous is None or previous_criteria is None or not indicator.topic:
        return None
    same = next((i for i in previous_criteria.indicators if i.topic == indicator.topic), None)
    return previous.indicators.get(same.number) if same else None


def analyze(
    card: Scorecard,
    criteria: Criteria,
    previous: Scorecard | None = None,
    previous_criteria: Criteria | None = None,
) -> Analysis:
    """Each theme's scored questions and items; an indicator whose questions and items have no
    score in the file (results given per indicator) is itself a row of its theme."""
    last_year = _previous_by_topic(previous, previous_criteria)
    unscored_indicators = {
        i.number: i for i in criteria.indicators
        if card.indicators.get(i.number) is not None
        and not any(e.code in card.entries for e in criteria.entries_of_indicator[i.number])
    }
    themes = []
    for theme in criteria.themes:
        rows, unscored = [], []
        for code in theme.codes:
            entry = criteria.entry_by_code[code]
            value = card.entries.get(code)
            if value is None:
                unscored.append(code)
                continue
            indicator = criteria.indicator_by_number[entry.indicator]
            rows.append(EntryResult(
                entry, indicator.tool, value, classify(entry, value, criteria),
                last_year.get(entry.topic) if entry.topic else None, entry.topic or indicator.topic,
            ))
        for number in theme.indicators:
            scored_alone = unscored_indicators.get(number)
            score = card.indicators.get(number)
            if scored_alone is None or score is None:
                continue
            entry = scored_alone.as_entry()
            rows.append(EntryResult(entry, scored_alone.tool, score, classify(entry, score, criteria),
                                    _previous_indicator(scored_alone, previous, previous_criteria),
                                    scored_alone.topic))
        themes.append(ThemeResult(theme, tuple(rows), tuple(unscored)))
    return Analysis(criteria, card, tuple(themes), previous, previous_criteria)


def improve_paragraphs(theme: ThemeResult, kb: KnowledgeBase, fmt) -> list[str]:
    """ข้อที่ต้องพัฒนา: one paragraph per weak question or item, weakest first.

    ``fmt`` formats a code and a score for the document (Thai digits or not).
    """
    paragraphs = []
    for row in theme.weak:
        advice = kb.topics.get(row.topic or "")
        urgency = "ต้องแก้ไขโดยเร่งด่วน" if row.status == URGENT else "ควรพัฒนาให้ดีขึ้น"
        lead = f"{fmt.reference(row.entry)} {row.entry.label} ได้ {fmt.score(row.score)} คะแนน {urgency}"
        paragraphs.append(f"{lead} {advice.improve}" if advice else lead)
    return paragraphs


def keep_paragraphs(theme: ThemeResult, kb: KnowledgeBase, fmt) -> list[str]:
    """รักษาระดับ: survey questions one by one; full-score OIT items summed up in one paragraph."""
    paragraphs = []
    kept = [r for r in theme.rows if r.status == KEEP]
    for row in kept:
        if row.entry.is_oit_item:
            continue
        advice = kb.topics.get(row.topic or "")
        lead = f"{fmt.reference(row.entry)} ได้ {fmt.score(row.score)} คะแนน"
        paragraphs.append(f"{lead} {advice.keep}" if advice else lead)
    items = [r for r in kept if r.entry.is_oit_item]
    if items:
        listed = thai_list([f"{fmt.code(r.entry.code)} {r.entry.label}" for r in items])
        paragraphs.append(
            f"การเปิดเผยข้อมูลข้อ {listed} ผ่านเกณฑ์แล้ว "
            "ให้ปรับปรุงข้อมูลบนเว็บไซต์หลักของหน่วยงานให้ครบถ้วนและเป็นปัจจุบันตามปีงบประมาณอย่างสม่ำเสมอ"
        )
    return paragraphs
