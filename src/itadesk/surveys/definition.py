"""The practice survey of one fiscal year: its questions (from the criteria) and, per question,
the answer scale and points per answer (from ``data/survey-<year>.yaml``, validated by
``schema.json`` and cross-checked against the criteria).

A year whose criteria have questions but no survey file (e.g. imported with the criteria sheet)
uses the scales of the latest shipped file with every question on its default scale, and is
marked estimated. The NACC has not published its point values: every value whose status is not
``confirmed`` makes the scores "ประมาณการ" (estimated).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from itadesk.criteria import Criteria
from itadesk.criteria.loader import user_criteria_dir
from itadesk.errors import InputError, Problem

DATA_DIR = Path(str(resources.files("itadesk.surveys") / "data"))
SURVEY_TOOLS = ("IIT", "EIT")
ESTIMATED_LABEL = "ประมาณการ"


@dataclass(frozen=True)
class Option:
    label: str
    points: float
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scale:
    key: str
    name: str
    status: str
    options: tuple[Option, ...]

    def points(self, index: int, reversed_: bool) -> float:
        """Points of the answer at ``index`` (0 = first option); reverse-worded items count backwards."""
        option = self.options[len(self.options) - 1 - index] if reversed_ else self.options[index]
        return option.points


@dataclass(frozen=True)
class AnswerColumn:
    """One answer on the form: a question, or one sub-item of a question (key ``i1.2``)."""

    key: str
    question: str
    text: str
    scale: Scale
    reversed: bool


@dataclass(frozen=True)
class Question:
    code: str
    tool: str
    indicator: int
    name: str
    text: str
    scale: Scale
    reversed: bool
    columns: tuple[AnswerColumn, ...]

    @property
    def has_subitems(self) -> bool:
        return len(self.columns) > 1


@dataclass(frozen=True)
class SampleRule:
    tool: str
    rule: str            # "precision" (itadesk's own) or "share" (a published share of the population)
    status: str
    note: str
    margin: float = 5.0
    confidence: float = 0.95
    at_least: int = 1
    at_most: int | None = None
    share: float | None = None
    assumed_sd: float = 25.0


@dataclass(frozen=True)
class SurveyDefinition:
    fiscal_year: int
    status: str
    source: str
    questions: tuple[Question, ...]
    sample: dict[str, SampleRule]
    from_file: bool

    @property
    def estimated(self) -> bool:
        """True when any point value in use is not the NACC's confirmed one."""
        return self.status != "confirmed" or any(q.scale.status != "confirmed" for q in self.questions)

    def questions_of(self, tool: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.tool == tool)

    def columns_of(self, tool: str) -> tuple[AnswerColumn, ...]:
        return tuple(c for q in self.questions_of(tool) for c in q.columns)

    @cached_property
    def question_by_code(self) -> dict[str, Question]:
        return {q.code: q for q in self.questions}

    @cached_property
    def column_by_key(self) -> dict[str, AnswerColumn]:
        return {c.key: c for q in self.questions for c in q.columns}

    @property
    def tools(self) -> tuple[str, ...]:
        return tuple(t for t in SURVEY_TOOLS if self.questions_of(t))


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads((resources.files("itadesk.surveys") / "schema.json").read_text("utf-8"))


def survey_path(fiscal_year: int) -> Path | None:
    for folder in (user_criteria_dir(), DATA_DIR):
        path = folder / f"survey-{fiscal_year}.yaml"
        if path.exists():
            return path
    return None


def _latest_shipped() -> Path:
    return max(DATA_DIR.glob("survey-*.yaml"), key=lambda p: int(p.stem.split("-")[1]))


def load_definition(criteria: Criteria) -> SurveyDefinition:
    """The practice survey of the criteria's year. Raises InputError when the year has no questions
    or its survey file is invalid."""
    return _load(criteria.fiscal_year, criteria)


