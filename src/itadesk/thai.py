"""Thai formatting used everywhere: digits, Buddhist-era dates, fiscal years.

Thin wrappers over PyThaiNLP so the rest of the code has one obvious name per job.
"""

from __future__ import annotations

import datetime as dt
import re

from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit, thai_strftime

BE_OFFSET = 543


def to_thai_digits(text: object) -> str:
    return arabic_digit_to_thai_digit(str(text))


def to_arabic_digits(text: object) -> str:
    return thai_digit_to_arabic_digit(str(text))


def digits(text: object, thai: bool = True) -> str:
    """Render ``text`` with Thai digits unless the document asked for Arabic ones."""
    return to_thai_digits(text) if thai else str(text)


_URL = re.compile(r"(https?://\S+)")


def digits_in_prose(text: str, thai: bool = True) -> str:
    """Thai digits in running text, but web addresses left exactly as they are."""
    if not thai:
        return text
    return "".join(part if _URL.fullmatch(part) else to_thai_digits(part) for part in _URL.split(text))


def thai_list(items: list[str]) -> str:
    """Items as Thai official prose lists them: "ก ข และ ค" (no commas)."""
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    last = items[-1]
    joiner = " และ" if "\u0e01" <= last[0] <= "\u0e4e" else " และ "   # a space before a code (และ O๕)
    return " ".join(items[:-1]) + joiner + last


_INDICATOR_CODE = re.compile(r"IND(\d+)")


def code_text(code: str, thai: bool = True) -> str:
    """A criteria code (or a list of codes, "IND9, IND10") as printed: O๒๕, i๑๒; an indicator as
    ตัวชี้วัดที่ ๒ (never IND2)."""
    return digits(_INDICATOR_CODE.sub(r"ตัวชี้วัดที่ \1", code), thai)


_NBSP = "\u00a0"
_YAMOK = re.compile(r"[ \u00a0]*ๆ")
_ERA_YEAR = re.compile(r"(พ\.ศ\.|ค\.ศ\.) ?(?=[0-9๐-๙])")


def bind_units(text: str) -> str:
    """Join what official typing never splits over two lines: ไม้ยมก to its word ("ต่าง ๆ") and
    an era to its year ("พ.ศ. ๒๕๖๙"), with a no-break space (one space, as the rules write it)."""
    if "ๆ" in text:
        text = _YAMOK.sub(_NBSP + "ๆ", text)
    if "ศ." in text:
        text = _ERA_YEAR.sub(lambda m: m.group(1) + _NBSP, text)
    return text


def format_score(value: float | None, thai: bool = True, places: int = 2) -> str:
    """A score as ITAS prints it: two decimals (๗๒.๙๗); '-' when there is none."""
    if value is None:
        return "-"
    return digits(f"{value:.{places}f}", thai)


def be_year(ce_year: int) -> int:
    return ce_year + BE_OFFSET


def ce_year(buddhist_year: int) -> int:
    """The Christian-era year of a Buddhist-era one (2568 → 2025)."""
    return buddhist_year - BE_OFFSET


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


_LEADING_VOWELS = "เแโใไ"
_TONE_AND_SIGNS = set("\u0e47\u0e48\u0e49\u0e4a\u0e4b\u0e4c")  # ็ ่ ้ ๊ ๋ ์


def sort_key(text: str) -> str:
    """A key that sorts Thai names as Thai readers expect, whatever the database's collation.

    A leading vowel (เ แ โ ใ ไ) is read after its consonant (เกาะ sorts under ก), tone marks and
    signs count only to break ties, Thai digits sort as digits. The result is the code points in
    fixed-width lowercase hex (digits and a–f only), so the order = character order on SQLite and PostgreSQL alike.
    """
    text = to_arabic_digits(" ".join(text.split()))
    chars = list(text)
    i = 0
    while i < len(chars) - 1:
        if chars[i] in _LEADING_VOWELS and "\u0e01" <= chars[i + 1] <= "\u0e2e":
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
            i += 1   # the vowel now follows its consonant: it leads nothing else
        i += 1
    base = [c for c in chars if c not in _TONE_AND_SIGNS]
    marks = [c for c in chars if c in _TONE_AND_SIGNS]
    # 00000 ends the letters: a name sorts before the longer names it begins.
    return "".join(f"{ord(c):05x}" for c in base + ["\0"] + marks)


THAI_MONTHS = ("มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน", "กรกฎาคม", "สิงหาคม",
               "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม")
THAI_MONTHS_SHORT = ("ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.", "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.")
_MONTH_NUMBER = {name.replace(".", ""): i
                 for i, names in enumerate(zip(THAI_MONTHS, THAI_MONTHS_SHORT, strict=True), start=1)
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
