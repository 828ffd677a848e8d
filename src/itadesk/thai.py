"""Thai formatting used everywhere: digits, Buddhist-era dates, fiscal years.

Thin wrappers over PyThaiNLP so the rest of the code has one obvious name per job.
"""

from __future__ import annotations

import datetime as dt

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit, thai_strftime

BE_OFFSET = 543


def to_thai_digits(text: object) -> str:
    return arabic_digit_to_thai_digit(str(text))


def to_arabic_digits(text: object) -> str:
    return thai_digit_to_arabic_digit(str(text))


def digits(text: object, thai: bool = True) -> str:
    """Render ``text`` with Thai digits unless the document asked for Arabic ones."""
    return to_thai_digits(text) if thai else str(text)


def code_text(code: str, thai: bool = True) -> str:
    """A criteria code as printed: O๒๕, i๑๒; an indicator as ตัวชี้วัดที่ ๒ (never IND2)."""
    if code.startswith("IND"):
        return f"ตัวชี้วัดที่ {digits(code[3:], thai)}"
    return digits(code, thai)


def format_score(value: float | None, thai: bool = True, places: int = 2) -> str:
    """A score as ITAS prints it: two decimals (๗๒.๙๗); '-' when there is none."""
    if value is None:
        return "-"
    return digits(f"{value:.{places}f}", thai)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def fiscal_year_of(day: dt.date) -> int:
    """Buddhist-era fiscal year of a date: FY N runs 1 Oct N-1 to 30 Sep N (BE)."""
    return be_year(day.year + 1 if day.month >= 10 else day.year)


def fiscal_year_bounds(fiscal_year_be: int) -> tuple[dt.date, dt.date]:
    """First and last day of a Buddhist-era fiscal year, as Gregorian dates."""
    ce = fiscal_year_be - BE_OFFSET
    return dt.date(ce - 1, 10, 1), dt.date(ce, 9, 30)


def thai_date(day: dt.date, thai: bool = True) -> str:
    """'๑ ตุลาคม ๒๕๖๗': the long date form of official memos."""
    return thai_strftime(dt.datetime(day.year, day.month, day.day), "%-d %B %Y", thaidigit=thai)


def fiscal_year_period(fiscal_year_be: int, thai: bool = True) -> str:
    """'๑ ตุลาคม ๒๕๖๗ ถึง ๓๐ กันยายน ๒๕๖๘': the default period of a measure."""
    start, end = fiscal_year_bounds(fiscal_year_be)
    return f"{thai_date(start, thai)} ถึง {thai_date(end, thai)}"


THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_MONTH_NUMBER = {name.replace(".", ""): i for i, names in enumerate(zip(THAI_MONTHS, THAI_MONTHS_SHORT), start=1)
                 for name in names}


def be_date_input(day: dt.date) -> str:
    """A date as a date field shows it: '25/9/2567' (day/month/Buddhist-era year)."""
    return f"{day.day}/{day.month}/{day.year + BE_OFFSET}"


def _year(text: str) -> int:
    year = int(text)
    if year < 100:
        year += 2500                      # '67' → 2567
    return year - BE_OFFSET if year >= 2400 else year   # a Buddhist-era year, or a Christian-era one


def parse_thai_date(text: str) -> dt.date | None:
    """The date an officer typed, or None: '25/9/2567', '25-09-2567', '๒๕/๙/๒๕๖๗', '25 ก.ย. 2567',
    '25 กันยายน 2567', '2567-09-25' (Buddhist-era years; a year below 2400 is read as Christian era)."""
    import re

    value = to_arabic_digits(text).strip()
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value):
            return dt.date(_year(m[1]), int(m[2]), int(m[3]))
        if m := re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{2}|\d{4})", value):
            return dt.date(_year(m[3]), int(m[2]), int(m[1]))
        if m := re.fullmatch(r"(\d{1,2})\s*([ก-๙.]+?)\.?\s*(?:พ\.ศ\.\s*)?(\d{2}|\d{4})", value):
            month = _MONTH_NUMBER.get(m[2].replace(".", "").strip())
            return dt.date(_year(m[3]), month, int(m[1])) if month else None
    except ValueError:
        return None
    return None
