"""What the measures plan and the results report word alike: the formatter of numbers, scores
and codes, the signatures from the agency's profile, and the cover memo with its default date."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from itadesk.agency import Agency
from itadesk.criteria import Entry
from itadesk.documents.model import CommentBlock, Memo, Signature
from itadesk.thai import code_text, digits, format_score, thai_date

DOCUMENT_TITLE = "มาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน"


@dataclass(frozen=True)
class Formatter:
    thai: bool

    def num(self, value: object) -> str:
        return digits(value, self.thai)

    def score(self, value: float | None) -> str:
        return format_score(value, self.thai)

    def code(self, code: str) -> str:
        return code_text(code, self.thai)

    def reference(self, entry: Entry) -> str:
        """How a sentence names a question, item or indicator: "ข้อ O๒๕", "ตัวชี้วัดที่ ๒"."""
        return self.code(entry.code) if entry.is_indicator else f"ข้อ {self.code(entry.code)}"

    def change(self, value: float | None) -> str:
        if value is None:
            return ""
        return self.num(f"{value:+.2f}")


def signature(agency: Agency, role: str, caption: str) -> Signature | None:
    """The signature block of the profile's ``role`` (preparer, endorser, approver…), if any."""
    person = agency.signatories.get(role)
    return Signature(person.name, person.position, caption) if person else None


# A memo dated long after the period it is about reads as back-dating: when today is this far
# past the period's end, the default date is the fallback the builder names, with a warning.
LATE_AFTER = dt.timedelta(days=60)


def default_memo_day(period_end: dt.date, fallback: dt.date, today: dt.date | None = None
                     ) -> tuple[dt.date, str | None]:
    """Today, unless today is more than LATE_AFTER past ``period_end``: then ``fallback`` and a
    Thai warning saying so (the user may still choose any date)."""
    today = today or dt.date.today()
    if today <= period_end + LATE_AFTER:
        return today, None
    return fallback, (f"วันนี้เลยช่วงที่เอกสารกล่าวถึงแล้ว (สิ้นสุด {thai_date(period_end)}) "
                      f"จึงลงวันที่บันทึกเป็น {thai_date(fallback)} ระบุวันที่เองได้")


def memo_reference(agency: Agency, number: str, fmt: Formatter) -> str:
    """ที่: the agency's prefix and the memo's number ("นม ๗๘๙๐๑/๑๒๓"); dots where the number is
    still to be written in by hand."""
    number = fmt.num(number.strip()) if number.strip() else "......"
    return f"{fmt.num(agency.reference)}/{number}" if agency.reference else number


def build_memo(agency: Agency, fmt: Formatter, day: dt.date, subject: str,
               paragraphs: list[str], closing: str, number: str = "") -> Memo:
    preparer = signature(agency, "preparer", "ผู้รายงาน")
    head = signature(agency, "head_of_office", "")
    endorser = signature(agency, "endorser", "")
    approver = signature(agency, "approver", "")
    return Memo(
        office=f"{agency.office} {agency.name}",
        reference=memo_reference(agency, number, fmt),
        date=thai_date(day, fmt.thai),
        subject=subject,
        to=approver.position if approver else agency.name,
        paragraphs=paragraphs,
        closing=closing,
        signers=[s for s in (preparer, head) if s],
        comments=[
            CommentBlock(f"ความเห็นของ{s.position.split(agency.name)[0] or s.position}", s)
            for s in (endorser, approver) if s
        ],
        emblem=agency.emblem,
    )
