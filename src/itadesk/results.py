"""Read one agency's official ITA scores for one fiscal year.

Accepted: CSV, XLSX, YAML, JSON. The long form is rows of ``code,score`` where code is
ITA, IIT, EIT, OIT, IND1…IND10, a question (i1…, e1…) or an OIT item (O1…). People paste
these from PDFs, so codes may carry any case, leading zeros or Thai digits (``o08``,
``O๐๘``) and scores may be written with Thai digits (``๙๕.๑๙``). A row ``fiscal_year`` (or
``ปีงบประมาณ``) states the year of the file. Every problem is collected and reported with
the file, row and value; nothing is returned when any is found.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from itadesk import limits
from itadesk.criteria import Criteria, available_years, load_criteria
from itadesk.datafile import parse_yaml_or_json, read_user_file
from itadesk.errors import InputError, Problem
from itadesk.spreadsheet import check_size, csv_rows, first_sheet, open_xlsx, xlsx_rows
from itadesk.thai import to_arabic_digits, to_thai_digits

YEAR_UNKNOWN = "ไม่ทราบปีงบประมาณ"  # the CLI adds its own hint (--year) to this message
YEAR_KEYS = {"fiscal_year", "year", "fy", "ปีงบประมาณ", "ปี"}
HEADER_CODES = {"code", "รหัส", "ข้อ"}
SUFFIXES = (".csv", ".xlsx", ".yaml", ".yml", ".json")

_CODE = re.compile(r"^(ita|iit|eit|oit|ind|i|e|o)0*([0-9]*)$")


@dataclass(frozen=True)
class Results:
    """Official scores of one agency for one fiscal year, keyed by canonical code.

    ``question_indicators`` holds the indicator the file gave for each question of a year whose
    question list is unknown (i1 → 1); ``held_back`` says which rows were not used and why.
    """

    fiscal_year: int
    scores: dict[str, float]
    source: str = ""
    question_indicators: dict[str, int] = field(default_factory=dict)
    held_back: tuple[Problem, ...] = ()

    def criteria(self) -> Criteria:
        """The year's criteria, plus the questions this file declared with their indicators."""
        return load_criteria(self.fiscal_year).with_declared_questions(self.question_indicators)


@dataclass(frozen=True)
class RawRow:
    row: int | str        # row number (CSV/XLSX) or key path (YAML/JSON)
    code: object
    score: object
    indicator: object = ""  # third column: the indicator of a question the year's criteria do not list


def normalize_code(raw: object) -> str | None:
    """Canonical code (ITA, IIT, IND8, i12, e3, O8) or None if it is not code-shaped."""
    text = str(raw)
    if len(text) > 40:
        return None
    text = to_arabic_digits(text).strip().lower().replace(" ", "").replace(".", "")
    text = text.replace("ตัวชี้วัดที่", "ind").replace("ตัวชี้วัด", "ind")
    match = _CODE.match(text)
    if not match:
        return None
    prefix, number = match.groups()
    if prefix in {"ita", "iit", "eit", "oit"}:
        return prefix.upper() if not number else None
    if not number or int(number) == 0:
        return None
    return {"ind": "IND", "i": "i", "e": "e", "o": "O"}[prefix] + str(int(number))


def parse_score(raw: object) -> float | None:
    """The number written, or None when it is not a finite number (inf, nan, 1e309, text)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        value = float(raw) if abs(raw) < 10 ** 30 else math.inf
    elif isinstance(raw, float):
        value = raw
    else:
        text = str(raw)
        if len(text) > 40:
            return None
        text = to_arabic_digits(text).strip().replace(",", "")
        if not re.fullmatch(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text):
            return None   # also refuses "inf", "nan", "1_0" and digits of other scripts
        value = float(text)
    return value if math.isfinite(value) else None


def _rows_from_csv(data: bytes, source: str) -> list[RawRow]:
    return [RawRow(number, cells[0].strip(), cells[1].strip() if len(cells) > 1 else "",
                   cells[2].strip() if len(cells) > 2 else "")
            for number, cells in csv_rows(data, source)]


def _rows_from_xlsx(data: bytes, source: str) -> list[RawRow]:
    rows = []
    with open_xlsx(data, source) as book:
        for number, cells in xlsx_rows(first_sheet(book, source), source, max_col=3):
            code, score, indicator = (list(cells) + [None, None, None])[:3]
            if code is None and score is None:
                continue
            rows.append(RawRow(number, "" if code is None else code, "" if score is None else score,
                               "" if indicator is None else indicator))
    return rows


def _rows_from_mapping(data: object, source: str) -> list[RawRow]:
    """YAML/JSON: ``{fiscal_year: 2567, scores: {ITA: 72.97, …}}``, a flat mapping, or a list of {code, score}."""
    if isinstance(data, dict) and "scores" in data:
        rows = [RawRow(k, k, v) for k, v in data.items() if k != "scores"]
        data = data["scores"]
    else:
        rows = []
    if isinstance(data, dict):
        rows += [RawRow(str(k), k, v) for k, v in data.items()]
    elif isinstance(data, list):
        for i, item in enumerate(data, start=1):
            if not isinstance(item, dict) or "code" not in item:
                raise InputError.single("แต่ละรายการต้องมี code และ score", source, f"รายการที่ {i}", item)
            rows.append(RawRow(f"รายการที่ {i}", item["code"], item.get("score", ""), item.get("indicator", "")))
    else:
        raise InputError.single("ต้องเป็นรายการ code: score", source, value=type(data).__name__)
    if len(rows) > limits.active().max_rows:
        raise InputError.single(f"ไฟล์มีรายการเกิน {limits.active().max_rows:,} รายการ", source, value=len(rows))
    return rows


def read_raw_rows(data: bytes, source: str) -> list[RawRow]:
    suffix = Path(source).suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError.single(
            "ชนิดไฟล์ไม่รองรับ: ใช้ .csv .xlsx .yaml หรือ .json", source, value=suffix or "(ไม่มีนามสกุล)"
        )
    check_size(data, source)
    if suffix == ".csv":
        return _rows_from_csv(data, source)
    if suffix == ".xlsx":
        return _rows_from_xlsx(data, source)
    return _rows_from_mapping(parse_yaml_or_json(data, source, as_json=suffix == ".json"), source)


def parse_results(data: bytes, source: str, fiscal_year: int | None = None) -> Results:
    """Parse and check a results file against the year's criteria. Raises InputError."""
    return _results(read_raw_rows(data, source), source, fiscal_year)


