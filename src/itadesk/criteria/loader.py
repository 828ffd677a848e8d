"""Load and validate criteria files: JSON-schema shape first, then cross-references."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import jsonschema
import yaml

from itadesk import limits
from itadesk.criteria.model import (
    TOOL_CODES,
    Classification,
    Criteria,
    Entry,
    Indicator,
    Level,
    Round,
    Theme,
    Tool,
)
from itadesk.errors import InputError, Problem

DATA_DIR = Path(str(resources.files("itadesk.criteria") / "data"))
USER_DIR_ENV = "ITADESK_CRITERIA_DIR"


_URN = re.compile(r"^urn:itadesk:criteria:ita:([0-9]{4})$")
_NAMED = re.compile(r"^ita-([0-9]{4})\.yaml$")


def user_criteria_dir() -> Path:
    """Where criteria imported by users live; a year found here overrides the shipped file when
    its version is newer (see ``criteria_files``)."""
    default = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "itadesk" / "criteria"
    return Path(os.environ.get(USER_DIR_ENV, default))


def criteria_urn(fiscal_year: int) -> str:
    return f"urn:itadesk:criteria:ita:{fiscal_year}"


def _urn_year(urn: str) -> int:
    """The fiscal year of a criteria urn already matched by ``_URN``."""
    return int(urn.rsplit(":", 1)[1])


@dataclass(frozen=True)
class CriteriaFile:
    """A criteria file as its ``meta`` identifies it, whatever the file is called."""

    path: Path
    urn: str
    fiscal_year: int
    version: int          # meta.transcription_version; 0 when the file cannot be read (its load says why)
    installed: bool       # in the user criteria folder (imported), not shipped with the program


@lru_cache(maxsize=256)
def _declared(path: str, _mtime_ns: int) -> tuple[str, int] | None:
    """(urn, version) a file declares in its ``meta``; None for a file that is not criteria (a
    survey definition). A file without a readable ``meta`` counts as version 0 of the year its
    name (``ita-<year>.yaml``) says, so loading that year reports what is wrong with it."""
    try:
        data = yaml.safe_load(Path(path).read_text("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    meta = data.get("meta") if isinstance(data, dict) else None
    if isinstance(meta, dict) and isinstance(meta.get("urn"), str) and _URN.match(meta["urn"]):
        version = meta.get("transcription_version")
        return meta["urn"], version if isinstance(version, int) and not isinstance(version, bool) else 0
    named = _NAMED.match(Path(path).name)
    return (criteria_urn(int(named.group(1))), 0) if named else None


def criteria_files() -> dict[str, CriteriaFile]:
    """The criteria file in force for each urn: the shipped one, or an installed one only when
    its version (``meta.transcription_version``) is newer, so a program update that ships a
    newer transcription of a year replaces an older import of it."""
    chosen: dict[str, CriteriaFile] = {}
    for folder, installed in ((DATA_DIR, False), (user_criteria_dir(), True)):
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.yaml")):
            try:
                declared = _declared(str(path), path.stat().st_mtime_ns)
            except OSError:
                continue
            if declared is None:
                continue
            urn, version = declared
            found = CriteriaFile(path, urn, _urn_year(urn), version, installed)
            if urn not in chosen or version > chosen[urn].version:
                chosen[urn] = found
    return chosen


def shipped_version(fiscal_year: int) -> int | None:
    """The version of the year's criteria shipped with the program, or None (not shipped)."""
    urn = criteria_urn(fiscal_year)
    versions = [declared[1] for path in DATA_DIR.glob("*.yaml")
                if (declared := _declared(str(path), path.stat().st_mtime_ns)) and declared[0] == urn]
    return max(versions, default=None)


def criteria_file(fiscal_year: int) -> CriteriaFile | None:
    if not limits.plausible_year(fiscal_year):   # never a lookup built from 1e300 or "../x"
        return None
    return criteria_files().get(criteria_urn(fiscal_year))


def criteria_path(fiscal_year: int) -> Path | None:
    found = criteria_file(fiscal_year)
    return found.path if found else None


@lru_cache(maxsize=1)
def _schema() -> dict:
    return json.loads((resources.files("itadesk.criteria") / "schema.json").read_text("utf-8"))


def available_years() -> list[int]:
    return sorted(found.fiscal_year for found in criteria_files().values())


