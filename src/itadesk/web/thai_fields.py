"""Form fields in the Thai way: a date shown and typed with the Buddhist-era year."""

from __future__ import annotations

import datetime as dt

from django import forms

from itadesk.thai import be_date_input, parse_thai_date

BE_DATE_HELP = "วัน/เดือน/ปี พ.ศ. เช่น 25/9/2567 หรือ 25 ก.ย. 2567"


class BEDateInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"placeholder": "เช่น 25/9/2567", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return be_date_input(value)
        return super().format_value(value)


class BEDateField(forms.Field):
    """A date typed as '25/9/2567', '๒๕/๙/๒๕๖๗', '25 ก.ย. 2567' (or ISO): shown with the พ.ศ. year."""

    widget = BEDateInput
    default_error_messages = {"invalid": f"วันที่ไม่ถูกต้อง: พิมพ์{BE_DATE_HELP}"}

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        day = parse_thai_date(str(value))
        if day is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return day