def check_scores(scores: Mapping[str, object], fiscal_year: int, source: str) -> Results:
    """Check scores given as data (a form, the API): code → score, each exactly as typed.

    The same rules as a file; a value is one score, never more rows (``"50\nIIT,99"`` is not a
    number). The problems name the code instead of a row. Raises InputError.
    """
    if not isinstance(scores, Mapping):
        raise InputError.single("คะแนนต้องเป็นรายการ รหัส: คะแนน", source, value=type(scores).__name__)
    if len(scores) > limits.active().max_rows:
        raise InputError.single(f"มีรายการเกิน {limits.active().max_rows:,} รายการ", source, value=len(scores))
    rows = [RawRow(str(code), code, "" if value is None else value) for code, value in scores.items()]
    return _results(rows, source, fiscal_year)


def _year_of(raw: RawRow, source: str, problems: list[Problem]) -> int | None:
    year = parse_score(raw.score)
    if year is None or year != int(year) or not limits.plausible_year(int(year)):
        problems.append(Problem(limits.year_hint(), source, raw.row, raw.score))
        return None
    return int(year)


def _results(rows: list[RawRow], source: str, fiscal_year: int | None) -> Results:
    if fiscal_year is not None and not limits.plausible_year(fiscal_year):
        raise InputError.single(limits.year_hint(), source, value=fiscal_year)
    problems: list[Problem] = []
    declared_year: int | None = None
    declared_row: int | str | None = None
    code_rows: list[RawRow] = []
    for raw in rows:
        key = str(raw.code).strip().lower() if len(str(raw.code)) <= 40 else ""
        if key in YEAR_KEYS:
            year = _year_of(raw, source, problems)
            if year is None:
                continue
            if declared_year is not None and year != declared_year:
                problems.append(Problem(
                    f"ปีงบประมาณขัดกัน: {_where(declared_row)} ระบุปี {declared_year} (ให้มีปีงบประมาณเดียวต่อไฟล์)",
                    source, raw.row, raw.score))
                continue
            declared_year, declared_row = year, raw.row
        elif key in HEADER_CODES or (key == "" and str(raw.code).strip() == "" and str(raw.score).strip() == ""):
            continue
        else:
            code_rows.append(raw)
    if problems:
        raise InputError(problems)

    if fiscal_year and declared_year and declared_year != fiscal_year:
        problems.append(Problem(
            f"ไฟล์เป็นผลของปีงบประมาณ {declared_year} แต่สั่งให้ใช้ปี {fiscal_year}", source, None, declared_year
        ))
        raise InputError(problems)
    year = fiscal_year or declared_year
    if year is None:
        raise InputError.single(
            f"{YEAR_UNKNOWN}: ใส่แถว fiscal_year ในไฟล์ หรือระบุปีงบประมาณของผลคะแนน", source
        )
    criteria = load_criteria(year)
    checked = _checked_scores(code_rows, criteria, source, problems)
    if problems:
        other = None if declared_year else _year_that_fits(code_rows, year, source)
        if other is not None:
            raise InputError.single(
                f"ไฟล์นี้น่าจะเป็นผลปี {to_thai_digits(other)}: รหัสในไฟล์ตรงกับเกณฑ์ปีงบประมาณ "
                f"{to_thai_digits(other)} ไม่ตรงกับปี {to_thai_digits(year)} ที่เลือกไว้ "
                f"(เลือกปี {to_thai_digits(other)} หรือใส่แถว fiscal_year ในไฟล์)", source, value=None)
        raise InputError(problems)
    if not checked.scores:
        raise InputError.single("ไม่พบคะแนนในไฟล์", source)
    return Results(fiscal_year=year, scores=checked.scores, source=source,
                   question_indicators=checked.question_indicators, held_back=tuple(checked.held_back))