def criteria_in_force(fiscal_year: int) -> Criteria:
    """The year's criteria or, before the NACC publishes them, the latest known year's.

    Callers that print what the criteria say (an item's code, say) compare the returned
    ``fiscal_year`` with the year asked for: a stand-in year's codes are not this year's.
    """
    known = [y for y in available_years() if y <= fiscal_year]
    if fiscal_year in known or not known:
        return load_criteria(fiscal_year)
    return load_criteria(known[-1])


def load_criteria(fiscal_year: int) -> Criteria:
    """The year's criteria, re-read when its file changes (an import by another process)."""
    if not limits.plausible_year(fiscal_year):
        raise InputError.single(limits.year_hint(), value=fiscal_year)
    path = criteria_path(fiscal_year)
    if path is None:
        years = ", ".join(str(y) for y in available_years())
        raise InputError.single(
            f"ไม่มีเกณฑ์การประเมินของปีงบประมาณ {fiscal_year} (มีเฉพาะปี {years})", value=fiscal_year
        )
    return _load_file(str(path), path.stat().st_mtime_ns, fiscal_year)


@lru_cache(maxsize=64)
def _load_file(path: str, _mtime_ns: int, fiscal_year: int) -> Criteria:
    criteria = parse_criteria(yaml.safe_load(Path(path).read_text("utf-8")), source=path)
    if criteria.fiscal_year != fiscal_year:
        raise InputError.single(f"ไฟล์นี้เป็นเกณฑ์ของปี {criteria.fiscal_year} ไม่ใช่ปี {fiscal_year}", path)
    return criteria


def forget_loaded_criteria() -> None:
    """Read every criteria file again on next use (after an import writes one)."""
    _load_file.cache_clear()
    _declared.cache_clear()


def parse_criteria(data: object, source: str = "criteria") -> Criteria:
    """Validate raw criteria data and build the typed model; raise InputError listing every problem."""
    validator = jsonschema.Draft202012Validator(_schema())
    schema_errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if schema_errors:
        raise InputError([
            Problem(err.message, source, "/".join(str(p) for p in err.absolute_path) or None)
            for err in schema_errors[:20]
        ])
    assert isinstance(data, dict)
    problems = _cross_reference_problems(data, source)
    if problems:
        raise InputError(problems)
    return _build(data)


