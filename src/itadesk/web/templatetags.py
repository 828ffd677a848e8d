"""Template filters for Thai display: Thai digits, scores, Buddhist-era dates."""

import re

from django import template
from django.utils import timezone

from itadesk.thai import code_text, format_score, thai_date, to_thai_digits

register = template.Library()


@register.filter
def thai_digits(value):
    return to_thai_digits(value)


@register.filter
def code(value):
    """A criteria code in Thai digits, an indicator by its Thai name: O๒๕, ตัวชี้วัดที่ ๒."""
    return code_text(str(value))


@register.filter
def score(value):
    """A score as ITAS prints it, in Thai digits: ๗๒.๙๗."""
    return format_score(value) if value is not None else "-"


@register.filter
def be_date(value):
    """A date or datetime as a Thai long date with the Buddhist-era year."""
    if not value:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)  # stored in UTC; the date an officer means is Bangkok's
    day = value.date() if hasattr(value, "date") else value
    return thai_date(day)


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


def _local(value):
    return timezone.localtime(value) if getattr(value, "tzinfo", None) is not None else value


@register.filter
def be_datetime(value):
    """The one time format of the pages: '๕ มีนาคม ๒๕๖๘ เวลา ๑๔.๓๕ น.' (Thai time)."""
    if not value:
        return ""
    local = _local(value)
    return f"{thai_date(local.date())} เวลา {to_thai_digits(local.strftime('%H.%M'))} น."


# A number standing on its own (2567, 72.97, 3 รายการ), not a part of a code, name, file or address
# (O8, seed000-2567.csv, somchai2, https://…/1): those keep their digits.
_NUMBER = re.compile(r"(?<![A-Za-z0-9_@/.:\-])\d+(?:[.,]\d+)*(?![A-Za-z0-9_@/\-]|\.[A-Za-z])")


def thai_number_text(text: str) -> str:
    return _NUMBER.sub(lambda m: to_thai_digits(m.group(0)), text)


@register.filter
def thai_numbers(value):
    """Numbers in a sentence (messages, audit lines) in Thai digits; codes and names untouched."""
    return thai_number_text(str(value))


AUDIT_ACTIONS = {
    "agency.created": "สร้างหน่วยงาน", "agency.profile_changed": "แก้ไขข้อมูลหน่วยงาน",
    "member.added": "เพิ่มผู้ใช้", "member.changed": "เปลี่ยนบทบาทผู้ใช้", "member.removed": "นำผู้ใช้ออก",
    "results.saved": "บันทึกผลคะแนน", "results.replaced": "แทนที่ผลคะแนน",
    "plan.generated": "จัดทำมาตรการ", "plan.edited": "แก้ไขมาตรการ", "plan.approved": "อนุมัติมาตรการ",
    "plan.reopened": "เปิดแก้ไขมาตรการ", "plan.downloaded": "ดาวน์โหลดมาตรการ",
    "plan.carried_over": "ยกมาตรการไปปีถัดไป",
    "progress.reported": "รายงานผลการดำเนินการ", "progress.imported": "นำเข้าผลการดำเนินการ",
    "progress.locked": "ล็อกรอบรายงาน", "progress.unlocked": "ปลดล็อกรอบรายงาน",
    "progress.round_added": "เพิ่มรอบรายงาน", "progress.file_deleted": "ลบไฟล์หลักฐาน",
    "progress.downloaded": "ดาวน์โหลดรายงานผล",
    "oit.evidence_saved": "บันทึกลิงก์หลักฐาน OIT", "oit.evidence_imported": "นำเข้าลิงก์หลักฐาน OIT",
    "oit.checked": "ตรวจความพร้อม OIT",
}


@register.filter
def audit_action(value):
    """An audit action in Thai words ('plan.approved' → 'อนุมัติมาตรการ')."""
    return AUDIT_ACTIONS.get(str(value), "การเปลี่ยนแปลงอื่น")


OIT_OUTCOMES = {
    "ok": "เปิดได้", "http_error": "เปิดไม่ได้", "timeout": "หมดเวลารอ", "connect_error": "เชื่อมต่อไม่ได้",
    "refused": "ไม่ได้ตรวจ (ที่อยู่ไม่ปลอดภัย)", "too_large": "ไฟล์ใหญ่เกิน", "too_many_redirects": "เปลี่ยนเส้นทางมากเกินไป",
    "error": "ผิดพลาด",
}


@register.filter
def oit_outcome(value):
    return OIT_OUTCOMES.get(str(value), str(value))


@register.simple_tag
def request_key():
    """A one-time key for a form that starts a job: the same form posted twice starts one job."""
    import uuid

    return uuid.uuid4().hex