@cache
def _load(fiscal_year: int, criteria: Criteria) -> SurveyDefinition:
    if not any(not e.is_oit_item for e in criteria.entries):
        raise InputError.single(
            f"เกณฑ์ปีงบประมาณ {fiscal_year} ยังไม่มีข้อคำถาม IIT/EIT "
            "(นำเข้าข้อคำถามด้วยไฟล์เกณฑ์ก่อน: itadesk criteria import)", value=fiscal_year)
    path = survey_path(fiscal_year)
    from_file = path is not None
    source_path = path or _latest_shipped()
    data = yaml.safe_load(source_path.read_text("utf-8"))
    if not from_file:
        data = {**data, "fiscal_year": fiscal_year, "status": "estimated", "questions": {},
                "source": f"ไม่มีไฟล์มาตราส่วนของปี {fiscal_year}: ใช้มาตราส่วนของไฟล์ {source_path.name} กับทุกข้อ"}
    return parse_definition(data, criteria, str(source_path), from_file)


def parse_definition(data: object, criteria: Criteria, source: str = "survey",
                     from_file: bool = True) -> SurveyDefinition:
    errors = sorted(jsonschema.Draft202012Validator(_schema()).iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        raise InputError([Problem(e.message, source, "/".join(str(p) for p in e.absolute_path) or None)
                          for e in errors[:20]])
    assert isinstance(data, dict)
    problems: list[Problem] = []
    if data["fiscal_year"] != criteria.fiscal_year:
        problems.append(Problem(f"ไฟล์นี้เป็นของปี {data['fiscal_year']} แต่เกณฑ์เป็นปี {criteria.fiscal_year}",
                                source, "fiscal_year", data["fiscal_year"]))
    scales = {
        key: Scale(key, raw["name"], raw["status"], tuple(
            Option(o["label"], float(o["points"]), tuple(o.get("aliases", ()))) for o in raw["options"]))
        for key, raw in data["scales"].items()
    }
    if data["default_scale"] not in scales:
        problems.append(Problem("ไม่มีมาตราส่วนนี้ใน scales", source, "default_scale", data["default_scale"]))
    for key, scale in scales.items():
        labels = [w for o in scale.options for w in (o.label, *o.aliases)]
        if len(set(labels)) != len(labels):
            problems.append(Problem("คำตอบซ้ำกันในมาตราส่วนเดียวกัน", source, f"scales/{key}", labels))
    specs = data.get("questions", {})
    survey_codes = {e.code for e in criteria.entries if not e.is_oit_item}
    for code, spec in specs.items():
        if code not in survey_codes:
            problems.append(Problem(f"ไม่มีข้อ {code} ในเกณฑ์ปีงบประมาณ {criteria.fiscal_year}", source,
                                    f"questions/{code}", code))
        if spec.get("scale", data["default_scale"]) not in scales:
            problems.append(Problem("ไม่มีมาตราส่วนนี้ใน scales", source, f"questions/{code}/scale", spec.get("scale")))
        keys = [s["key"] for s in spec.get("subitems", ())]
        if len(set(keys)) != len(keys):
            problems.append(Problem("เลขข้อย่อยซ้ำ", source, f"questions/{code}/subitems", keys))
    if problems:
        raise InputError(problems)

    questions = []
    for entry in criteria.entries:
        if entry.is_oit_item:
            continue
        spec = specs.get(entry.code, {})
        scale = scales[spec.get("scale", data["default_scale"])]
        text = entry.text or entry.label
        subitems = spec.get("subitems")
        if subitems:
            columns = tuple(AnswerColumn(f"{entry.code}.{s['key']}", entry.code, s["text"], scale,
                                   s.get("reversed", entry.reversed)) for s in subitems)
        else:
            columns = (AnswerColumn(entry.code, entry.code, text, scale, entry.reversed),)
        questions.append(Question(entry.code, criteria.tool_of_entry(entry), entry.indicator, entry.label, text,
                                  scale, entry.reversed, columns))
    sample = {tool: SampleRule(tool=tool, **rule) for tool, rule in data["sample"].items()}
    return SurveyDefinition(data["fiscal_year"], data["status"], data["source"].strip(), tuple(questions), sample,
                            from_file)