def _cross_reference_problems(data: dict, source: str) -> list[Problem]:
    problems: list[Problem] = []

    def problem(message: str, where: str, value=None) -> None:
        problems.append(Problem(message, source, where, value))

    urn_year = _urn_year(data["meta"]["urn"])   # the schema checked its form
    if urn_year != data["meta"]["fiscal_year"]:
        problem(f"urn บอกปี {urn_year} ไม่ตรงกับปีงบประมาณ {data['meta']['fiscal_year']}", "meta/urn",
                data["meta"]["urn"])
    tools = [t["code"] for t in data["tools"]]
    if sorted(tools) != sorted(TOOL_CODES):
        problem("ต้องมีเครื่องมือ IIT, EIT และ OIT อย่างละหนึ่งรายการ", "tools", tools)
    weight_sum = sum(t["weight"] for t in data["tools"])
    if abs(weight_sum - 1) > 1e-9:
        problem("น้ำหนักของเครื่องมือรวมกันต้องเท่ากับ 1", "tools", weight_sum)

    indicator_tool = {}
    for i, ind in enumerate(data["indicators"]):
        if ind["number"] in indicator_tool:
            problem("หมายเลขตัวชี้วัดซ้ำ", f"indicators/{i}", ind["number"])
        indicator_tool[ind["number"]] = ind["tool"]
    for tool in tools:
        if tool not in indicator_tool.values():
            problem(f"เครื่องมือ {tool} ไม่มีตัวชี้วัด", "indicators")

    codes: set[str] = set()
    topics: set[str] = set()
    functions: set[str] = set()
    for kind in ("questions", "items"):
        for i, entry in enumerate(data[kind]):
            where = f"{kind}/{i}"
            code = entry["code"]
            if code in codes:
                problem("รหัสข้อซ้ำ", where, code)
            codes.add(code)
            expected_tool = {"i": "IIT", "e": "EIT", "O": "OIT"}[code[0]]
            if indicator_tool.get(entry["indicator"]) != expected_tool:
                problem(
                    f"ข้อ {code} ต้องอยู่ในตัวชี้วัดของเครื่องมือ {expected_tool}", where, entry["indicator"]
                )
            if (kind == "items") != code.startswith("O"):
                problem("ข้อคำถามต้องขึ้นต้นด้วย i หรือ e และข้อ OIT ต้องขึ้นต้นด้วย O", where, code)
            topic = entry.get("topic")
            if topic:
                if topic in topics:
                    problem("หัวข้อ (topic) ซ้ำ: แต่ละหัวข้อมีได้ข้อเดียวต่อปี", where, topic)
                topics.add(topic)
            function = entry.get("function")
            if function:
                if function in functions:
                    problem("บทบาท (function) ซ้ำ", where, function)
                functions.add(function)
            if entry["status"] == "confirmed" and not entry["name"]:
                problem("ข้อที่ยืนยันแล้วต้องมีชื่อ", where, code)

    cited = {s["key"] for s in data.get("sources", [])}
    for kind in ("tools", "indicators", "questions", "items"):
        for i, record in enumerate(data[kind]):
            for key in record.get("sources", ()):
                if key not in cited:
                    problem("อ้างถึงแหล่งที่มาที่ไม่มีในรายการแหล่งที่มา (sources)", f"{kind}/{i}", key)

    indicator_theme: dict[int, int] = {}
    for i, theme in enumerate(data["themes"]):
        for number in theme.get("indicators", ()):
            if number not in indicator_tool:
                problem("ประเด็นอ้างถึงตัวชี้วัดที่ไม่มีในปีนี้", f"themes/{i}", number)
            elif number in indicator_theme:
                problem(f"ตัวชี้วัดนี้อยู่ในประเด็นที่ {indicator_theme[number]} แล้ว", f"themes/{i}", number)
            indicator_theme.setdefault(number, theme["number"])

    theme_of: dict[str, int] = {}
    for i, theme in enumerate(data["themes"]):
        for code in theme["codes"]:
            if code not in codes:
                problem("ประเด็นอ้างถึงรหัสข้อที่ไม่มีในปีนี้", f"themes/{i}", code)
            elif code in theme_of:
                problem(f"รหัสข้อนี้อยู่ในประเด็นที่ {theme_of[code]} แล้ว: แต่ละข้ออยู่ได้ประเด็นเดียว", f"themes/{i}", code)
            theme_of.setdefault(code, theme["number"])

    levels = data["levels"]
    minima = [lv["min_ita"] for lv in levels]
    if minima != sorted(minima, reverse=True):
        problem("ระดับผลการประเมินต้องเรียงจากคะแนนสูงไปต่ำ", "levels", minima)
    if minima and minima[-1] != 0:
        problem("ระดับสุดท้ายต้องเริ่มที่ 0 เพื่อให้ทุกคะแนนมีระดับ", "levels", minima[-1])

    cls = data["classification"]
    if cls["urgent_below"] > cls["keep_at_least"]:
        problem("เกณฑ์เร่งด่วนต้องไม่สูงกว่าเกณฑ์รักษาระดับ", "classification")
    return problems


def _entry(raw: dict) -> Entry:
    return Entry(
        code=raw["code"],
        indicator=raw["indicator"],
        name=raw["name"],
        status=raw["status"],
        topic=raw.get("topic"),
        function=raw.get("function"),
        text=raw.get("text"),
        reversed=raw.get("reversed", False),
        keywords=tuple(raw.get("keywords", ())),
        covers=raw.get("covers"),
        sources=tuple(raw.get("sources", ())),
    )


def _build(data: dict) -> Criteria:
    meta = data["meta"]
    return Criteria(
        fiscal_year=meta["fiscal_year"],
        urn=meta["urn"],
        title=meta["title"],
        publisher=meta["publisher"],
        source=meta["source"],
        status=meta["status"],
        tools=tuple(
            Tool(t["code"], t["name"], t["weight"], t["status"], tuple(t.get("sources", ()))) for t in data["tools"]
        ),
        indicators=tuple(
            Indicator(i["number"], i["tool"], i["name"], i["status"], i.get("topic"), tuple(i.get("sources", ())))
            for i in data["indicators"]
        ),
        entries=tuple(_entry(e) for e in [*data["questions"], *data["items"]]),
        levels=tuple(
            Level(lv["code"], lv["name"], lv["min_ita"], lv["passed"], lv.get("min_each_tool"))
            for lv in data["levels"]
        ),
        classification=Classification(**data["classification"]),
        themes=tuple(
            Theme(t["number"], t["key"], t["name"], tuple(t["codes"]), tuple(t.get("indicators", ())))
            for t in data["themes"]
        ),
        rounds=tuple(Round(r["name"], r["months"]) for r in data["rounds"]),
        raw=data,
        sources={s["key"]: s["citation"] for s in data.get("sources", [])},
    )
