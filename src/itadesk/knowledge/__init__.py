"""Measures knowledge base: what to write and do for each kind of question or item.

Keyed by topic (what an item is), so the same advice follows an item when NACC renumbers it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from itadesk.criteria import Criteria
from itadesk.errors import InputError, Problem

PERIODS = ("fiscal_year", "quarter1", "quarter2", "quarter3", "quarter4", "half1", "half2")
# Who a measure's monitoring names is written as a placeholder, filled from the agency's profile
# when the plan is generated: {role} (a role id: the department doing that work, else the role's
# generic wording) or one of these signatories' positions.
SIGNATORY_PLACEHOLDERS = ("head_of_office", "endorser", "approver")
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    generic: str     # printed when no department of the agency's profile does this work


@dataclass(frozen=True)
class Measure:
    id: str
    name: str
    steps: tuple[str, ...]
    roles: tuple[str, ...]
    monitoring: str
    period: str


@dataclass(frozen=True)
class TopicAdvice:
    topic: str
    improve: str
    keep: str
    measures: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeBase:
    roles: dict[str, Role]
    measures: dict[str, Measure]
    topics: dict[str, TopicAdvice]
    theme_measures: dict[str, str]  # theme key -> measure kept up when nothing in the theme is weak

    def missing_for(self, criteria: Criteria) -> list[str]:
        """Topics of a year's criteria that have no advice here."""
        return sorted(e.topic for e in criteria.entries if e.topic and e.topic not in self.topics)


def parse_knowledge(data: object, source: str) -> KnowledgeBase:
    if not isinstance(data, dict):
        raise InputError.single("ฐานความรู้ต้องเป็น mapping", source)
    problems: list[Problem] = []
    roles = {
        rid: Role(rid, r["name"], r["generic"]) for rid, r in (data.get("roles") or {}).items()
    }
    measures = {}
    for mid, m in (data.get("measures") or {}).items():
        steps = tuple(m.get("steps") or ())
        if not 2 <= len(steps) <= 4:
            problems.append(Problem("มาตรการต้องมี 2–4 ขั้นตอน", source, f"measures.{mid}", len(steps)))
        for role in m.get("roles") or ():
            if role not in roles:
                problems.append(Problem("ไม่รู้จักบทบาทผู้รับผิดชอบ", source, f"measures.{mid}", role))
        problems += _placeholder_problems(m, roles, source, f"measures.{mid}")
        period = m.get("period", "fiscal_year")
        if period not in PERIODS:
            problems.append(Problem(f"ระยะเวลาต้องเป็นหนึ่งใน {PERIODS}", source, f"measures.{mid}", period))
        measures[mid] = Measure(mid, m["name"], steps, tuple(m.get("roles") or ()), m["monitoring"], period)
    topics = {}
    for topic, t in (data.get("topics") or {}).items():
        refs = tuple(t.get("measures") or ())
        if not refs:
            problems.append(Problem("หัวข้อต้องมีมาตรการอย่างน้อยหนึ่งรายการ", source, f"topics.{topic}"))
        for ref in refs:
            if ref not in measures:
                problems.append(Problem("อ้างถึงมาตรการที่ไม่มี", source, f"topics.{topic}", ref))
        problems += [Problem("ข้อความวิเคราะห์ต้องไม่มีวงเล็บปีกกา (ใช้ชื่อแทนหน่วยได้เฉพาะใน monitoring)",
                             source, f"topics.{topic}.{key}", t[key])
                     for key in ("improve", "keep") if "{" in t[key] or "}" in t[key]]
        topics[topic] = TopicAdvice(topic, t["improve"], t["keep"], refs)
    theme_measures = {}
    for key, t in (data.get("themes") or {}).items():
        ref = t.get("maintain_measure")
        if ref not in measures:
            problems.append(Problem("อ้างถึงมาตรการที่ไม่มี", source, f"themes.{key}", ref))
        theme_measures[key] = ref
    if problems:
        raise InputError(problems)
    return KnowledgeBase(roles, measures, topics, theme_measures)


def _placeholder_problems(measure: dict, roles: dict[str, Role], source: str, row: str) -> list[Problem]:
    """Placeholders are known roles or signatories, and only in the monitoring text: the name and
    steps are also printed where there is no agency to fill them from (the province summary)."""
    problems = []
    monitoring = str(measure.get("monitoring") or "")
    for name in PLACEHOLDER.findall(monitoring):
        if name not in roles and name not in SIGNATORY_PLACEHOLDERS:
            problems.append(Problem(
                f"ไม่รู้จักชื่อแทนนี้ (ใช้รหัสบทบาทใน roles หรือ {', '.join(SIGNATORY_PLACEHOLDERS)})",
                source, f"{row}.monitoring", f"{{{name}}}"))
    stray = PLACEHOLDER.sub("", monitoring)
    if "{" in stray or "}" in stray:
        problems.append(Problem("วงเล็บปีกกาไม่ครบคู่", source, f"{row}.monitoring", monitoring))
    for text in (str(measure.get("name") or ""), *map(str, measure.get("steps") or ())):
        if "{" in text or "}" in text:
            problems.append(Problem("ชื่อและขั้นตอนของมาตรการต้องไม่มีวงเล็บปีกกา (ใช้ชื่อแทนหน่วยได้เฉพาะใน monitoring)",
                                    source, row, text))
    return problems


@lru_cache(maxsize=1)
def load_knowledge() -> KnowledgeBase:
    resource = resources.files("itadesk.knowledge") / "measures.yaml"
    return parse_knowledge(yaml.safe_load(resource.read_text("utf-8")), "measures.yaml")
