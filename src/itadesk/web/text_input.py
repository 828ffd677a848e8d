"""Text typed or pasted into the plans and progress forms and API: cleaned by the core's
``clean_text`` before it is validated or stored, and refused when it holds characters the
documents cannot print (emoji and other scripts), so a stored text always makes its PDF and DOCX.
"""

from __future__ import annotations

from rest_framework import serializers

from itadesk.text import clean_text, unprintable

MAX_SHOWN = 5


def unprintable_message(text: str) -> str | None:
    missing = unprintable(text)
    if not missing:
        return None
    shown = " ".join(missing[:MAX_SHOWN]) + (" …" if len(missing) > MAX_SHOWN else "")
    return (f"มีอักขระที่พิมพ์ในเอกสาร PDF ไม่ได้: {shown} "
            "(เช่น อีโมจิ หรืออักษรภาษาอื่น ใช้ตัวอักษรไทยหรืออังกฤษแทน)")


def _texts(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return "\n".join(_texts(v) for v in value)
    if isinstance(value, dict):
        return "\n".join(_texts(v) for v in value.values())
    return ""


class CleanTextFormMixin:
    """For a Django form: every submitted value of this form goes through ``clean_text`` first
    (``\\x0b`` becomes a line break, other control characters go), and a field holding a character
    the documents cannot print gets an error."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data is not None:
            self.data = self._cleaned_data_source(self.data)

    def _cleaned_data_source(self, data):
        prefix = f"{self.prefix}-" if self.prefix else ""
        if hasattr(data, "getlist"):
            copy = data.copy()
            for key in list(copy.keys()):
                if key.startswith(prefix):
                    copy.setlist(key, [clean_text(v) if isinstance(v, str) else v for v in copy.getlist(key)])
            return copy
        return {k: (clean_text(v) if isinstance(v, str) and k.startswith(prefix) else v) for k, v in data.items()}

    def clean(self):
        data = super().clean()
        for name, value in list((data or {}).items()):
            message = unprintable_message(_texts(value))
            if message and name in self.fields:
                self.add_error(name, message)
        return data


class CleanTextSerializerMixin:
    """For a DRF serializer: text values cleaned by ``clean_text``, unprintable characters refused."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        errors = {}
        for name, item in list(value.items()):
            if isinstance(item, str):
                value[name] = item = clean_text(item)
            elif isinstance(item, list) and all(isinstance(v, str) for v in item):
                value[name] = item = [clean_text(v) for v in item]
            message = unprintable_message(_texts(item))
            if message:
                errors[name] = [message]
        if errors:
            raise serializers.ValidationError(errors)
        return value
