"""The measures plan editor (one block per measure) and the approval / reopening forms."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.utils import timezone

from itadesk import limits
from itadesk.criteria import load_criteria
from itadesk.thai import be_year, fiscal_year_period, to_thai_digits
from itadesk.web.plans.models import Plan
from itadesk.web.plans.services import MeasureInput
from itadesk.web.text_input import CleanTextFormMixin
from itadesk.web.thai_fields import BE_DATE_HELP, BEDateField

MAX_MEASURES = 60
MAX_STEPS = 20
MAX_STEP_CHARS = 500
# "1. ", "๒) ", "- ", "• " typed in front of a step: the documents number the steps themselves.
_STEP_MARK = re.compile(r"^\s*(?:[0-9๐-๙]{1,2}\s*[.)]\s+|[-•*]\s+)")


def _too_long(limit: int) -> str:
    return f"ยาวเกิน {limit:,} ตัวอักษร (ขณะนี้ %(show_value)d ตัวอักษร)"


def theme_choices(plan: Plan) -> list[tuple[int, str]]:
    """The themes of the assessed year's criteria (1–7), as the documents group the measures."""
    return [(t.number, f"{to_thai_digits(t.number)}. {t.name}") for t in load_criteria(plan.assessed_year).themes]


class MeasureForm(CleanTextFormMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    theme = forms.TypedChoiceField(
        label="ประเด็น", coerce=int,
        error_messages={"required": "กรุณาเลือกประเด็น",
                        "invalid_choice": "ประเด็นต้องเป็นข้อ ๑–๗ ตามเกณฑ์ของปีที่ประเมิน"},
    )
    name = forms.CharField(
        label="มาตรการ/โครงการ/กิจกรรม", max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        error_messages={"required": "กรุณากรอกชื่อมาตรการ", "max_length": _too_long(500)},
    )
    steps = forms.CharField(
        label="ขั้นตอน/วิธีปฏิบัติ (บรรทัดละหนึ่งขั้นตอน)", max_length=MAX_STEPS * (MAX_STEP_CHARS + 2),
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "กรุณากรอกขั้นตอนอย่างน้อย ๑ ขั้นตอน",
                        "max_length": _too_long(MAX_STEPS * (MAX_STEP_CHARS + 2))},
    )
    responsible = forms.CharField(
        label="ผู้รับผิดชอบ", max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}),
        error_messages={"max_length": _too_long(500)},
    )
    period = forms.CharField(
        label="ระยะเวลาดำเนินการ", max_length=200, required=False,
        widget=forms.TextInput(attrs={"maxlength": 200}),
        error_messages={"max_length": _too_long(200)},
    )
    monitoring = forms.CharField(
        label="การติดตามประเมินผล", max_length=1000, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        error_messages={"max_length": _too_long(1000)},
    )
    order = forms.IntegerField(
        label="ลำดับ", min_value=1, max_value=999, required=False,
        widget=forms.NumberInput(attrs={"min": 1, "max": 999, "class": "order"}),
        error_messages={"invalid": "ลำดับต้องเป็นตัวเลข", "min_value": "ลำดับต้องเป็น ๑–๙๙๙",
                        "max_value": "ลำดับต้องเป็น ๑–๙๙๙"},
    )

    def __init__(self, *args, themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = list(themes)

    def clean_steps(self) -> list[str]:
        steps = []
        for line in self.cleaned_data["steps"].splitlines():
            step = _STEP_MARK.sub("", line).strip()
            if step:
                steps.append(step)
        if not steps:
            raise forms.ValidationError("กรุณากรอกขั้นตอนอย่างน้อย ๑ ขั้นตอน")
        if len(steps) > MAX_STEPS:
            raise forms.ValidationError(f"ขั้นตอนมากเกิน {to_thai_digits(MAX_STEPS)} ขั้นตอน")
        long = [i for i, s in enumerate(steps, start=1) if len(s) > MAX_STEP_CHARS]
        if long:
            raise forms.ValidationError(
                f"ขั้นตอนที่ {to_thai_digits(', '.join(map(str, long)))} ยาวเกิน {MAX_STEP_CHARS} ตัวอักษร")
        return steps

    def as_input(self) -> MeasureInput:
        data = self.cleaned_data
        return MeasureInput(
            id=data.get("id"), theme=data["theme"], name=data["name"], steps=data["steps"],
            responsible=data.get("responsible", ""), period=data.get("period", ""),
            monitoring=data.get("monitoring", ""),
        )


class BaseMeasureFormSet(forms.BaseFormSet):
    """Measures of one plan. Blocks past the existing ones are new measures; left blank, they are skipped."""

    default_error_messages = {
        "missing_management_form": "แบบฟอร์มไม่สมบูรณ์ กรุณาโหลดหน้าใหม่",
        "too_many_forms": "มาตรการมากเกิน %(num)d มาตรการ",
        "too_few_forms": "มาตรการต้องมีอย่างน้อย %(num)d มาตรการ",
    }

    def __init__(self, *args, plan: Plan, **kwargs):
        self.plan = plan
        self.themes = theme_choices(plan)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = {"themes": self.themes}
        if index is None or index >= self.initial_form_count():
            # A new measure starts with the agency's office and the whole fiscal year.
            kwargs["initial"] = {
                "theme": self.themes[0][0] if self.themes else 1,
                "responsible": self.plan.agency.office,
                "period": fiscal_year_period(self.plan.plan_year),
            }
        return kwargs

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "ลบมาตรการนี้"

    def is_new_and_blank(self, form) -> bool:
        return form.empty_permitted and not form.has_changed()

    def clean(self):
        if any(self.errors) or not self.management_form.is_valid():
            return
        ids = [f.cleaned_data.get("id") for f in self.forms if f.cleaned_data.get("id") is not None]
        if len(ids) != len(set(ids)):
            raise forms.ValidationError("แบบฟอร์มมีมาตรการซ้ำกัน กรุณาโหลดหน้าใหม่")
        if not self.kept_forms():
            raise forms.ValidationError("มาตรการต้องมีอย่างน้อย ๑ มาตรการ (ถ้าลบทั้งหมด จะไม่มีอะไรลงในเอกสาร)")

    def kept_forms(self) -> list[forms.Form]:
        """The measures to keep, in their final order: by the order number, then as they were on the page."""
        kept = [
            (index, form) for index, form in enumerate(self.forms)
            if not self._should_delete_form(form) and not self.is_new_and_blank(form)
        ]
        kept.sort(key=lambda pair: (
            pair[1].cleaned_data.get("order") or (1000 + pair[0]), pair[0],
        ))
        return [form for _, form in kept]

    def measures(self) -> list[MeasureInput]:
        return [form.as_input() for form in self.kept_forms()]

    def deleted_ids(self) -> set[int]:
        return {
            form.cleaned_data["id"] for form in self.forms
            if self._should_delete_form(form) and form.cleaned_data.get("id") is not None
        }


MeasureFormSet = forms.formset_factory(
    MeasureForm, formset=BaseMeasureFormSet, extra=1, can_delete=True, can_delete_extra=False,
    max_num=MAX_MEASURES, validate_max=True, absolute_max=MAX_MEASURES + 20,
)


def initial_measures(plan: Plan) -> list[dict]:
    return [
        {"id": m.pk, "theme": m.theme, "name": m.name, "steps": "\n".join(m.steps),
         "responsible": m.responsible, "period": m.period, "monitoring": m.monitoring, "order": position}
        for position, m in enumerate(plan.measures.all(), start=1)
    ]


class ApproveForm(CleanTextFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    approved_by = forms.CharField(
        label="ผู้อนุมัติ", max_length=200,
        error_messages={"required": "กรุณากรอกชื่อผู้อนุมัติ", "max_length": _too_long(200)},
    )
    approved_on = BEDateField(
        label="วันที่อนุมัติ (พ.ศ.)", help_text=BE_DATE_HELP,
        error_messages={"required": "กรุณาระบุวันที่อนุมัติ"},
    )

    def clean_approved_on(self) -> dt.date:
        day = self.cleaned_data["approved_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("วันที่อนุมัติต้องไม่เลยวันนี้")
        if be_year(day.year) < limits.active().year_min:
            raise forms.ValidationError("วันที่ไม่ถูกต้อง")
        return day


class ReopenForm(CleanTextFormMixin, forms.Form):
    reason = forms.CharField(
        label="เหตุผลที่เปิดแก้ไข", max_length=300, required=False,
        error_messages={"max_length": _too_long(300)},
    )


MEMO_NUMBER = re.compile(r"[0-9๐-๙A-Za-zก-ฮ./\- ]*")


class MemoForm(CleanTextFormMixin, forms.Form):
    """The memo's number (after the agency's prefix: "นม ๗๘๙๐๑/<number>") and date, as the office
    chose them; both may stay empty (dots, and the document's default date)."""

    memo_number = forms.CharField(
        label="เลขที่บันทึกข้อความ (ต่อจากเลขประจำหน่วยงาน)", max_length=40, required=False,
        error_messages={"max_length": _too_long(40)},
    )
    memo_date = BEDateField(label="ลงวันที่ (พ.ศ.)", help_text=BE_DATE_HELP, required=False)

    def clean_memo_number(self) -> str:
        number = self.cleaned_data["memo_number"].strip()
        if not MEMO_NUMBER.fullmatch(number):
            raise forms.ValidationError("เลขที่บันทึกข้อความพิมพ์ได้เฉพาะตัวเลข ตัวอักษร และเครื่องหมาย / . -")
        return number

    def clean_memo_date(self) -> dt.date | None:
        day = self.cleaned_data["memo_date"]
        if day is not None and not limits.plausible_year(be_year(day.year)):
            raise forms.ValidationError("วันที่ไม่ถูกต้อง")
        return day


def memo_context(form, number: str, chosen, default) -> dict:
    """What the memo card shows (plans/_memo.html): the stored number, the form, and without a
    chosen date the date the document will carry and, when that is not today, why."""
    day, warning = default
    return {"memo_form": form, "memo_number": number, "memo_chosen": chosen, "memo_default_day": day,
            "memo_warning": warning}
