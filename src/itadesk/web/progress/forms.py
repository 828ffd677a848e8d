"""Forms of the progress pages: a measure's report for a round, adding a round, unlocking."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from itadesk.links import MAX_REPORT_LINKS, MAX_URL_CHARS, too_many_report_links, url_problem
from itadesk.progress import CANCELLED
from itadesk.thai import to_thai_digits
from itadesk.web.progress.models import STATUS_CHOICES
from itadesk.web.text_input import CleanTextFormMixin

MAX_TEXT = 5000


def _too_long(limit: int) -> str:
    return f"ยาวเกิน {limit:,} ตัวอักษร (ขณะนี้ %(show_value)d ตัวอักษร)"


def _text(label: str, rows: int = 3) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages={"max_length": _too_long(MAX_TEXT)})


def parse_links(text: str) -> list[str]:
    """One http/https address per line (blank lines skipped), by the rules of ``itadesk.links``
    (as the progress sheet's import); ValidationError names every bad line."""
    links, errors = [], []
    lines = text.splitlines()
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if len(line) > MAX_URL_CHARS:
            errors.append(f"บรรทัดที่ {to_thai_digits(number)}: ลิงก์ยาวเกิน {MAX_URL_CHARS:,} ตัวอักษร")
            continue
        reason = url_problem(line)
        if reason:
            errors.append(f"บรรทัดที่ {to_thai_digits(number)}: \"{line}\" ไม่ใช่ลิงก์ที่ใช้ได้ ({reason}) "
                          "ต้องเป็นที่อยู่เว็บที่ขึ้นต้นด้วย http:// หรือ https:// เช่น https://www.example.go.th/news/1")
            continue
        links.append(line)
    too_many = too_many_report_links(len(links))
    if too_many:
        errors.append(too_many)
    if errors:
        raise ValidationError(errors)
    return links


class ReportForm(CleanTextFormMixin, forms.Form):
    status = forms.ChoiceField(
        label="สถานะ", choices=STATUS_CHOICES,
        error_messages={"required": "กรุณาเลือกสถานะ", "invalid_choice": "ไม่รู้จักสถานะนี้ (%(value)s)"},
    )
    done = _text("ผลการดำเนินการ", 4)
    output = _text("ผลผลิต")
    outcome = _text("ผลลัพธ์/ผลสัมฤทธิ์")
    problems = _text("ปัญหาอุปสรรค")
    suggestions = _text("ข้อเสนอแนะ")
    reason = _text("เหตุผลที่ยกเลิก (ต้องระบุเมื่อยกเลิก)", 2)
    links = forms.CharField(
        label="ลิงก์หลักฐาน (บรรทัดละหนึ่งลิงก์)", required=False,
        max_length=MAX_REPORT_LINKS * (MAX_URL_CHARS + 2), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _too_long(MAX_REPORT_LINKS * (MAX_URL_CHARS + 2))},
    )

    def clean_links(self) -> list[str]:
        return parse_links(self.cleaned_data["links"])

    def clean(self):
        data = super().clean()
        if data.get("status") == CANCELLED and not data.get("reason", "").strip():
            self.add_error("reason", "มาตรการที่ยกเลิกต้องระบุเหตุผลที่ยกเลิก")
        return data

    def report_values(self) -> dict:
        """The cleaned report, text trimmed: what ``services.save_report`` takes (one key per field)."""
        return {name: value.strip() if isinstance(value, str) else value for name, value in self.cleaned_data.items()}

    @staticmethod
    def initial_from(entry) -> dict:
        """The form's starting values from a core MeasureProgress (this round's or an earlier one)."""
        return {"status": entry.status, "done": entry.done, "output": entry.output, "outcome": entry.outcome,
                "problems": entry.problems, "suggestions": entry.suggestions, "reason": entry.reason,
                "links": "\n".join(entry.evidence)}


class AddRoundForm(CleanTextFormMixin, forms.Form):
    months = forms.TypedChoiceField(
        label="รอบ (เดือนที่ของปีงบประมาณ)", coerce=int,
        error_messages={"required": "กรุณาเลือกจำนวนเดือนของรอบ",
                        "invalid_choice": "รอบต้องเป็น ๑–๑๒ เดือน และยังไม่มีในมาตรการนี้ (ค่าที่พบ: %(value)s)"},
    )

    def __init__(self, *args, taken: set[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["months"].choices = [(m, f"รอบ {to_thai_digits(m)} เดือน") for m in range(1, 13) if m not in taken]


class UnlockForm(CleanTextFormMixin, forms.Form):
    reason = forms.CharField(
        label="เหตุผลที่ปลดล็อก", max_length=300,
        error_messages={"required": "ต้องระบุเหตุผลที่ปลดล็อก", "max_length": _too_long(300)},
    )