def _year_that_fits(rows: list[RawRow], chosen: int, source: str) -> int | None:
    """Another known year whose criteria take every row of a file that does not fit ``chosen``
    (a file of one year uploaded as another), the nearest first; None if none does."""
    for year in sorted((y for y in available_years() if y != chosen), key=lambda y: abs(y - chosen)):
        try:
            criteria = load_criteria(year)
        except InputError:
            continue
        problems: list[Problem] = []
        checked = _checked_scores(rows, criteria, source, problems)
        if not problems and checked.scores and not checked.held_back:
            return year
    return None


@dataclass
class _Checked:
    scores: dict[str, float] = field(default_factory=dict)
    question_indicators: dict[str, int] = field(default_factory=dict)
    held_back: list[Problem] = field(default_factory=list)


def _declared_indicator(code: str, raw: RawRow, criteria: Criteria, source: str, checked: _Checked,
                        problems: list[Problem]) -> int | None:
    """The indicator a row gives for a question of a year whose questions are unknown.

    None when the row is held back (no indicator given: reported, not used) or wrong (a problem).
    """
    tool = "IIT" if code.startswith("i") else "EIT"
    numbers = [i.number for i in criteria.indicators_of_tool(tool)]
    if str(raw.indicator).strip() == "":
        checked.held_back.append(Problem(
            f"ยังไม่มีรายการคำถาม {tool} ของปีงบประมาณ {criteria.fiscal_year} จึงยังไม่ได้ใช้คะแนนข้อ {code}: "
            f"ระบุตัวชี้วัดของข้อนี้ในคอลัมน์ที่สาม (ตัวชี้วัดที่ {numbers[0]}–{numbers[-1]}) "
            "หรือให้ผู้ดูแลระบบนำเข้าเกณฑ์ของปีนี้ก่อน",
            source, raw.row, raw.code,
        ))
        return None
    number = parse_score(raw.indicator)
    if number is None or number != int(number) or int(number) not in numbers:
        problems.append(Problem(
            f"ข้อ {code} เป็นคำถาม {tool}: ตัวชี้วัดต้องเป็น {numbers[0]}–{numbers[-1]}", source, raw.row, raw.indicator
        ))
        return None
    return int(number)


def _checked_scores(rows: list[RawRow], criteria: Criteria, source: str, problems: list[Problem]) -> _Checked:
    checked = _Checked()
    scores = checked.scores
    first_row: dict[str, int | str] = {}
    listed_tools = {criteria.tool_of_entry(e) for e in criteria.entries if not e.is_oit_item}
    for raw in rows:
        code = normalize_code(raw.code)
        declared = None
        if code and code[0] in "ie" and code not in criteria.all_codes \
                and ("IIT" if code[0] == "i" else "EIT") not in listed_tools:
            if str(raw.score).strip() == "":
                continue
            declared = _declared_indicator(code, raw, criteria, source, checked, problems)
            if declared is None:
                continue
        elif code is None or code not in criteria.all_codes:
            problems.append(Problem(
                f"ไม่รู้จักรหัสนี้ในเกณฑ์ปีงบประมาณ {criteria.fiscal_year} "
                "(ใช้ ITA, IIT, EIT, OIT, IND1–IND10, i…, e… หรือ O…)",
                source, raw.row, raw.code,
            ))
            continue
        if str(raw.score).strip() == "":
            continue  # a template row left blank: that score is simply not given
        score = parse_score(raw.score)
        if score is None:
            problems.append(Problem(f"คะแนนของ {code} ต้องเป็นตัวเลข", source, raw.row, raw.score))
            continue
        if not 0 <= score <= 100:
            problems.append(Problem(f"คะแนนของ {code} ต้องอยู่ระหว่าง 0 ถึง 100", source, raw.row, raw.score))
            continue
        if code in scores:
            problems.append(Problem(
                f"รหัส {code} ซ้ำ (พบครั้งแรกที่ {_where(first_row[code])})", source, raw.row, raw.code
            ))
            continue
        scores[code] = score
        first_row[code] = raw.row
        if declared is not None:
            checked.question_indicators[code] = declared
    return checked


def _where(row: int | str | None) -> str:
    return f"แถว {row}" if isinstance(row, int) else str(row)


def load_results(path: str | Path, fiscal_year: int | None = None) -> Results:
    return parse_results(read_user_file(path), str(path), fiscal_year)
