"""From checked URLs to a verdict per OIT item, a predicted OIT score and what to fix first.

Verdicts:

- **fail** — no URL; every URL dead (HTTP error, timeout, no connection) or refused; or every
  URL that opens was given on another site than the agency's main website.
- **doubtful** — the evidence is there but a consultant may not accept it: none of the item's
  keywords found; the fiscal year not found (or only the Christian-era year); the only working
  evidence ends on another site (the agency's link redirects away); the content could not be
  read (too large, a scanned PDF without text, an unknown file type).
- **pass** — otherwise. Dead or off-site links beside good ones are listed as notes.

Predicted scores assume **pass = 100, doubtful = 50, fail = 0** (``DEFAULT_POINTS``): NACC
consultants score each item 0 or 100 and sometimes 50, and a doubtful item may go either way,
so 50 is its expected value, not a rule of the assessment. Indicators are the mean of their
items, the OIT tool the mean of its indicators (9 and 10 in FY2567), taken from the year's
criteria. An item is worth ``tool weight × 1/indicators in the tool × 1/items in its
indicator × 100`` ITA points (FY2567: 0.40 × ½ × 1/25 × 100 = 0.8 for O1–O25, 2.0 for O26–O35),
which orders the "fix first" list.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from statistics import fmean

from itadesk.criteria import Criteria, Entry
from itadesk.oit.checker import OK, REFUSED, CheckRun, UrlCheck
from itadesk.thai import ce_year

PASS, DOUBTFUL, FAIL = "pass", "doubtful", "fail"
DEFAULT_POINTS = {PASS: 100.0, DOUBTFUL: 50.0, FAIL: 0.0}
VERDICT_TH = {PASS: "ผ่าน", DOUBTFUL: "ไม่แน่ใจ", FAIL: "ไม่ผ่าน"}

# Items whose evidence need not name the fiscal year (it describes the agency, not a year's
# work). Keyed by topic, never by code: codes move between years.
YEAR_NOT_REQUIRED_TOPICS = frozenset({
    "oit.structure", "oit.executives", "oit.mandate", "oit.contacts", "oit.qa", "oit.eservice",
    "oit.staff_manual", "oit.service_manual", "oit.ethics_code", "oit.complaint_guideline",
    "oit.complaint_channel", "oit.structure_and_mandate", "oit.contacts_and_qa",
})


@dataclass
class ItemVerdict:
    code: str
    name: str
    indicator: int
    verdict: str
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    urls: int = 0
    score: float = 0.0
    weight: float = 0.0          # ITA points the item is worth at 100
    gain: float = 0.0            # ITA points gained by bringing it to pass

    @property
    def verdict_th(self) -> str:
        return VERDICT_TH[self.verdict]


@dataclass
class OitPrediction:
    agency: str
    website: str
    fiscal_year: int
    criteria_year: int
    checked_at: str
    items: list[ItemVerdict]
    indicators: dict[int, float]
    oit: float
    points: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_POINTS))

    @property
    def fix_first(self) -> list[ItemVerdict]:
        """Items not passing, most ITA points to gain first; fails before doubts; then by code."""
        rank = {FAIL: 0, DOUBTFUL: 1}
        todo = [i for i in self.items if i.verdict != PASS]
        return sorted(todo, key=lambda i: (-round(i.gain, 6), rank[i.verdict], int(i.code[1:])))

    def counts(self) -> dict[str, int]:
        return {v: sum(1 for i in self.items if i.verdict == v) for v in (PASS, DOUBTFUL, FAIL)}

    def item(self, code: str) -> ItemVerdict | None:
        return next((i for i in self.items if i.code == code), None)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["indicators"] = {str(k): v for k, v in self.indicators.items()}
        data["fix_first"] = [i.code for i in self.fix_first]
        data["counts"] = self.counts()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> OitPrediction:
        data = {k: v for k, v in data.items() if k not in ("fix_first", "counts")}
        data["items"] = [ItemVerdict(**i) for i in data["items"]]
        data["indicators"] = {int(k): v for k, v in data["indicators"].items()}
        return cls(**data)


def _hosts(checks: list[UrlCheck]) -> str:
    from urllib.parse import urlsplit

    hosts = sorted({urlsplit(c.final_url or c.url).hostname or "?" for c in checks})
    return ", ".join(hosts)


def _describe(check: UrlCheck) -> str:
    return f"{check.url} ({check.detail or check.outcome})"


def judge_item(entry: Entry, checks: list[UrlCheck], fiscal_year: int) -> tuple[str, list[str], list[str]]:
    """(verdict, reasons, notes) for one item from the checks of its URLs."""
    if not checks:
        return FAIL, ["ไม่มีลิงก์หลักฐาน"], []
    notes: list[str] = []
    reachable = [c for c in checks if c.reachable]
    broken = [c for c in checks if not c.reachable]
    if not reachable:
        refused = [c for c in checks if c.outcome == REFUSED]
        label = "ถูกปฏิเสธหรือใช้ไม่ได้" if refused else "เปิดไม่ได้"
        return FAIL, [f"ทุกลิงก์{label}: " + "; ".join(_describe(c) for c in checks)], []
    given_on_site = [c for c in reachable if c.url_on_main_domain is not False]
    if not given_on_site:
        return FAIL, [f"ทุกลิงก์ที่เปิดได้อยู่นอกเว็บไซต์หลักของหน่วยงาน ({_hosts(reachable)})"], \
            [f"ลิงก์เปิดไม่ได้: {_describe(c)}" for c in broken]
    reasons: list[str] = []
    ending_on_site = [c for c in given_on_site if c.on_main_domain is not False]
    if ending_on_site:
        evidence = ending_on_site
    else:
        evidence = given_on_site
        reasons.append(f"หลักฐานที่เปิดได้อยู่นอกเว็บไซต์หลักเท่านั้น (ไปสิ้นสุดที่ {_hosts(given_on_site)})")
    notes += [f"ลิงก์เปิดไม่ได้: {_describe(c)}" for c in broken]
    notes += [f"ลิงก์อยู่นอกเว็บไซต์หลัก: {c.url}" for c in reachable if c not in evidence]

    readable = [c for c in evidence if c.outcome == OK and c.kind in ("html", "pdf", "text") and c.text_chars > 0]
    if not readable:
        why = "; ".join(_describe(c) if c.detail else f"{c.url} (ไม่มีข้อความ อาจเป็นภาพสแกน)" for c in evidence)
        reasons.append(f"ตรวจเนื้อหาไม่ได้: {why}")
        return DOUBTFUL, reasons, notes

    if entry.keywords:
        found = {k for c in readable for k in c.keywords_found}
        if not found:
            reasons.append("ไม่พบคำสำคัญของข้อนี้ (" + ", ".join(entry.keywords) + ")")
    else:
        notes.append("เกณฑ์ปีนี้ไม่มีคำสำคัญของข้อนี้ จึงไม่ได้ตรวจคำสำคัญ")

    matches = {c.year_match for c in readable}
    year_text = f"พ.ศ. {fiscal_year}"
    missing = None
    if "be" not in matches:
        if "ce" in matches:
            missing = f"พบเฉพาะปี ค.ศ. {ce_year(fiscal_year)} ไม่พบปีงบประมาณ {year_text}"
        else:
            others = sorted({y for c in readable for y in c.years_found})
            missing = f"ไม่พบปีงบประมาณ {year_text}" + (f" (พบปี {', '.join(map(str, others))})" if others else "")
    if missing:
        if entry.topic in YEAR_NOT_REQUIRED_TOPICS:
            notes.append(missing + " — ข้อนี้ไม่จำเป็นต้องระบุปี")
        else:
            reasons.append(missing)
    return (DOUBTFUL if reasons else PASS), reasons, notes


def item_weight(entry: Entry, criteria: Criteria) -> float:
    """ITA points the item is worth at full score."""
    tool = criteria.tool_by_code[criteria.tool_of_entry(entry)]
    indicators = criteria.indicators_of_tool(tool.code)
    items = criteria.entries_of_indicator[entry.indicator]
    return tool.weight * (1 / len(indicators)) * (1 / len(items)) * 100


def predict(run: CheckRun, criteria: Criteria, points: dict[str, float] | None = None) -> OitPrediction:
    """Verdict for every OIT item of the criteria year and the predicted indicator and OIT scores."""
    points = dict(points or DEFAULT_POINTS)
    verdicts: list[ItemVerdict] = []
    for entry in criteria.entries:
        if not entry.is_oit_item:
            continue
        checks = run.of_item(entry.code)
        verdict, reasons, notes = judge_item(entry, checks, entry.evidence_year(run.fiscal_year))
        weight = item_weight(entry, criteria)
        score = points[verdict]
        verdicts.append(ItemVerdict(
            entry.code, entry.label, entry.indicator, verdict, reasons, notes, len(checks), score,
            round(weight, 6), round((points[PASS] - score) / 100 * weight, 6),
        ))
    indicators = {}
    for indicator in criteria.indicators_of_tool("OIT"):
        scores = [v.score for v in verdicts if v.indicator == indicator.number]
        indicators[indicator.number] = fmean(scores) if scores else 0.0
    oit = fmean(indicators.values()) if indicators else 0.0
    return OitPrediction(run.agency, run.website, run.fiscal_year, criteria.fiscal_year,
                         run.finished_at, verdicts, indicators, oit, points)


@dataclass
class ItemChange:
    code: str
    before: str | None
    after: str | None
    score_delta: float
    reasons_before: list[str]
    reasons_after: list[str]

    @property
    def improved(self) -> bool:
        return self.score_delta > 0


@dataclass
class Comparison:
    before_at: str
    after_at: str
    oit_delta: float
    indicator_deltas: dict[int, float]
    changes: list[ItemChange]

    def summary(self) -> list[str]:
        lines = [f"OIT {self.oit_delta:+.2f} คะแนน ({self.before_at} → {self.after_at})"]
        for c in self.changes:
            before = VERDICT_TH.get(c.before or "", "-")
            after = VERDICT_TH.get(c.after or "", "-")
            if c.before != c.after:
                lines.append(f"{c.code}: {before} → {after} ({c.score_delta:+.0f})")
            else:
                lines.append(f"{c.code}: {after} เหตุผลเปลี่ยน")
        return lines


def compare(before: OitPrediction, after: OitPrediction) -> Comparison:
    """What changed between two runs: verdicts, reasons, scores."""
    changes = []
    codes = list(dict.fromkeys([i.code for i in before.items] + [i.code for i in after.items]))
    for code in codes:
        a, b = before.item(code), after.item(code)
        if a and b and a.verdict == b.verdict and a.reasons == b.reasons:
            continue
        changes.append(ItemChange(
            code, a.verdict if a else None, b.verdict if b else None,
            (b.score if b else 0.0) - (a.score if a else 0.0),
            a.reasons if a else [], b.reasons if b else [],
        ))
    deltas = {n: after.indicators.get(n, 0.0) - before.indicators.get(n, 0.0)
              for n in dict.fromkeys([*before.indicators, *after.indicators])}
    return Comparison(before.checked_at, after.checked_at, after.oit - before.oit, deltas, changes)
